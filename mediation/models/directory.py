"""The directory: organisations, their mediation services, where they sit and what they cover.

Texts a citizen reads exist per language (`name_fr`, `name_nl`, `name_de`, `name_en`); any may be
empty, and `i18n.localized` picks the best one for the reader.
"""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Column, Enum, Float, ForeignKey, Index, String, Table, Text
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..extensions import db
from ..searchkeys import normalise
from .reference import Commune, utcnow

TEXT_LANGUAGES = ("fr", "nl", "de", "en")


class OrganizationKind(enum.Enum):
    commune = "commune"
    cpas = "cpas"
    police_zone = "police_zone"
    province = "province"
    intercommunal = "intercommunal"
    non_profit = "non_profit"


class ServiceStatus(enum.Enum):
    draft = "draft"
    pending = "pending"
    published = "published"
    archived = "archived"


class Organization(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    external_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    kind: Mapped[OrganizationKind] = mapped_column(
        Enum(OrganizationKind, native_enum=False, length=20)
    )
    name_fr: Mapped[str] = mapped_column(String(200), default="")
    name_nl: Mapped[str] = mapped_column(String(200), default="")
    name_de: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kbo_number: Mapped[str | None] = mapped_column(String(12))  # 0123.456.789
    # The commune a commune's own administration or its CPAS belongs to: its editors manage it.
    refnis: Mapped[str | None] = mapped_column(ForeignKey("commune.refnis"), index=True)
    is_demo: Mapped[bool] = mapped_column(default=False)

    services: Mapped[list["Service"]] = relationship(back_populates="organization")


class ServiceType(db.Model):
    """A stable code of the taxonomy; its labels are translated in the interface."""

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)

    CODES = ("neighbourhood", "community", "sac", "school", "other")


class KindText(db.Model):
    """The admins' standard explanation of one kind of mediation, per language: shown on a
    service of that kind whose editor wrote no description of their own."""

    code: Mapped[str] = mapped_column(ForeignKey("service_type.code"), primary_key=True)
    text_fr: Mapped[str] = mapped_column(Text, default="")
    text_nl: Mapped[str] = mapped_column(Text, default="")
    text_de: Mapped[str] = mapped_column(Text, default="")
    text_en: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


service_types = Table(
    "service_type_link",
    db.metadata,
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("type_code", ForeignKey("service_type.code"), primary_key=True),
)


class Service(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    external_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)

    name_fr: Mapped[str] = mapped_column(String(200), default="")
    name_nl: Mapped[str] = mapped_column(String(200), default="")
    name_de: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_de: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    cost_note_fr: Mapped[str] = mapped_column(Text, default="")
    cost_note_nl: Mapped[str] = mapped_column(Text, default="")
    cost_note_de: Mapped[str] = mapped_column(Text, default="")
    cost_note_en: Mapped[str] = mapped_column(Text, default="")
    target_public_fr: Mapped[str] = mapped_column(Text, default="")
    target_public_nl: Mapped[str] = mapped_column(Text, default="")
    target_public_de: Mapped[str] = mapped_column(Text, default="")
    target_public_en: Mapped[str] = mapped_column(Text, default="")
    how_to_request_fr: Mapped[str] = mapped_column(Text, default="")
    how_to_request_nl: Mapped[str] = mapped_column(Text, default="")
    how_to_request_de: Mapped[str] = mapped_column(Text, default="")
    how_to_request_en: Mapped[str] = mapped_column(Text, default="")
    conditions_fr: Mapped[str] = mapped_column(Text, default="")
    conditions_nl: Mapped[str] = mapped_column(Text, default="")
    conditions_de: Mapped[str] = mapped_column(Text, default="")
    conditions_en: Mapped[str] = mapped_column(Text, default="")

    handles_sac_minors: Mapped[bool] = mapped_column(default=False)
    free_of_charge: Mapped[bool] = mapped_column(default=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO 639-1 codes
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    website: Mapped[str | None] = mapped_column(String(500))
    # The contact person is personal data: shown to editors and admins only, never exported.
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))

    # Names of the service and its organisation, normalised (no case, accents, hyphens), so
    # that "liege" finds "Liège" in any database.
    search_key: Mapped[str] = mapped_column(Text, default="")

    status: Mapped[ServiceStatus] = mapped_column(
        Enum(ServiceStatus, native_enum=False, length=20), default=ServiceStatus.draft, index=True
    )
    last_verified_at: Mapped[datetime | None]
    update_interval_months: Mapped[int] = mapped_column(default=6)  # 3, 6 or 12
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    version: Mapped[int] = mapped_column(default=1)
    # When a new service was last submitted for review; a rejection returns it as a draft with
    # the admin's reason, kept until the next submission.
    submitted_at: Mapped[datetime | None]
    returned_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    returned_at: Mapped[datetime | None]
    archived_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    archived_at: Mapped[datetime | None]
    # Provenance: the list or page a service was taken from, "not yet confirmed" until an
    # editor of its organisation confirms it ("editor") or an admin checked it ("admin_check").
    source_url: Mapped[str | None] = mapped_column(String(500))
    source_date: Mapped[date | None]
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    confirmation: Mapped[str | None] = mapped_column(String(20))

    __mapper_args__ = {"version_id_col": version}

    organization: Mapped[Organization] = relationship(back_populates="services")
    types: Mapped[list[ServiceType]] = relationship(
        secondary=service_types, order_by=ServiceType.position
    )
    locations: Mapped[list["Location"]] = relationship(
        back_populates="service", order_by="Location.position", cascade="all, delete-orphan"
    )
    areas: Mapped[list["ServiceArea"]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )

    @property
    def type_codes(self) -> list[str]:
        return [t.code for t in self.types]


class Location(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)  # 0 is the main office
    street: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[str] = mapped_column(String(20), default="")
    box: Mapped[str] = mapped_column(String(20), default="")
    postal_code: Mapped[str] = mapped_column(String(4))
    refnis: Mapped[str] = mapped_column(ForeignKey("commune.refnis"), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geocode_source: Mapped[str | None] = mapped_column(String(20))  # nominatim|manual|commune-centroid|import
    geocode_precision: Mapped[str | None] = mapped_column(String(20))  # address|street|postal-code|commune
    # True while the address waits for the geocoders (kept at the commune's point meanwhile).
    geocode_pending: Mapped[bool] = mapped_column(default=False)
    wheelchair_access: Mapped[bool | None]
    # {"mon": [["09:00", "12:00"], ...], ..., "sun": []}
    opening_hours: Mapped[dict] = mapped_column(JSON, default=dict)
    by_appointment: Mapped[bool] = mapped_column(default=False)
    note_fr: Mapped[str] = mapped_column(Text, default="")
    note_nl: Mapped[str] = mapped_column(Text, default="")
    note_de: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")

    service: Mapped[Service] = relationship(back_populates="locations")
    commune: Mapped[Commune] = relationship()


Index("ix_location_lat_lon", Location.lat, Location.lon)
# Searches read the main office's position by service and the services by commune from these
# indexes alone, without visiting the tables.
Index("ix_location_service_id", Location.service_id, Location.position, Location.lat, Location.lon)


def search_key_of(service: Service) -> str:
    names = [getattr(service, f"name_{lang}") or "" for lang in TEXT_LANGUAGES]
    if service.organization is not None:
        names += [getattr(service.organization, f"name_{lang}") or "" for lang in TEXT_LANGUAGES]
    return " | ".join(dict.fromkeys(normalise(n) for n in names if n))


@event.listens_for(Session, "before_flush")
def _refresh_derived_columns(session, flush_context, instances):
    """Keep Service.search_key and Service.updated_at in step with everything a service shows.

    `updated_at` is the directory's version (queries.directory_version): a change to a
    location, an area or the types of a service must move it too.
    """
    changed = set(session.new) | set(session.dirty) | set(session.deleted)
    services = {o for o in changed if isinstance(o, Service)}
    services.update(o.service for o in changed
                    if isinstance(o, (Location, ServiceArea)) and o.service is not None)
    for org in (o for o in changed if isinstance(o, Organization)):
        services.update(org.services)
    now = utcnow()
    for service in services:
        if service in session.deleted:
            continue
        service.search_key = search_key_of(service)
        if service not in session.new:
            service.updated_at = now


class ServiceArea(db.Model):
    """A commune a service covers; a note says when it covers only part of it."""

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    refnis: Mapped[str] = mapped_column(ForeignKey("commune.refnis"), primary_key=True)
    note_fr: Mapped[str] = mapped_column(Text, default="")
    note_nl: Mapped[str] = mapped_column(Text, default="")
    note_de: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")

    service: Mapped[Service] = relationship(back_populates="areas")
    commune: Mapped[Commune] = relationship()

    __table_args__ = (Index("ix_service_area_refnis", "refnis", "service_id"),)
