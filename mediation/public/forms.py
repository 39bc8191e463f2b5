"""Forms of the public pages: the search parameters and the error report."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, Length, Optional, ValidationError

from ..extensions import db
from ..labels import SERVICE_TYPE_CHOICES, SERVICE_TYPES, SPOKEN_LANGUAGES, language_name
from ..models import Commune

BELGIUM_BOX = (49.4, 51.6, 2.4, 6.5)  # south, north, west, east, with a margin
MAX_PAGE = 1000


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
        self.type.choices = [("", _l("All types"))] + list(SERVICE_TYPE_CHOICES.items())
        offered = [code for code in SPOKEN_LANGUAGES
                   if code in offered_languages or code == self.language.data]
        self.language.choices = [("", _l("All languages"))] + [
            (code, language_name(code)) for code in offered]

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
        if field.data and any(ord(c) < 32 or 127 <= ord(c) < 160 for c in field.data):
            # Shown again without the invisible characters, and refused.
            field.data = "".join(c for c in field.data if not (ord(c) < 32 or 127 <= ord(c) < 160))
            raise ValidationError(_l("This text contains invisible control characters. "
                                     "Please type the name or postal code again."))

    def validate_commune(self, field):
        if field.data and (not field.data.isdigit() or db.session.get(Commune, field.data) is None):
            raise ValidationError(_l("This commune code is unknown."))

    def validate_near(self, field):
        if field.data and self.position() is None:
            raise ValidationError(_l("This position is not in Belgium."))

    def position(self) -> tuple[float, float] | None:
        """Return (lat, lon) from "lat,lon" when it lies in Belgium, else None."""
        try:
            lat, lon = (float(part) for part in (self.near.data or "").split(","))
        except ValueError:
            return None
        south, north, west, east = BELGIUM_BOX
        return (lat, lon) if south <= lat <= north and west <= lon <= east else None


class ErrorReportForm(FlaskForm):
    """A citizen's report that something on a service's page is wrong."""

    message = TextAreaField(
        _l("What is wrong or missing?"),
        # Browsers send line breaks as CRLF but count them as one character for maxlength.
        filters=[lambda text: text.replace("\r\n", "\n") if text else text],
        validators=[Length(min=10, max=2000,
                           message=_l("Please write between %(min)d and %(max)d characters."))],
    )
    email = EmailField(
        _l("Your e-mail address (optional, only if you want an answer)"),
        validators=[Optional(), Email(message=_l("This e-mail address does not look valid.")),
                    Length(max=254)],
    )
    # Left empty by people, filled in by robots that fill in every field.
    website = StringField(_l("Leave this field empty"), validators=[Optional()])
