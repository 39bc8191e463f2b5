"""Import and export of services by the admins: upload, dry run, confirmation, downloads.

The uploaded file waits between the dry run and the confirmation in the instance folder under
a random name that only this browser session knows; the real run checks every row again.
"""

import os
import re
import secrets
import time
from datetime import date
from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, render_template, request, session
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge

from ..directory.reading import staff_lists as admin_queries
from ..directory.exchange.exporting import DIRECTORY_FORMATS, directory_services, export_directory
from ..opendata.geojson import directory_geojson
from ..directory.exchange.exporting import import_template
from ..directory.exchange.importing import run_import
from ..directory.exchange.files import MAX_BYTES
from ..directory.exchange.headers import choices, header_key, save_mapping, saved_mapping
from .forms import ServiceFilterForm
from .routes import bp

UPLOAD_KEY = "import_upload"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_SECONDS = 24 * 3600
ROWS_SHOWN = 500
OUTCOME_ORDER = {"refused": 0, "updated": 1, "created": 2, "unchanged": 3}
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "excel.csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"),
                     validators=[FileRequired(_l("Please choose a CSV or XLSX file."))])


def upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_upload(data: bytes, filename: str, mapping: dict | None = None) -> None:
    """Store the file for the confirmation; forget files older than a day."""
    folder = upload_folder()
    for old in folder.glob("*.upload"):
        if time.time() - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    forget_upload()
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.upload").write_bytes(data)
    session[UPLOAD_KEY] = {"token": token, "name": os.path.basename(filename)[:200],
                           "mapping": mapping or {}}


def kept_upload() -> tuple[bytes, str, dict] | None:
    kept = session.get(UPLOAD_KEY) or {}
    token = kept.get("token", "")
    path = upload_folder() / f"{token}.upload"
    if not TOKEN.match(token) or not path.is_file():
        return None
    mapping = kept.get("mapping") if isinstance(kept.get("mapping"), dict) else {}
    return path.read_bytes(), kept.get("name", ""), mapping


def dry_run(data: bytes, filename: str, mapping: dict | None = None):
    """Check a file; the mapping saved for its header row applies unless one is given."""
    report = run_import(data, filename, current_user, dry_run=True, mapping=mapping)
    if mapping is None and report.header:
        saved = saved_mapping(report.header)
        if saved:
            mapping = saved
            report = run_import(data, filename, current_user, dry_run=True, mapping=saved)
    return report, mapping or {}


def render_import(form, report):
    rows = sorted(report.results, key=lambda r: (OUTCOME_ORDER[r.outcome], r.number)) \
        if report else []
    return render_template("admin/import.html", form=form, report=report, rows=rows,
                           rows_shown=ROWS_SHOWN, choices=choices())


def forget_upload() -> None:
    kept = session.pop(UPLOAD_KEY, None) or {}
    token = kept.get("token", "")
    if TOKEN.match(token):
        (upload_folder() / f"{token}.upload").unlink(missing_ok=True)


@bp.route("/import", methods=["GET", "POST"])
def import_services():
    """Upload a file and see each row's outcome before anything is written."""
    request.max_content_length = MAX_BYTES + 64 * 1024
    try:
        form = ImportForm()
        submitted = form.validate_on_submit()
    except RequestEntityTooLarge:
        form, submitted = ImportForm(formdata=None), False
        form.file.errors = [_("The file is too large (at most %(size)d MB). Please split it.",
                              size=MAX_BYTES // (1024 * 1024))]
    report = None
    if submitted:
        upload = form.file.data
        data = upload.read(MAX_BYTES + 1)
        report, mapping = dry_run(data, upload.filename or "")
        if report.header:  # readable: kept for the confirmation or a mapping of its columns
            keep_upload(data, upload.filename or "", mapping)
        else:
            forget_upload()
    return render_import(form, report)


@bp.post("/import/columns")
def map_columns():
    """Read the kept file's columns as the admin chose, remember it for the same headers,
    and check the file again."""
    kept = kept_upload()
    if kept is None:
        flash(_("The file of the dry run is no longer here. Please upload it again."), "error")
        return redirect(url_for("admin.import_services"))
    data, filename, _mapping = kept
    report = run_import(data, filename, current_user, dry_run=True, mapping={})
    allowed = set(choices())
    mapping = {}
    for index, label in enumerate(report.header):
        chosen = request.form.get(f"column-{index}", "")
        if label and (chosen == "" or chosen in allowed):
            mapping[header_key(label)] = chosen
    save_mapping(current_user, report.header, mapping)
    report = run_import(data, filename, current_user, dry_run=True, mapping=mapping)
    session[UPLOAD_KEY] = {**session.get(UPLOAD_KEY, {}), "mapping": mapping}
    return render_import(ImportForm(formdata=None), report)


@bp.post("/import/confirm")
def confirm_import():
    """Write the valid rows of the file checked in the dry run, all at once."""
    kept = kept_upload()
    if kept is None:
        flash(_("The file of the dry run is no longer here. Please upload it again."), "error")
        return redirect(url_for("admin.import_services"))
    report = run_import(kept[0], kept[1], current_user, dry_run=False, mapping=kept[2] or None)
    forget_upload()
    if report.problem:
        flash(report.problem, "error")
        return redirect(url_for("admin.import_services"))
    flash(_("Import done: %(summary)s.", summary=report.summary()), "success")
    return redirect(url_for("admin.services"))


@bp.get("/import/template.xlsx")
def import_template_file():
    """The XLSX template: stable column keys, an example row, help in four languages."""
    return Response(import_template(), mimetype=MEDIA_TYPES["xlsx"], headers={
        "Content-Disposition": 'attachment; filename="services-template.xlsx"'})


@bp.get("/export.<fmt>")
def export_services(fmt: str):
    """The services of the table's filters (all when none) as CSV, XLSX or GeoJSON."""
    if fmt not in DIRECTORY_FORMATS:
        abort(404)
    form = ServiceFilterForm(request.args)
    form.validate()
    services = directory_services(admin_queries.filtered_services(current_user, form))
    filename = f"services-{date.today().isoformat()}.{fmt}"
    body = directory_geojson(services) if fmt == "geojson" else export_directory(services, fmt)
    return Response(body, mimetype=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
