"""Limits per person: sign-in slowed per account and address pair, invitations per inviter and
per recipient, reset links per account; limits kept per worker when Redis is down are divided.

Sign-in: after FREE_FAILURES wrong passwords for one account from one address, each further
attempt from that pair waits twice as long as the one before (up to MAX_DELAY). Nobody else is
slowed: a stranger who types wrong passwords for an account from other addresses never keeps
its owner out.
"""

from __future__ import annotations

import hashlib
import math

from flask import current_app, request
from flask_login import current_user
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage

from .. import accounts
from ..extensions import limiter

FREE_FAILURES = 5
FIRST_DELAY = 15  # seconds, doubled with each further failure
MAX_DELAY = 15 * 60
FAILURES_KEPT = 24 * 3600

_own_memory = MemoryStorage()  # when the shared store does not answer


def workers_share(count: int) -> int:
    """Of a limit shared by every worker, what one worker may allow alone (Redis down)."""
    return max(1, math.floor(count / max(1, int(current_app.config["RATELIMIT_WORKERS"]))))


def shared_store_down() -> bool:
    # Flask-Limiter notes it when it falls back to each worker's memory.
    return bool(getattr(limiter, "_storage_dead", False))


def per_worker(spec: str):
    """A limit ("5 per minute; 20 per hour", or the name of a setting that holds one), divided
    between the workers while Redis is down and each worker counts alone."""

    def limit() -> str:
        text = str(current_app.config[spec]) if spec.isupper() else spec
        if not shared_store_down():
            return text
        return "; ".join(f"{workers_share(int(amount))} {rest}" for amount, _, rest in
                         (part.strip().partition(" ") for part in text.split(";")))

    return limit


def recipient() -> str:
    """The key of one recipient: the address typed, whoever types it."""
    return "recipient:" + _digest(accounts.normalise_email(request.form.get("email", ""))[:254])


def inviter() -> str:
    """The key of one inviter: the signed-in account."""
    return f"inviter:{current_user.get_id().partition(':')[0]}" if current_user.is_authenticated \
        else "inviter:anonymous"


def _digest(text: str) -> str:
    key = current_app.secret_key
    key = key.encode() if isinstance(key, str) else key
    return hashlib.blake2b(text.encode(), key=key[:64], digest_size=16).hexdigest()


def _pair(email: str) -> str:
    return _digest(accounts.normalise_email(email)[:254] + "|" + get_remote_address())


def _store():
    if limiter.enabled and limiter.initialized and not shared_store_down():
        return limiter.storage
    return _own_memory


def _call(method, *args):
    """Ask the shared store, or this worker's memory when the shared one does not answer."""
    store = _store()
    try:
        return getattr(store, method)(*args), store is _own_memory
    except Exception:  # noqa: BLE001 - Redis down: this worker counts alone
        return getattr(_own_memory, method)(*args), True


def free_failures(alone: bool) -> int:
    return workers_share(FREE_FAILURES) if alone else FREE_FAILURES


def enabled() -> bool:
    """Whether this app counts (the limiter object is shared by every app of the process)."""
    return limiter.enabled and bool(current_app.config.get("RATELIMIT_ENABLED", True))


def sign_in_delayed(email: str) -> bool:
    """Return whether this account and address must wait before trying again."""
    if not enabled():
        return False
    pair = _pair(email)
    failures, alone = _call("get", f"signin-failures:{pair}")
    if failures < free_failures(alone):
        return False
    waiting, _alone = _call("get", f"signin-wait:{pair}:{failures}")
    return waiting > 0


def note_failure(email: str) -> None:
    """Count a wrong password for this account and address; past the free ones, wait."""
    if not enabled():
        return
    pair = _pair(email)
    failures, alone = _call("incr", f"signin-failures:{pair}", FAILURES_KEPT)
    free = free_failures(alone)
    if failures >= free:
        delay = min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - free))
        _call("incr", f"signin-wait:{pair}:{failures}", delay)


def forget_failures(email: str) -> None:
    """The right password: the pair starts afresh."""
    if enabled():
        _call("clear", f"signin-failures:{_pair(email)}")
