"""Mail that is never lost: an outbox written with its cause, sent after commit (DESIGN §6).

`queue()` adds a message to the session of the write that causes it; once that transaction
commits, the messages are sent through the configured backend. A send that fails stays in the
outbox with its error, and `flask send-mail` (or the next commit) tries it again.
"""

from __future__ import annotations

import re
import smtplib
import sys
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, select
from sqlalchemy.orm import Session

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
    """Send what the last commit put in the outbox; return (sent, failed)."""
    ids = db.session.info.pop(COMMITTED_KEY, None)
    if not ids:
        return 0, 0
    return deliver(ids)


def deliver(ids: list[int] | None = None) -> tuple[int, int]:
    """Send unsent messages (these ids, or all); keep failures for a later try."""
    sent = failed = 0
    with Session(db.engine) as session:
        query = select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
        if ids is not None:
            query = query.where(OutboxMessage.id.in_(ids))
        for message in session.scalars(query.order_by(OutboxMessage.id)).all():
            message.attempts += 1
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
            session.commit()
    return sent, failed


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
    email["Message-ID"] = make_msgid(domain=config["MAIL_DEFAULT_SENDER"].rpartition("@")[2])
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
    @app.after_request
    def send_committed_mail(response):
        deliver_committed()
        return response
