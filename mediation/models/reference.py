"""Reference geography: regions, provinces, communes, postal codes and other place names."""

import enum
from datetime import datetime, timezone

from sqlalchemy import Enum, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Region(db.Model):
    code: Mapped[str] = mapped_column(String(5), primary_key=True)  # Statbel REFNIS
    name_fr: Mapped[str] = mapped_column(String(120))
    name_nl: Mapped[str] = mapped_column(String(120))
    name_de: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120))


class Province(db.Model):
    code: Mapped[str] = mapped_column(String(5), primary_key=True)  # Statbel REFNIS
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    name_fr: Mapped[str] = mapped_column(String(120))
    name_nl: Mapped[str] = mapped_column(String(120))
    name_de: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120))

    region: Mapped[Region] = relationship()


class Commune(db.Model):
    refnis: Mapped[str] = mapped_column(String(5), primary_key=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_nl: Mapped[str] = mapped_column(String(120))
    name_de: Mapped[str | None] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120))
    # None for the 19 communes of the Brussels-Capital Region, which has no province.
    province_code: Mapped[str | None] = mapped_column(ForeignKey("province.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    centroid_source: Mapped[str] = mapped_column(String(120))
    centroid_precision: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    # The general contact of the commune's administration, kept by the federal admins: where a
    # citizen asks when no mediation service is known (never a person's own details).
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(500))

    province: Mapped[Province | None] = relationship()
    region: Mapped[Region] = relationship()
    postal_codes: Mapped[list["PostalCode"]] = relationship(
        back_populates="commune", order_by="PostalCode.code", cascade="all, delete-orphan"
    )
    place_names: Mapped[list["PlaceName"]] = relationship(
        back_populates="commune", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Commune {self.refnis} {self.name_fr}>"


class PostalCode(db.Model):
    """One postal code of one commune; a code shared by two communes has two rows (1040, 1050)."""

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    refnis: Mapped[str] = mapped_column(ForeignKey("commune.refnis"), primary_key=True)

    commune: Mapped[Commune] = relationship(back_populates="postal_codes")


class PlaceNameKind(enum.Enum):
    exonym = "exonym"
    former_commune = "former_commune"
    locality = "locality"


class PlaceName(db.Model):
    """Any other text that means a commune: an exonym, a former commune, a locality."""

    __table_args__ = (UniqueConstraint("refnis", "kind", "name", name="uq_place_name_entry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    lang: Mapped[str | None] = mapped_column(String(2))
    refnis: Mapped[str] = mapped_column(ForeignKey("commune.refnis"), index=True)
    kind: Mapped[PlaceNameKind] = mapped_column(Enum(PlaceNameKind, native_enum=False, length=20))
    source: Mapped[str] = mapped_column(String(160))

    commune: Mapped[Commune] = relationship(back_populates="place_names")


class GeocodeCache(db.Model):
    """A geocoder's answer to one normalised query, kept so each address is asked once."""

    __table_args__ = (
        UniqueConstraint("provider", "query", name="uq_geocode_cache_provider_query"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(40))
    query: Mapped[str] = mapped_column(String(400))
    lat: Mapped[float | None] = mapped_column(Float)  # None: the provider found nothing
    lon: Mapped[float | None] = mapped_column(Float)
    precision: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


Index("ix_postal_code_refnis", PostalCode.refnis)
