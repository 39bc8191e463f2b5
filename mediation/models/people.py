"""People and the trail they leave: users, proposed revisions, audit events, error reports."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, Column, Enum, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .directory import Organization, Service
from .reference import Commune, Province, Region, utcnow



class Role(enum.Enum):
    editor = "editor"
    admin = "admin"


user_organizations = Table(
    "user_organization",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True),
)

# A limited admin answers for the services of some regions or provinces only.
user_regions = Table(
    "user_region",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("region_code", ForeignKey("region.code"), primary_key=True),
)

user_provinces = Table(
    "user_province",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("province_code", ForeignKey("province.code"), primary_key=True),
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
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=10))
    active: Mapped[bool] = mapped_column(default=True)
    preferred_language: Mapped[str] = mapped_column(String(2), default="fr")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Changes each time the password does: signed links made before then stop working.
    password_changed_at: Mapped[datetime | None]
    last_reminded_at: Mapped[datetime | None]  # the last monthly "due for verification" mail
    last_digest_at: Mapped[datetime | None]  # the last weekly digest of an admin
    # Bumped by logout, a password change, deactivation or "sign out everywhere": a session
    # cookie of an older version is refused.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    organizations: Mapped[list[Organization]] = relationship(secondary=user_organizations)
    communes: Mapped[list[Commune]] = relationship(secondary=user_communes)
    regions: Mapped[list[Region]] = relationship(secondary=user_regions)
    provinces: Mapped[list[Province]] = relationship(secondary=user_provinces)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    @property
    def is_national_admin(self) -> bool:
        """An admin limited to no region or province answers for the whole country."""
        return self.is_admin and not self.regions and not self.provinces

    def get_id(self) -> str:
        """The session's user id with the account's session version: bumping the version
        (logout, password change, deactivation, "sign out everywhere") ends every session."""
        return f"{self.id}:{self.session_version}"


def load_user(session_id: str) -> User | None:
    """Return the active user of a session cookie of the account's current version."""
    user_id, _, version = (session_id or "").partition(":")
    if not (user_id.isascii() and user_id.isdigit() and len(user_id) < 12):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.get_id() != session_id:
        return None
    return user


class RevisionState(enum.Enum):
    draft = "draft"  # the author's unsubmitted changes, nobody else's business
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
            "(state IN ('draft', 'pending') AND reviewer_id IS NULL AND decided_at IS NULL)"
            " OR (state IN ('approved', 'rejected') AND reviewer_id IS NOT NULL"
            " AND decided_at IS NOT NULL)"
            " OR (state = 'withdrawn' AND reviewer_id IS NULL AND decided_at IS NOT NULL)",
            name="decision_recorded",
        ),
        # One proposal under review per service, one unsubmitted draft per author: of two
        # simultaneous submissions, the database records one.
        Index("ix_revision_one_pending", "service_id", unique=True,
              sqlite_where=text("state = 'pending'"), postgresql_where=text("state = 'pending'")),
        Index("ix_revision_one_draft", "service_id", "author_id", unique=True,
              sqlite_where=text("state = 'draft'"), postgresql_where=text("state = 'draft'")),
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
    submitted_at: Mapped[datetime | None]  # when it went under review (None for a draft)
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
    handled_note: Mapped[str] = mapped_column(Text, default="")
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    notified_at: Mapped[datetime | None]  # when its service's editors (or admins) were mailed

    service: Mapped[Service] = relationship()
    handled_by: Mapped[User | None] = relationship()


class OutboxMessage(db.Model):
    """A mail written in the same transaction as its cause, sent after commit (DESIGN §6)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="fr")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Set while a sender delivers it: another sender leaves it alone until the claim is old
    # enough to mean that sender died (mail.CLAIM_LEASE).
    claimed_at: Mapped[datetime | None]


class AccessRequestState(enum.Enum):
    open = "open"
    granted = "granted"
    refused = "refused"


class AccessRequest(db.Model):
    """Someone at a commune or organisation asks for an editor's account."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    refnis: Mapped[str | None] = mapped_column(ForeignKey("commune.refnis"))
    organization: Mapped[str] = mapped_column(String(200), default="")
    function: Mapped[str] = mapped_column(String(200), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(2), default="fr")
    state: Mapped[AccessRequestState] = mapped_column(
        Enum(AccessRequestState, native_enum=False, length=10),
        default=AccessRequestState.open, index=True,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decision_note: Mapped[str] = mapped_column(Text, default="")

    commune: Mapped[Commune | None] = relationship()
    decided_by: Mapped[User | None] = relationship()
