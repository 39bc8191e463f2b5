"""A commune's general contact, kept by the admins of its territory: the citizens' next step
when no mediation service is known for them."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, URLField
from wtforms.validators import URL, Email, Length, Optional

from ..directory import audit
from ..directory.permissions import in_territory
from ..extensions import db
from ..forms import strip
from ..manage.forms import check_https, check_phone, with_https
from ..values import e164
from ..models import Commune
from .routes import bp


class CommuneContactForm(FlaskForm):
    phone = StringField(_l("Phone of the commune's administration"), filters=[strip],
                        validators=[Optional(), Length(max=40), check_phone])
    email = EmailField(_l("E-mail of the commune's administration"), filters=[strip], validators=[
        Optional(), Email(message=_l("This e-mail address does not look valid.")),
        Length(max=254)])
    website = URLField(_l("Website of the commune"), filters=[strip, with_https],
                       validators=[Optional(), Length(max=500), URL(require_tld=True, message=_l(
                           "Please write the full address, starting with https://")), check_https])


def contact_of(commune: Commune) -> dict:
    return {"phone": commune.phone, "email": commune.email, "website": commune.website}


@bp.route("/communes/<refnis>", methods=["GET", "POST"])
def commune_contact(refnis: str):
    """Show and change the general contact of one commune of this admin's territory."""
    commune = db.session.get(Commune, refnis) if refnis.isascii() and refnis.isdigit() else None
    if commune is None or not commune.active or not in_territory(current_user, refnis):
        abort(404)
    form = CommuneContactForm(data=contact_of(commune))
    if form.validate_on_submit():
        before = contact_of(commune)
        commune.phone = e164(form.phone.data) if form.phone.data else None
        commune.email = (form.email.data or "").lower() or None
        commune.website = form.website.data or None
        audit.record(current_user, "commune.contact_changed", commune, before=before,
                     after=contact_of(commune))
        db.session.commit()
        flash(_("The contact of the commune is saved; its public page shows it."), "success")
        return redirect(url_for("admin.commune_contact", refnis=refnis))
    return render_template("admin/commune.html", commune=commune, form=form), \
        400 if form.errors else 200
