"""Fixtures: the app on SQLite, and on PostgreSQL too when MEDIATION_TEST_DATABASE_URL is set.

The reference data (565 communes, postal codes, place names) is loaded once per database; each
test leaves the directory tables as it found them.
"""

import os

import pytest
from sqlalchemy import inspect, text

from mediation import create_app
from mediation.extensions import db
from support import CHEAP_PASSWORD_HASHES, COMMUNE_A, PASSWORD, SmtpSink, service_fields  # noqa: F401


PG_URL = os.environ.get("MEDIATION_TEST_DATABASE_URL")
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])

# Figures a test measured, printed at the end of the run (the locality hit rate, …).
FIGURES: list[str] = []

# Tables written by tests, emptied after each one, children first.
DIRECTORY_TABLES = [
    "outbox_message", "access_request", "audit_event", "kind_text", "user_region", "user_province", "error_report", "revision", "user_commune", "user_organization", "user",
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
        "BACKGROUND_WORK": "inline",  # tests/test_background.py runs it in the thread
        **CHEAP_PASSWORD_HASHES,
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
def _rate_limits_off():
    """Every app shares one limiter, whose switch the last app created sets: a test that made
    an app with rate limits on must not leave them on for the tests after it."""
    from mediation.extensions import limiter

    limiter.enabled = False
    yield


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
        # The communes are reference data, kept; the contacts admins give them are not.
        db.session.execute(text("UPDATE commune SET phone = NULL, email = NULL, website = NULL"
                                " WHERE phone IS NOT NULL OR email IS NOT NULL"
                                " OR website IS NOT NULL"))
        db.session.commit()


@pytest.fixture
def demo(app):
    """Seed the 67 demonstration services; return {demo key: service id}."""
    from mediation.directory.demo import seed_demo
    from mediation.models import Service

    with app.app_context():
        seed_demo()
        return {key: service_id for key, service_id in db.session.execute(
            db.select(Service.external_key, Service.id))}


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


# --- Staff accounts, services and mail (issue 8) -------------------------------------------

@pytest.fixture
def smtp(app, monkeypatch):
    """A local SMTP server the app sends its mail to; `.messages` holds what arrived."""
    sink = SmtpSink()
    sink.controller.start()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", sink.port)
    yield sink
    sink.controller.stop()


@pytest.fixture
def make_user(app):
    """Create an account: make_user("a@x.be", communes=["21015"], role="editor") -> its id."""

    def make(email="editor@schaerbeek.be", role="editor", communes=(COMMUNE_A,),
             password=PASSWORD, lang="fr", active=True, name="") -> int:
        from mediation import accounts

        with app.app_context():
            user = accounts.build_user(email, role, refnis=list(communes) if role == "editor" else [],
                                       name=name, lang=lang)
            if password:
                accounts.set_password(user, password)
            user.active = active
            db.session.commit()
            return user.id

    return make


@pytest.fixture
def make_service(app):
    """Create a service of a commune's administration: make_service("21015", "published")."""

    def make(refnis=COMMUNE_A, status="published", **changes) -> int:
        from mediation.directory.fields import apply_fields
        from mediation.models import Commune, Organization, OrganizationKind, Service, ServiceStatus
        from mediation.models.reference import utcnow

        with app.app_context():
            key = f"commune:{refnis}"
            organization = db.session.scalar(db.select(Organization).filter_by(external_key=key))
            if organization is None:
                name = db.session.get(Commune, refnis).name_fr
                organization = Organization(external_key=key, refnis=refnis,
                                            kind=OrganizationKind.commune,
                                            name_fr=f"Commune de {name}", name_nl=f"Gemeente {name}")
                db.session.add(organization)
                db.session.flush()
            service = Service(status=ServiceStatus(status))
            with db.session.no_autoflush:
                apply_fields(service, service_fields(refnis, organization.id, **changes))
            if status == "published":
                service.last_verified_at = utcnow()
            db.session.add(service)
            db.session.commit()
            return service.id

    return make


class AuthActions:
    """Sign in and out through the real pages."""

    def __init__(self, client, make_user):
        self.client = client
        self.make_user = make_user

    def login(self, email="editor@schaerbeek.be", password=PASSWORD, lang="fr"):
        return self.client.post(f"/{lang}/account/login",
                                data={"email": email, "password": password})

    def logout(self, lang="fr"):
        return self.client.post(f"/{lang}/account/logout")

    def as_editor(self, refnis=COMMUNE_A, email=None):
        """Create an editor of a commune and sign in as them; return the account id."""
        email = email or f"editor-{refnis}@example.be"
        user_id = self.make_user(email, communes=[refnis])
        assert self.login(email).status_code == 302
        return user_id

    def as_admin(self, email="admin@example.be"):
        user_id = self.make_user(email, role="admin")
        assert self.login(email).status_code == 302
        return user_id


@pytest.fixture
def auth(client, make_user):
    return AuthActions(client, make_user)
