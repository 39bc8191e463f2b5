"""What the site says about itself: who publishes it, which third parties a page contacts, and
whether demonstration services are listed. Everything is read from the configuration or the
database, so that the statements stay true when a deployment changes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from sqlalchemy import exists, select
from sqlalchemy.exc import SQLAlchemyError

from .i18n import current_language

CDN_HOST = "unpkg.com"


@dataclass(frozen=True)
class Publisher:
    """The body that publishes the directory: the controller of the personal data it keeps."""

    name: str
    url: str
    email: str
    address: str


def _in_language(value, lang: str) -> str:
    """A setting given as one text or per language ({"fr": …, "nl": …}): the reader's text."""
    if isinstance(value, dict):
        for code in (lang, "fr", "nl", "de", "en"):
            if value.get(code):
                return str(value[code])
        return ""
    return str(value or "")


def publisher(config, lang: str | None = None) -> Publisher | None:
    """The configured publisher in the reader's language, or None while none is configured."""
    lang = lang or current_language()
    found = Publisher(*(_in_language(config.get(f"PUBLISHER_{key}"), lang).strip()
                        for key in ("NAME", "URL", "EMAIL", "ADDRESS")))
    return found if found.name else None


@dataclass(frozen=True)
class ThirdParty:
    """A server outside the site that a public page makes the visitor's browser contact."""

    host: str
    role: str  # "cdn" (the map's code) or "tiles" (the background map)


def third_parties(config) -> list[ThirdParty]:
    """The outside servers the public pages contact, as configured (LEAFLET_ASSETS, TILE_URL)."""
    found = []
    if config.get("LEAFLET_ASSETS") == "cdn":
        found.append(ThirdParty(CDN_HOST, "cdn"))
    tiles = urlsplit((config.get("TILE_URL") or "").replace("{s}.", "")).hostname
    if tiles:
        found.append(ThirdParty(tiles, "tiles"))
    return found


def statement_date(config) -> date | None:
    """The day the accessibility statement was prepared (ACCESSIBILITY_STATEMENT_DATE)."""
    try:
        return date.fromisoformat(str(config.get("ACCESSIBILITY_STATEMENT_DATE") or ""))
    except ValueError:
        return None


def demo_listed() -> bool:
    """Are demonstration services published? Then every page says so."""
    from .extensions import db
    from .models import Service, ServiceStatus

    try:
        return bool(db.session.scalar(select(exists().where(
            Service.is_demo, Service.status == ServiceStatus.published))))
    except SQLAlchemyError:  # an error page while the database is down must still render
        db.session.rollback()
        return False
