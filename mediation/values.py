"""Values as people type them, read into what the directory stores: phone numbers, opening
hours, communes. Shared by the forms and the import; neither imports the other.
"""

import re

import phonenumbers

from . import gazetteer
from .extensions import db
from .models import Commune

# Invisible characters refused in any text (line breaks and tabs are fine).
CONTROL_CHARACTERS = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {
    chr(c) for c in range(127, 160)}

HOURS = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)\s*[-–]\s*([01]?\d|2[0-3])[:.h]([0-5]\d)$")


def parse_hours(text: str) -> list[list[str]]:
    """Read "9:00-12:00, 13:30-17:00" into [["09:00", "12:00"], ["13:30", "17:00"]]."""
    spans = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;/]|\s+et\s+|\s+en\s+|\s+und\s+|\s+and\s+", text or ""))):
        found = HOURS.match(part)
        if not found:
            raise ValueError(part)
        h1, m1, h2, m2 = found.groups()
        start, end = f"{int(h1):02d}:{m1}", f"{int(h2):02d}:{m2}"
        if start >= end:
            raise ValueError(part)
        spans.append([start, end])
    spans.sort()
    if any(spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)):
        raise ValueError("overlap")
    return spans


def hours_text(spans: list[list[str]]) -> str:
    return ", ".join(f"{start}-{end}" for start, end in spans or [])


def e164(text: str) -> str | None:
    """Return a phone number as E.164 (Belgian by default), or None when it is not valid."""
    try:
        number = phonenumbers.parse(text, "BE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def resolve_commune(text: str) -> tuple[Commune | None, list[Commune]]:
    """Return (the commune a typed text means, or None with the candidates to choose from)."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) == 5:
        found = db.session.get(Commune, text)
        if found is not None and found.active:
            return found, []
    understood = gazetteer.understand(text) if text else None
    if understood is None or not understood.asked:
        return None, []
    if understood.chosen is not None:
        return db.session.get(Commune, understood.chosen.refnis), []
    candidates = [db.session.get(Commune, m.refnis) for m in understood.choices]
    return None, [c for c in candidates if c is not None]
