"""Field-by-field differences between two versions of a service (for review and history)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ...labels import SERVICE_TEXTS
from ...wording import field_text, move_text
from ..fields import TEXT_FIELDS, TEXT_LANGUAGES
from ..reading.search import distance_km

LABELS = {
    "organization_id": _l("Organisation running the service"),
    **SERVICE_TEXTS,
    "types": _l("Kinds of mediation"),
    "communes": _l("Communes covered"),
    "languages": _l("Languages spoken"),
    "update_interval_months": _l("Check this entry every"),
    "email": _l("E-mail"), "phone": _l("Phone"), "website": _l("Website"),
    "contact_name": _l("Contact person"), "contact_email": _l("Contact person's e-mail"),
    "contact_phone": _l("Contact person's phone"),
    "free_of_charge": _l("Free of charge"),
    "handles_sac_minors": _l("Mediation for minors (SAC/GAS)"),
    "address": _l("Address"), "position": _l("Position on the map"),
    "opening_hours": _l("Opening hours"), "by_appointment": _l("By appointment only"),
    "wheelchair_access": _l("Wheelchair access"), "note": _l("Notes on the hours"),
}


@dataclass
class Change:
    key: str  # "name", "communes", …
    lang: str | None = None  # for texts: the language changed
    before: object = None
    after: object = None
    added: list = field(default_factory=list)  # for lists: what came in
    removed: list = field(default_factory=list)  # and what went
    metres: float | None = None  # for the position: how far the pin moved

    @property
    def label(self):
        return LABELS.get(self.key, self.key)

    @property
    def before_text(self) -> str:
        return field_text(self.key, self.before)

    @property
    def after_text(self) -> str:
        return field_text(self.key, self.after)

    @property
    def added_text(self) -> list[str]:
        return [field_text(self.key, [x]) for x in self.added]

    @property
    def removed_text(self) -> list[str]:
        return [field_text(self.key, [x]) for x in self.removed]

    @property
    def move_text(self) -> str:
        return move_text(self.before, self.after, self.metres) if self.key == "position" else ""


def _list_change(key, before, after) -> Change | None:
    before, after = list(before or []), list(after or [])
    added = [x for x in after if x not in before]
    removed = [x for x in before if x not in after]
    if added or removed:
        return Change(key, before=before, after=after, added=added, removed=removed)
    return None


def diff(before: dict | None, after: dict) -> list[Change]:
    """Return what changed from `before` (None: a new service, everything is new) to `after`."""
    before = before or {"texts": {}, "location": None}
    changes: list[Change] = []
    for name in TEXT_FIELDS:
        for lang in TEXT_LANGUAGES:
            old = (before.get("texts", {}).get(name) or {}).get(lang, "")
            new = (after.get("texts", {}).get(name) or {}).get(lang, "")
            if old != new:
                changes.append(Change(name, lang=lang, before=old, after=new))
    for key in ("types", "communes", "languages"):
        found = _list_change(key, before.get(key), after.get(key))
        if found:
            changes.append(found)
    for key in ("organization_id", "update_interval_months", "email", "phone", "website",
                "contact_name", "contact_email", "contact_phone", "free_of_charge",
                "handles_sac_minors"):
        if before.get(key) != after.get(key) and not (not before.get(key) and not after.get(key)):
            changes.append(Change(key, before=before.get(key), after=after.get(key)))
    changes += _location_changes(before.get("location") or {}, after.get("location") or {})
    return changes


def _location_changes(old: dict, new: dict) -> list[Change]:
    changes = []
    address = ("street", "number", "box", "postal_code", "refnis")
    if any(old.get(k) != new.get(k) for k in address):
        changes.append(Change("address", before={k: old.get(k) for k in address},
                              after={k: new.get(k) for k in address}))
    if (old.get("lat"), old.get("lon")) != (new.get("lat"), new.get("lon")):
        metres = None
        if None not in (old.get("lat"), old.get("lon"), new.get("lat"), new.get("lon")):
            metres = round(distance_km(old["lat"], old["lon"], new["lat"], new["lon"]) * 1000)
        changes.append(Change("position", before=(old.get("lat"), old.get("lon")),
                              after=(new.get("lat"), new.get("lon")), metres=metres))
    for key in ("opening_hours", "by_appointment", "wheelchair_access"):
        if old.get(key) != new.get(key) and not (not old.get(key) and not new.get(key)):
            changes.append(Change(key, before=old.get(key), after=new.get(key)))
    for lang in TEXT_LANGUAGES:
        before_note = (old.get("note") or {}).get(lang, "")
        after_note = (new.get("note") or {}).get(lang, "")
        if before_note != after_note:
            changes.append(Change("note", lang=lang, before=before_note, after=after_note))
    return changes
