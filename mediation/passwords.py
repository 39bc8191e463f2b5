"""How guessable a staff password is, offline.

The commonly used passwords are zxcvbn's list (the 30,000 most frequent passwords of public
leaks, shipped inside the package); zxcvbn also estimates how many guesses the rest takes
(repeats, sequences, keyboard rows, dates, dictionary words), the person's own e-mail address
and name counting as words an attacker knows.
"""

from __future__ import annotations

import re
from functools import lru_cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_SCORE = 3  # zxcvbn's scale 0-4: 3 is "safely unguessable" (over 10^8 guesses)
MIN_PERSONAL = 4  # parts of an address or name shorter than this say nothing


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def personal_words(email: str, name: str) -> list[str]:
    """The e-mail address, its local part and domain, and the name, and each of their words."""
    email, name = (email or "").strip().lower(), (name or "").strip().lower()
    local, _, domain = email.partition("@")
    words = [email, local, domain.partition(".")[0], name]
    words += re.split(r"[^\w]+|_", local) + re.split(r"[^\w]+|_", name)
    return [w for w in dict.fromkeys(words) if len(w) >= MIN_PERSONAL]


def weakness(password: str, email: str = "", name: str = "") -> str | None:
    """Return "common", "personal" or "guessable" for a weak password, else None."""
    lowered = password.lower()
    core = re.sub(r"[\W\d_]+$", "", re.sub(r"^[\W\d_]+", "", lowered))  # "password2024!"
    if lowered in common_passwords() or (len(core) >= 6 and core in common_passwords()):
        return "common"
    personal = personal_words(email, name)
    squeezed = re.sub(r"[\W_]+", "", lowered)
    if any(word in lowered or re.sub(r"[\W_]+", "", word) in squeezed for word in personal):
        return "personal"
    if zxcvbn(password[:100], user_inputs=personal)["score"] < MIN_SCORE:
        return "guessable"
    return None
