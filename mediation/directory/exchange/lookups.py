"""What every imported row is checked against, read once per import.

`Lookups` holds the communes, postal codes, services and organisations by key and the duplicate
index, so that 10,000 rows cost a handful of queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...values import resolve_commune
from ...gazetteer import normalise
from ...models import (
    Commune,
    Organization,
    OrganizationKind,
    PostalCode,
    Service,
    ServiceStatus,
    ServiceType,
    User,
)
from ..fields import TEXT_LANGUAGES
from ..permissions import in_territory
from ..reading import duplicates
from .columns import SERVICE_KEY_PREFIX



@dataclass
class NewOrganization:
    """An organisation the import will create (shared by the rows naming it)."""

    token: str
    key: str | None
    kind: OrganizationKind
    names: dict
    kbo: str | None
    is_demo: bool

    def build(self) -> Organization:
        return Organization(external_key=self.key, kind=self.kind, kbo_number=self.kbo,
                            is_demo=self.is_demo,
                            **{f"name_{lang}": self.names.get(lang, "") for lang in TEXT_LANGUAGES})


@dataclass
class Entry:
    """What the duplicate check knows of a service (in the database or earlier in the file)."""

    key: str
    name: str
    names: set
    types: set
    address: tuple | None


class Lookups:
    """Everything the rows are checked against, read once per import."""

    def __init__(self, user: User | None):
        self.user = user
        self.communes: dict[str, Commune] = {}
        self.postal_codes: set[tuple[str, str]] = set()
        self.types: dict[str, int] = {}  # code -> position
        self.services: dict[str, Service] = {}
        self.services_by_id: dict[int, Service] = {}
        self.organizations: dict[str, Organization] = {}
        self.organizations_by_id: dict[int, Organization] = {}
        self.organizations_by_kbo: dict[str, Organization] = {}
        self.organizations_by_name: dict[tuple, Organization] = {}
        self.new_organizations: dict[str, NewOrganization] = {}
        self.by_commune: dict[str, list[Entry]] = {}
        self.resolved: dict[str, tuple] = {}
        self.territory: dict[str, bool] = {}
        self.scope: set[int] | None = None

    @classmethod
    def load(cls, user: User | None) -> Lookups:
        self = cls(user)
        self.communes = {c.refnis: c for c in db.session.scalars(select(Commune))}
        self.postal_codes = {(code, refnis) for code, refnis in db.session.execute(
            select(PostalCode.code, PostalCode.refnis))}
        self.types = {code: position for code, position in db.session.execute(
            select(ServiceType.code, ServiceType.position))}
        for organization in db.session.scalars(select(Organization)):
            self.organizations_by_id[organization.id] = organization
            if organization.external_key:
                self.organizations[organization.external_key] = organization
            if organization.kbo_number:
                self.organizations_by_kbo[organization.kbo_number] = organization
            for lang in TEXT_LANGUAGES:
                name = normalise(getattr(organization, f"name_{lang}") or "")
                if name:
                    self.organizations_by_name.setdefault((organization.kind, name), organization)
        services = db.session.scalars(select(Service).options(
            selectinload(Service.areas), selectinload(Service.locations),
            selectinload(Service.types))).all()
        for service in services:
            self.services_by_id[service.id] = service
            if service.external_key:
                self.services[service.external_key] = service
            if service.status is not ServiceStatus.archived:
                self.index(service.external_key or f"{SERVICE_KEY_PREFIX}{service.id}",
                           entry_names(service), set(service.type_codes),
                           address_of(service.locations[0]) if service.locations else None,
                           [area.refnis for area in service.areas])
        if user is not None and not user.is_national_admin:
            from ..permissions import manageable

            self.scope = set(db.session.scalars(select(Service.id).where(manageable(user))))
        return self

    def forget(self) -> None:
        """After a write the loaded objects are stale; a new import loads them again."""
        self.services.clear()

    def index(self, key, names: dict, types: set, address, communes: list[str]) -> None:
        shown = next((n for n in names.values() if n), key)
        entry = Entry(key, shown, name_keys(names), types, address)
        for refnis in communes:
            self.by_commune.setdefault(refnis, []).append(entry)

    def service(self, key: str) -> Service | None:
        found = self.services.get(key)
        if found is None and key.startswith(SERVICE_KEY_PREFIX):
            number = key[len(SERVICE_KEY_PREFIX):]
            if number.isascii() and number.isdigit():
                candidate = self.services_by_id.get(int(number))
                if candidate is not None and not candidate.external_key:
                    found = candidate
        return found

    def commune(self, text: str) -> tuple[Commune | None, list[Commune]]:
        text = text.strip()
        if text in self.communes and self.communes[text].active:
            return self.communes[text], []
        if text not in self.resolved:
            self.resolved[text] = resolve_commune(text)
        return self.resolved[text]

    def in_territory(self, refnis: str) -> bool:
        if self.user is None or self.user.is_national_admin:
            return True
        if refnis not in self.territory:
            self.territory[refnis] = in_territory(self.user, refnis)
        return self.territory[refnis]


def entry_names(service: Service) -> dict:
    return {lang: getattr(service, f"name_{lang}") or "" for lang in TEXT_LANGUAGES}


def address_of(place) -> tuple | None:
    """The address the duplicate check compares (a Location or a location's fields)."""
    if place is not None and not isinstance(place, dict):
        place = {"street": place.street, "number": place.number,
                 "postal_code": place.postal_code}
    return duplicates._address(place)


def name_keys(names: dict) -> set[str]:
    return duplicates._names(names)
