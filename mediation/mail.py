"""Mail that is never lost: an outbox written with its cause, sent after commit (DESIGN §6).

`queue()` adds a message to the session of the write that causes it; once that transaction
commits and the answer is on its way, a background thread (background.py) sends the messages
through the configured backend: a mail server that hangs holds no page. A send that fails
stays in the outbox with its error, and `flask send-mail` (on a timer) tries it again.

Delivery is at least once. A sender claims a message (`claimed_at`) before talking to the mail
server, so two senders never send it at once; a sender that dies mid-send leaves its claim,
which expires after CLAIM_LEASE, and the message is sent again. Its Message-ID is derived from
the outbox row, so a message sent twice carries the same Message-ID and mail systems that
deduplicate keep one.
"""

from __future__ import annotations

import re
import smtplib
import sys
from email.message import EmailMessage
from datetime import timedelta
from email.utils import format_datetime

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from . import background
from .extensions import db
from .models import OutboxMessage
from .models.reference import utcnow

PENDING_KEY = "outbox_pending"  # queued, not yet flushed
FLUSHED_KEY = "outbox_flushed"  # flushed ids, not yet committed
COMMITTED_KEY = "outbox_committed"  # committed ids, to send


def compose(template: str, lang: str, **context) -> tuple[str, str]:
    """Render templates/mail/<template>.txt in `lang`: its first line is the subject."""
    with force_locale(lang):
        text = render_template(f"mail/{template}.txt", mail_lang=lang, **context)
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def queue(recipient: str, template: str, lang: str, **context) -> OutboxMessage:
    """Write a message to the outbox in the current transaction; it is sent after commit."""
    subject, body = compose(template, lang, **context)
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, language=lang)
    db.session.add(message)
    db.session.info.setdefault(PENDING_KEY, []).append(message)
    return message


@event.listens_for(Session, "after_flush_postexec")
def _note_flushed_ids(session, flush_context):
    # Ids exist once flushed; after commit the objects are expired and may not be read.
    pending = session.info.get(PENDING_KEY)
    if pending:
        flushed = session.info.setdefault(FLUSHED_KEY, [])
        flushed += [message.id for message in pending if message.id is not None]
        session.info[PENDING_KEY] = [message for message in pending if message.id is None]


@event.listens_for(Session, "after_commit")
def _mark_committed(session):
    flushed = session.info.pop(FLUSHED_KEY, None)
    if flushed:
        session.info.setdefault(COMMITTED_KEY, []).extend(flushed)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:  # the outermost transaction: nothing was written
        session.info.pop(PENDING_KEY, None)
        session.info.pop(FLUSHED_KEY, None)


def deliver_committed() -> tuple[int, int]:
    """Send what the last commit put in the outbox, now; return (sent, failed)."""
    ids = db.session.info.pop(COMMITTED_KEY, None)
    if not ids:
        return 0, 0
    return deliver(ids)


def deliver_after_response() -> None:
    """Hand what the request's commits put in the outbox to the background sender."""
    ids = db.session.info.pop(COMMITTED_KEY, None)
    if ids:
        background.later(deliver, ids)


def claim_lease() -> timedelta:
    """How long a claim holds: longer than any send can take (connect, then each reply)."""
    return timedelta(seconds=4 * float(current_app.config["MAIL_TIMEOUT"]) + 60)


def deliver(ids: list[int] | None = None) -> tuple[int, int]:
    """Send unsent messages (these ids, or all) that no live sender holds; keep failures."""
    sent = failed = 0
    # Objects stay readable after each commit: nothing is read from the database (and no
    # transaction is open) while the mail server is being talked to.
    with Session(db.engine, expire_on_commit=False) as session:
        query = select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None))
        if ids is not None:
            query = query.where(OutboxMessage.id.in_(ids))
        for message_id in session.scalars(query.order_by(OutboxMessage.id)).all():
            message = claim(session, message_id)
            if message is None:
                continue  # sent meanwhile, or another sender holds it
            try:
                _backend()(message)
            except (OSError, smtplib.SMTPException) as error:
                message.last_error = f"{type(error).__name__}: {error}"[:500]
                current_app.logger.warning("Mail %s not sent (attempt %s): %s",
                                           message.id, message.attempts, message.last_error)
                failed += 1
            else:
                message.sent_at = utcnow()
                message.last_error = ""
                sent += 1
            message.claimed_at = None
            session.commit()
    return sent, failed


def claim(session: Session, message_id: int) -> OutboxMessage | None:
    """Mark a message as being sent by this sender, in a committed compare-and-set."""
    now = utcnow()
    claimed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None),
               or_(OutboxMessage.claimed_at.is_(None),
                   OutboxMessage.claimed_at < now - claim_lease()))
        .values(claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False))
    session.commit()
    if claimed.rowcount != 1:
        return None
    return session.get(OutboxMessage, message_id, populate_existing=True)


def message_id(message: OutboxMessage) -> str:
    """The same Message-ID each time this outbox message is sent."""
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2] or "localhost"
    created = message.created_at.strftime("%Y%m%d%H%M%S")
    return f"<outbox-{message.id}-{created}@{domain}>"


LINK = re.compile(r"https?://[^\s<>\"']+")


def links_in(body: str) -> list[str]:
    """The addresses a message holds, in order: what its reader would click."""
    return [link.rstrip(".,;:)") for link in LINK.findall(body)]


def outbox(waiting: bool = True, sent: bool = True, limit: int = 50) -> list[OutboxMessage]:
    """The latest messages of the outbox, newest first: those waiting, those sent, or both."""
    query = select(OutboxMessage)
    if waiting and not sent:
        query = query.where(OutboxMessage.sent_at.is_(None))
    elif sent and not waiting:
        query = query.where(OutboxMessage.sent_at.is_not(None))
    return db.session.scalars(query.order_by(OutboxMessage.id.desc()).limit(limit)).all()


def as_email(message: OutboxMessage) -> EmailMessage:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = message_id(message)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    email["Content-Language"] = message.language  # after set_content, which resets it
    return email


def send_smtp(message: OutboxMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]),
                      timeout=float(config.get("MAIL_TIMEOUT", 10))) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(as_email(message))


def send_console(message: OutboxMessage) -> None:
    """Development: print the message on standard error instead of sending it."""
    print(f"----- mail {message.id} to {message.recipient} ({message.language}) -----\n"
          f"Subject: {message.subject}\n\n{message.body}-----", file=sys.stderr)


def _backend():
    return send_smtp if current_app.config["MAIL_BACKEND"] == "smtp" else send_console


def init_app(app) -> None:
    background.init_app(app)  # hands over, when the request ends, what this hook queues

    @app.after_request
    def send_committed_mail(response):
        deliver_after_response()
        return response
