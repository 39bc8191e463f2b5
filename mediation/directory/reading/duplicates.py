"""Likely duplicates: another service with a similar name or the same address that already
serves one of the same communes. A warning for editors and the importer, never a refusal."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz
from sqlalchemy import select

from ...extensions import db
from ...models import Service, ServiceArea, ServiceStatus
from ..fields import TEXT_LANGUAGES

SIMILAR_NAME = 88  # rapidfuzz token_sort_ratio, 0-100, of the names without their filler words
# Words every service name may carry: they make different services look alike.
FILLER_WORDS = frozenset("""
    de du des la le les l d et en a au aux pour van het der den voor stad gemeente ville
    commune city municipality of the and service services dienst dienste von und fur
""".split())


@lru_cache(maxsize=65_536)
def _name_key(name: str) -> str:
    from ...gazetteer import normalise

    return " ".join(w for w in normalise(name or "").split() if w not in FILLER_WORDS)


def _names(texts: dict) -> set[str]:
    return {key for key in (_name_key(texts.get(lang, "")) for lang in TEXT_LANGUAGES) if key}


def _address(place: dict | None) -> tuple[str, str, str] | None:
    """(street, number, postal code), normalised; None without a street."""
    from ...gazetteer import normalise

    if not place or not (place.get("street") or "").strip():
        return None
    return (normalise(place["street"]), (place.get("number") or "").strip().lower(),
            (place.get("postal_code") or "").strip())


def similar_names(ours: set[str], theirs: set[str]) -> bool:
    return any(fuzz.token_sort_ratio(a, b) >= SIMILAR_NAME for a in ours for b in theirs)


def likely_duplicates(fields: dict, exclude_id: int | None) -> list[Service]:
    """Return the published or pending services that serve one of the communes of `fields`
    (the dict of editing.fields_of) and have a similar name or the same address."""
    communes = list(fields.get("communes") or [])
    if not communes:
        return []
    query = select(Service).where(
        Service.status.in_((ServiceStatus.published, ServiceStatus.pending)),
        Service.id.in_(select(ServiceArea.service_id).where(ServiceArea.refnis.in_(communes))))
    if exclude_id is not None:
        query = query.where(Service.id != exclude_id)
    names = _names(fields["texts"]["name"])
    address = _address(fields.get("location"))
    found = []
    for other in db.session.scalars(query.order_by(Service.id)):
        place = other.locations[0] if other.locations else None
        theirs = _address({"street": place.street, "number": place.number,
                           "postal_code": place.postal_code} if place else None)
        if (address is not None and address == theirs) or similar_names(
                names, {k for k in (_name_key(getattr(other, f"name_{lang}"))
                                    for lang in TEXT_LANGUAGES) if k}):
            found.append(other)
    return found
