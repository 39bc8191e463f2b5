"""The search key of a name: no case, accents, hyphens, apostrophes, "Saint".

Below both the gazetteer and the models, so that neither imports the other to compare names.
"""

import re
import unicodedata
from functools import lru_cache

SAINTS = {"saint": "st", "sainte": "st", "sint": "st", "sankt": "st", "st": "st", "ste": "st"}
_SEPARATORS = re.compile(r"[\s’'`´‘\-‐‑–—_.,;:/()\"«»]+")
_LIGATURES = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o"}


class _Folding(dict):
    """A translation table that folds each character (ligature, accent, case) the first time
    it is met: str.translate then runs at C speed over the characters already known."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        text = unicodedata.normalize("NFKD", _LIGATURES.get(char, char))
        self[code] = folded = "".join(c for c in text if not unicodedata.combining(c)).casefold()
        return folded


_FOLDING = _Folding()


def tokens(text: str) -> list[str]:
    """Split a text into words without case or accents, saint words still as written."""
    return [token for token in _SEPARATORS.split(text.translate(_FOLDING)) if token]


@lru_cache(maxsize=65_536)
def normalise(text: str) -> str:
    """Return the search key of a place name: no case, accents, hyphens, apostrophes, 'Saint'.

    >>> normalise("Sint-Pieters-Woluwe") == normalise("St Pieters Woluwe")
    True
    """
    return " ".join(SAINTS.get(token, token) for token in tokens(text))
