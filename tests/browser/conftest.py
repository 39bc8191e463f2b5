"""Browser tests: the public pages in the system Chromium, driven by Playwright.

The app runs on 127.0.0.1 in a thread, on its own SQLite file, with the demo services. The
browser may reach nothing else: every other request is aborted and recorded, so a test can
check that the map's CDN was tried (and failed) and that nothing unexpected left the machine.
"""

import os
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from browser_helpers import CDN_HOST, DESKTOP, TILE_HOSTS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

HERE = os.path.dirname(os.path.abspath(__file__))


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not os.path.exists(CHROMIUM):
        return f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests need Playwright (pip install -e '.[test]')"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    for item in items:
        if str(item.path).startswith(HERE):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def _demo_app(path, url=None, **settings):
    """Create the app on a new SQLite file (or an empty database at `url`) with the communes and
    the demo services loaded."""
    from mediation import create_app

    app = create_app({
        "TESTING": True,
        "ENV_NAME": "testing",
        "SECRET_KEY": "browser-test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{path}",
        "RATELIMIT_ENABLED": False,
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024,  # fast test accounts
        "LEAFLET_ASSETS": "cdn",
        "SERVER_NAME": None,
        **settings,
    })
    with app.app_context():
        from flask_migrate import upgrade

        from mediation.directory.demo import seed_demo
        from mediation.gazetteer_loader import load_communes

        upgrade()
        load_communes()
        seed_demo()
    return app


def _dispose(app) -> None:
    from mediation.extensions import db

    with app.app_context():
        db.engine.dispose()


def _serve(app, name: str):
    """Serve the app on a free port of 127.0.0.1 in a thread; yield its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app with the communes and the 67 demo services, on a temporary SQLite file.

    Not named `app`: the top-level conftest empties the directory tables after every test
    that uses a fixture of that name.
    """
    app = _demo_app(tmp_path_factory.mktemp("browser-db") / "browser.sqlite")
    yield app
    _dispose(app)


@pytest.fixture(scope="session")
def live_url(live_app):
    """Serve the app on a free port of 127.0.0.1 for the whole session."""
    yield from _serve(live_app, "live-server")


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class Traffic:
    """What a page tried to fetch outside 127.0.0.1 (every such request is aborted)."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # uncaught exceptions in the page

    def hosts(self) -> set[str]:
        return {urlsplit(url).hostname or "" for url in self.blocked}

    def unexpected(self) -> list[str]:
        """Blocked requests other than the CDN and the map tiles."""
        return [url for url in self.blocked
                if (urlsplit(url).hostname or "") != CDN_HOST
                and not (urlsplit(url).hostname or "").endswith(TILE_HOSTS)]


def _guard(context, traffic: Traffic) -> None:
    """Let the browser reach 127.0.0.1 only; abort and record everything else."""

    def handle(route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            traffic.blocked.append(url)
            route.abort()

    context.route("**/*", handle)


@pytest.fixture
def traffic():
    return Traffic()


def _contexts(browser, base_url: str, traffic: Traffic):
    """Yield make(**options), opening guarded contexts on base_url; close them afterwards."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "en-GB")
        options.setdefault("service_workers", "block")
        context = browser.new_context(base_url=base_url, **options)
        context.set_default_timeout(10_000)
        _guard(context, traffic)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_context(browser, live_url, traffic):
    """Open guarded contexts: new_context(viewport=..., java_script_enabled=..., ...)."""
    yield from _contexts(browser, live_url, traffic)


def _watch(page, traffic: Traffic):
    page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    return page


@pytest.fixture
def new_page(new_context, traffic):
    """Open a page in a new guarded context: new_page(viewport=..., geolocation=..., ...)."""

    def make(**options):
        return _watch(new_context(**options).new_page(), traffic)

    return make


@pytest.fixture
def page(new_page):
    """A page at 1280×900 in a fresh guarded context."""
    return new_page()


@pytest.fixture
def wait_for_map():
    """Wait until the results map has its markers; return their number."""

    def wait(page, selector="#map"):
        # A selector, not wait_for_function: the pages' CSP forbids the eval it relies on.
        page.wait_for_selector(f"{selector}[data-markers]:not([data-markers='0'])",
                               state="attached", timeout=15_000)
        return int(page.get_attribute(selector, "data-markers"))

    return wait


# --- Staff pages: sign-in, the editors' forms, mail through a real local SMTP server ---------


@dataclass
class Inbox:
    """The messages a local SMTP server received, readable from the tests."""

    messages: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = None

    def __post_init__(self):
        self.arrived = threading.Condition(self.lock)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler
        from email import message_from_bytes
        from email.policy import default

        message = message_from_bytes(envelope.content, policy=default)
        with self.arrived:
            self.messages.append((list(envelope.rcpt_tos), message))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, recipient: str, subject_part: str = "", timeout: float = 30):
        """Return the first message to `recipient` (whose subject holds `subject_part`)."""

        def found():
            for recipients, message in self.messages:
                if recipient in recipients and subject_part in str(message["Subject"]):
                    return message
            return None

        with self.arrived:
            if not self.arrived.wait_for(found, timeout=timeout):
                from mediation import background

                received = [(r, str(m["Subject"])) for r, m in self.messages]
                worker = background._worker
                raise AssertionError(
                    f"no mail to {recipient} ({subject_part!r}) within {timeout} s; received: "
                    f"{received}; background work not done: {background._work.unfinished_tasks}"
                    f", its thread alive: {worker is not None and worker.is_alive()}")
            return found()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_inbox():
    """A real SMTP server on 127.0.0.1 (aiosmtpd) for the whole session; yields its inbox."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


def _psql(server_url: str, statement: str) -> None:
    """Run one statement with psql on the server of a PostgreSQL URL (its own database)."""
    import subprocess

    done = subprocess.run(["psql", "--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1",
                           "--dbname", server_url, "--command", statement],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.fail(f"psql could not run {statement!r}: {done.stderr.strip()}")


@pytest.fixture(scope="session")
def staff_database(tmp_path_factory):
    """The staff app's database URL: a SQLite file, or with MEDIATION_TEST_DATABASE_URL a
    PostgreSQL database of its own (that name + "_browser"), created here and dropped after."""
    server_url = os.environ.get("MEDIATION_TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path_factory.mktemp('staff-db') / 'staff.sqlite'}"
        return
    parts = urlsplit(server_url)
    name = f"{parts.path.lstrip('/') or 'mediation'}_browser"
    assert re.fullmatch(r"\w+", name), name
    _psql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(server_url, f'CREATE DATABASE "{name}"')
    url = parts._replace(scheme="postgresql+psycopg", path=f"/{name}").geturl()
    yield url
    _psql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def staff_app(staff_database, smtp_inbox):
    """The app as staff meet it: CSRF on, mail over SMTP to `smtp_inbox`, rate limits off.

    Its own database (communes and demo services), so the public tests' data stays as it is:
    a SQLite file, or PostgreSQL when MEDIATION_TEST_DATABASE_URL is set.
    """
    app = _demo_app(None, url=staff_database, WTF_CSRF_ENABLED=True, MAIL_BACKEND="smtp",
                    MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_inbox.port, MAIL_TIMEOUT=5)
    yield app
    _dispose(app)


@pytest.fixture(scope="session")
def staff_url(staff_app):
    """Serve the staff app on a free port; mailed links point at it."""
    for url in _serve(staff_app, "staff-server"):
        staff_app.config["PUBLIC_BASE_URL"] = url
        yield url


@pytest.fixture
def staff_context(browser, staff_url, traffic):
    """Open guarded contexts on the staff app: staff_context(viewport=..., locale=...)."""
    yield from _contexts(browser, staff_url, traffic)


@pytest.fixture
def staff_page(staff_context, traffic):
    """Open a page in a new guarded context on the staff app."""

    def make(**options):
        return _watch(staff_context(**options).new_page(), traffic)

    return make


@pytest.fixture(scope="session")
def staff_accounts(staff_app):
    """A national admin and an editor of Schaerbeek, created on the command line."""
    from browser_helpers import ADMIN, EDITOR, PASSWORD, SCHAERBEEK, cli

    for email, options in ((ADMIN, ["--role", "admin"]),
                           (EDITOR, ["--role", "editor", "--commune", SCHAERBEEK])):
        result = cli(staff_app, "create-user", email, *options, "--lang", "en",
                     input=f"{PASSWORD}\n{PASSWORD}\n")
        assert result.exit_code == 0, result.output
    return {"admin": ADMIN, "editor": EDITOR}
