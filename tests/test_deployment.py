"""The production recipe holds (issue 16, points 10 and 11): what PROXY_FIX_X_FOR trusts is
checked, and a PostgreSQL backup made as the README says restores into a database the app
serves the same pages from, to the same accounts."""

import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest

from support import COMMUNE_A, PASSWORD
from mediation import create_app
from mediation.directory import audit
from mediation.extensions import db
from mediation.models import AuditEvent, Revision, RevisionState, Service, User


def _app_with(app, **config):
    base = {k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY",
                                       "ARGON2_TIME_COST", "ARGON2_MEMORY_COST",
                                       "LEAFLET_ASSETS")}
    return create_app({"TESTING": True, "ENV_NAME": "testing", "RATELIMIT_ENABLED": False,
                       "WTF_CSRF_ENABLED": False, "BACKGROUND_WORK": "inline", **base,
                       **config})


# --- 10. What PROXY_FIX_X_FOR trusts -----------------------------------------------------------

def test_healthz_warns_when_trusted_proxies_headers_are_missing(app, caplog):
    behind = _app_with(app, PROXY_FIX_X_FOR=1)
    client = behind.test_client()
    assert client.get("/en/", headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 200
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/en/").status_code == 200  # straight to the app, around the proxy
    assert client.get("/en/about").status_code == 200
    assert client.get("/healthz").get_json() == {
        "status": "ok", "warnings": ["proxy_fix_x_for_without_header"]}
    said = [r.getMessage() for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
    assert len(said) == 1 and "PROXY_FIX_X_FOR=1" in said[0]


def test_no_warning_without_trusted_proxies(app):
    client = _app_with(app, PROXY_FIX_X_FOR=0).test_client()
    client.get("/en/")
    assert client.get("/healthz").get_json() == {"status": "ok"}


# --- 11. Backups that are known to restore -----------------------------------------------------

def run(*command, **options):
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, **options)
    assert result.returncode == 0, result.stderr
    return result.stdout


def page_text(response) -> str:
    """A page's main content, without what changes on every request."""
    body = response.get_data(as_text=True)
    main = body[body.index("<main"):body.index("</main>")]
    return re.sub(r'name="csrf_token" value="[^"]*"', "", main)


@pytest.fixture
def restored_url(app):
    """A fresh, empty database beside the test database; dropped afterwards."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("pg_dump and pg_restore back up PostgreSQL")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("the PostgreSQL client programs are not installed")
    parts = urlsplit(url.replace("+psycopg", ""))
    name = parts.path.lstrip("/") + "_restored"
    server = parts._replace(path="/postgres").geturl()
    run("psql", server, "-c", f'DROP DATABASE IF EXISTS "{name}"')
    run("psql", server, "-c", f'CREATE DATABASE "{name}"')
    yield parts._replace(path="/" + name).geturl()
    run("psql", server, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_custom_format_dump_restores_to_the_same_pages_and_accounts(
        app, make_user, make_service, restored_url, tmp_path):
    service_id = make_service(COMMUNE_A, "published")
    editor_id = make_user("editor@schaerbeek.be", name="Els Peeters")
    make_user("admin@example.be", role="admin")
    with app.app_context():
        service = db.session.get(Service, service_id)
        db.session.add(Revision(service_id=service_id, author_id=editor_id,
                                fields={"phone": "+3222222223"}, base_version=service.version,
                                state=RevisionState.pending))
        audit.record(db.session.get(User, editor_id), "revision.submitted", service)
        db.session.commit()
        counts = {model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
                  for model in (Service, User, Revision, AuditEvent)}
    source = app.test_client()
    pages = {path: page_text(source.get(path)) for path in (
        f"/fr/services/{service_id}", f"/nl/communes/{COMMUNE_A}", "/en/search?q=1030")}

    # As the README says: pg_dump in custom format, pg_restore into a fresh database.
    live = app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg", "")
    dump = tmp_path / "mediation.dump"
    run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", live)
    run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored_url}", str(dump))

    restored = _app_with(app, SQLALCHEMY_DATABASE_URI=restored_url.replace(
        "postgresql://", "postgresql+psycopg://", 1))
    try:
        with restored.app_context():
            assert {model.__name__: db.session.scalar(
                db.select(db.func.count()).select_from(model))
                for model in (Service, User, Revision, AuditEvent)} == counts
        client = restored.test_client()
        for path, text in pages.items():
            assert page_text(client.get(path)) == text, path
        for email in ("editor@schaerbeek.be", "admin@example.be"):
            signed_in = restored.test_client()
            assert signed_in.post("/en/account/login", data={
                "email": email, "password": PASSWORD}).status_code == 302
            dashboard = signed_in.get("/en/manage/")
            assert dashboard.status_code == 200
        assert "Médiation Schaerbeek (fr)" in dashboard.get_data(as_text=True)
    finally:
        with restored.app_context():
            db.engine.dispose()
