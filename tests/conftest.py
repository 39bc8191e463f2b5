"""Fixtures: the app on SQLite, and on PostgreSQL too when MEDIATION_TEST_DATABASE_URL is set.

The reference data (565 communes, postal codes, place names) is loaded once per database; each
test leaves the directory tables as it found them.
"""

import os

import pytest
from sqlalchemy import inspect, text

from mediation import create_app
from mediation.extensions import db

PG_URL = os.environ.get("MEDIATION_TEST_DATABASE_URL")
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])

# Figures a test measured, printed at the end of the run (the locality hit rate, …).
FIGURES: list[str] = []

# Tables written by tests, emptied after each one, children first.
DIRECTORY_TABLES = [
    "outbox_message", "access_request", "audit_event", "error_report", "revision", "user_commune", "user_organization", "user",
    "service_type_link", "service_area", "location", "service", "organization", "geocode_cache",
]


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("measured figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


def _reset_schema(url: str) -> None:
    """Drop every table of a PostgreSQL test database, so migrations run from scratch."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def app(request, tmp_path_factory):
    """Return an app whose database is migrated and holds the official communes."""
    if request.param == "postgresql":
        url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
        _reset_schema(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    app = create_app({
        "TESTING": True,
        "ENV_NAME": "testing",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "LEAFLET_ASSETS": "local",
        "SERVER_NAME": None,
    })
    with app.app_context():
        from flask_migrate import upgrade

        from mediation.gazetteer_loader import load_communes

        upgrade()
        load_communes()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_directory(request):
    """Empty the directory tables after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.rollback()
        existing = set(inspect(db.engine).get_table_names())
        for table in DIRECTORY_TABLES:
            if table in existing:
                db.session.execute(text(f'DELETE FROM "{table}"'))
        db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture(scope="session")
def figures():
    """A list of lines a test measured; printed in the run's summary."""
    return FIGURES
