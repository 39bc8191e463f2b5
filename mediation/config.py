"""Configuration: defaults here, then MEDIATION_* environment variables, then instance/config.py."""

import json
import os
from urllib.parse import urlsplit

LANGUAGES = ("fr", "nl", "de", "en")


class Defaults:
    """Settings that hold for development; production overrides them through the environment."""

    ENV_NAME = "development"  # development | testing | production
    SECRET_KEY = "dev-only-not-secret"
    SQLALCHEMY_DATABASE_URI = None  # filled in create_app: SQLite in instance/
    # Engine options are completed in database_options(): timeouts, and no typed text in logs.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # A database that does not answer makes pages say 503 within seconds instead of hanging.
    DATABASE_CONNECT_TIMEOUT = 3  # seconds to open a connection
    DATABASE_STATEMENT_TIMEOUT = 5  # seconds a statement may run (PostgreSQL)
    DATABASE_POOL_TIMEOUT = 5  # seconds to wait for a free connection of the pool
    RETRY_AFTER = 30  # seconds, said with every 503
    MAX_CONTENT_LENGTH = 64 * 1024  # bytes of a request body: a report is 2,000 characters
    TRUSTED_HOSTS = None  # in production, the host of PUBLIC_BASE_URL unless set
    # Reverse proxies in front that set X-Forwarded-For / -Proto / -Host (0: none trusted).
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    PUBLIC_MAX_AGE = 60  # seconds a shared cache may keep a public page or API answer
    LOG_FORMAT = "json"  # json: one line per request and per event (requestlog.py) | text
    # Four eyes: nobody approves a change they authored. A deployment with a single admin may
    # allow it; each such approval is audited as self-approved.
    ALLOW_SELF_APPROVAL = False
    REPORT_RETENTION_DAYS = 180  # error reports older than this are deleted (purge-reports)
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"  # for links in exports and e-mails
    GEOCODERS = "offline"
    NOMINATIM_USER_AGENT = "be-mediation-directory/0.1 (+https://mediation.example.org)"
    NOMINATIM_TIMEOUT = 5
    NOMINATIM_DOMAIN = None  # None: OpenStreetMap's; or a server of our own ("host:port")
    NOMINATIM_SCHEME = "https"
    LEAFLET_ASSETS = "cdn"  # cdn | local
    TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    TILE_ATTRIBUTION = (
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    )
    # Who publishes the directory: named in the footer and, as the controller of the personal
    # data it keeps, in the privacy statement. Each is one text, or one per language as JSON
    # ({"fr": "…", "nl": "…"}); the name is required for the others to be shown.
    PUBLISHER_NAME = None
    PUBLISHER_URL = None
    PUBLISHER_EMAIL = None  # for questions about personal data and accessibility
    PUBLISHER_ADDRESS = None
    # The licence of the open data (the exports, the API, the catalogue): CC0 unless set.
    OPEN_DATA_LICENSE = "http://creativecommons.org/publicdomain/zero/1.0/"
    ACCESSIBILITY_STATEMENT_DATE = "2026-11-29"  # ISO date of the last review of the statement
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_DEFAULT = "600 per minute"
    # Redis down: limits fall back to each worker's memory, said once in the log.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS: dict = {}
    MAIL_BACKEND = "console"  # console | smtp
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "no-reply@mediation.example.org"
    # argon2id costs of staff passwords (the library's defaults: 3 passes over 64 MiB).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536  # KiB
    MAIL_TIMEOUT = 10  # seconds the background sender waits for each answer of the mail server
    # Mail and the per-account work of resets and invitations run after the answer, in a
    # thread of each worker ("thread"); "inline" runs them in the request (the test suite).
    BACKGROUND_WORK = "thread"
    # Staff sessions end after this long without a request, and this long after signing in.
    STAFF_IDLE_MINUTES = 120
    STAFF_SESSION_HOURS = 12
    # Limits per person (on top of those per address): invitations an editor sends, and
    # invitations or reset links one address receives.
    INVITATIONS_PER_INVITER = "20 per day"
    SIGN_IN_PER_ADDRESS = "10 per minute; 60 per hour"  # whatever accounts it tries
    MAILS_PER_RECIPIENT = "3 per hour; 10 per day"
    # Gunicorn workers of one server: with Redis down, each keeps its own counts, so each
    # allows this share of a limit (set it to the number of workers).
    RATELIMIT_WORKERS = 1
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"  # dates shown are Belgian days
    LANGUAGES = LANGUAGES
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"


_UNSET = object()


def from_environment(prefix: str = "MEDIATION_") -> dict:
    """Return the settings given as environment variables, JSON-decoded where they parse."""
    found = {}
    for name, raw in os.environ.items():
        if not name.startswith(prefix) or name.startswith(prefix + "TEST_"):
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        found[name[len(prefix):]] = value
    return found


class ConfigurationError(RuntimeError):
    """Raised when the application would start with an unsafe or incomplete configuration."""


def check(config) -> None:
    """Refuse to run outside development and testing without a real secret key and address."""
    if config["ENV_NAME"] in ("development", "testing"):
        return
    key = config.get("SECRET_KEY") or ""
    if key == Defaults.SECRET_KEY or len(key) < 32:
        raise ConfigurationError(
            "MEDIATION_SECRET_KEY must be set to a random value of at least 32 characters "
            "outside development (python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if config.get("PUBLIC_BASE_URL") in (None, "", Defaults.PUBLIC_BASE_URL):
        raise ConfigurationError(
            "MEDIATION_PUBLIC_BASE_URL must be set outside development to the address citizens "
            "use, e.g. https://mediation.belgium.be: only its host is answered."
        )


def complete(config) -> None:
    """Fill in what follows from other settings: production safety, database and Redis options."""
    if config["ENV_NAME"] == "production":
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
        config["PREFERRED_URL_SCHEME"] = "https"
        if not config.get("TRUSTED_HOSTS"):
            config["TRUSTED_HOSTS"] = [urlsplit(config["PUBLIC_BASE_URL"]).hostname]
    config["SQLALCHEMY_ENGINE_OPTIONS"] = database_options(config)
    if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith(("redis", "rediss")):
        options = {"socket_connect_timeout": 1, "socket_timeout": 1}
        config["RATELIMIT_STORAGE_OPTIONS"] = {**options, **config["RATELIMIT_STORAGE_OPTIONS"]}


def database_options(config) -> dict:
    """Return the engine options: timeouts everywhere, and parameters kept out of error logs."""
    options = {**config["SQLALCHEMY_ENGINE_OPTIONS"], "hide_parameters": True}
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        statement_ms = int(config["DATABASE_STATEMENT_TIMEOUT"] * 1000)
        options.setdefault("pool_timeout", config["DATABASE_POOL_TIMEOUT"])
        options.setdefault("connect_args", {
            "connect_timeout": config["DATABASE_CONNECT_TIMEOUT"],
            "options": f"-c statement_timeout={statement_ms}",
            # A server gone silent (a network partition) drops the connection in seconds.
            "tcp_user_timeout": statement_ms,
            "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
            "keepalives_count": 2,
        })
    return options
