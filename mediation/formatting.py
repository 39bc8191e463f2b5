"""Locale-aware formatting of what pages show: opening hours, distances, dates, addresses."""

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from babel import dates
from babel.dates import get_day_names
from flask_babel import force_locale, format_decimal, to_user_timezone
from flask_babel import gettext as _
from jinja2 import pass_eval_context
from markupsafe import Markup, escape

from .i18n import commune_name, current_language

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BELGIUM = ZoneInfo("Europe/Brussels")


def belgian_day(moment: datetime | None) -> date | None:
    """The day a stored moment (UTC) falls on in Belgium: pages, API and exports agree."""
    if not moment:
        return None
    if moment.tzinfo is None:  # SQLite gives back naive values: they were stored in UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(BELGIUM).date()


def opening_hours(hours: dict | None) -> list[tuple[str, str, list[str]]]:
    """Return (weekday code, weekday name, ["9:00–12:00", …]) for each day of the week."""
    names = get_day_names("wide", locale=current_language())
    rows = []
    for number, code in enumerate(WEEKDAYS):
        spans = [f"{clock(start)}–{clock(end)}" for start, end in (hours or {}).get(code, [])]
        rows.append((code, names[number].capitalize(), spans))
    return rows


def belgian_locale() -> str:
    """The reader's language as written in Belgium: 13:30 and 10 September 2026 in English too."""
    return f"{current_language()}_BE"


def clock(value: str) -> str:
    hour, minute = (int(part) for part in value.split(":"))
    return dates.format_time(time(hour, minute), "short", locale=belgian_locale())


def distance(km: float | None) -> str:
    if km is None:
        return ""
    if km < 1:
        return _("%(metres)s m", metres=format_decimal(round(km * 1000, -1), format="#,##0"))
    return _("%(km)s km", km=format_decimal(km, format="#,##0.0"))


def rough_distance(km: float) -> str:
    """Whole kilometres, at least one: for a service known only by its commune's point."""
    return _("%(km)s km", km=format_decimal(max(1, round(km)), format="#,##0"))


def file_size(size: int | None) -> str:
    """A file's size as people read it: "18 kB", "1.2 MB" (in the reader's digits)."""
    if size is None:
        return ""
    if size < 1_000_000:
        return _("%(size)s kB", size=format_decimal(max(1, round(size / 1000)), format="#,##0"))
    return _("%(size)s MB", size=format_decimal(size / 1_000_000, format="#,##0.0"))


def long_date(value: datetime | None) -> str:
    """The day of a moment, in Belgium's time zone (BABEL_DEFAULT_TIMEZONE)."""
    if not value:
        return ""
    return dates.format_date(to_user_timezone(value), "long", locale=belgian_locale())


def long_day(value) -> str:
    """A calendar day (a date, no time zone to convert) in the reader's words."""
    if not value:
        return ""
    return dates.format_date(value, "long", locale=belgian_locale())


def address_line(location, lang: str | None = None) -> str:
    """Return "Rue X 12 bte 3, 1030 Schaerbeek" in the reader's (or the given) language."""
    lang = lang or current_language()
    street = " ".join(p for p in (location.street, location.number) if p)
    if location.box:
        with force_locale(lang):
            street = _("%(street)s box %(box)s", street=street, box=location.box)
    town = f"{location.postal_code} {commune_name(location.commune, lang)}"
    return f"{street}, {town}" if street else town


def phone(number: str | None, national: bool = False) -> str:
    """Return an E.164 number as people read it: "+32 2 555 01 23", or with `national` as
    Belgians write a Belgian number at home: "02 555 01 23"."""
    if not number:
        return ""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, "BE")
    except phonenumbers.NumberParseException:
        return number
    kind = phonenumbers.PhoneNumberFormat
    at_home = national and parsed.country_code == 32
    return phonenumbers.format_number(parsed, kind.NATIONAL if at_home else kind.INTERNATIONAL)


def date_time(value: datetime | None) -> str:
    """A moment as a day and a time in Belgium: "3 December 2026, 10:42"."""
    if not value:
        return ""
    if value.tzinfo is None:  # SQLite gives back naive values: they were stored in UTC
        value = value.replace(tzinfo=timezone.utc)
    local = value.astimezone(BELGIUM)
    return _("%(date)s, %(time)s",
             date=dates.format_date(local.date(), "long", locale=belgian_locale()),
             time=dates.format_time(local.time(), "short", locale=belgian_locale()))


def time_of_day(value: datetime | None) -> str:
    """The time of a moment in Belgium: "10:42"."""
    if not value:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return dates.format_time(value.astimezone(BELGIUM).time(), "short", locale=belgian_locale())


def colon(label: str) -> str:
    """A label and its colon as the language writes them: "Historique :" in French."""
    return _("%(label)s:", label=label)


@pass_eval_context
def colon_filter(eval_context, label) -> str:
    """`{{ label | colon }}`: in an HTML page the label is escaped once, never twice."""
    if not eval_context.autoescape:
        return colon(label)
    return Markup(escape(_("%(label)s:"))) % {"label": label}
