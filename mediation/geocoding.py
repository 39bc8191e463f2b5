"""Turn a service's address into coordinates (DESIGN §7).

Providers form a chain from configuration (`GEOCODERS = "nominatim,offline"`); the offline one,
the commune's representative point from the gazetteer, always ends it, so saving a service never
fails because a geocoder is down. Only this module talks to an outside service, and never while a
page is being rendered.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Protocol

from flask import current_app

from .extensions import db
from .gazetteer import normalise
from .models import Commune, GeocodeCache


@dataclass(frozen=True)
class Address:
    street: str
    number: str
    postal_code: str
    refnis: str

    def query(self) -> str:
        commune = db.session.get(Commune, self.refnis)
        town = commune.name_fr if commune else ""
        return f"{self.street} {self.number}, {self.postal_code} {town}, Belgium".strip()


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float
    source: str  # nominatim | commune-centroid
    precision: str  # address | street | postal-code | commune


class Geocoder(Protocol):
    name: str

    def geocode(self, address: Address) -> Position | None: ...


class OfflineGeocoder:
    """The commune's representative point: always available, precision 'commune'."""

    name = "offline"

    def geocode(self, address: Address) -> Position | None:
        commune = db.session.get(Commune, address.refnis)
        if commune is None:
            return None
        return Position(commune.lat, commune.lon, "commune-centroid", "commune")


class NominatimGeocoder:
    """OpenStreetMap's Nominatim through geopy: one request a second, cached for good."""

    name = "nominatim"
    _lock = threading.Lock()
    _last_call = 0.0

    def __init__(self, user_agent: str, timeout: float, domain: str | None = None,
                 scheme: str = "https"):
        from geopy.geocoders import Nominatim

        options = {"user_agent": user_agent, "timeout": timeout, "scheme": scheme}
        if domain:
            options["domain"] = domain
        self.client = Nominatim(**options)

    def geocode(self, address: Address) -> Position | None:
        from geopy.exc import GeopyError

        query = normalise(address.query())
        cached = db.session.scalar(
            db.select(GeocodeCache).filter_by(provider=self.name, query=query)
        )
        if cached is not None:
            return self._position(cached)
        try:
            with self._lock:  # Nominatim's usage policy: at most one request per second
                wait = 1.0 - (time.monotonic() - NominatimGeocoder._last_call)
                if wait > 0:
                    time.sleep(wait)
                NominatimGeocoder._last_call = time.monotonic()
                found = self.client.geocode(address.query(), country_codes="be")
        except (GeopyError, OSError) as error:
            current_app.logger.warning("Nominatim failed for %r: %s", query, error)
            return None  # not cached: a later run may succeed
        entry = GeocodeCache(provider=self.name, query=query)
        if found is not None:
            entry.lat, entry.lon = found.latitude, found.longitude
            entry.precision = "address" if address.number else "street"
        db.session.add(entry)
        return self._position(entry)

    def _position(self, entry: GeocodeCache) -> Position | None:
        if entry.lat is None:
            return None
        return Position(entry.lat, entry.lon, self.name, entry.precision or "address")


def chain_from_config() -> list[Geocoder]:
    """Return the configured providers, always ending with the offline one."""
    names = [n.strip() for n in str(current_app.config["GEOCODERS"]).split(",") if n.strip()]
    chain: list[Geocoder] = []
    for name in names:
        if name == "nominatim":
            chain.append(NominatimGeocoder(
                current_app.config["NOMINATIM_USER_AGENT"],
                current_app.config["NOMINATIM_TIMEOUT"],
                current_app.config.get("NOMINATIM_DOMAIN"),
                current_app.config.get("NOMINATIM_SCHEME", "https"),
            ))
        elif name != "offline":
            raise ValueError(f"Unknown geocoder {name!r} in GEOCODERS")
    chain.append(OfflineGeocoder())
    return chain


def geocode(address: Address, chain: list[Geocoder] | None = None) -> Position | None:
    """Return the first position any provider of the chain finds for the address."""
    for provider in chain or chain_from_config():
        position = provider.geocode(address)
        if position is not None:
            return position
    return None


def was_answered(address: Address) -> bool:
    """True when a network provider has answered for this address (found or not found):
    its answer is cached. False after a failure (down, timeout): worth trying again."""
    query = normalise(address.query())
    return db.session.scalar(
        db.select(GeocodeCache.id).where(GeocodeCache.query == query).limit(1)) is not None
