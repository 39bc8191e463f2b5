"""The guide "Which mediation do I need?": a few situations, each leading to a kind of mediation
and a search, or, for what local services do not handle, to the competent body."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..i18n import current_language
from ..models import Commune
from .routes import bp


@dataclass(frozen=True)
class Situation:
    """One entry of the guide: what happened, the kind of mediation it calls for, three lines."""

    code: str  # the anchor on the guide page, stable
    kind: str | None  # the search filter; None: no local service, the bodies below
    title: object
    lines: tuple


@dataclass(frozen=True)
class Body:
    """A federal body a citizen may turn to for a mediation no local service offers."""

    name: object
    about: object
    urls: dict  # reader's language -> address; "*" for every other language

    def url(self, lang: str) -> str:
        return self.urls.get(lang, self.urls["*"])


FREE_VOLUNTARY = _l("Free and voluntary: nobody can be made to take part, and you may stop at "
                    "any time.")
CONFIDENTIAL = _l("Confidential: what is said stays between you, the other side and the "
                  "mediator.")

SITUATIONS = (
    Situation("neighbour", "neighbourhood", _l("A conflict with a neighbour"), (
        FREE_VOLUNTARY, CONFIDENTIAL,
        _l("Next: a mediator listens to each of you separately, then, if you both agree, "
           "helps you talk together and find a solution that suits you both."))),
    Situation("sac", "sac", _l("My child or I received an SAC/GAS fine or a mediation "
                               "proposal"), (
        _l("Free and voluntary: for a minor, the commune must offer mediation; accepting it "
           "is your choice."),
        CONFIDENTIAL,
        _l("Next: the mediation of the commune that imposed the sanction meets you and, if "
           "possible, the person harmed; an agreement may replace the fine. Search with that "
           "commune, not the one where you live."))),
    Situation("school", "school", _l("A conflict at school"), (
        FREE_VOLUNTARY, CONFIDENTIAL,
        _l("Next: a school mediator meets the pupil, the parents and the school staff to "
           "restore dialogue. When no commune offers it, the school's community does."))),
    Situation("groups", "community", _l("A conflict in the neighbourhood involving groups"), (
        FREE_VOLUNTARY, CONFIDENTIAL,
        _l("Next: the mediator meets the residents and groups concerned, then brings them "
           "together, with the commune's partners when useful, to agree on how to live "
           "together."))),
    Situation("other", None, _l("Something else: family, consumer, administration"), (
        _l("Local public services do not handle these conflicts; other bodies do."),
        _l("Accredited mediators work for a fee; the consumer and administrative mediation "
           "services are free."),
        _l("Next: contact the body below that fits your situation."))),
)

BODIES = (
    Body(_l("Federal Mediation Commission"),
         _l("The register of accredited mediators: family, civil, commercial and social "
            "mediation."),
         {"*": "https://www.fbc-cfm.be/"}),
    Body(_l("Consumer Mediation Service"),
         _l("A dispute with a company established in Belgium."),
         {"nl": "https://consumentenombudsdienst.be/", "en": "https://consumerombudsman.be/",
          "*": "https://mediationconsommateur.be/"}),
    Body(_l("Federal Ombudsman"),
         _l("A complaint about a federal administration."),
         {"*": "https://www.federalombudsman.be/"}),
)


def known_commune(value: str | None) -> Commune | None:
    """The active commune a refnis names, or None for anything else (bad input says nothing)."""
    if not value or not value.isascii() or not value.isdigit() or len(value) != 5:
        return None
    found = db.session.get(Commune, value)
    return found if found is not None and found.active else None


@bp.get("/guide")
def guide():
    """Show the situations, each with the kind of mediation it calls for and a search."""
    commune = known_commune(request.args.get("commune"))
    return render_template("public/guide.html", situations=SITUATIONS, bodies=BODIES,
                           commune=commune, reader=current_language())
