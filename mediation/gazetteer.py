"""Which commune(s) does this text mean? Place-name normalisation, the in-memory index, search.

Everything a citizen may type is indexed once per process from the database: the official
names of the 565 communes (French, Dutch, German, English exonyms), their postal codes, the
communes merged away in 2019 and 2025, and localities. `search_communes` never touches the
network and, after the first call, not even the database.
"""

from __future__ import annotations

import json
import math
import re
import threading
from bisect import bisect_left
from dataclasses import dataclass, field
from importlib.resources import files

from flask import current_app
from rapidfuzz import fuzz, process

from .searchkeys import SAINTS as _SAINTS
from .searchkeys import normalise
from .searchkeys import tokens as _tokens

MAX_QUERY_LENGTH = 100

# Match kinds, as the API reports them, and how they rank when the same text matches twice:
# a commune's own name before a former commune before a locality.
NAME, POSTAL_CODE, FORMER_COMMUNE, LOCALITY, FUZZY = (
    "name", "postal_code", "former_commune", "locality", "fuzzy",
)
KIND_RANK = {NAME: 0, FORMER_COMMUNE: 1, LOCALITY: 2}

# Scores: every exact match beats every prefix, every prefix beats every fuzzy match, and a
# near-spelling of the whole text beats a name found among its words ("Rue Haute Bruxelles").
EXACT, PREFIX, WORD_PREFIX, FUZZY_BASE, PART = 3000, 2000, 1500, 0, 500
# A typed "Sint" ranks Sint-Niklaas above Saint-Nicolas's neighbours spelt "Saint" or "Sainte".
OTHER_SAINT_SPELLING = 100
# Among completions, a populous commune outranks a name a few letters shorter: "Anderl" offers
# Anderlecht before Anderlues. Points per doubling of the commune's size (see commune_sizes).
SIZE_POINTS = 3


# What a search text may carry besides a place: the country, the "B-" of old Belgian addresses.
_COUNTRY = {"belgique", "belgie", "belgien", "belgium"}  # "België" has lost its diaeresis
_COUNTRY_CODE = "be"  # only as a last word: "Gent BE" (it is no word of a name either)
_NOT_IN_NAMES = re.compile(r"[^\w·]+|_")  # "!", "<", "?"… ("·" is in Frîn·ne-d'léz-Bujnal)
_DIGITS_AND_LETTERS = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")  # "B1000", "12a"


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
    size: float = 0.0  # points for its population, to rank completions (commune_sizes)


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
    longest: int = 1  # the most words in a name, to look for names among longer texts
    saint_spellings: dict[str, set[str]] = field(default_factory=dict)  # "st vith": sankt, saint

    def add(self, name: str, refnis: str, kind: str) -> None:
        tokens = _tokens(name)
        key = " ".join(_SAINTS.get(token, token) for token in tokens)
        if not key:
            return
        if "st" in key.split():  # "Saint-Vith" and "Sankt Vith" share a key: keep both saints
            self.saint_spellings.setdefault(key, set()).update(t for t in tokens if t in _SAINTS)
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
        self.longest = max((key.count(" ") + 1 for key in self.keys), default=1)


def build_index() -> Index:
    """Read every name and postal code of the active communes from the database."""
    from .extensions import db
    from .models import Commune, PlaceName, PlaceNameKind, PostalCode

    index = Index()
    sizes = commune_sizes()
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
            size=SIZE_POINTS * math.log2(1 + sizes.get(c.refnis, 0.0)),
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


def commune_sizes() -> dict[str, float]:
    """How many judicial cantons' worth of residents each commune holds, as a proxy for population.

    The justice-of-the-peace cantons (mediation/data/cantons.json) are drawn so that each serves
    a comparable population: a canton's share goes in equal parts to its communes. Antwerp, split
    into several cantons, gets about 8.6; Anderlecht, two cantons of its own, 2; Anderlues, one of
    five communes in its canton, 0.2. See mediation/data/SOURCES.md.
    """
    data = json.loads(files("mediation").joinpath("data/cantons.json").read_text("utf-8"))
    sizes: dict[str, float] = {}
    for canton in data.values():
        for refnis in canton["communes"]:
            sizes[refnis] = sizes.get(refnis, 0.0) + 1 / len(canton["communes"])
    return sizes


def part_of(text: str, refnis: str) -> str | None:
    """The village or former commune of this commune that `text` names, as written, or None."""
    key = " ".join(_SAINTS.get(token, token) for token in _tokens(text[:MAX_QUERY_LENGTH]))
    return next((entry.display for entry in get_index().exact.get(key, ())
                 if entry.refnis == refnis and entry.kind in (FORMER_COMMUNE, LOCALITY)), None)


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


@dataclass(frozen=True)
class Query:
    """A search text as read: the words of a place, whole postal codes, a code being typed."""

    words: str = ""  # normalised: every saint word is "st"
    codes: tuple[str, ...] = ()  # whole 4-digit postal codes
    code_start: str = ""  # 1 to 3 digits and nothing else: "10" on the way to "1040"
    saint_ending: str = ""  # the saint word the words end with, as typed: "sint"
    asked: bool = False  # False when the text holds no letter or digit at all


def read_query(text: str) -> Query:
    """Read what a citizen typed; digits other than a postal code are a street number, say."""
    tokens = _without_country(_query_tokens(text[:MAX_QUERY_LENGTH]))
    if not tokens:
        return Query()
    if len(tokens) == 1 and tokens[0].isdigit() and len(tokens[0]) < 4:
        return Query(code_start=tokens[0], asked=True)
    codes = tuple(t for t in tokens if _is_postal_code(t))
    # "Rue Haute 12 Bruxelles": a short number inside a longer text is a street or box number.
    words = [t for t in tokens if not t[0].isdigit()]
    ending = words[-1] if words and words[-1] in _SAINTS else ""
    return Query(" ".join(_SAINTS.get(t, t) for t in words), codes, "", ending, asked=True)


def _query_tokens(text: str) -> list[str]:
    """Split a search text into words and numbers: "B1000 Bruxelles!" -> b, 1000, bruxelles."""
    text = _NOT_IN_NAMES.sub(" ", " ".join(_tokens(text)))
    return [t for t in _DIGITS_AND_LETTERS.sub(" ", text).split() if t.strip("·")]


def _is_postal_code(token: str) -> bool:
    return len(token) == 4 and token.isdigit()


def _without_country(tokens: list[str]) -> list[str]:
    """Drop "Belgique", a last "BE" and the "B" of "B-1000": they name no commune."""
    kept = [t for t in tokens if t not in _COUNTRY]
    if len(kept) > 1 and kept[-1] == _COUNTRY_CODE:
        kept.pop()
    kept = [t for t, after in zip(kept, kept[1:] + [""])
            if not (t == "b" and _is_postal_code(after))]
    return kept or tokens  # "Belgique" alone is a search for it, and finds nothing


def search_index(index: Index, text: str, limit: int = 10) -> list[Match]:
    return _search(index, read_query(text), limit)


def _search(index: Index, query: Query, limit: int) -> list[Match]:
    by_code: dict[str, Match] = {}
    by_name: dict[str, Match] = {}

    def offerer(best: dict[str, Match]):
        def offer(refnis: str, matched: str, kind: str, score: float) -> None:
            if refnis not in best or best[refnis].score < score:
                best[refnis] = Match(refnis, matched, kind, score)
        return offer

    for code in query.codes + ((query.code_start,) if query.code_start else ()):
        _search_postal(index, code, offerer(by_code))
    if query.words:
        _search_names(index, query, offerer(by_name), limit)
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


def _search_names(index: Index, query: Query, offer, limit: int) -> None:
    words = query.words
    exact = index.exact.get(words, ())
    for entry in exact:
        offer(entry.refnis, entry.display, entry.kind, EXACT - 100 * KIND_RANK[entry.kind])
    prefix, spelling = words, None
    if query.saint_ending:
        # "Sint" is a whole word, not the start of "Staden": complete "st " only, and rank the
        # names spelt as typed first ("St" and "Ste" abbreviate every spelling).
        prefix = words + " "
        spelling = query.saint_ending if query.saint_ending not in ("st", "ste") else None
    _complete(index.keys, prefix, index, offer, PREFIX, key_of=lambda k: k, spelling=spelling)
    _complete(index.word_keys, (prefix,), index, offer, WORD_PREFIX, key_of=lambda k: k[1],
              spelling=spelling)
    if exact:
        return
    if " " in words:
        _search_parts(index, words, offer)
    if len(words) < 3:
        return
    # Typos: compare with every key, but only when nothing matched the text exactly.
    for key, similarity, _ in process.extract(
        words, index.keys, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=72
    ):
        for entry in index.exact[key]:
            score = FUZZY_BASE + similarity * 10 - 30 * KIND_RANK[entry.kind]
            offer(entry.refnis, entry.display, FUZZY, score)


def _search_parts(index: Index, words: str, offer) -> None:
    """Offer the names written among other words ("rue haute bruxelles"), longer names first."""
    tokens = words.split()
    for size in range(min(len(tokens) - 1, index.longest), 0, -1):
        for i in range(len(tokens) - size + 1):
            for entry in index.exact.get(" ".join(tokens[i:i + size]), ()):
                score = PART + 10 * size - 100 * KIND_RANK[entry.kind]
                offer(entry.refnis, entry.display, entry.kind, score)


def _complete(keys, query, index: Index, offer, base: int, key_of, cap: int = 200,
              spelling: str | None = None) -> None:
    """Offer every name whose key starts with the query; shorter completions rank higher.

    `spelling`: the saint word typed ("sint"); names written with another one rank lower.
    """
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
        if spelling and spelling not in index.saint_spellings.get(key, ()):
            extra += OTHER_SAINT_SPELLING
        for entry in index.exact[key]:
            size = index.communes[entry.refnis].size
            offer(entry.refnis, entry.display, entry.kind,
                  base - 100 * KIND_RANK[entry.kind] - extra + size)


def _communes_named_with(index: Index, words: str, besides: set[str]) -> list[Match]:
    """The communes one of whose own names holds `words` as whole words ("molenbeek": 21012)."""
    found: dict[str, Match] = {}

    def collect(key: str) -> None:
        for entry in index.exact[key]:
            if entry.kind == NAME and entry.refnis not in besides and entry.refnis not in found:
                found[entry.refnis] = Match(entry.refnis, entry.display, NAME, WORD_PREFIX)

    # "molenbeek st jean" begins with the words; "st jans molenbeek" has them after a space.
    start = bisect_left(index.keys, words + " ")
    for key in index.keys[start:start + 200]:
        if not key.startswith(words + " "):
            break
        collect(key)
    start = bisect_left(index.word_keys, (words,))
    for head, key in index.word_keys[start:start + 200]:
        if not head.startswith(words):
            break
        if head == words or head.startswith(words + " "):
            collect(key)
    return sorted(found.values(), key=lambda m: index.communes[m.refnis].names["fr"])


@dataclass(frozen=True)
class Understanding:
    """What a search text was taken to mean: one commune, or choices to offer.

    `asked` is False when the text held nothing to look for (blanks, punctuation): no
    "not found" then, the page is as if nothing had been typed.
    """

    chosen: Match | None
    choices: list[Match]
    asked: bool = True


def understand(text: str, limit: int = 8) -> Understanding:
    """Decide whether a text means one commune or needs a "which one did you mean?"."""
    query = read_query(text)
    if not query.asked:
        return Understanding(None, [], asked=False)
    index = get_index()
    matches = _search(index, query, limit * 3)  # room for the communes behind many villages
    if not matches:
        return Understanding(None, [])
    codes = [m for m in matches if m.match_kind == POSTAL_CODE]
    if codes and len(codes) < len(matches):  # "Gent 1000": the code and the name disagree
        named = [m for m in matches if m.match_kind != POSTAL_CODE and _is_sure(m, query)]
        if named:
            return Understanding(None, (named + codes)[:limit])
        matches = codes  # a half-typed or misspelt name does not outweigh a whole postal code
    top = matches[0]
    ties = [m for m in matches if m.score == top.score]
    if top.match_kind in (FORMER_COMMUNE, LOCALITY) and top.score >= EXACT - 200:
        # "Molenbeek" is a village of Bekkevoort, and most often meant for Sint-Jans-Molenbeek.
        communes = _communes_named_with(index, query.words, {m.refnis for m in ties})
        if communes:
            return Understanding(None, (communes + ties)[:limit])
    if len(ties) > 1:  # a shared postal code, a village name found in two communes
        return Understanding(None, ties[:limit])
    if _is_sure(top, query) or len(matches) == 1:
        return Understanding(top, [])
    # Only completions, near-spellings or names among other words: let them choose.
    return Understanding(None, matches[:limit])


def _is_sure(match: Match, query: Query) -> bool:
    """An exact match, or a commune's own name written among other words ("Rue Haute Bruxelles")."""
    if match.score >= EXACT - 200:
        return True
    return match.match_kind == NAME and f" {normalise(match.matched)} " in f" {query.words} "
