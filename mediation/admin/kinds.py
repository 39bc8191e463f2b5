"""Texts per kind of mediation: written once by the admins, shown by every service of that kind
whose editor wrote no description of their own."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..directory import audit
from ..directory.fields import TEXT_LANGUAGES
from ..extensions import db
from ..values import has_control_characters
from ..labels import SERVICE_TYPES
from ..models import KindText, Service, ServiceType
from ..models.reference import utcnow
from .routes import bp

MAX_LENGTH = 4000


@bp.route("/kinds", methods=["GET", "POST"])
def kinds():
    """Edit the standard explanation of each kind of mediation in four languages."""
    texts = {code: db.session.get(KindText, code) or KindText(code=code) for code in SERVICE_TYPES}
    errors = {}
    if request.method == "POST":
        if not current_user.is_national_admin:
            flash(_("Only a national admin can change these texts."), "error")
            return redirect(url_for("admin.kinds"))
        values = {(code, lang): request.form.get(f"{code}_{lang}", "").strip()
                  for code in SERVICE_TYPES for lang in TEXT_LANGUAGES}
        for key, value in values.items():
            if len(value) > MAX_LENGTH:
                errors[key] = _("Please write at most %(max)d characters.", max=MAX_LENGTH)
            elif has_control_characters(value):
                errors[key] = _("This text contains invisible control characters. "
                                "Please check it and send it again.")
        if not errors:
            save_kind_texts(texts, values)
            flash(_("The texts are saved; services of each kind show them at once."), "success")
            return redirect(url_for("admin.kinds"))
        for (code, lang), value in values.items():
            setattr(texts[code], f"text_{lang}", value)
        db.session.rollback()
    return render_template("admin/kinds.html", texts=texts, errors=errors), 400 if errors else 200


def save_kind_texts(texts: dict, values: dict) -> None:
    for code, text in texts.items():
        before = {lang: getattr(text, f"text_{lang}") or "" for lang in TEXT_LANGUAGES}
        after = {lang: values[(code, lang)] for lang in TEXT_LANGUAGES}
        if before == after:
            continue
        for lang, value in after.items():
            setattr(text, f"text_{lang}", value)
        db.session.add(text)
        audit.record(current_user, "kind_text.changed", db.session.get(ServiceType, code),
                     before=before, after=after)
        # Services showing this text change too: their pages' caches must follow.
        db.session.execute(db.update(Service).where(Service.types.any(ServiceType.code == code))
                           .values(updated_at=utcnow()))
    db.session.commit()
