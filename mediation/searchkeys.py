"""The search key of a name: no case, accents, hyphens, apostrophes, "Saint".

Below both the gazetteer and the models, so that neither imports the other to compare names.
"""

import re
import unicodedata

SAINTS = {"saint": "st", "sainte": "st", "sint": "st", "sankt": "st", "st": "st", "ste": "st"}
_SEPARATORS = re.compile(r"[\s’'`´‘\-‐‑–—_.,;:/()\"«»]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o"})


def tokens(text: str) -> list[str]:
    """Split a text into words without case or accents, saint words still as written."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return [token for token in _SEPARATORS.split(text) if token]


def normalise(text: str) -> str:
    """Return the search key of a place name: no case, accents, hyphens, apostrophes, 'Saint'.

    >>> normalise("Sint-Pieters-Woluwe") == normalise("St Pieters Woluwe")
    True
    """
    return " ".join(SAINTS.get(token, token) for token in tokens(text))
