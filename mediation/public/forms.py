"""Forms of the public pages: the search parameters and the error report."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, Length, Optional, ValidationError

from ..directory.reading.search import POSITION_DECIMALS, round_position
from ..extensions import db
from ..forms import options
from ..labels import SERVICE_TYPE_CHOICES, SERVICE_TYPES, SPOKEN_LANGUAGES, language_name
from ..models import Commune

BELGIUM_BOX = (49.4, 51.6, 2.4, 6.5)  # south, north, west, east, with a margin
MAX_PAGE = 1000
MESSAGE_MAX_LENGTH = 2000


def is_control(char: str, allowed: str = "") -> bool:
    """Return whether `char` is an invisible control character (C0, DEL, C1) not allowed."""
    return (ord(char) < 32 or 127 <= ord(char) < 160) and char not in allowed


def remove_control_characters(field, allowed: str = "") -> bool:
    """Take invisible control characters out of a field's text; return whether it had any.

    The field is then shown again without them, and refused with a message.
    """
    if not field.data or not any(is_control(c, allowed) for c in field.data):
        return False
    field.data = "".join(c for c in field.data if not is_control(c, allowed))
    return True


class SearchForm(FlaskForm):
    """What a search URL may carry: ?q=, ?commune=, ?near=, filters and a page."""

    class Meta:
        csrf = False  # a GET form: the URL is the state and can be shared

    q = StringField(_l("Your commune, village or postal code"),
                    filters=[lambda text: " ".join(text.split()) if text else text],
                    validators=[Optional(), Length(max=100)])
    commune = StringField(validators=[Optional()])
    near = StringField(validators=[Optional()])
    # Unknown values get this form's own messages (validate_type, validate_language).
    type = SelectField(_l("Type of mediation"), validators=[Optional()], validate_choice=False)
    language = SelectField(_l("Language spoken"), validators=[Optional()], validate_choice=False)
    page = StringField(validators=[Optional()], default="1")

    def __init__(self, *args, offered_languages=SPOKEN_LANGUAGES, **kwargs):
        """`offered_languages`: the codes to list, those the directory's services speak."""
        super().__init__(*args, **kwargs)
        self.type.choices = options([("", _l("All types"))] + list(SERVICE_TYPE_CHOICES.items()))
        offered = [code for code in SPOKEN_LANGUAGES
                   if code in offered_languages or code == self.language.data]
        self.language.choices = options([("", _l("All languages"))] + [
            (code, language_name(code)) for code in offered])

    def value(self, name: str):
        """Return a field's value when it is valid, else None: bad input is said, not used."""
        field = self[name]
        return field.data if field.data and not field.errors else None

    def page_number(self) -> int:
        return int(self.value("page") or 1)

    def validate_type(self, field):
        if field.data and field.data not in SERVICE_TYPES:
            raise ValidationError(_l("This type of mediation is unknown: all types are shown."))

    def validate_language(self, field):
        if field.data and field.data not in SPOKEN_LANGUAGES:
            raise ValidationError(_l("This language is unknown: all languages are shown."))

    def validate_page(self, field):
        text = (field.data or "").strip()
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_PAGE):
            raise ValidationError(_l("The page number must be a whole number from 1 to "
                                     "%(max)d: the first page is shown.", max=MAX_PAGE))

    def validate_q(self, field):
        if remove_control_characters(field):
            raise ValidationError(_l("This text contains invisible control characters. "
                                     "Please type the name or postal code again."))

    def validate_commune(self, field):
        if field.data and (not field.data.isdigit() or db.session.get(Commune, field.data) is None):
            raise ValidationError(_l("This commune code is unknown."))

    def validate_near(self, field):
        position = self.position()
        if field.data and position is None:
            raise ValidationError(_l("This position is not in Belgium."))
        if position and position != self.position(rounded=False):
            # Shown again and carried in links as it is used: to about 100 m.
            field.data = "{:.{d}f},{:.{d}f}".format(*position, d=POSITION_DECIMALS)

    def position(self, rounded: bool = True) -> tuple[float, float] | None:
        """Return (lat, lon) from "lat,lon", rounded to about 100 m, when it lies in Belgium."""
        try:
            lat, lon = (float(part) for part in (self.near.data or "").split(","))
        except ValueError:
            return None
        south, north, west, east = BELGIUM_BOX
        if not (south <= lat <= north and west <= lon <= east):
            return None
        return round_position(lat, lon) if rounded else (lat, lon)


class ErrorReportForm(FlaskForm):
    """A citizen's report that something on a service's page is wrong.

    No CSRF token: it would need a session cookie on every service page. The view refuses
    forms that browsers say come from another site instead (web.sent_from_another_site).
    """

    class Meta:
        csrf = False

    message = TextAreaField(
        _l("What is wrong or missing?"),
        # Browsers send line breaks as CRLF but count them as one character for maxlength.
        filters=[lambda text: text.replace("\r\n", "\n") if text else text],
        validators=[Length(min=10, max=MESSAGE_MAX_LENGTH,
                           message=_l("Please write between %(min)d and %(max)d characters."))],
    )
    email = EmailField(
        _l("Your e-mail address (optional, only if you want an answer)"),
        validators=[Optional(), Email(message=_l("This e-mail address does not look valid.")),
                    Length(max=254)],
    )
    # Left empty by people, filled in by robots that fill in every field.
    website = StringField(_l("Leave this field empty"), validators=[Optional()])

    def validate_message(self, field):
        if not field.data:
            return
        # Never shown again longer than the field allows (Length has said it is too long).
        field.data = field.data[:MESSAGE_MAX_LENGTH]
        if remove_control_characters(field, allowed="\n\t"):  # line breaks and tabs are text
            raise ValidationError(_l("This text contains invisible control characters; they "
                                     "have been removed. Please check it and send it again."))
