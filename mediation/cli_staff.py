"""Commands for staff accounts, mail, geocoding and review (DESIGN §8)."""

import sys
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import with_appcontext


@contextmanager
def mail_context():
    """A request context on the public address, so mailed links are absolute and right;
    what was committed in the outbox is sent when the block ends."""
    from . import mail

    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        yield
        sent, failed = mail.deliver_committed()
        if failed:
            click.echo(f"{failed} message(s) could not be sent now; they stay in the outbox "
                       "(flask --app mediation send-mail retries them).", err=True)


def read_password() -> str:
    """Ask twice on a terminal; otherwise read two lines from standard input."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    first, second = sys.stdin.readline().rstrip("\n"), sys.stdin.readline().rstrip("\n")
    if first != second:
        raise click.ClickException("The two passwords are not the same.")
    return first


def grant_options(command):
    command = click.option("--organization", "organizations", multiple=True, type=int,
                           help="Id of an organisation the editor may manage (repeatable).")(command)
    command = click.option("--commune", "communes", multiple=True,
                           help="REFNIS code of a commune the editor may manage (repeatable).")(command)
    command = click.option("--lang", default="fr", type=click.Choice(["fr", "nl", "de", "en"]),
                           help="Language of the account's mail.")(command)
    command = click.option("--name", default="", help="The person's name.")(command)
    return click.option("--role", required=True, type=click.Choice(["editor", "admin"]))(command)


@click.command("create-user")
@click.argument("email")
@grant_options
@with_appcontext
def create_user_command(email, role, name, lang, communes, organizations):
    """Create an account with a password (asked twice, or two lines on standard input)."""
    from flask_babel import force_locale

    from .accounts import AccountError, create_user, password_problem

    password = read_password()
    with force_locale("en"):
        problem = password_problem(password, email, name)
    if problem:
        raise click.ClickException(problem)
    try:
        user = create_user(email, role, password, refnis=list(communes),
                           organization_ids=list(organizations), name=name, lang=lang)
    except AccountError as error:
        raise click.ClickException(str(error))
    click.echo(f"Account {user.email} created ({role}).")


@click.command("invite-user")
@click.argument("email")
@grant_options
@with_appcontext
def invite_user_command(email, role, name, lang, communes, organizations):
    """Create an account and mail it a link (valid 7 days) to choose its password."""
    from .accounts import AccountError, invite_user

    with mail_context():
        try:
            user = invite_user(email, role, refnis=list(communes),
                               organization_ids=list(organizations), name=name, lang=lang)
        except AccountError as error:
            raise click.ClickException(str(error))
    click.echo(f"Invitation sent to {user.email} ({role}).")


def _account(email: str):
    from .accounts import find_user

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No account uses the address {email}.")
    return user


def _acting_admin(email: str | None):
    """The admin in whose name a command acts (their territory applies), or None: the
    operator of the server, with a national admin's rights."""
    if not email:
        return None
    admin = _account(email)
    if not (admin.is_admin and admin.active):
        raise click.ClickException(f"{email} is not an active admin.")
    return admin


@click.command("change-user")
@click.argument("email")
@click.option("--add-commune", "added", multiple=True, help="REFNIS code to give (repeatable).")
@click.option("--remove-commune", "removed", multiple=True,
              help="REFNIS code to take away (repeatable).")
@click.option("--deactivate/--activate", default=None, help="Close or reopen the account.")
@click.option("--by", "by", default=None,
              help="Act as this admin: a limited admin changes only what lies in their territory.")
@with_appcontext
def change_user_command(email, added, removed, deactivate, by):
    """Give or take communes, deactivate or reactivate an account (audited)."""
    from flask_babel import force_locale

    from .grants import AccountChanges, change_account
    from .extensions import db
    from .models import Commune

    user, actor = _account(email), _acting_admin(by)
    unknown = [code for code in added if db.session.get(Commune, code) is None]
    if unknown:
        raise click.ClickException(f"Unknown commune code(s): {', '.join(unknown)}.")
    communes = [c for c in user.communes if c.refnis not in removed]
    communes += [db.session.get(Commune, code) for code in added]
    changes = AccountChanges(communes=communes,
                             active=None if deactivate is None else not deactivate)
    with force_locale("en"):
        problems = change_account(actor, user, changes)
    if problems:
        raise click.ClickException(" ".join(problems))
    click.echo(f"Account {user.email}: communes {', '.join(sorted(c.refnis for c in user.communes)) or 'none'}"
               f", {'active' if user.active else 'deactivated'}.")


@click.command("sign-out-user")
@click.argument("email")
@click.option("--by", "by", default=None, help="The admin in whose name this is done.")
@with_appcontext
def sign_out_user_command(email, by):
    """End every session of an account (a lost phone, a shared computer)."""
    from .accounts import end_sessions

    user, actor = _account(email), _acting_admin(by)
    end_sessions(user, actor, "user.signed_out_everywhere")
    click.echo(f"Every session of {user.email} has ended.")


@click.command("send-mail")
@with_appcontext
def send_mail_command():
    """Send every message still in the outbox (those a mail server refused before)."""
    from . import mail
    from .directory.moderation.incoming import notify_waiting_reports

    with mail_context():  # citizens' reports that waited for their hour go out first
        notify_waiting_reports()
    sent, failed = mail.deliver()
    click.echo(f"{sent} sent, {failed} still waiting.")
    if failed:
        sys.exit(1)


@click.command("outbox")
@click.option("--waiting", "only", flag_value="waiting", help="Only the messages not sent yet.")
@click.option("--sent", "only", flag_value="sent", help="Only the messages sent.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000),
              help="How many of the latest messages.")
@with_appcontext
def outbox_command(only, limit):
    """List the latest mails, waiting or sent, with the links each holds (newest first)."""
    from . import mail

    messages = mail.outbox(waiting=only != "sent", sent=only != "waiting", limit=limit)
    if not messages:
        click.echo("The outbox is empty.")
    for message in messages:
        if message.sent_at:
            state = f"sent {message.sent_at:%Y-%m-%d %H:%M}"
        else:
            state = f"waiting ({message.attempts} attempt(s)" + (
                f", last error: {message.last_error})" if message.last_error else ")")
        click.echo(f"#{message.id} {state} to {message.recipient} ({message.language}): "
                   f"{message.subject}")
        for link in mail.links_in(message.body):
            click.echo(f"    {link}")


@click.command("send-reminders")
@with_appcontext
def send_reminders_command():
    """Mail editors their entries due for verification (monthly) and admins a digest (weekly).

    Meant for a daily timer: running it again the same day sends nothing twice.
    """
    from .directory.moderation.incoming import notify_waiting_reports
    from .directory.moderation.reminders import send_reminders

    with mail_context():
        reminded, digests = send_reminders()
        notify_waiting_reports()
    click.echo(f"{reminded} reminder(s) to editors, {digests} digest(s) to admins.")


@click.command("geocode-pending")
@with_appcontext
def geocode_pending_command():
    """Look up again the addresses kept at their commune's point while a geocoder was down."""
    from .directory.geocode_pending import geocode_pending

    done, waiting = geocode_pending()
    click.echo(f"{done} address(es) placed, {waiting} still waiting.")


@click.group("review")
def review_group():
    """Decide on new services and changes awaiting review."""


def _reviewer(email):
    """The admin deciding: --as EMAIL, or the only admin account when there is one."""
    from .accounts import find_user
    from .extensions import db
    from .models import Role, User

    if email:
        user = find_user(email)
    else:
        admins = db.session.scalars(db.select(User).filter_by(role=Role.admin, active=True)).all()
        user = admins[0] if len(admins) == 1 else None
    if user is None or not user.is_admin or not user.active:
        raise click.ClickException("Name the deciding admin with --as EMAIL (an active admin account).")
    return user


def _item(item_id: str):
    """S<id> is a new service, R<id> a revision; a bare number is tried as a service then a revision."""
    from .extensions import db
    from .models import Revision, Service

    kind, number = (item_id[0].upper(), item_id[1:]) if item_id[:1].isalpha() else ("", item_id)
    if not number.isdigit():
        raise click.ClickException(f"Unknown item {item_id!r}: use S<id> or R<id>.")
    if kind in ("", "S"):
        service = db.session.get(Service, int(number))
        if service is not None and service.status.value == "pending":
            return service, None
    if kind in ("", "R"):
        revision = db.session.get(Revision, int(number))
        if revision is not None and revision.state.value != "draft":  # drafts are private
            return revision.service, revision
    raise click.ClickException(f"Nothing awaits review as {item_id}.")


@review_group.command("list")
@with_appcontext
def review_list():
    """List what waits for a decision."""
    from .directory.moderation import pending_items

    items = pending_items()
    for service, revision in items:
        name = service.name_fr or service.name_nl or service.name_de or service.name_en
        if revision is None:
            click.echo(f"S{service.id}\tnew service\t{name}")
        else:
            click.echo(f"R{revision.id}\tchanges to service {service.id}\t{name}")
    click.echo(f"{len(items)} item(s) awaiting review.")


@review_group.command("approve")
@click.argument("item_id")
@click.option("--as", "reviewer", envvar="MEDIATION_REVIEWER", default=None,
              help="E-mail of the admin who decides.")
@with_appcontext
def review_approve(item_id, reviewer):
    """Approve ITEM_ID (S<id> or R<id>): it is public at once."""
    from .directory.moderation import NotPending, OwnChange, approve

    with mail_context():
        service, revision = _item(item_id)
        try:
            approve(_reviewer(reviewer), service, revision)
        except NotPending:
            raise click.ClickException(f"{item_id} does not await review any more.")
        except OwnChange:
            raise click.ClickException(f"{item_id} is this admin's own change: another admin "
                                       "decides on it.")
    click.echo(f"Approved: {item_id} is published.")


@review_group.command("reject")
@click.argument("item_id")
@click.option("--reason", required=True, help="Why, for the author (sent by mail).")
@click.option("--as", "reviewer", envvar="MEDIATION_REVIEWER", default=None,
              help="E-mail of the admin who decides.")
@with_appcontext
def review_reject(item_id, reason, reviewer):
    """Reject ITEM_ID with a reason for its author."""
    from .directory.moderation import NotPending, OwnChange, reject

    if not reason.strip():
        raise click.ClickException("Please give a reason.")
    with mail_context():
        service, revision = _item(item_id)
        try:
            reject(_reviewer(reviewer), service, revision, reason.strip())
        except NotPending:
            raise click.ClickException(f"{item_id} does not await review any more.")
        except OwnChange:
            raise click.ClickException(f"{item_id} is this admin's own change: another admin "
                                       "decides on it.")
    click.echo(f"Rejected: {item_id}.")


COMMANDS = (create_user_command, invite_user_command, change_user_command,
            sign_out_user_command, send_mail_command, outbox_command,
            send_reminders_command, geocode_pending_command, review_group)
