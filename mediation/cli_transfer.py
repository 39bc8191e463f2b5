"""Import and export of the directory from the command line (DESIGN §8)."""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("export-services")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--all-states", is_flag=True,
              help="Every service (drafts, pending, archived too), not only the published ones.")
@with_appcontext
def export_services_command(path, all_states):
    """Write the services to PATH as .csv, .xlsx or .geojson (never any contact person)."""
    from sqlalchemy import select

    from .directory.exchange.exporting import DIRECTORY_FORMATS, directory_services, export_directory
    from .models import Service, ServiceStatus

    fmt = Path(path).suffix.lower().lstrip(".")
    if path.lower().endswith(".excel.csv"):
        fmt = "excel.csv"  # semicolons, for Excel set to Belgian French or Dutch
    if fmt not in DIRECTORY_FORMATS:
        raise click.BadParameter("the file name must end in .csv, .xlsx or .geojson.",
                                 param_hint="PATH")
    statement = select(Service)
    if not all_states:
        statement = statement.where(Service.status == ServiceStatus.published)
    services = directory_services(statement)
    if fmt == "geojson":  # every value in its JSON type
        from .opendata.geojson import directory_geojson

        Path(path).write_bytes(directory_geojson(services))
    else:
        Path(path).write_bytes(export_directory(services, fmt))
    click.echo(f"{len(services)} services written to {path}.")


@click.command("import-services")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--dry-run", is_flag=True, help="Check every row and write nothing.")
@click.option("--lang", default="en", type=click.Choice(["fr", "nl", "de", "en"]),
              help="Language of the report.")
@click.option("--map", "mapping_text", default="", metavar='"THEIR HEADER=column,…"',
              help="Columns of the file under the template's names, e.g. "
                   '"Nom du service=name_fr,Statut=" (empty: leave the column out).')
@with_appcontext
def import_services_command(path, dry_run, lang, mapping_text):
    """Import services from a CSV or XLSX file; each row is created, updated, unchanged or
    refused with its reasons. Without --dry-run, the valid rows are written all at once."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from .directory.exchange.importing import run_import
    from .directory.exchange.files import MAX_BYTES

    from .directory.exchange.headers import parse_mapping

    try:
        mapping = parse_mapping(mapping_text)
    except ValueError as error:
        raise click.ClickException(f"--map: “{error}” does not name a column of the template "
                                   "(THEIR HEADER=column).") from None
    file = Path(path)
    data = file.read_bytes() if file.stat().st_size <= MAX_BYTES else None
    with force_locale(lang):
        if data is None:
            raise click.ClickException(_(
                "%(path)s: the file is too large (at most %(size)d MB). Please split it.",
                path=path, size=MAX_BYTES // (1024 * 1024)))
        with click.progressbar(length=0, label=_("Checking rows"), file=sys.stderr) as bar:
            def progress(count: int) -> None:
                bar.length = max(bar.length or 0, bar.pos + count)
                bar.update(count)

            report = run_import(data, file.name, None, dry_run=dry_run, progress=progress,
                                mapping=mapping)
        if report.problem:
            raise click.ClickException(f"{path}: {report.problem}")
        for note in report.notes:
            click.echo(note)
        for result in report.results:
            shown = result.external_id or result.name or "-"
            for warning in result.warnings:
                click.echo(_("row %(number)d (%(id)s): warning: %(warning)s",
                             number=result.number, id=shown, warning=warning))
            if result.outcome == "refused":
                click.echo(_("row %(number)d (%(id)s): refused: %(reasons)s",
                             number=result.number, id=shown, reasons=" ".join(result.reasons)))
        click.echo(import_summary(report, dry_run))


def import_summary(report, dry_run: bool) -> str:
    """The report's last line, in the current language: "2 created, 1 updated, …"."""
    from flask_babel import gettext as _

    if dry_run:
        return _("Dry run, nothing written: %(summary)s.", summary=report.summary())
    return f"{report.summary()}."


COMMANDS = (export_services_command, import_services_command)
