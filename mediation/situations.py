"""What people type besides a place: a situation or a kind of mediation, in four languages.

"bruit voisin Schaerbeek", "GAS-boete mijn zoon", "Streit mit dem Nachbarn Eupen": the words of
the vocabulary (mediation/data/situations.csv) give the kind of mediation, the filler words
("mijn", "with", "médiation") are set aside, and what remains is handed to the place-name
resolver. A text with no word of a kind is left exactly as typed, so that the resolver sees
every place name as before.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from .gazetteer import Understanding, get_index, normalise, understand

FILLER = "filler"
# When a text holds words of several kinds, the most specific wins: an SAC fine about a quarrel
# between neighbours is an SAC matter; a conflict at school is a school matter.
PRECEDENCE = ("sac", "school", "neighbourhood", "community", "other")


@dataclass(frozen=True)
class Term:
    lang: str
    kind: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Situation:
    """A search text as read: its kind of mediation (or None), the place part, the words used.

    `place` drops the filler words too ("mijn zoon"); `loose_place` keeps them, for the places
    whose names begin with one ("La Hulpe", "De Panne").
    """

    kind: str | None
    place: str
    loose_place: str
    terms: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def vocabulary() -> dict[tuple[str, ...], list[Term]]:
    """Read the vocabulary once: its phrases as normalised words, longest first per first word."""
    path = files("mediation").joinpath("data/situations.csv")
    terms: dict[tuple[str, ...], list[Term]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            words = tuple(normalise(row["phrase"]).split())
            if words:
                terms.setdefault(words, []).append(Term(row["lang"], row["kind"], words))
    return terms


@lru_cache(maxsize=1)
def _by_first_word() -> dict[str, list[tuple[str, ...]]]:
    first: dict[str, list[tuple[str, ...]]] = {}
    for words in vocabulary():
        first.setdefault(words[0], []).append(words)
    for phrases in first.values():
        phrases.sort(key=len, reverse=True)
    return first


def _kind_of(terms: list[Term]) -> str:
    kinds = {t.kind for t in terms}
    return next((k for k in PRECEDENCE if k in kinds), FILLER)


def read_situation(text: str) -> Situation:
    """Split a search text into a kind of mediation and the words that may name a place."""
    words = text.split()
    # Each typed word becomes one or more normalised tokens ("l'école" -> l, ecole).
    tokens = [(i, token) for i, word in enumerate(words)
              for token in normalise(word).split()]
    if not tokens or normalise(text) in get_index().exact:  # "Boom" is a commune, not a tree
        return Situation(None, text, text)
    first, vocab = _by_first_word(), vocabulary()
    kinds_of_token: list[str | None] = [None] * len(tokens)
    found: list[str] = []
    position = 0
    while position < len(tokens):
        for phrase in first.get(tokens[position][1], ()):
            if tuple(t for _, t in tokens[position:position + len(phrase)]) == phrase:
                kind = _kind_of(vocab[phrase])
                for k in range(position, position + len(phrase)):
                    kinds_of_token[k] = kind
                if kind != FILLER:
                    found.append(" ".join(phrase))
                position += len(phrase)
                break
        else:
            position += 1
    kinds = {k for k in kinds_of_token if k and k != FILLER}
    if not kinds:
        return Situation(None, text, text)
    kind = next(k for k in PRECEDENCE if k in kinds)

    def kept(drop_fillers: bool) -> str:
        by_word: dict[int, set] = {}
        for (i, _), k in zip(tokens, kinds_of_token):
            by_word.setdefault(i, set()).add(k)
        return " ".join(
            word for i, word in enumerate(words)
            if not (kinds_of := by_word.get(i, {FILLER})) - {None, FILLER}
            and not (drop_fillers and kinds_of == {FILLER}))

    return Situation(kind, kept(True), kept(False), tuple(found))


def understand_search(text: str) -> tuple[Situation, str, Understanding | None]:
    """Read a search text: its kind, the place part as typed, and the commune(s) it means.

    The understanding is None when the text names a situation and no place ("amende SAC").
    """
    situation = read_situation(text)
    if situation.kind is None:
        return situation, text, understand(text)
    strict = understand(situation.place) if situation.place else None
    if strict is None or strict.chosen:
        return situation, situation.place, strict
    if situation.loose_place != situation.place:
        loose = understand(situation.loose_place)
        if loose.chosen:
            return situation, situation.loose_place, loose
    return situation, situation.place, strict
