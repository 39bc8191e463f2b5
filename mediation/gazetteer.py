"""Which commune(s) does this text mean? Place-name normalisation, the in-memory index, search.

Everything a citizen may type is indexed once per process from the database: the official
names of the 565 communes (French, Dutch, German, English exonyms), their postal codes, the
communes merged away in 2019 and 2025, and localities. `search_communes` never touches the
network and, after the first call, not even the database.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field

from flask import current_app
from rapidfuzz import fuzz, process

MAX_QUERY_LENGTH = 100

# Match kinds, as the API reports them, and how they rank when the same text matches twice:
# a commune's own name before a former commune before a locality.
NAME, POSTAL_CODE, FORMER_COMMUNE, LOCALITY, FUZZY = (
    "name", "postal_code", "former_commune", "locality", "fuzzy",
)
KIND_RANK = {NAME: 0, FORMER_COMMUNE: 1, LOCALITY: 2}

# Scores: every exact match beats every prefix, every prefix beats every fuzzy match.
EXACT, PREFIX, WORD_PREFIX, FUZZY_BASE = 3000, 2000, 1500, 0

_SAINTS = {"saint": "st", "sainte": "st", "sint": "st", "sankt": "st", "st": "st", "ste": "st"}
_SEPARATORS = re.compile(r"[\s’'`´‘\-‐‑–—_.,;:/()\"«»]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o"})


def normalise(text: str) -> str:
    """Return the search key of a place name: no case, accents, hyphens, apostrophes, 'Saint'.

    >>> normalise("Sint-Pieters-Woluwe") == normalise("St Pieters Woluwe")
    True
    """
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(_SAINTS.get(token, token) for token in _SEPARATORS.split(text) if token)


@dataclass(frozen=True)
class CommuneInfo:
    """What the API shows of a commune, kept in memory with the index."""

    refnis: str
    names: dict[str, str]
    region_code: str
    province: dict[str, str] | None
    region: dict[str, str]
    postal_codes: tuple[str, ...]
    lat: float
    lon: float


@dataclass(frozen=True)
class Entry:
    refnis: str
    display: str  # the name as written in the source, shown as "matched"
    kind: str


@dataclass(frozen=True)
class Match:
    refnis: str
    matched: str
    match_kind: str
    score: float


@dataclass
class Index:
    communes: dict[str, CommuneInfo] = field(default_factory=dict)
    exact: dict[str, list[Entry]] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)  # sorted, for prefix completion
    word_keys: list[tuple[str, str]] = field(default_factory=list)  # (later words, key)
    postal: dict[str, list[str]] = field(default_factory=dict)
    postal_codes: list[str] = field(default_factory=list)

    def add(self, name: str, refnis: str, kind: str) -> None:
        key = normalise(name)
        if not key:
            return
        entries = self.exact.setdefault(key, [])
        if not any(e.refnis == refnis and KIND_RANK[e.kind] <= KIND_RANK[kind] for e in entries):
            entries.append(Entry(refnis, name, kind))

    def freeze(self) -> None:
        for entries in self.exact.values():
            entries.sort(key=lambda e: KIND_RANK[e.kind])
        self.keys = sorted(self.exact)
        # "Molenbeek" should complete "Sint-Jans-Molenbeek": index each later word start too.
        self.word_keys = sorted(
            (key[i + 1:], key) for key in self.keys for i, c in enumerate(key) if c == " "
        )
        self.postal_codes = sorted(self.postal)


def build_index() -> Index:
    """Read every name and postal code of the active communes from the database."""
    from .extensions import db
    from .models import Commune, PlaceName, PlaceNameKind, PostalCode

    index = Index()
    communes = db.session.scalars(db.select(Commune).where(Commune.active)).all()
    codes: dict[str, list[str]] = {}
    for code, refnis in db.session.execute(
        db.select(PostalCode.code, PostalCode.refnis).order_by(PostalCode.code)
    ):
        codes.setdefault(refnis, []).append(code)
        index.postal.setdefault(code, []).append(refnis)
    for c in communes:
        names = {"fr": c.name_fr, "nl": c.name_nl}
        if c.name_de:
            names["de"] = c.name_de
        if c.name_en:
            names["en"] = c.name_en
        province = c.province
        index.communes[c.refnis] = CommuneInfo(
            refnis=c.refnis,
            names=names,
            region_code=c.region_code,
            province=_names_of(province) if province else None,
            region=_names_of(c.region),
            postal_codes=tuple(codes.get(c.refnis, ())),
            lat=c.lat,
            lon=c.lon,
        )
        for name in names.values():
            index.add(name, c.refnis, NAME)
    kinds = {
        PlaceNameKind.exonym: NAME,
        PlaceNameKind.former_commune: FORMER_COMMUNE,
        PlaceNameKind.locality: LOCALITY,
    }
    for name, refnis, kind in db.session.execute(
        db.select(PlaceName.name, PlaceName.refnis, PlaceName.kind)
    ):
        if refnis in index.communes:
            index.add(name, refnis, kinds[kind])
    index.freeze()
    return index


def _names_of(obj) -> dict[str, str]:
    return {lang: getattr(obj, f"name_{lang}") or obj.name_fr for lang in ("fr", "nl", "de", "en")}


_lock = threading.Lock()


def get_index() -> Index:
    """Return this app's index, building it on first use (or while the database is empty)."""
    index = current_app.extensions.get("gazetteer")
    if index is None or not index.communes:
        with _lock:
            index = build_index()
            current_app.extensions["gazetteer"] = index
    return index


def reset_index() -> None:
    """Forget the index, so that the next search sees freshly loaded reference data."""
    current_app.extensions.pop("gazetteer", None)


def search_communes(text: str, lang: str = "fr", limit: int = 10) -> list[Match]:
    """Return the communes `text` may mean, best first, at most `limit`, one match per commune."""
    return search_index(get_index(), text, limit)


def search_index(index: Index, text: str, limit: int = 10) -> list[Match]:
    query = normalise(text[:MAX_QUERY_LENGTH])
    if not query:
        return []
    by_code: dict[str, Match] = {}
    by_name: dict[str, Match] = {}

    def offerer(best: dict[str, Match]):
        def offer(refnis: str, matched: str, kind: str, score: float) -> None:
            if refnis not in best or best[refnis].score < score:
                best[refnis] = Match(refnis, matched, kind, score)
        return offer

    tokens = query.split()
    codes = [t for t in tokens if t.isdigit()]
    words = " ".join(t for t in tokens if not t.isdigit())
    for code in codes:
        _search_postal(index, code, offerer(by_code))
    if words:
        _search_names(index, words, offerer(by_name), limit)
    # "1050 Ixelles": the communes both parts agree on, when any do.
    agreed = {r: m for r, m in by_name.items() if r in by_code}
    best = agreed or {**by_name, **by_code}
    ranked = sorted(best.values(), key=lambda m: (-m.score, index.communes[m.refnis].names["fr"]))
    return ranked[:limit]


def _search_postal(index: Index, code: str, offer) -> None:
    if len(code) == 4:
        for refnis in index.postal.get(code, ()):
            offer(refnis, code, POSTAL_CODE, EXACT + 100)
        return
    if len(code) > 4:
        return
    # A partial code completes to the codes it begins: "103" -> 1030.
    start = bisect_left(index.postal_codes, code)
    for full in index.postal_codes[start:start + 50]:
        if not full.startswith(code):
            break
        for refnis in index.postal[full]:
            offer(refnis, full, POSTAL_CODE, PREFIX + 100 - int(full) / 10000)


def _search_names(index: Index, query: str, offer, limit: int) -> None:
    exact = index.exact.get(query, ())
    for entry in exact:
        offer(entry.refnis, entry.display, entry.kind, EXACT - 100 * KIND_RANK[entry.kind])
    _complete(index.keys, query, index, offer, PREFIX, key_of=lambda k: k)
    _complete(index.word_keys, (query,), index, offer, WORD_PREFIX, key_of=lambda k: k[1])
    if exact or len(query) < 3:
        return
    # Typos: compare with every key, but only when nothing matched the text exactly.
    for key, similarity, _ in process.extract(
        query, index.keys, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=72
    ):
        for entry in index.exact[key]:
            score = FUZZY_BASE + similarity * 10 - 30 * KIND_RANK[entry.kind]
            offer(entry.refnis, entry.display, FUZZY, score)


def _complete(keys, query, index: Index, offer, base: int, key_of, cap: int = 200) -> None:
    """Offer every name whose key starts with the query; shorter completions rank higher."""
    start = bisect_left(keys, query)
    prefix = query[0] if isinstance(query, tuple) else query
    for item in keys[start:start + cap]:
        head = item[0] if isinstance(item, tuple) else item
        if not head.startswith(prefix):
            break
        key = key_of(item)
        if key == prefix:
            continue  # already offered as an exact match
        extra = min(len(key) - len(prefix), 90)
        for entry in index.exact[key]:
            offer(entry.refnis, entry.display, entry.kind, base - 100 * KIND_RANK[entry.kind] - extra)


@dataclass(frozen=True)
class Understanding:
    """What a search text was taken to mean: one commune, or choices to offer."""

    chosen: Match | None
    choices: list[Match]


def understand(text: str, limit: int = 8) -> Understanding:
    """Decide whether a text means one commune or needs a "which one did you mean?"."""
    matches = search_communes(text, limit=limit)
    if not matches:
        return Understanding(None, [])
    top = matches[0]
    ties = [m for m in matches if m.score == top.score]
    if len(ties) > 1:  # a shared postal code, a village name found in two communes
        return Understanding(None, ties)
    exact = top.score >= EXACT - 200
    if exact or len(matches) == 1:
        return Understanding(top, [])
    return Understanding(None, matches)  # only completions or near-spellings: let them choose
