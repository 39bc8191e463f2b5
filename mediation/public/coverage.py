"""/<lang>/coverage: which communes have a known mediation service, per kind; map, table, CSV.

The admin area shows the same view of its territory (mediation/admin/coverage.py).
"""

import csv
import io

from flask import Response, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField

from ..directory.reading import coverage
from ..extensions import db
from ..forms import option_values, options
from ..i18n import commune_name, place_name
from ..labels import SERVICE_TYPES
from ..models import Province, Region
from .routes import bp

STATE_LABELS = {
    "own": _l("Own service"),
    "shared": _l("Shared service"),
    "none": _l("None known"),
}


class CoverageForm(FlaskForm):
    """The view's choices: which kind of mediation the map colours, which states are listed."""

    class Meta:
        csrf = False  # a GET form: the URL is the state and can be shared

    kind = SelectField(_l("Kind of mediation"), validate_choice=False)
    state = SelectField(_l("Communes listed"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = options([("", _l("Any kind"))] + list(SERVICE_TYPES.items()))
        self.state.choices = options([("", _l("Every commune"))] + list(STATE_LABELS.items()))

    def value(self, name: str) -> str:
        """The chosen value, or "" when it is not one of the choices."""
        data = self[name].data or ""
        return data if data in option_values(self[name]) else ""


def coverage_page(template: str, rows, **context):
    """Render a coverage page: counts per area, then the communes (map and table)."""
    form = CoverageForm(request.args)
    kind, state = form.value("kind"), form.value("state")
    listed = [row for row in rows if not state or row.state(kind) == state]
    listed.sort(key=lambda row: commune_name(row.commune).casefold())
    return render_template(template, form=form, kind=kind, state=state, listed=listed,
                           areas=coverage.area_counts(rows, kind), kinds=list(SERVICE_TYPES),
                           states=coverage.STATES, state_labels=STATE_LABELS,
                           area_label=area_label, **context)


def area_label(kind: str, code: str) -> str:
    """The name of a region or province in the reader's language."""
    area = db.session.get(Region if kind == "region" else Province, code)
    return place_name(area) if area else code


def coverage_csv(rows, filename: str) -> Response:
    """The communes and their states as CSV (stable column keys and state codes)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(coverage.csv_rows(rows, list(SERVICE_TYPES)))
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/coverage")
def coverage_view():
    """Every commune's state per kind of mediation, counting published services only."""
    return coverage_page("public/coverage.html", coverage.coverage(),
                         csv_url=url_for("public.coverage_download"))


@bp.get("/coverage.csv")
def coverage_download():
    """The public coverage as CSV, with the ETag and Last-Modified of every open-data file."""
    from ..api.routes import export
    from ..opendata import files

    return export(files.coverage_csv, "text/csv", "coverage.csv")
