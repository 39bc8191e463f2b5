"""Translated labels of the stable codes used in the data (service types, organisation kinds)."""

from babel import Locale
from flask_babel import lazy_gettext as _l

from .i18n import current_language

SERVICE_TYPES = {
    "neighbourhood": _l("Neighbourhood mediation"),
    "community": _l("Community and conflict mediation"),
    "sac": _l("Mediation for municipal administrative sanctions (SAC/GAS)"),
    "school": _l("School mediation"),
    "other": _l("Other mediation"),
}

# The same kinds, short enough for a select menu on a phone.
SERVICE_TYPE_CHOICES = {
    "neighbourhood": _l("Neighbourhood mediation"),
    "community": _l("Conflict mediation"),
    "sac": _l("SAC/GAS mediation"),
    "school": _l("School mediation"),
    "other": _l("Other mediation"),
}

# The texts a service has in each language, as the service form and the review name them.
SERVICE_TEXTS = {
    "name": _l("Name of the service"),
    "description": _l("What the service does"),
    "target_public": _l("Who it is for"),
    "how_to_request": _l("How to ask for mediation"),
    "conditions": _l("Conditions"),
    "cost_note": _l("Cost (when not free)"),
}

ORGANIZATION_KINDS = {
    "commune": _l("Commune"),
    "cpas": _l("Public centre for social welfare (CPAS/OCMW)"),
    "police_zone": _l("Police zone"),
    "province": _l("Province"),
    "intercommunal": _l("Intercommunal association"),
    "non_profit": _l("Non-profit organisation mandated by a commune"),
}

# Languages a citizen may look for among those the mediators speak.
SPOKEN_LANGUAGES = ("fr", "nl", "de", "en", "ar", "tr", "es", "it", "lb", "pl", "pt", "ro", "ru")


def language_name(code: str, lang: str | None = None) -> str:
    """Return the name of a language in the reader's language ("néerlandais", "Niederländisch")."""
    locale = Locale.parse(lang or current_language())
    return locale.languages.get(code, code)

# What an audit event records, as the history and the admin pages name it.
AUDIT_ACTIONS = {
    "service.created": _l("Draft created"),
    "service.draft_saved": _l("Draft saved"),
    "service.submitted": _l("Submitted for review"),
    "service.approved": _l("Approved and published"),
    "service.rejected": _l("Rejected"),
    "service.returned": _l("Returned to its author with a comment"),
    "service.edited": _l("Changed by an admin"),
    "service.verified": _l("Checked: still accurate"),
    "service.archived": _l("Archived"),
    "service.unarchived": _l("Restored from the archive"),
    "service.imported": _l("Imported"),
    "service.demo_created": _l("Demonstration entry created"),
    "service.demo_refreshed": _l("Demonstration entry refreshed"),
    "service.resubmitted": _l("Submitted again for review"),
    "service.confirmed": _l("Confirmed by its organisation or checked by the directory's team"),
    "service.confirmation_requested": _l("Editors asked to confirm the entry"),
    "revision.proposed": _l("Changes proposed"),
    "revision.draft_saved": _l("Unsubmitted changes saved"),
    "revision.submitted": _l("Changes submitted for review"),
    "revision.approved": _l("Changes approved and published"),
    "revision.rejected": _l("Changes rejected"),
    "revision.withdrawn": _l("Changes withdrawn"),
    "revision.replaced": _l("Replaced by a new submission"),
    "revision.restore_proposed": _l("Earlier version proposed again"),
    "revision.geocoded": _l("Address placed on the map"),
    "location.geocoded": _l("Address placed on the map"),
    "organization.imported": _l("Organisation imported"),
    "kind_text.changed": _l("Text for a kind of mediation changed"),
    "commune.contact_changed": _l("Commune's contact changed"),
    "error_report.created": _l("Error report received"),
    "error_report.handled": _l("Error report handled"),
    "error_report.purged": _l("Old error report deleted"),
    "access_request.created": _l("Access requested"),
    "access_request.granted": _l("Access granted"),
    "access_request.refused": _l("Access refused"),
    "user.created": _l("Account created"),
    "user.invited": _l("Colleague invited"),
    "user.changed": _l("Account changed"),
    "user.logged_in": _l("Signed in"),
    "user.logged_out": _l("Signed out"),
    "user.signed_out_everywhere": _l("Signed out on every device"),
    "user.reset_requested": _l("New password requested"),
    "user.password_reset": _l("New password chosen"),
    "user.invitation_accepted": _l("Invitation accepted"),
}

AUDIT_ENTITIES = {
    "service": _l("Service"),
    "revision": _l("Proposed changes"),
    "location": _l("Address"),
    "organization": _l("Organisation"),
    "kind_text": _l("Texts per kind"),
    "commune": _l("Commune"),
    "error_report": _l("Error report"),
    "access_request": _l("Access request"),
    "user": _l("Account"),
}


def action_label(action: str) -> str:
    """Name an audit event's action in words; an action without a label yet still reads as
    words ("Service: other change"), never as its code."""
    if action in AUDIT_ACTIONS:
        return str(AUDIT_ACTIONS[action])
    from flask_babel import gettext as _

    entity = AUDIT_ENTITIES.get(action.partition(".")[0]) or _("Record")
    return _("%(entity)s: other change", entity=entity)
