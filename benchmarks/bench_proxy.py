"""Requests per second for a commune page, with and without a caching nginx in front.

benchmark: .venv/bin/python benchmarks/bench_proxy.py [--services 10000] [--seconds 20]

A throw-away SQLite database with synthetic services (benchmarks/synthetic.py); the application
from this checkout under gunicorn with the packaged settings (mediation/deploy/gunicorn_conf.py,
one worker per CPU here, production configuration, rate limits off: every request comes from
127.0.0.1); nginx from Debian (`apt-get install nginx-light wrk`) started on a free port with
the cache of mediation/deploy/nginx.conf, without TLS. wrk measures, on 127.0.0.1 only:
1. the commune page straight from gunicorn, 2. the same through nginx, 3. 200 connections for
60 s through nginx over a mix of commune pages, the API and static files, counting errors.
Writes benchmarks/reports/proxy.md. Both servers are stopped at the end, also on error.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_services import Client, code_version, free_port  # noqa: E402
from synthetic import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REPORT = Path(__file__).parent / "reports" / "proxy.md"
PAGE = "/fr/communes/21004"
MIX = ["/fr/communes/21004", "/nl/communes/44021", "/de/communes/63023", "/en/communes/62063",
       "/api/v1/services?commune=21015", "/fr/about", "/static/css/site.css"]

NGINX_CONF = """
worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
{user}
events {{ worker_connections 4096; }}
http {{
    access_log off;
    proxy_cache_path {tmp}/cache levels=1:2 keys_zone=mediation:20m max_size=256m inactive=1h
                     use_temp_path=off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    upstream mediation_app {{ server 127.0.0.1:{app_port}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 64k;
        location / {{
            proxy_pass http://mediation_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_cache mediation;
            proxy_cache_key $scheme$host$request_uri;
            proxy_cache_bypass $cookie_session;
            proxy_no_cache $cookie_session;
            proxy_cache_lock on;
            proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;
            proxy_cache_background_update on;
            proxy_cache_revalidate on;
            add_header X-Cache $upstream_cache_status always;
        }}
    }}
}}
"""


class Servers:
    """gunicorn and nginx on free ports of 127.0.0.1, stopped on exit."""

    def __init__(self, url, tmp):
        self.url, self.tmp, self.processes = url, tmp, []
        self.app_port, self.proxy_port = free_port(), free_port()

    def start(self, command, env=None, log="server.log"):
        self.processes.append(subprocess.Popen(
            command, cwd=self.tmp, env=env, start_new_session=True,
            stdout=open(f"{self.tmp}/{log}", "wb"), stderr=subprocess.STDOUT))

    def __enter__(self):
        env = dict(os.environ, MEDIATION_SQLALCHEMY_DATABASE_URI=self.url,
                   MEDIATION_ENV_NAME="production", MEDIATION_SECRET_KEY=secrets.token_hex(32),
                   MEDIATION_PUBLIC_BASE_URL=f"http://127.0.0.1:{self.app_port}",
                   MEDIATION_RATELIMIT_ENABLED="false", MEDIATION_LOG_FORMAT="text",
                   MEDIATION_BIND=f"127.0.0.1:{self.app_port}",
                   MEDIATION_WORKERS=str(os.cpu_count()), PYTHONPATH=str(ROOT))
        self.start([sys.executable, "-m", "gunicorn", "-c", "python:mediation.deploy.gunicorn_conf",
                    "--access-logfile", "/dev/null", "mediation:create_app()"], env, "gunicorn.log")
        user = "user root;" if os.geteuid() == 0 else ""
        Path(f"{self.tmp}/nginx.conf").write_text(NGINX_CONF.format(
            tmp=self.tmp, port=self.proxy_port, app_port=self.app_port, user=user))
        self.start(["nginx", "-c", f"{self.tmp}/nginx.conf", "-g", "daemon off;"],
                   log="nginx.log")
        for port in (self.app_port, self.proxy_port):
            client, deadline = Client(port), time.monotonic() + 30
            while client.get("/healthz")[0] != 200:
                if time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError(f"nothing answers on {port}; see the logs in {self.tmp}")
                time.sleep(0.2)
            client.close()
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


WRK_MIX = """
paths = {{{paths}}}
counter = 0
request = function()
    counter = counter + 1
    return wrk.format("GET", paths[(counter % #paths) + 1])
end
"""


def wrk(port, connections, seconds, path=PAGE, script=None) -> dict:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency",
               "--timeout", "10s"]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True,
                            text=True, timeout=seconds + 60).stdout
    found = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
             "requests": int(re.search(r"(\d+) requests in", output)[1]),
             "non_2xx": int((re.search(r"Non-2xx or 3xx responses: (\d+)", output) or [0, 0])[1]),
             "socket_errors": sum(int(n) for n in (re.search(
                 r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
                 or [0] * 5)[1:]),
             "output": output}
    for pct in ("50", "99"):
        latency = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", output)
        scale = {"us": 0.001, "ms": 1, "s": 1000}[latency[2]]
        found[f"p{pct}"] = float(latency[1]) * scale
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=20, help="for runs 1 and 2")
    parser.add_argument("--load-seconds", type=int, default=60, help="for run 3")
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install nginx-light wrk")
    with tempfile.TemporaryDirectory(prefix="mediation-proxy-") as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        generate(url, args.services, echo=lambda *a: None)
        with Servers(url, tmp) as servers:
            direct = wrk(servers.app_port, 20, args.seconds)
            proxied = wrk(servers.proxy_port, 20, args.seconds)
            script = Path(tmp) / "mix.lua"
            script.write_text(WRK_MIX.format(paths=", ".join(f'"{p}"' for p in MIX)))
            load = wrk(servers.proxy_port, 200, args.load_seconds, path="/", script=str(script))
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report(args, direct, proxied, load))
    print(REPORT.read_text())


def report(args, direct, proxied, load) -> str:
    def row(label, run):
        return (f"| {label} | {run['requests']:,} | {run['rps']:,.0f} | {run['p50']:.1f} ms "
                f"| {run['p99']:.1f} ms | {run['non_2xx']} | {run['socket_errors']} |")

    return "\n".join([
        "# Caching proxy benchmark", "",
        f"Code: {code_version()}. {args.services:,} synthetic services, SQLite; gunicorn with the "
        f"packaged settings, {os.cpu_count()} sync workers; nginx {nginx_version()} with the "
        "cache of the example configuration, no TLS; wrk with 2 threads, all on one machine "
        f"(load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs).", "",
        "| run | requests | requests/s | p50 | p99 | non-2xx/3xx | socket errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
        row(f"`{PAGE}` straight from gunicorn, 20 connections, {args.seconds} s", direct),
        row(f"`{PAGE}` through nginx, 20 connections, {args.seconds} s", proxied),
        row(f"mix of {len(MIX)} addresses through nginx, 200 connections, "
            f"{args.load_seconds} s", load), "",
        f"With the proxy in front the commune page is served {proxied['rps'] / direct['rps']:.0f}× "
        "as often per second: the application answers it once a minute (`max-age=60`) and "
        "revalidates it with its ETag; the rest comes from nginx's cache.", "",
        f"Mix: {', '.join(f'`{p}`' for p in MIX)}.", "",
    ])


def nginx_version() -> str:
    output = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr
    return output.strip().split("/")[-1]


if __name__ == "__main__":
    main()
