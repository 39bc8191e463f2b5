"""Forms of the admin area."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..forms import no_control_characters, option_values, options, strip
from ..labels import SERVICE_TYPES

STATES = {
    "draft": _l("Draft (not public)"),
    "to_complete": _l("Imported, to complete"),
    "pending": _l("Awaiting review"),
    "published": _l("Published"),
    "changes_pending": _l("Published, changes awaiting review"),
    "due": _l("Published, due for verification"),
    "archived": _l("Archived"),
}
SORTS = {
    "name": _l("Name"),
    "updated": _l("Last change"),
    "verified": _l("Last checked"),
}


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=options([("approve", _l("Approve and publish")),
                                                            ("reject", _l("Reject"))]))
    reason = TextAreaField(_l("Reason (sent to the author when rejecting)"), filters=[strip],
                           # Not Optional(): it would stop the chain before validate_reason.
                           validators=[Length(max=2000), no_control_characters])

    def validate_reason(self, field):
        if self.decision.data == "reject" and not field.data:
            raise ValidationError(_l("Please give the reason for the rejection."))


class ArchiveForm(FlaskForm):
    """Archiving takes a service off the public directory: a reason, and a confirmation."""

    reason = TextAreaField(_l("Why is this service archived?"), filters=[strip], validators=[
        DataRequired(message=_l("Please give the reason for archiving: it stays in the "
                                 "service's history.")),
        Length(max=2000), no_control_characters])
    confirm = BooleanField(_l("I confirm: the service disappears from the public directory."),
                           validators=[DataRequired(message=_l("Please tick the box to "
                                                               "confirm."))])


class ServiceFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: the URL is the state

    q = StringField(_l("Name, organisation or commune"), filters=[strip],
                    validators=[Optional(), Length(max=100), no_control_characters])
    state = SelectField(_l("State"), validate_choice=False)
    kind = SelectField(_l("Kind of mediation"), validate_choice=False)
    region = SelectField(_l("Region"), validate_choice=False)
    province = SelectField(_l("Province"), validate_choice=False)
    demo = SelectField(_l("Demo data"), validate_choice=False,
                       choices=options([("", _l("All")), ("no", _l("Real services only")),
                                        ("yes", _l("Demo services only"))]))
    sort = SelectField(_l("Sort by"), validate_choice=False)
    page = StringField(validators=[Optional()], default="1")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ..extensions import db
        from ..i18n import place_name
        from ..models import Province, Region

        self.state.choices = options([("", _l("All"))] + list(STATES.items()))
        self.kind.choices = options([("", _l("All"))] + list(SERVICE_TYPES.items()))
        self.region.choices = options([("", _l("All"))] + [
            (r.code, place_name(r)) for r in db.session.scalars(db.select(Region).order_by(Region.code))])
        self.province.choices = options([("", _l("All"))] + [
            (p.code, place_name(p)) for p in db.session.scalars(db.select(Province).order_by(Province.code))])
        self.sort.choices = options(SORTS.items())

    def value(self, name):
        field = self[name]
        valid = option_values(field) if getattr(field, "choices", None) else None
        if valid is not None and field.data not in valid:
            return None
        return field.data or None

    def page_number(self) -> int:
        text = (self.page.data or "1").strip()
        return int(text) if text.isascii() and text.isdigit() and 0 < int(text) < 10000 else 1
