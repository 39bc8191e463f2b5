"""People and the trail they leave: users, proposed revisions, audit events, error reports."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, Column, Enum, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .directory import Organization, Service
from .reference import Commune, utcnow


class Role(enum.Enum):
    editor = "editor"
    admin = "admin"


user_organizations = Table(
    "user_organization",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True),
)

user_communes = Table(
    "user_commune",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("refnis", ForeignKey("commune.refnis"), primary_key=True),
)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=10))
    active: Mapped[bool] = mapped_column(default=True)
    preferred_language: Mapped[str] = mapped_column(String(2), default="fr")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    organizations: Mapped[list[Organization]] = relationship(secondary=user_organizations)
    communes: Mapped[list[Commune]] = relationship(secondary=user_communes)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active


def load_user(user_id: str) -> User | None:
    """Return the active user of a session cookie, for Flask-Login."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


class RevisionState(enum.Enum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"


class Revision(db.Model):
    """A change an editor proposes to a service; the published service stays until approved."""

    __table_args__ = (
        # A decision is recorded exactly when it is made: pending has none, approved and
        # rejected name their reviewer and time, withdrawn has a time and no reviewer.
        CheckConstraint(
            "(state = 'pending' AND reviewer_id IS NULL AND decided_at IS NULL)"
            " OR (state IN ('approved', 'rejected') AND reviewer_id IS NOT NULL"
            " AND decided_at IS NOT NULL)"
            " OR (state = 'withdrawn' AND reviewer_id IS NULL AND decided_at IS NOT NULL)",
            name="decision_recorded",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    fields: Mapped[dict] = mapped_column(JSON)
    base_version: Mapped[int]
    state: Mapped[RevisionState] = mapped_column(
        Enum(RevisionState, native_enum=False, length=10), default=RevisionState.pending, index=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    service: Mapped[Service] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))  # "service.approved"
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40), index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    user: Mapped[User | None] = relationship()


class ErrorReportStatus(enum.Enum):
    open = "open"
    resolved = "resolved"
    dismissed = "dismissed"


class ErrorReport(db.Model):
    """A citizen's "this information is wrong" message about one service."""

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text)
    reporter_email: Mapped[str | None] = mapped_column(String(254))  # optional, never public
    language: Mapped[str] = mapped_column(String(2), default="fr")
    status: Mapped[ErrorReportStatus] = mapped_column(
        Enum(ErrorReportStatus, native_enum=False, length=10), default=ErrorReportStatus.open
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]

    service: Mapped[Service] = relationship()
