"""Finish the geocoding a failing provider left undone (`flask geocode-pending`)."""

from sqlalchemy import select

from .. import geocoding
from ..extensions import db
from ..models import Location, Revision, RevisionState
from . import audit


def _try(place) -> dict | None:
    """Return the new position fields for an address, or None while the providers fail."""
    address = geocoding.Address(place["street"], place["number"], place["postal_code"],
                                place["refnis"])
    position = geocoding.geocode(address)
    if position is not None and position.source != "commune-centroid":
        return {"lat": position.lat, "lon": position.lon, "geocode_source": position.source,
                "geocode_precision": position.precision, "geocode_pending": False}
    if geocoding.was_answered(address):  # the provider answered: it does not know the address
        return {"geocode_pending": False}
    return None


def geocode_pending() -> tuple[int, int]:
    """Geocode pending locations and pending revisions' addresses; return (done, waiting)."""
    done = waiting = 0
    for location in db.session.scalars(select(Location).where(Location.geocode_pending)).all():
        found = _try({"street": location.street, "number": location.number,
                      "postal_code": location.postal_code, "refnis": location.refnis})
        if found is None:
            waiting += 1
            continue
        for key, value in found.items():
            setattr(location, key, value)
        audit.record(None, "location.geocoded", location.service, after=found)
        done += 1
    revisions = db.session.scalars(select(Revision).where(
        Revision.state == RevisionState.pending)).all()
    for revision in revisions:
        place = (revision.fields or {}).get("location")
        if not place or not place.get("geocode_pending"):
            continue
        found = _try(place)
        if found is None:
            waiting += 1
            continue
        revision.fields = {**revision.fields, "location": {**place, **found}}
        audit.record(None, "revision.geocoded", revision, after=found)
        done += 1
    db.session.commit()
    return done, waiting
