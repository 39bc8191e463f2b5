"""gunicorn settings: gunicorn -c python:mediation.deploy.gunicorn_conf 'mediation:create_app()'

Any of them can be changed on the command line or in GUNICORN_CMD_ARGS. `kill -HUP` on the
master reloads gracefully: new workers start with the new code, old ones finish their requests.
"""

import multiprocessing
import os

bind = os.environ.get("MEDIATION_BIND", "127.0.0.1:8000")
# Requests are short and mostly wait on the database: two workers per CPU, and one more.
workers = int(os.environ.get("MEDIATION_WORKERS", 0)) or multiprocessing.cpu_count() * 2 + 1
# Threads in each worker (the reverse proxy still buffers slow clients): while one request
# waits on the database another runs, and a connection is kept between requests. Under 200
# connections, a quarter signed in, 4 threads gave a shorter median than sync workers in two runs,
# up to 2.4 times the requests per second, and a 99th percentile within 10 × the median; 8
# threads once stretched it past that (benchmarks/bench_pages.py, README "Why threads").
worker_class = os.environ.get("MEDIATION_WORKER_CLASS", "gthread")
threads = int(os.environ.get("MEDIATION_THREADS", 0)) or 4
# Pages answer or say 503 within seconds (database timeouts); a worker silent for longer is
# stuck and replaced, the proxy showing its own error page meanwhile.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so a slow leak cannot grow for ever.
max_requests = 5000
max_requests_jitter = 500
preload_app = False  # each worker imports the code: HUP then loads a new release
# Bodies are capped by the application (MAX_CONTENT_LENGTH); request lines and headers here.
limit_request_line = 4094
limit_request_fields = 100

accesslog = "-"
errorlog = "-"
# No query string (%(U)s is the path alone: a search may carry a position) and no address.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
