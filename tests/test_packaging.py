"""The built package: a wheel that carries its templates, static files and catalogs, installs
without a warning into a fresh environment and serves every public page from elsewhere."""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("setup.py", "setup.cfg", "pyproject.toml", "MANIFEST.in", "README.md",
           "mediation", "templates", "static", "translations")
LANGS = ("fr", "nl", "de", "en")
TITLE = "Local mediation services in Belgium"


def _quiet_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("MEDIATION_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def _run(*args, cwd, env=None) -> str:
    result = subprocess.run(args, cwd=cwd, env=env or _quiet_env(), capture_output=True,
                            text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel from a copy of the sources (no stale build/ folder can slip in)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(path, source / name)
    dist = tmp_path_factory.mktemp("dist")
    output = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                  "--no-index", "-v", "-w", str(dist), ".", cwd=source)
    warnings = [line for line in output.splitlines() if "warning" in line.lower()]
    assert not warnings, "\n".join(warnings)
    (built,) = dist.glob("mediation-*.whl")
    return built


def test_wheel_carries_templates_static_files_and_compiled_catalogs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mediation/templates/base.html" in names
    assert "mediation/templates/public/service.html" in names
    assert "mediation/static/css/site.css" in names
    assert "mediation/migrations/versions/0001_initial_schema.py" in names
    assert {"mediation/deploy/gunicorn_conf.py", "mediation/deploy/nginx.conf"} <= names
    for lang in LANGS:
        assert f"mediation/translations/{lang}/LC_MESSAGES/messages.mo" in names


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port: int, method: str, path: str, body: bytes | None = None,
             headers: dict | None = None) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh environment holding the wheel; its dependencies are read from the test's own."""
    venv = tmp_path_factory.mktemp("venv")
    _run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=venv)
    python = venv / "bin" / "python"
    site = Path(_run(str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                     cwd=venv).strip())
    output = _run(sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                  "--no-index", str(wheel), cwd=venv)
    assert "warning" not in output.lower(), output
    # After the wheel: the libraries it needs, never the checkout's own mediation/.
    (site / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return python


def test_installed_package_serves_every_public_page_outside_the_checkout(installed,
                                                                          tmp_path):
    """Under gunicorn, Redis unreachable: pages serve, hostile requests get a clear 4xx."""
    port, redis_port = _free_port(), _free_port()
    env = _quiet_env(
        MEDIATION_ENV_NAME="production",
        MEDIATION_SECRET_KEY="k" * 64,
        MEDIATION_PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        MEDIATION_SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'mediation.sqlite'}",
        MEDIATION_BIND=f"127.0.0.1:{port}",
        MEDIATION_WORKERS="1",
        MEDIATION_RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{redis_port}/0",
    )
    located = _run(str(installed), "-c", "import mediation; print(mediation.__file__)",
                   cwd=tmp_path, env=env)
    assert str(ROOT) not in located and str(installed.parents[1]) in located
    for command in ("init-db", "load-communes", "seed-demo"):
        _run(str(installed), "-m", "flask", "--app", "mediation", command, cwd=tmp_path, env=env)
    server = subprocess.Popen(
        [str(installed), "-m", "gunicorn", "-c", "python:mediation.deploy.gunicorn_conf",
         "mediation:create_app()"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # at most 30 s to start
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        for lang in LANGS:
            with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
                title = read_po(f, locale=lang)[TITLE].string
            for page in ("", "search?q=Li%C3%A8ge", "communes/62063", "services/1", "about",
                         "accessibility", "privacy", "open-data"):
                status, body = _get(f"{base}/{lang}/{page}")
                assert status == 200, (lang, page, body[:500])
                assert f'<html lang="{lang}">' in body and title in body, (lang, page)
            status, body = _get(f"{base}/{lang}/no-such-page")
            assert status == 404 and f'<html lang="{lang}">' in body
        assert _get(f"{base}/static/css/site.css")[0] == 200
        assert _get(f"{base}/api/v1/openapi.json")[0] == 200
        assert _get(f"{base}/healthz") == (200, '{"status":"degraded","unavailable":["rate_limits"]}\n')
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        probes = [
            ("POST", "/fr/services/1/report", b"message=ten+chars%00x", form, 400),
            ("POST", "/fr/services/1/report", b"message=" + b"a" * 1_000_000, form, 413),
            ("POST", "/fr/services/999999/report", b"", form, 404),
            ("GET", "/fr/", None, {"Host": "a..b"}, 400),
            ("GET", "/fr/", None, {"Host": "evil.example"}, 400),
            ("PUT", "/fr/about", b"", {}, 405),
            ("GET", "/fr/services/%D9%A1", None, {}, 404),
            # Redis cannot count reports: the form says to try later, with the text.
            ("POST", "/fr/services/1/report", b"message=The+phone+number+is+wrong.", form, 503),
        ]
        for method, path, body, headers, expected in probes:
            status, answered, text = _request(port, method, path, body, headers)
            assert status == expected, (method, path, headers, status, text[:300])
        assert "The phone number is wrong.</textarea>" in text and answered["Retry-After"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Traceback" not in server.stderr.read()
