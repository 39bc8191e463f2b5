"""Configuration: defaults here, then MEDIATION_* environment variables, then instance/config.py."""

import json
import os

LANGUAGES = ("fr", "nl", "de", "en")


class Defaults:
    """Settings that hold for development; production overrides them through the environment."""

    ENV_NAME = "development"  # development | testing | production
    SECRET_KEY = "dev-only-not-secret"
    SQLALCHEMY_DATABASE_URI = None  # filled in create_app: SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
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
    ACCESSIBILITY_STATEMENT_DATE = "2026-11-29"  # ISO date of the last review of the statement
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_DEFAULT = "600 per minute"
    MAIL_BACKEND = "console"  # console | smtp
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "no-reply@mediation.example.org"
    MAIL_TIMEOUT = 10  # seconds: a mail server that does not answer never holds a page long
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
    """Refuse to run outside development and testing without a real secret key."""
    if config["ENV_NAME"] in ("development", "testing"):
        return
    key = config.get("SECRET_KEY") or ""
    if key == Defaults.SECRET_KEY or len(key) < 32:
        raise ConfigurationError(
            "MEDIATION_SECRET_KEY must be set to a random value of at least 32 characters "
            "outside development (python -c 'import secrets; print(secrets.token_hex(32))')."
        )
