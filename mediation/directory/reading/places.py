"""Plain records of communes and areas: what the search, the coverage and their pages show of
a place (names as `commune_name` and `place_name` read them, and its point), kept apart from
the database session so that they live beyond the request that read them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AreaName:
    """A region's or province's names."""

    code: str
    name_fr: str
    name_nl: str
    name_de: str
    name_en: str | None


@dataclass(frozen=True)
class CommunePlace:
    """A commune's names, region, province and point."""

    refnis: str
    name_fr: str
    name_nl: str
    name_de: str | None
    name_en: str | None
    region_code: str
    lat: float | None
    lon: float | None
    province_code: str | None = None
    area: AreaName | None = None  # its province, or its region when it has none (Brussels)

    @classmethod
    def of(cls, commune, area: AreaName | None = None) -> CommunePlace:
        """The record of a Commune row."""
        return cls(commune.refnis, commune.name_fr, commune.name_nl, commune.name_de,
                   commune.name_en, commune.region_code, commune.lat, commune.lon,
                   commune.province_code, area)

    @property
    def area_code(self) -> str:
        return self.province_code or self.region_code
