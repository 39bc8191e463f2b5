"""Understanding one imported row: its cells read and checked with the editors' rules.

`RowReader.read` turns a row's cells into a service's fields (`fields.fields_of` shape) or the
reasons it is refused, against the `lookups` loaded once for the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from ...values import has_control_characters
from .files import cell_text
from ...formatting import WEEKDAYS
from ...formatting import phone as phone_text
from ...i18n import commune_name
from ...labels import SERVICE_TYPES, SPOKEN_LANGUAGES, language_name
from ...values import (
    e164,
    kind_of,
    parse_hours,
    parse_interval,
    phone_with_remark,
    split_list,
    website_url,
)
from ...models import (
    Commune,
    OrganizationKind,
    Service,
    ServiceStatus,
)
from .columns import (
    ORGANIZATION_KEY_PREFIX,
    SERVICE_KEY_PREFIX,
    TEXT_COLUMNS,
    coordinate_text,
)
from ..fields import TEXT_FIELDS, TEXT_LANGUAGES, UPDATE_INTERVALS
from .exporting import FORMULA_STARTS
from .lookups import (
    MOST_PER_COMMUNE_AND_KIND,
    Lookups,
    NewOrganization,
    address_of,
    kbo_text,
    name_keys,
    organization_key_of,
    organization_kind_of,
)

TRUE = {"true", "yes", "y", "1", "x", "oui", "vrai", "ja", "waar", "wahr"}
FALSE = {"false", "no", "n", "0", "non", "faux", "nee", "onwaar", "nein", "falsch"}
DATE_COLUMNS = {"last_verified_at", "source_date"}
TIME_COLUMNS = {f"hours_{day}" for day in WEEKDAYS}
ADDRESS_COLUMNS = ("street", "number", "box", "postal_code", "commune")
TEXT_LIMIT, NAME_LIMIT = 4000, 200
EXCEL_EPOCH = date(1899, 12, 30)
# An address every mail system accepts: ASCII, a dot-atom local part, labels of letters and
# digits (hyphens inside), a top-level domain of letters.
PLAIN_EMAIL = re.compile(r"^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@"
                         r"([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$")
LIST_SPLIT = re.compile(r"\s*[|;,]\s*")


@dataclass
class Checked:
    external_id: str = ""
    name: str = ""
    reasons: list[str] = field(default_factory=list)
    service: Service | None = None
    fields: dict | None = None
    extra: dict | None = None
    warnings: list[str] = field(default_factory=list)
    before: dict | None = None  # the matched service's fields as they are


class RowReader:
    """Reads rows of one file: the columns it has, the identifiers already seen."""

    def __init__(self, lookups: Lookups, columns: set[str], labels: dict | None = None):
        self.lookups = lookups
        self.columns = columns
        self.labels = labels or {}
        self.seen: dict[str, int] = {}
        self.matched: dict[int, int] = {}  # service id -> the row that matched it first

    def read(self, number: int, cells: dict) -> Checked:
        row = _Row(self, cells)
        checked = Checked(external_id=row.text("external_id"))
        key = checked.external_id
        if key in self.seen:
            row.refuse(_("The identifier %(id)s appears more than once in the file (first on "
                         "row %(row)d).", id=key, row=self.seen[key]))
        elif key:
            self.seen[key] = number
        service = self.lookups.service(key) if key else None
        if service is not None and self.lookups.scope is not None \
                and service.id not in self.lookups.scope:
            row.refuse(_("This identifier belongs to a service outside your territory."))
            return _refused(checked, row)
        row.is_demo = bool(row.flag("is_demo", service.is_demo if service else False))
        fields = row.fields(service)
        extra = row.extra(service, fields)
        if not key and not row.reasons:
            # No identifier: the same organisation or commune, kind and name is the same service.
            service = self.lookups.match(fields, extra["organization"])
            if service is not None:
                if self.lookups.scope is not None and service.id not in self.lookups.scope:
                    row.refuse(_("This identifier belongs to a service outside your territory."))
                    return _refused(checked, row)
                if service.id in self.matched:
                    row.refuse(_("This row describes the same service as row %(row)d.",
                                 row=self.matched[service.id]))
                    return _refused(checked, row)
                self.matched[service.id] = number
                row = _Row(self, cells)
                row.is_demo = bool(row.flag("is_demo", service.is_demo))
                fields = row.fields(service)
                extra = row.extra(service, fields)
            key = f"{SERVICE_KEY_PREFIX}{service.id}" if service else f"row-{number}"
        checked.name = next((n for n in fields["texts"]["name"].values() if n), "")
        if not row.reasons:
            row.check_complete(fields, extra, service)
        if not row.reasons:
            row.check_duplicates(key, service, fields)
        if row.reasons:
            return _refused(checked, row)
        self.lookups.index(key, fields["texts"]["name"], set(fields["types"]),
                           address_of(fields["location"]) if fields["location"] else None,
                           fields["communes"], getattr(row, "name_keys", None), from_file=True)
        checked.service, checked.fields, checked.extra = service, fields, extra
        checked.before = row.base if service is not None else None
        checked.warnings = list(dict.fromkeys(row.warnings))
        return checked


def _refused(checked: Checked, row: "_Row") -> Checked:
    checked.reasons = list(dict.fromkeys(row.reasons))
    return checked


class _Row:
    """The cells of one row and the reasons found so far."""

    def __init__(self, reader: RowReader, cells: dict):
        self.reader = reader
        self.lookups = reader.lookups
        self.cells = cells
        self.reasons: list[str] = []
        self.warnings: list[str] = []
        self.is_demo = False
        self.first_commune: str | None = None  # the first commune written, for the address
        self.coverage_notes: list[str] = []
        self.status_given = False
        self._texts: dict[tuple, str] = {}
        self.base: dict | None = None  # the service's fields before the row

    def label(self, column: str) -> str:
        """The column as the file names it."""
        return self.reader.labels.get(column) or column

    def warn(self, warning: str) -> None:
        self.warnings.append(warning)

    def language(self, communes: list[str]) -> str:
        """The language a text of a column without one is taken to be in."""
        needed = self.lookups.languages(communes)
        return next((lang for lang in ("fr", "nl", "de") if lang in needed), "fr")

    def refuse(self, reason: str) -> None:
        self.reasons.append(reason)

    def has(self, column: str) -> bool:
        return column in self.reader.columns

    def text(self, column: str, limit: int = TEXT_LIMIT) -> str:
        key = (column, limit)
        if key not in self._texts:  # read once: a column is asked for several times
            self._texts[key] = self._text(column, limit)
        return self._texts[key]

    def _text(self, column: str, limit: int) -> str:
        value = self.cells.get(column)
        if value is None or value == "":
            return ""
        if isinstance(value, (datetime, date, time)) and column not in DATE_COLUMNS | TIME_COLUMNS:
            self.refuse(_("The column %(column)s holds a date: the spreadsheet may have changed "
                          "the cell. Please format the column as text.", column=column))
            return ""
        text = cell_text(value)
        if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
            text = text[1:]  # the quote our exports put before a formula-like text
        if len(text) > limit:
            self.refuse(_("%(column)s is too long (at most %(max)d characters).",
                          column=column, max=limit))
            return text[:limit]
        if has_control_characters(text):
            self.refuse(_("%(column)s contains invisible control characters.", column=column))
        return text.replace("\r\n", "\n") if "\r" in text else text

    def flag(self, column: str, default: bool | None) -> bool | None:
        text = self.text(column).lower()
        if not text:
            return default
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        self.refuse(_("%(column)s: please write true or false, not “%(value)s”.",
                      column=column, value=text))
        return default

    def items(self, column: str) -> list[str]:
        return [item for item in LIST_SPLIT.split(self.text(column)) if item]

    # --- the service's fields -------------------------------------------------------------

    def fields(self, service: Service | None) -> dict:
        base = self.base = fields_of_or_blank(service)  # left as it is: what the row changes
        fields = {**base, "texts": {name: dict(values) for name, values in base["texts"].items()}}
        if self.has("types"):
            fields["types"] = self.types()
        if self.has("communes"):
            fields["communes"] = self.communes()
        for column in TEXT_COLUMNS:
            if self.has(column):
                name, lang = column.rsplit("_", 1)
                fields["texts"][name][lang] = self.text(
                    column, NAME_LIMIT if name == "name" else TEXT_LIMIT)
        lang = self.language(fields["communes"])
        for name in ("name", "description"):
            if self.has(name) and self.text(name) and not self.text(f"{name}_{lang}"):
                fields["texts"][name][lang] = self.text(
                    name, NAME_LIMIT if name == "name" else TEXT_LIMIT)
        if self.has("languages"):
            fields["languages"] = self.languages()
        if self.has("phone"):
            fields["phone"] = self.phone()
        if self.has("email"):
            fields["email"] = self.email()
        if self.has("website"):
            fields["website"] = self.website()
        for flag, default in (("handles_sac_minors", False), ("free_of_charge", True)):
            if self.has(flag):
                fields[flag] = self.flag(flag, default)
        if self.has("update_interval_months"):
            fields["update_interval_months"] = self.interval(base["update_interval_months"])
        fields["location"] = self.location(base["location"], fields["communes"])
        return fields

    def types(self) -> list[str]:
        codes = []
        for text, _note in split_list(self.text("types")):
            code = text.lower() if text.lower() in self.lookups.types else kind_of(text)
            if code is None or code not in self.lookups.types:
                self.refuse(_("%(column)s: unknown kind of mediation “%(value)s”. Please write "
                              "neighbourhood, community, sac, school or other (or “médiation de "
                              "quartier”, “buurtbemiddeling”, “GAS-bemiddeling”…).",
                              column=self.label("types"), value=text))
            else:
                codes.append(code)
        known = list(dict.fromkeys(codes))
        return sorted(known, key=self.lookups.types.__getitem__)

    def communes(self) -> list[str]:
        found = []
        for text, note in split_list(self.text("communes")):
            group = self.lookups.group(text)
            if group:
                found.extend(r for r in group if self.lookups.in_territory(r))
                continue
            commune = self.commune(text)
            if commune is not None:
                found.append(commune.refnis)
                if note:
                    self.coverage_notes.append(f"{commune_name(commune)}: {note}")
                    self.warn(_("%(column)s: “%(note)s” was kept as the coverage note of "
                                "%(commune)s; please check it.", column=self.label("communes"),
                                note=note, commune=commune_name(commune)))
        self.first_commune = found[0] if found else None
        return sorted(set(found))

    def commune(self, text: str) -> Commune | None:
        commune, candidates = self.lookups.commune(text)
        code = self.text("postal_code", 20) if self.has("postal_code") else ""
        chosen = [c for c in candidates if (code, c.refnis) in self.lookups.postal_codes]
        if commune is None and len(chosen) == 1:
            commune = chosen[0]  # "Molenbeek" with 1080 beside it
        elif commune is None and candidates:
            self.refuse(_("“%(name)s” may mean several communes: %(names)s. Please write its "
                          "REFNIS code.", name=text,
                          names=", ".join(commune_name(c) for c in candidates[:6])))
        elif commune is None:
            self.refuse(_("Unknown commune: %(name)s. Please write the name, a postal code or the "
                          "REFNIS code of each commune, or a province or an arrondissement, "
                          "separated by commas.", name=text))
        elif not self.lookups.in_territory(commune.refnis):
            self.refuse(_("%(commune)s is outside your territory.", commune=commune_name(commune)))
        return commune

    def languages(self) -> list[str]:
        codes = [code.lower() for code in self.items("languages")]
        for code in codes:
            if code not in SPOKEN_LANGUAGES:
                self.refuse(_("Unknown language code: %(value)s.", value=code))
        return [code for code in dict.fromkeys(codes) if code in SPOKEN_LANGUAGES]

    def phone(self) -> str:
        raw = self.cells.get("phone")
        text = self.text("phone", 200)
        if not text:
            return ""
        number, remark = phone_with_remark(text)
        candidates = [text]
        if isinstance(raw, (int, float)):  # a spreadsheet dropped the + or the leading 0
            candidates += [f"+{text}", f"0{text}"]
        for candidate in candidates:
            number = number or e164(candidate) or (self.is_demo and unassigned(candidate))
            if number:
                if remark:
                    self.phone_remark = remark
                    self.warn(_("%(column)s: the remark “%(remark)s” was kept in how to ask "
                                "for mediation; please check it.", column=self.label("phone"),
                                remark=remark))
                return number
        self.refuse(_("%(column)s: “%(value)s” is not a Belgian phone number. Please write it "
                      "as 02 555 01 23 or +32 2 555 01 23.", column=self.label("phone"),
                      value=text))
        return ""

    def email(self) -> str:
        text = self.text("email", 254)
        if not text:
            return ""
        if PLAIN_EMAIL.match(text) and len(text.partition("@")[0]) <= 64:
            return text  # the common case, which the full check would accept: faster
        try:
            validate_email(text, check_deliverability=False)
        except EmailNotValidError:
            self.refuse(_("Invalid e-mail address: %(value)s.", value=text))
        return text

    def website(self) -> str:
        text = self.text("website", 500)
        if text.lower().startswith("http://"):
            text = "https://" + text[len("http://"):]
            self.warn(_("%(column)s: the address was written with https:// (secure); please "
                        "check that it opens.", column=self.label("website")))
        try:
            return website_url(text)
        except ValueError:
            self.refuse(_("Invalid web address: %(value)s. Please write it starting with "
                          "https://", value=text))
            return text

    def interval(self, default: int) -> int:
        text = self.text("update_interval_months")
        if not text:
            return default
        try:
            return parse_interval(text, UPDATE_INTERVALS)
        except ValueError:
            self.refuse(_("Check interval: 3, 6 or 12 months, not “%(value)s”.", value=text))
            return default

    def location(self, base: dict | None, communes: list[str]) -> dict | None:
        if not any(self.has(column) for column in (*ADDRESS_COLUMNS, "address")):
            return base
        values = {column: self.text(column, 200 if column == "street" else 20)
                  for column in ("street", "number", "box", "postal_code")}
        if self.has("address") and not values["street"]:
            street, number, code = split_address(self.text("address", 300))
            values["street"] = values["street"] or street[:200]
            values["number"] = values["number"] or number[:20]
            values["postal_code"] = values["postal_code"] or code
        commune_text = self.text("commune")
        if not (values["street"] or values["postal_code"] or commune_text):
            return None
        if commune_text:
            commune = self.commune(commune_text)
        else:
            first = self.first_commune or (communes[0] if communes else None)
            by_code = [r for r in communes if (values["postal_code"], r) in self.lookups.postal_codes]
            if by_code and first not in by_code:
                first = by_code[0]  # the covered commune the postal code belongs to
            commune = self.lookups.communes.get(first) if first else None
            if commune is None and communes:
                self.refuse(_("Missing required field: %(field)s.", field="commune"))
        if commune is None:
            return None
        code = values["postal_code"]
        if not code:
            codes = sorted(p for p, refnis in self.lookups.postal_codes if refnis == commune.refnis)
            code = codes[0] if codes else ""
        elif not (code.isascii() and code.isdigit() and len(code) == 4):
            self.refuse(_("A Belgian postal code has four digits."))
        elif (code, commune.refnis) not in self.lookups.postal_codes:
            codes = sorted(p for p, refnis in self.lookups.postal_codes if refnis == commune.refnis)
            self.refuse(_("The postal code %(code)s is not one of %(commune)s (%(codes)s).",
                          code=code, commune=commune_name(commune), codes=", ".join(codes)))
        place = dict(base or {})
        place.update(values, postal_code=code, refnis=commune.refnis)
        if self.has("wheelchair_access"):
            place["wheelchair_access"] = self.flag("wheelchair_access", None)
        if self.has("by_appointment"):
            place["by_appointment"] = self.flag("by_appointment", False)
        hours = dict(place.get("opening_hours") or {})
        for day in WEEKDAYS:
            if self.has(f"hours_{day}"):
                hours.pop(day, None)
                spans = self.hours(f"hours_{day}")
                if spans:
                    hours[day] = spans
        place["opening_hours"] = hours
        note = dict(place.get("note") or {lang: "" for lang in TEXT_LANGUAGES})
        for lang in TEXT_LANGUAGES:
            if self.has(f"hours_note_{lang}"):
                note[lang] = self.text(f"hours_note_{lang}")
        place["note"] = note
        place.setdefault("wheelchair_access", None)
        place.setdefault("by_appointment", False)
        self.position(place, base, commune)
        return place

    def hours(self, column: str) -> list:
        text = self.text(column, 100)
        try:
            return parse_hours(text)
        except ValueError:
            self.refuse(_("%(column)s: please write the hours as 9:00-12:00, 13:30-17:00, not "
                          "“%(value)s”.", column=column, value=text))
            return []

    def position(self, place: dict, base: dict | None, commune: Commune) -> None:
        """Keep a known position, take the file's, or wait at the commune's point."""
        lat, lon = self.coordinate("lat", 49.4, 51.6), self.coordinate("lon", 2.4, 6.5)
        same_address = base is not None and address_of(base) == address_of(place) and (
            base["refnis"] == place["refnis"])
        if same_address and (lat is None or (
                coordinate_text(base["lat"]), coordinate_text(base["lon"]))
                == (coordinate_text(lat), coordinate_text(lon))):
            for name in ("lat", "lon", "geocode_source", "geocode_precision", "geocode_pending"):
                place[name] = base[name]
            return
        at_commune = lat is None or (coordinate_text(lat), coordinate_text(lon)) == (
            coordinate_text(commune.lat), coordinate_text(commune.lon))
        if at_commune:
            place.update(lat=commune.lat, lon=commune.lon, geocode_source="commune-centroid",
                         geocode_precision="commune", geocode_pending=True)
        else:
            place.update(lat=lat, lon=lon, geocode_source="import", geocode_precision="address",
                         geocode_pending=False)

    def coordinate(self, column: str, low: float, high: float) -> float | None:
        text = self.text(column, 30).replace(",", ".")
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            self.refuse(_("%(column)s: %(value)s is not a position in Belgium.",
                          column=column, value=text))
            return None
        return value

    # --- what is not in the editors' fields -------------------------------------------------

    def extra(self, service: Service | None, fields: dict) -> dict:
        status = service.status if service else ServiceStatus.published
        text = self.text("status").lower()
        if text:
            try:
                status = ServiceStatus(text)
            except ValueError:
                self.refuse(_("Unknown state: %(value)s (published, draft, pending or "
                              "archived).", value=text))
        is_demo = self.is_demo
        notes = None
        if any(self.has(f"coverage_note_{lang}") for lang in TEXT_LANGUAGES):
            notes = {lang: self.text(f"coverage_note_{lang}") for lang in TEXT_LANGUAGES
                     if self.has(f"coverage_note_{lang}")}
        if notes is None and self.coverage_notes:
            note = "; ".join(self.coverage_notes)[:TEXT_LIMIT]
            notes = {lang: note for lang in self.lookups.languages(fields["communes"]) or ["fr"]}
        self.status_given = bool(text)
        if getattr(self, "phone_remark", "") and not fields["texts"]["how_to_request"][
                self.language(fields["communes"])]:
            lang = self.language(fields["communes"])
            fields["texts"]["how_to_request"][lang] = (
                f"{phone_text(fields['phone'], national=True)} ({self.phone_remark})")[:TEXT_LIMIT]
        source = self.source(service)
        return {"status": status, "is_demo": bool(is_demo), "coverage_note": notes,
                "last_verified_at": self.date("last_verified_at"),
                "organization": self.organization(service, bool(is_demo), fields["communes"]),
                **source}

    def source(self, service: Service | None) -> dict:
        """Where the row's facts were read: a page or list, and its date."""
        url = self.text("source_url", 500) if self.has("source_url") else None
        day = None
        if self.has("source_date"):
            value = self.cells.get("source_date")
            text = self.text("source_date", 100)
            day = self.date("source_date", quiet=True)
            if day is None and text:
                found = re.search(r"\b(19|20)\d\d(-\d\d-\d\d)?\b", text)
                if found and found.group(2):
                    day = datetime.strptime(found.group(0), "%Y-%m-%d")
                elif found:
                    day = datetime(int(found.group(0)), 1, 1)
                self.warn(_("%(column)s: “%(value)s” is not a date; %(kept)s was kept. Please "
                            "write the date of the source as YYYY-MM-DD.",
                            column=self.label("source_date"), value=text,
                            kept=day.date().isoformat() if day else "—"))
            del value
        if url is None and day is None:
            return {}
        if url and not re.match(r"^https?://\S+$", url, re.IGNORECASE):
            try:
                url = website_url(url)
            except ValueError:
                self.warn(_("%(column)s: “%(value)s” is not a web address; it was kept as "
                            "written.", column=self.label("source_url"), value=url))
        return {"source_url": url or None, "source_date": day.date() if day else None}

    def date(self, column: str, quiet: bool = False) -> datetime | None:
        value = self.cells.get(column)
        if isinstance(value, datetime):
            return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).replace(
                microsecond=0)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
        text = self.text(column, 100 if quiet else 40)
        if not text:
            return None
        if text.isdigit() and 20000 < int(text) < 80000:  # an Excel day number
            day = EXCEL_EPOCH + timedelta(days=int(text))
            return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        for pattern in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S",
                        "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"):
            try:
                return datetime.strptime(text, pattern).replace(tzinfo=timezone.utc)
            except ValueError:
                continue
        if not quiet:
            self.refuse(_("%(column)s: the date %(value)s is not understood (write YYYY-MM-DD).",
                          column=column, value=text))
        return None

    def organization(self, service: Service | None, is_demo: bool, communes: list[str]):
        """The organisation of the row: known by key, KBO number or name, else a new one; the
        commune's administration when the row names none."""
        lookups = self.lookups
        key = self.text("organization_key", 120)
        kbo = self.kbo()
        names = {lang: self.text(f"organization_name_{lang}", NAME_LIMIT)
                 for lang in TEXT_LANGUAGES}
        if self.has("organization_name") and self.text("organization_name"):
            lang = self.language(communes)
            names[lang] = names[lang] or self.text("organization_name", NAME_LIMIT)
        kind_text = self.text("organization_kind")
        kind = None
        if kind_text:
            kind = organization_kind_of(kind_text)
            if kind is None:
                self.refuse(_("%(column)s: unknown kind of organisation “%(value)s”. Please write "
                              "commune, cpas, police_zone, province, intercommunal or "
                              "non_profit.", column=self.label("organization_kind"),
                              value=kind_text))
        if key in lookups.organizations:
            return lookups.organizations[key]
        if key.startswith(ORGANIZATION_KEY_PREFIX) and key[len(ORGANIZATION_KEY_PREFIX):].isdigit():
            found = lookups.organizations_by_id.get(int(key[len(ORGANIZATION_KEY_PREFIX):]))
            if found is not None and not found.external_key:
                return found
        if kbo and kbo in lookups.organizations_by_kbo:
            return lookups.organizations_by_kbo[kbo]
        if not key:
            for name in filter(None, names.values()):
                found = lookups.organization_named(name)
                if found is not None:
                    return found
        if not key and not any(names.values()) and service is not None:
            return service.organization
        if not any(names.values()):
            first = self.first_commune or (communes[0] if communes else None)
            if first is None or key:
                self.refuse(_("Missing organisation: give the key of a known organisation "
                              "(organization_key), or the name and kind of a new one."))
                return None
            return lookups.commune_administration(first, is_demo, kbo)
        token = key or "name:" + "|".join(":".join(organization_key_of(n)) for n in names.values() if n)
        if token not in lookups.new_organizations:
            guessed = kind or next(filter(None, (organization_kind_of(n) for n in names.values()
                                                 if n)), None)
            lookups.new_organizations[token] = NewOrganization(
                token, key or None, guessed or OrganizationKind.commune, names,
                kbo_text(kbo) if kbo else None, is_demo)
            lookups.remember_organization(lookups.new_organizations[token])
        return lookups.new_organizations[token]

    def kbo(self) -> str | None:
        """The enterprise number's ten digits, or None (a wrong one is refused)."""
        text = self.text("organization_kbo", 20)
        if not text:
            return None
        digits = re.sub(r"\D", "", text)
        if len(digits) == 9:
            digits = "0" + digits
        if len(digits) != 10:
            self.refuse(_("%(column)s: “%(value)s” is not an enterprise number. Please write it "
                          "as 0123.456.789.", column=self.label("organization_kbo"), value=text))
            return None
        return digits

    # --- the editors' rules for a complete service, and duplicates --------------------------

    def check_complete(self, fields: dict, extra: dict, service: Service | None = None) -> None:
        texts = fields["texts"]
        if not any(texts["name"].values()):
            self.refuse(_("Missing required field: %(field)s.", field=self.label(
                "name" if self.has("name") else "name_fr")))
        if not fields["types"]:
            self.refuse(_("Missing required field: %(field)s.", field=self.label("types")))
        if not fields["communes"]:
            self.refuse(_("Missing required field: %(field)s.", field=self.label("communes")))
        if extra["status"] in (ServiceStatus.published, ServiceStatus.pending):
            if not (fields["phone"] or fields["email"]):
                self.refuse(_("Please give a phone number or an e-mail address."))
            missing = [lang for lang in self.lookups.languages(fields["communes"])
                       if not self.lookups.language_complete(fields, lang)]
            if missing and service is None and not self.status_given and not self.reasons:
                extra["status"] = ServiceStatus.draft
                self.warn(_("Entered as a draft, to complete: the name (and the description, "
                            "when the kind has no standard text) in %(languages)s, needed for "
                            "the communes this service covers.",
                            languages=", ".join(language_name(lang) for lang in missing)))
                return
            for lang in missing:
                self.refuse(_("The name and the description are needed in %(language)s for "
                              "the communes this service covers.",
                              language=language_name(lang)))

    def check_duplicates(self, key: str, service: Service | None, fields: dict) -> None:
        """Refuse a row like a service of the same kind already covering one of its communes:
        a similar name or the same address (`duplicates`), in the database or earlier in the
        file. Services of different kinds often share a town hall's address."""
        own = {key, service.external_key if service else None,
               f"{SERVICE_KEY_PREFIX}{service.id}" if service else None}
        names = self.name_keys = name_keys(fields["texts"]["name"])
        address = address_of(fields["location"]) if fields["location"] else None
        crowded = self.lookups.crowded(fields["communes"], fields["types"])
        if crowded is not None:
            refnis, kind = crowded
            self.refuse(_("The file already holds %(count)d services of the kind “%(kind)s” "
                          "covering %(commune)s, where there are usually a few: check that its "
                          "rows are not repeated, and import the others in a separate file.",
                          count=MOST_PER_COMMUNE_AND_KIND, kind=SERVICE_TYPES[kind],
                          commune=commune_name(self.lookups.communes[refnis])))
            return
        found = self.lookups.likely_duplicate(names, address, fields["communes"],
                                              fields["types"], own)
        if found is not None:
            entry, refnis = found
            commune = commune_name(self.lookups.communes[refnis])
            number = entry.key.removeprefix("row-")
            if entry.key.startswith("row-") and number.isdigit():
                self.refuse(_("Likely duplicate of row %(row)s: “%(name)s” already covers "
                              "%(commune)s. If they are two services, give them names that "
                              "tell them apart.", row=number, name=entry.name, commune=commune))
            else:
                self.refuse(_("Likely duplicate: “%(name)s” (%(id)s) already covers "
                              "%(commune)s.", name=entry.name, id=entry.key, commune=commune))


def unassigned(text: str) -> str | None:
    """A demo entry's number: well formed, but from a range no subscriber has (E.164)."""
    return e164(text, assigned=False)


def fields_of_or_blank(service: Service | None) -> dict:
    """The service's current fields, or those of an empty new service."""
    if service is not None:
        from ..fields import fields_of

        return fields_of(service)
    return {
        "organization_id": None,
        "texts": {name: {lang: "" for lang in TEXT_LANGUAGES} for name in TEXT_FIELDS},
        "types": [], "communes": [], "languages": [], "update_interval_months": 6,
        "email": "", "phone": "", "website": "", "contact_name": "", "contact_email": "",
        "contact_phone": "", "handles_sac_minors": False, "free_of_charge": True,
        "location": None,
    }


ADDRESS = re.compile(r"^(?P<street>.*?\D)\s*(?P<number>\d+[a-zA-Z]?(?:[-/]\d+)?)?\s*,?\s*"
                     r"(?:(?:B-)?(?P<code>[1-9]\d{3})\b.*)?$")


def split_address(text: str) -> tuple[str, str, str]:
    """Split "Rue F. Beeckmans 48 1083 Ganshoren" into (street, number, postal code)."""
    text = " ".join((text or "").split())
    found = ADDRESS.match(text)
    if not found or not found.group("street").strip(" ,"):
        return text, "", ""
    return (found.group("street").strip(" ,"), found.group("number") or "",
            found.group("code") or "")

