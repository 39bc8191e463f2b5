"""Fields and checks shared by the staff forms (sign-in, access, services)."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from .i18n import commune_name
from .models import Commune
from .values import CONTROL_CHARACTERS, has_control_characters, resolve_commune



def no_control_characters(form, field):
    """Refuse invisible control characters (line breaks and tabs are fine)."""
    if isinstance(field.data, str) and has_control_characters(field.data):
        field.data = "".join(c for c in field.data if c not in CONTROL_CHARACTERS or c == "\r")
        raise ValidationError(_l("This text contains invisible control characters. "
                                 "Please check it and send it again."))


def options(pairs) -> list[SelectChoice]:
    """Return (value, label) pairs as the options of a select field."""
    return [SelectChoice(value, label) for value, label in pairs]


def option_values(field) -> set:
    """Return the values a select field offers."""
    return {choice.value for choice in field.choices or ()}


def strip(text):
    return text.strip() if isinstance(text, str) else text


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
