"""What an account may manage, changed by an admin within their territory (issue 16): a
limited admin gives and takes only what lies in their territory, on the account page and on
the command line alike."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from .accounts import bump_session_version, snapshot
from .directory import audit
from .extensions import db
from .models import Commune, Organization, Role, User


@dataclass
class AccountChanges:
    """What an admin sets on an account; None: left as it is."""

    role: str | None = None
    active: bool | None = None
    communes: list[Commune] | None = None
    organizations: list[Organization] | None = None
    regions: list | None = None
    provinces: list | None = None


def territory_of(actor: User | None) -> frozenset[str] | None:
    """The REFNIS codes an admin answers for; None for a national admin (or the command line
    without --by)."""
    from .directory.reading.staff_lists import communes_in_scope

    if actor is None or actor.is_national_admin:
        return None
    return frozenset(db.session.scalars(communes_in_scope(actor)))


def outside(user: User, territory: frozenset[str] | None) -> list[str]:
    """What an account holds outside a territory: names of communes and organisations."""
    if territory is None:
        return []
    return ([c.name_fr or c.refnis for c in user.communes if c.refnis not in territory]
            + [o.name_fr or o.name_nl or str(o.id) for o in user.organizations
               if o.refnis not in territory])


def change_account(actor: User | None, user: User, changes: AccountChanges) -> list[str]:
    """Change an account as far as the actor's territory allows; return the problems
    (nothing is changed when there are any). Audited.

    A limited admin gives and takes only communes and organisations inside their territory,
    may not change a role or a territory, and may not deactivate an account that holds
    anything outside their territory.
    """
    territory = territory_of(actor)
    problems = []
    role = changes.role or user.role.value
    if role not in ("editor", "admin") or (role != user.role.value and territory is not None):
        problems.append(_("Only a national admin can change a role."))
    active = user.active if changes.active is None else changes.active
    if actor is not None and user.id == actor.id and (role != "admin" or not active):
        problems.append(_("You cannot remove your own admin role or deactivate yourself."))
    communes = list(user.communes) if changes.communes is None else list(changes.communes)
    organizations = (list(user.organizations) if changes.organizations is None
                     else list(changes.organizations))
    if territory is not None:
        if any(c.refnis not in territory for c in communes if c not in user.communes):
            problems.append(_("You can only give communes of your territory."))
        if any(o.refnis not in territory for o in organizations if o not in user.organizations):
            problems.append(_("You can only give organisations of your territory."))
        if any(c.refnis not in territory for c in user.communes if c not in communes):
            problems.append(_("You can only take away communes of your territory."))
        if any(o.refnis not in territory for o in user.organizations if o not in organizations):
            problems.append(_("You can only take away organisations of your territory."))
        if user.active and not active and outside(user, territory):
            problems.append(_("This account also manages %(names)s, outside your territory: "
                              "only a national admin can deactivate it.",
                              names=", ".join(outside(user, territory))))
        if changes.regions is not None or changes.provinces is not None:
            problems.append(_("Only a national admin can change a territory."))
    if problems:
        return problems
    before = snapshot(user)
    user.role = Role(role)
    if user.active and not active:
        bump_session_version(user)  # a deactivated account's sessions end for good
    user.active = active
    user.communes = list(dict.fromkeys(communes))
    user.organizations = list(dict.fromkeys(organizations))
    if changes.regions is not None:
        user.regions = changes.regions if user.is_admin else []
    if changes.provinces is not None:
        user.provinces = changes.provinces if user.is_admin else []
    if not user.is_admin:
        user.regions, user.provinces = [], []
    audit.record(actor, "user.changed", user, before=before, after=snapshot(user))
    db.session.commit()
    return []
