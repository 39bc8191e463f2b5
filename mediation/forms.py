"""Fields and checks shared by the staff forms (sign-in, access, services)."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError

from . import gazetteer
from .i18n import commune_name
from .extensions import db
from .models import Commune

CONTROL_CHARACTERS = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {
    chr(c) for c in range(127, 160)}


def no_control_characters(form, field):
    """Refuse invisible control characters (line breaks and tabs are fine)."""
    if isinstance(field.data, str) and any(c in CONTROL_CHARACTERS for c in field.data.replace("\r\n", "\n")):
        field.data = "".join(c for c in field.data if c not in CONTROL_CHARACTERS or c == "\r")
        raise ValidationError(_l("This text contains invisible control characters. "
                                 "Please check it and send it again."))


def strip(text):
    return text.strip() if isinstance(text, str) else text


def resolve_commune(text: str) -> tuple[Commune | None, list[Commune]]:
    """Return (the commune a typed text means, or None with the candidates to choose from)."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) == 5:
        found = db.session.get(Commune, text)
        if found is not None and found.active:
            return found, []
    understood = gazetteer.understand(text) if text else None
    if understood is None or not understood.asked:
        return None, []
    if understood.chosen is not None:
        return db.session.get(Commune, understood.chosen.refnis), []
    candidates = [db.session.get(Commune, m.refnis) for m in understood.choices]
    return None, [c for c in candidates if c is not None]


class CommuneField(StringField):
    """A commune typed by name, village or postal code (the autocomplete helps): `.commune`."""

    commune: Commune | None = None

    def pre_validate(self, form):
        self.commune = None
        if not (self.data or "").strip():
            return
        found, candidates = resolve_commune(self.data)
        if found is None and candidates:
            names = ", ".join(commune_name(c) for c in candidates[:6])
            raise ValidationError(_l("Which commune do you mean: %(names)s? Please type its "
                                     "full name.", names=names))
        if found is None:
            raise ValidationError(_l("No Belgian commune is known by this name or postal code."))
        self.commune = found
