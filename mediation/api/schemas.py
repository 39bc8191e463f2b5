"""Parsing of query parameters and the JSON shapes the API answers with."""

from urllib.parse import unquote_to_bytes

from flask import request
from flask_babel import gettext as _

from ..gazetteer import CommuneInfo, Match
from ..i18n import pick_commune_name


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
    if raw is None or raw == "":
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
        "name": pick_commune_name(info.names, info.region_code, lang),
        "names": {k: pick_commune_name(info.names, info.region_code, k) for k in ("fr", "nl", "de")},
        "postal_codes": list(info.postal_codes),
        "province": info.province[lang] if info.province else None,
        "region": info.region[lang],
        "lat": info.lat,
        "lon": info.lon,
        "matched": match.matched,
        "match_kind": match.match_kind,
    }
