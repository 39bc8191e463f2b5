"""Staff accounts: passwords (argon2), signed links, creating and inviting users.

Signed links carry the account id and a fingerprint of its password: once the password is
set, every earlier link stops working, so each link works once.

Whether an address has an account never shows: a reset or an invitation is answered at once,
the same way for every address, and the per-account work (finding the account, making the
link, writing the mail) runs after the answer (background.py).
"""

from __future__ import annotations

import hashlib
from contextlib import nullcontext
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func

from . import background, passwords
from .directory import audit
from .extensions import db
from .models import Commune, Organization, Role, User
from .models.reference import utcnow


@lru_cache(maxsize=4)
def _hasher_for(time_cost: int, memory_cost: int) -> tuple[PasswordHasher, str]:
    """A hasher with these costs, and a hash of no one's password to verify against when an
    e-mail is unknown, so that both answers take the same time."""
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)
    return hasher, hasher.hash("not a password of anyone")


def _hasher() -> tuple[PasswordHasher, str]:
    """The configured argon2 costs (the library's defaults unless the configuration lowers
    them, as the tests do to stay fast)."""
    config = current_app.config
    return _hasher_for(int(config["ARGON2_TIME_COST"]), int(config["ARGON2_MEMORY_COST"]))

INVITATION_DAYS = 7
RESET_HOURS = 1
MIN_PASSWORD_LENGTH = 12

LINK_PURPOSES = {
    "invitation": timedelta(days=INVITATION_DAYS),
    "reset": timedelta(hours=RESET_HOURS),
}


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(
        db.select(User).where(func.lower(User.email) == normalise_email(email)))


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def check_password(user: User | None, password: str) -> bool:
    """Return True when `password` is the user's; takes as long for an unknown user."""
    hasher, dummy = _hasher()
    try:
        if user is None or not user.password_hash:
            hasher.verify(dummy, password + "x")
            return False
        return hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def set_password(user: User, password: str) -> None:
    """Set the password; the account's other sessions and earlier links end."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    bump_session_version(user)


def bump_session_version(user: User) -> None:
    """End every session of the account: cookies carry the version they were made with."""
    if user.id is None:
        user.session_version = (user.session_version or 0) + 1
    else:  # in the statement, so two bumps at once both count
        user.session_version = User.session_version + 1


def end_sessions(user: User, actor: User | None, action: str) -> None:
    """Sign the account out everywhere (logout, "sign out everywhere"); audited."""
    bump_session_version(user)
    audit.record(actor, action, user)
    db.session.commit()


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Return why a password may not be chosen (translated), or None when it may."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password must be at least %(min)d characters long.",
                 min=MIN_PASSWORD_LENGTH)
    reason = passwords.weakness(password, email=email, name=name)
    if reason == "common":
        return _("This password is among the most commonly used passwords: please choose "
                 "another one.")
    if reason == "personal":
        return _("The password must not contain your e-mail address or your name.")
    if reason == "guessable":
        return _("This password is too easy to guess (repeated characters, sequences, keyboard "
                 "rows or a date): a few unrelated words make a good password.")
    return None


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"account-{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "none").encode()).hexdigest()[:16]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"user": user.id, "password": _fingerprint(user)})


def read_token(token: str, purpose: str) -> tuple[User | None, str]:
    """Return (user, "") for a valid link, or (None, why): "expired" or "invalid"."""
    max_age = LINK_PURPOSES[purpose].total_seconds()
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("password") != _fingerprint(user):
        return None, "invalid"
    return user, ""


def link(user: User, purpose: str, lang: str) -> str:
    """Return the absolute address of a signed link for the user's mail."""
    endpoint = "auth.welcome" if purpose == "invitation" else "auth.reset_password"
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return base + url_for(endpoint, lang=lang, token=make_token(user, purpose))


def snapshot(user: User) -> dict:
    """What the audit trail keeps of an account (never its password)."""
    return {
        "email": user.email, "name": user.name, "role": user.role.value, "active": user.active,
        "communes": sorted(c.refnis for c in user.communes),
        "organizations": sorted(o.id for o in user.organizations),
        "regions": sorted(r.code for r in user.regions),
        "provinces": sorted(p.code for p in user.provinces),
    }


class AccountError(ValueError):
    """An account cannot be created as asked (unknown commune, e-mail taken, …)."""


def build_user(email: str, role: str, refnis: list[str] = (), organization_ids: list[int] = (),
               name: str = "", lang: str = "fr") -> User:
    """Add a new account to the session, with the communes and organisations it may manage."""
    email = normalise_email(email)
    if find_user(email) is not None:
        raise AccountError(f"An account with the e-mail address {email} exists already.")
    communes = [db.session.get(Commune, code) for code in refnis]
    if None in communes:
        unknown = [code for code, c in zip(refnis, communes) if c is None]
        raise AccountError(f"Unknown commune code(s): {', '.join(unknown)}.")
    organizations = [db.session.get(Organization, int(i)) for i in organization_ids]
    if None in organizations:
        raise AccountError("Unknown organisation id.")
    user = User(email=email, name=name, role=Role(role), preferred_language=lang,
                communes=communes, organizations=organizations)
    db.session.add(user)
    db.session.flush()
    return user


def create_user(email: str, role: str, password: str, actor: User | None = None, **grants) -> User:
    """Create an account with a password (command line)."""
    user = build_user(email, role, **grants)
    set_password(user, password)
    audit.record(actor, "user.created", user, after=snapshot(user))
    db.session.commit()
    return user


def invite_user(email: str, role: str, inviter: User | None = None, commit: bool = True,
                **grants) -> User:
    """Create an account without a password and mail it a link (7 days) to choose one."""
    from . import mail

    user = build_user(email, role, **grants)
    audit.record(inviter, "user.invited", user, after=snapshot(user))
    mail.queue(user.email, "invitation", user.preferred_language, user=user, inviter=inviter,
               url=link(user, "invitation", user.preferred_language), days=INVITATION_DAYS)
    if commit:
        db.session.commit()
    return user


def request_reset(email: str) -> None:
    """Answer a reset request at once; the link is mailed afterwards if the address is an
    active account's (send_reset_link)."""
    background.later(send_reset_link, normalise_email(email))


def send_reset_link(email: str) -> None:
    """Mail a reset link (1 hour) when the address is an active account's; say nothing else."""
    from . import mail

    with _public_request():
        user = find_user(email)
        if user is None or not user.active:
            return
        lang = user.preferred_language
        mail.queue(user.email, "password_reset", lang, user=user,
                   url=link(user, "reset", lang), hours=RESET_HOURS)
        audit.record(user, "user.reset_requested", user)
        db.session.commit()
        mail.deliver_committed()


def request_invitation(email: str, role: str, inviter: User, **grants) -> None:
    """Answer an invitation at once; the account is created and mailed afterwards, unless
    the address has one already (then nothing happens: its owner has access)."""
    background.later(_invite_if_new, normalise_email(email), role, inviter.id, grants)


def _invite_if_new(email: str, role: str, inviter_id: int, grants: dict) -> None:
    from . import mail

    with _public_request():
        if find_user(email) is not None:
            return
        inviter = db.session.get(User, inviter_id)
        if inviter is None or not inviter.active:
            return
        try:
            invite_user(email, role, inviter=inviter, **grants)
        except AccountError as error:  # a commune or organisation gone meanwhile
            db.session.rollback()
            current_app.logger.warning("Invitation not sent: %s", error)
            return
        mail.deliver_committed()


def _public_request():
    """A request on the public address, so that mailed links are absolute and right."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"])


def choose_password(user: User, password: str, action: str) -> None:
    """Set the password from a signed link (invitation or reset); earlier links die."""
    set_password(user, password)
    audit.record(user, action, user)
    db.session.commit()


def record_login(user: User, lang: str) -> None:
    """Note the sign-in; the language signed in with is the one the account's mail speaks."""
    user.last_login_at = utcnow()
    user.preferred_language = lang
    audit.record(user, "user.logged_in", user)
    db.session.commit()
