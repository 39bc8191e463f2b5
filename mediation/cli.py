"""Commands: flask --app mediation <command> (DESIGN §8)."""

import subprocess
import sys

import click
from flask import Flask
from flask.cli import with_appcontext

from . import ROOT


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Bring the database schema to the latest migration."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("Database schema is up to date.")


@click.command("load-communes")
@with_appcontext
def load_communes_command():
    """Load the official communes and postal codes and our place names (idempotent)."""
    from .gazetteer import reset_index
    from .gazetteer_loader import load_communes

    report = load_communes()
    reset_index()
    click.echo(
        f"{report.communes} communes ({report.created} new, {report.updated} updated, "
        f"{report.deactivated} deactivated), {report.postal_codes} postal codes, "
        f"{report.place_names} other place names."
    )


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when any service exists already.")
@with_appcontext
def seed_demo_command(if_empty):
    """Create or refresh the demonstration services (all marked as demo)."""
    from .directory.demo import seed_demo

    report = seed_demo(if_empty=if_empty)
    if report is None:
        click.echo("Services exist already: demo data left as it is.")
        return
    click.echo(f"{report.services} demo services ({report.created} new), "
               f"{report.organizations} demo organisations.")


@click.command("purge-reports")
@click.option("--older-than", "days", type=click.IntRange(min=0), default=None,
              help="Age in days (default: REPORT_RETENTION_DAYS).")
@with_appcontext
def purge_reports_command(days):
    """Delete citizens' error reports older than the retention period (run it daily)."""
    from datetime import datetime, timedelta, timezone

    from flask import current_app

    from .directory.moderation.incoming import purge_error_reports

    days = current_app.config["REPORT_RETENTION_DAYS"] if days is None else days
    removed = purge_error_reports(datetime.now(timezone.utc) - timedelta(days=days))
    click.echo(f"{removed} error reports older than {days} days deleted.")


@click.command("error-page")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def error_page_command(path):
    """Write the page the reverse proxy shows when no application server answers."""
    from flask import current_app, render_template
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from .config import LANGUAGES

    with current_app.test_request_context():
        sections = []
        for lang in LANGUAGES:
            with force_locale(lang):
                sections.append((lang, _("Sorry, this did not work"), _(
                    "The service is temporarily unavailable. Please try again in a few "
                    "minutes.")))
        html = render_template("errors/unavailable.html", sections=sections)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(html)
    click.echo(f"Written to {path}.")


@click.group("translate")
def translate_group():
    """Extract, update and compile the interface translations."""


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


@translate_group.command("extract")
def translate_extract():
    """Extract the strings to translate into translations/messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output",
             "--project", "mediation", "-o", "translations/messages.pot", ".")


@translate_group.command("update")
def translate_update():
    """Merge new strings from messages.pot into every catalog."""
    translate_extract.callback()
    _pybabel("update", "-i", "translations/messages.pot", "-d", "translations",
             "--no-fuzzy-matching", "--ignore-obsolete")


@translate_group.command("compile")
def translate_compile():
    """Compile the catalogs into the .mo files the application reads."""
    _pybabel("compile", "-d", "translations", "--statistics")


def register(app: Flask) -> None:
    from .cli_staff import COMMANDS
    from .cli_transfer import COMMANDS as TRANSFER_COMMANDS

    for command in (init_db_command, load_communes_command, seed_demo_command,
                    purge_reports_command, error_page_command, translate_group,
                    *COMMANDS, *TRANSFER_COMMANDS):
        app.cli.add_command(command)
