"""Parsing of query parameters and the JSON shapes the API answers with."""

import json
import re
from collections.abc import Callable
from datetime import datetime, timezone
from urllib.parse import unquote_to_bytes

from babel import Locale
from flask import g, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh

from ..config import LANGUAGES
from ..directory.exchange.exporting import (
    SERVICE_TEXT_FIELDS,
    TEXT_LANGUAGES,
    WEEKDAYS,
    MapPoint,
)
from ..directory.reading.search import Filters, Hit, ResultPage, round_position
from ..extensions import db
from ..formatting import address_line, belgian_day
from ..gazetteer import CommuneInfo, Match, get_index
from ..i18n import commune_name, localized, pick_commune_name
from ..models import Commune, Location, Service, ServiceType


class ParameterError(ValueError):
    """A query parameter the API cannot use; answered with 400 and a JSON error."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def text_param(name: str, required: bool = False, max_length: int = 100) -> str:
    """Return a text parameter, refusing control characters, undecodable bytes, excess length."""
    value = request.args.get(name, "")
    if not value.strip():
        if required:
            raise ParameterError(
                f"missing_{name}", _("The parameter “%(name)s” is required.", name=name)
            )
        return ""
    if len(value) > max_length:
        raise ParameterError(
            f"invalid_{name}",
            _("The parameter “%(name)s” is longer than %(max)d characters.", name=name,
              max=max_length),
        )
    # Bytes that are not UTF-8 or control characters mean binary input, not a place name.
    if not _is_utf8(request.query_string) or any(
        ord(c) < 32 or 127 <= ord(c) < 160 or c == "\ufffd" for c in value
    ):
        raise ParameterError(
            f"invalid_{name}",
            _("The parameter “%(name)s” contains characters that are not text.", name=name),
        )
    return value.strip()


def _is_utf8(query_string: bytes) -> bool:
    try:
        unquote_to_bytes(query_string).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def limit_param(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
        raise ParameterError(
            f"invalid_{name}",
            _("The parameter “%(name)s” must be a whole number from 1 to %(max)d.", name=name,
              max=maximum),
        )
    return int(raw)


def commune_result(info: CommuneInfo, match: Match, lang: str) -> dict:
    return {
        "refnis": info.refnis,
        "name": pick_commune_name(info.names, info.region_code, lang, info.refnis),
        "names": {k: pick_commune_name(info.names, info.region_code, k, info.refnis)
                  for k in ("fr", "nl", "de")},
        "postal_codes": list(info.postal_codes),
        "province": info.province[lang] if info.province else None,
        "region": info.region[lang],
        "lat": info.lat,
        "lon": info.lon,
        "matched": match.matched,
        "match_kind": match.match_kind,
    }


# --- /services: the filters and pages a client may ask for ---------------------------------

# A generous box around Belgium: a position outside it is a mistake, not a search.
BELGIUM_LAT, BELGIUM_LON = (49.0, 52.0), (2.0, 7.0)
MAX_PAGE = 10_000
MAX_PER_PAGE = 100
# Decimal degrees inside BELGIUM_LAT and BELGIUM_LON, written as the description says.
_LAT = r"(?:49|50|51)(?:\.[0-9]{1,12})?|52(?:\.0{1,12})?"
_LON = r"[2-6](?:\.[0-9]{1,12})?|7(?:\.0{1,12})?"
NEAR_PATTERN = rf"^(?:{_LAT}),(?:{_LON})$"
_NEAR = re.compile(NEAR_PATTERN)
# ISO 639-1: the two-letter codes among the languages Babel knows (all 184 of them).
ISO_639_1 = frozenset(code for code in Locale("en").languages if len(code) == 2)


def lang_param() -> str:
    """Return the language of names and texts (fr by default); later error messages use it."""
    lang = request.args.get("lang", "fr")
    if lang not in LANGUAGES:
        raise ParameterError(
            "invalid_lang",
            _("The parameter “%(name)s” must be one of: %(choices)s.", name="lang",
              choices=", ".join(LANGUAGES)),
        )
    if "lang" in request.args:
        g.lang = lang
        refresh()  # forget the locale Babel may have picked from the headers already
    return lang


def commune_param() -> str | None:
    """Return the REFNIS code of an existing commune, or None when not asked."""
    refnis = request.args.get("commune", "")
    if not refnis:
        return None
    if not (len(refnis) == 5 and refnis.isascii() and refnis.isdigit()):
        raise ParameterError(
            "invalid_commune",
            _("The parameter “%(name)s” must be the five-digit REFNIS code of a commune.",
              name="commune"),
        )
    if refnis not in get_index().communes:
        raise ParameterError(
            "invalid_commune",
            _("No commune has the REFNIS code %(code)s.", code=refnis),
        )
    return refnis


def near_param() -> tuple[float, float] | None:
    """Return (lat, lon) from "LAT,LON" in decimal degrees, inside Belgium, or None."""
    raw = request.args.get("near", "")
    if not raw:
        return None
    if not _NEAR.fullmatch(raw):
        raise ParameterError(
            "invalid_near",
            _("The parameter “%(name)s” must be a latitude and a longitude in Belgium, "
              "separated by a comma (for example %(example)s).", name="near",
              example="50.8467,4.3525"),
        )
    lat, lon = (float(part) for part in raw.split(","))
    return round_position(lat, lon)


def type_param() -> str | None:
    code = request.args.get("type", "")
    if code and code not in ServiceType.CODES:
        raise ParameterError(
            "invalid_type",
            _("The parameter “%(name)s” must be one of: %(choices)s.", name="type",
              choices=", ".join(ServiceType.CODES)),
        )
    return code or None


def language_param() -> str | None:
    code = request.args.get("language", "").lower()
    if code and code not in ISO_639_1:
        raise ParameterError(
            "invalid_language",
            _("The parameter “%(name)s” must be a two-letter ISO 639-1 language code "
              "(for example %(example)s).", name="language", example="nl"),
        )
    return code or None


def service_filters() -> Filters:
    """Return the filters shared by /services, /services.geojson and /services.csv."""
    return Filters(commune=commune_param(), near=near_param(), type=type_param(),
                   language=language_param(), q=text_param("q") or None)


# A day of 1900–2099, or a moment of it to the minute or finer, with "Z" or an offset (UTC when
# none is given): exactly the values the code takes, so that the description says it all.
_LEAP = "(19|20)(0[48]|[2468][048]|[13579][26])|2000"
_DAY = ("(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
        "|(19|20)[0-9]{2}-(0[13-9]|1[0-2])-(29|30)"
        "|(19|20)[0-9]{2}-(0[13578]|1[02])-31"
        f"|({_LEAP})-02-29")
_TIME = "T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?"
MOMENT_PATTERN = f"^({_DAY})({_TIME})?$"
_MOMENT = re.compile(MOMENT_PATTERN)


def moment_param(name: str) -> datetime | None:
    """Return an ISO 8601 day or moment as a UTC moment (a day starts at midnight UTC)."""
    raw = request.args.get(name, "")
    if not raw:
        return None
    if not _MOMENT.fullmatch(raw):
        raise ParameterError(
            f"invalid_{name}",
            _("The parameter “%(name)s” must be a date or a date and time in ISO 8601 "
              "(for example %(example)s).", name=name, example="2026-11-30T08:00:00Z"),
        )
    value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def page_params() -> tuple[int, int]:
    return (limit_param("page", default=1, maximum=MAX_PAGE),
            limit_param("per_page", default=20, maximum=MAX_PER_PAGE))


# --- Services as JSON -----------------------------------------------------------------------

def service_url(service_id: int, lang: str, external: bool = False) -> str:
    """Return the address of the service's HTML page in `lang`."""
    return url_for("public.service", lang=lang, service_id=service_id, _external=external)


def commune_label(refnis: str, lang: str) -> str:
    """Return a commune's name in `lang`, from the in-memory gazetteer when it knows it."""
    info = get_index().communes.get(refnis)
    if info is not None:
        return pick_commune_name(info.names, info.region_code, lang, info.refnis)
    commune = db.session.get(Commune, refnis)  # a commune merged away in 2025
    return commune_name(commune, lang) if commune else refnis


def per_language(obj, field: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{field}_{lang}") or "" for lang in TEXT_LANGUAGES}


def iso_date(moment) -> str | None:
    return belgian_day(moment).isoformat() if moment else None


def main_location(service: Service) -> Location | None:
    return service.locations[0] if service.locations else None


def searched_commune(found: ResultPage, lang: str) -> dict | None:
    """The commune the services were ranked for: asked for, or the one `near` lies in."""
    if found.commune is None:
        return None
    return {
        "refnis": found.commune.refnis,
        "name": commune_label(found.commune.refnis, lang),
        "approximate": found.located is not None and not found.located.certain,
    }


def service_summary(hit: Hit, lang: str, url: Callable[[int], str] | None = None) -> dict:
    """Return a service as one line of a result list (DESIGN §5); `url` from service_url_maker."""
    service = hit.service
    location = main_location(service)
    return {
        "id": service.id,
        "name": localized(service, "name", lang)[0],
        "names": per_language(service, "name"),
        "types": service.type_codes,
        "organization": localized(service.organization, "name", lang)[0],
        "address": address_line(location, lang) if location else None,
        "lat": location.lat if location else None,
        "lon": location.lon if location else None,
        "communes": hit.communes,
        "covers_commune": hit.covers_commune,
        "distance_km": round(hit.distance_km, 1) if hit.distance_km is not None else None,
        "url": url(service.id) if url else service_url(service.id, lang),
        "last_verified_at": iso_date(service.last_verified_at),
        "is_demo": service.is_demo,
    }


def service_detail(service: Service, lang: str) -> dict:
    """Return the whole public record of a service, every language (never the contact person)."""
    shown = {field: localized(service, field, lang) for field in ("name", "description")}
    return {
        "id": service.id,
        "lang": lang,
        **{field: {"text": text, "lang": used} for field, (text, used) in shown.items()},
        "texts": {field: per_language(service, field) for field in SERVICE_TEXT_FIELDS},
        "types": service.type_codes,
        "handles_sac_minors": service.handles_sac_minors,
        "free_of_charge": service.free_of_charge,
        "languages": list(service.languages or []),
        "email": service.email or None,
        "phone": service.phone or None,
        "website": service.website or None,
        "organization": {
            "kind": service.organization.kind.value,
            "name": localized(service.organization, "name", lang)[0],
            "names": per_language(service.organization, "name"),
        },
        "locations": [location_detail(location, lang) for location in service.locations],
        "communes": [
            {"refnis": area.refnis, "name": commune_label(area.refnis, lang),
             "note": per_language(area, "note")}
            for area in sorted(service.areas, key=lambda area: area.refnis)
        ],
        "last_verified_at": iso_date(service.last_verified_at),
        "is_demo": service.is_demo,
        "url": service_url(service.id, lang),
    }


def location_detail(location: Location, lang: str) -> dict:
    return {
        "address": address_line(location, lang),
        "street": location.street or "",
        "number": location.number or "",
        "box": location.box or "",
        "postal_code": location.postal_code,
        "refnis": location.refnis,
        "commune": commune_label(location.refnis, lang),
        "lat": location.lat,
        "lon": location.lon,
        "geocode_precision": location.geocode_precision,
        "wheelchair_access": location.wheelchair_access,
        "opening_hours": {day: (location.opening_hours or {}).get(day, []) for day in WEEKDAYS},
        "by_appointment": location.by_appointment,
        "note": per_language(location, "note"),
    }


def geojson_body(points: list[MapPoint], lang: str,
                 url: Callable[[int], str] | None = None) -> bytes:
    """Return the FeatureCollection of the map, as compact as JSON gets; `url` is absolute, as
    in the CSV (made by service_url_maker in a request, to build the body outside it)."""
    url = url or service_url_maker(lang, external=True)
    features = [
        {"type": "Feature",
         "geometry": {"type": "Point", "coordinates": [round(p.lon, 5), round(p.lat, 5)]},
         "properties": {"id": p.id, "name": localized(p, "name", lang)[0], "types": p.types,
                        "is_demo": p.is_demo, "url": url(p.id)}}
        for p in points
    ]
    document = {"type": "FeatureCollection", "features": features}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def points_body(points: list[MapPoint], lang: str, url: str) -> bytes:
    """Return the map's compact answer: {"columns", "url", "points"}, one row [id, lat, lon,
    name] per service; `url` is a service's page with "{id}" standing for its number (the
    search page's map needs no more, and GeoJSON repeats every key for each feature)."""
    rows = [[p.id, round(p.lat, 5), round(p.lon, 5), localized(p, "name", lang)[0]]
            for p in points]
    document = {"columns": ["id", "lat", "lon", "name"], "url": url, "points": rows}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def service_url_maker(lang: str, external: bool = False) -> Callable[[int], str]:
    """Return id -> service_url(id, lang), building the URL once for thousands of ids."""
    sample = 9_876_543_210
    pattern = service_url(sample, lang, external)
    if pattern.count(str(sample)) != 1:
        return lambda service_id: service_url(service_id, lang, external)
    head, tail = pattern.split(str(sample))
    return lambda service_id: f"{head}{service_id}{tail}"
