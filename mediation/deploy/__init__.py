"""Files for running the directory in production, shipped with the package.

- `gunicorn_conf.py`: the application server's settings
  (`gunicorn -c python:mediation.deploy.gunicorn_conf 'mediation:create_app()'`);
- `nginx.conf`: a reverse proxy example with HTTPS, caching and an error page of its own.
"""

from pathlib import Path

NGINX_EXAMPLE = Path(__file__).with_name("nginx.conf")
