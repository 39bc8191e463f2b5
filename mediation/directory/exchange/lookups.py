"""What every imported row is checked against, read once per import.

`Lookups` holds the communes, postal codes, services and organisations by key and the duplicate
index, so that 10,000 rows cost a handful of queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...values import group_communes, resolve_commune
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
from ..fields import TEXT_LANGUAGES, described, kind_texts, required_languages
from ..permissions import in_territory
from ..reading import duplicates
from .columns import SERVICE_KEY_PREFIX

# A commune has a few services of each kind. Past this many rows of one kind covering one
# commune, a file is taken to repeat itself: the further rows are refused, and checking each
# row against the earlier ones stays bounded (it compares every name with every other).
MOST_PER_COMMUNE_AND_KIND = 100


@dataclass
class NewOrganization:
    """An organisation the import will create (shared by the rows naming it)."""

    token: str
    key: str | None
    kind: OrganizationKind
    names: dict
    kbo: str | None
    is_demo: bool
    refnis: str | None = None  # the commune whose administration it is

    def build(self) -> Organization:
        return Organization(external_key=self.key, kind=self.kind, kbo_number=self.kbo,
                            is_demo=self.is_demo, refnis=self.refnis,
                            **{f"name_{lang}": self.names.get(lang, "") for lang in TEXT_LANGUAGES})


@dataclass
class Entry:
    """What the duplicate check knows of a service (in the database or earlier in the file)."""

    key: str
    name: str
    names: set
    types: set
    address: tuple | None


class Bucket:
    """The services of one kind covering one commune, as the duplicate check compares them:
    their names (words sorted, so that rapidfuzz's plain ratio is the token sort ratio of
    `duplicates.similar_names`) and their addresses."""

    __slots__ = ("names", "owners", "addresses", "from_file")

    def __init__(self):
        self.names: list[str] = []
        self.owners: list[Entry] = []  # the entry of each name
        self.addresses: dict[tuple, list[Entry]] = {}
        self.from_file = 0

    def add(self, entry: Entry, sorted_names: list[str]) -> None:
        for name in sorted_names:
            self.names.append(name)
            self.owners.append(entry)
        if entry.address is not None:
            self.addresses.setdefault(entry.address, []).append(entry)

    def like(self, sorted_names: list[str], address, own: set) -> Entry | None:
        """The first entry (not one of `own`) with the same address or a similar name."""
        for entry in self.addresses.get(address, ()) if address is not None else ():
            if entry.key not in own:
                return entry
        for name in sorted_names:
            for _choice, _score, index in process.extract_iter(
                    name, self.names, scorer=fuzz.ratio, processor=None,
                    score_cutoff=duplicates.SIMILAR_NAME):
                if self.owners[index].key not in own:
                    return self.owners[index]
        return None


def sorted_words(keys) -> list[str]:
    return [" ".join(sorted(key.split())) for key in keys]


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
        self.buckets: dict[tuple[str, str], Bucket] = {}  # (refnis, kind) -> its services
        self.resolved: dict[str, tuple] = {}
        self.territory: dict[str, bool] = {}
        self.scope: set[int] | None = None
        self.by_match: dict[tuple, Service] = {}  # (name key, kind, commune or organisation)
        self.kind_texts: dict[str, dict[str, str]] = {}
        self.required: dict[tuple, list[str]] = {}
        self.groups: dict[str, list[str] | None] = {}
        self.administrations: dict[str, Organization] = {}  # refnis -> the commune's own

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
                digits = re.sub(r"\D", "", organization.kbo_number).rjust(10, "0")
                self.organizations_by_kbo[digits] = organization
            self.remember_organization(organization)
            if organization.kind is OrganizationKind.commune and organization.refnis:
                self.administrations.setdefault(organization.refnis, organization)
        self.kind_texts = kind_texts()
        services = db.session.scalars(select(Service).options(
            selectinload(Service.areas), selectinload(Service.locations),
            selectinload(Service.types))).all()
        for service in services:
            self.services_by_id[service.id] = service
            if service.external_key:
                self.services[service.external_key] = service
            for name in entry_names(service).values():
                for kind in service.type_codes:
                    for place in [*(a.refnis for a in service.areas),
                                  f"organization:{service.organization_id}"]:
                        if name:
                            self.by_match.setdefault((match_key(name), kind, place), service)
            if service.status is not ServiceStatus.archived:
                self.index(service.external_key or f"{SERVICE_KEY_PREFIX}{service.id}",
                           entry_names(service), set(service.type_codes),
                           address_of(service.locations[0]) if service.locations else None,
                           [area.refnis for area in service.areas])
        if user is not None and not user.is_national_admin:
            from ..permissions import manageable

            self.scope = set(db.session.scalars(select(Service.id).where(manageable(user))))
        return self

    def remember_organization(self, organization) -> None:
        names = (organization.names.values() if isinstance(organization, NewOrganization)
                 else (getattr(organization, f"name_{lang}") for lang in TEXT_LANGUAGES))
        for name in filter(None, names):
            self.organizations_by_name.setdefault(organization_key_of(name), organization)

    def organization_named(self, name: str):
        """A known organisation of that name: "Ville de Charleroi" is "Commune de Charleroi"."""
        return self.organizations_by_name.get(organization_key_of(name))

    def commune_administration(self, refnis: str, is_demo: bool, kbo: str | None = None):
        """The commune's own administration (known by its name, else created once)."""
        commune = self.communes[refnis]
        if refnis in self.administrations:
            return self.administrations[refnis]
        for lang in ("fr", "nl", "de"):
            name = getattr(commune, f"name_{lang}")
            found = name and self.organizations_by_name.get(("commune", normalise(name)))
            if found:
                return found
        token = f"commune:{refnis}"
        if token not in self.new_organizations:
            languages = self.languages([refnis]) or ["fr"]
            names = {lang: administration_name(commune, lang) for lang in languages}
            self.new_organizations[token] = NewOrganization(
                token, None, OrganizationKind.commune, names, kbo_text(kbo) if kbo else None,
                is_demo, refnis)
            self.remember_organization(self.new_organizations[token])
        return self.new_organizations[token]

    def languages(self, communes: list[str]) -> list[str]:
        """The languages the texts of a service covering these communes must exist in."""
        key = tuple(communes)
        if key not in self.required:
            self.required[key] = required_languages(list(communes))
        return self.required[key]

    def language_complete(self, fields: dict, lang: str) -> bool:
        """A name in the language, and a description or the standard text of one of its kinds."""
        return bool(fields["texts"]["name"].get(lang, "").strip()) and described(
            fields, lang, self.kind_texts)

    def match(self, fields: dict, organization) -> Service | None:
        """The service a row without identifier means: same organisation or commune, kind and
        name (normalised)."""
        places = list(fields["communes"])
        if isinstance(organization, Organization):
            places.insert(0, f"organization:{organization.id}")
        for name in filter(None, fields["texts"]["name"].values()):
            for kind in fields["types"]:
                for place in places:
                    found = self.by_match.get((match_key(name), kind, place))
                    if found is not None:
                        return found
        return None

    def group(self, text: str) -> list[str] | None:
        if text not in self.groups:
            found = group_communes(text)
            self.groups[text] = found[1] if found else None
        return self.groups[text]

    def forget(self) -> None:
        """After a write the loaded objects are stale; a new import loads them again."""
        self.services.clear()

    def index(self, key, names: dict, types: set, address, communes: list[str],
              keys: set | None = None, from_file: bool = False) -> None:
        shown = next((n for n in names.values() if n), key)
        entry = Entry(key, shown, keys if keys is not None else name_keys(names), types, address)
        sorted_names = sorted_words(entry.names)
        for refnis in communes:
            for kind in types:
                bucket = self.buckets.get((refnis, kind))
                if bucket is None:
                    bucket = self.buckets[refnis, kind] = Bucket()
                bucket.add(entry, sorted_names)
                bucket.from_file += from_file

    def crowded(self, communes: list[str], types) -> tuple[str, str] | None:
        """The first (commune, kind) of the row that the file already covers with
        MOST_PER_COMMUNE_AND_KIND services, if any."""
        for refnis in communes:
            for kind in types:
                bucket = self.buckets.get((refnis, kind))
                if bucket is not None and bucket.from_file >= MOST_PER_COMMUNE_AND_KIND:
                    return refnis, kind
        return None

    def likely_duplicate(self, keys: set, address, communes: list[str], types,
                         own: set) -> tuple[Entry, str] | None:
        """(entry, commune) of a service of one of these kinds covering one of these communes
        with a similar name or the same address, in the database or earlier in the file."""
        sorted_names = sorted_words(keys)
        for refnis in communes:
            for kind in types:
                bucket = self.buckets.get((refnis, kind))
                found = bucket.like(sorted_names, address, own) if bucket is not None else None
                if found is not None:
                    return found, refnis
        return None

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


def match_key(name: str) -> str:
    return normalise(name)


ADMINISTRATION_WORDS = {
    "commune": ("commune", "gemeente", "gemeinde", "ville", "stad", "stadt", "municipality",
                "city", "town", "administration communale", "gemeentebestuur", "stadsbestuur",
                "administration", "gemeindeverwaltung", "commune de", "ville de"),
    "cpas": ("cpas", "ocmw", "ows", "oshz", "centre public d action sociale",
             "openbaar centrum voor maatschappelijk welzijn", "sociaal huis", "psac"),
}
LINKING_WORDS = {"de", "d", "du", "des", "la", "le", "van", "het", "der", "von", "of", "the"}


def organization_key_of(name: str) -> tuple:
    """The key two names of one organisation share: ("commune", "charleroi") for "Ville de
    Charleroi" and "Commune de Charleroi"; ("", "asbl bravvo") for other names."""
    from ...searchkeys import tokens

    words = tokens(name)
    for kind, prefixes in ADMINISTRATION_WORDS.items():
        for prefix in sorted(prefixes, key=len, reverse=True):
            head = prefix.split()
            if words[:len(head)] == head and len(words) > len(head):
                rest = words[len(head):]
                while rest and rest[0] in LINKING_WORDS:
                    rest = rest[1:]
                if rest:
                    return (kind, normalise(" ".join(rest)))
    return ("", normalise(name))


KIND_WORDS = (
    (OrganizationKind.non_profit, ("asbl", "vzw", "vog", "non", "association", "vereniging",
                                   "verein", "fondation", "stichting", "ngo")),
    (OrganizationKind.police_zone, ("police", "politiezone", "polizeizone", "pz", "zp",
                                    "politie", "polizei", "police_zone")),
    (OrganizationKind.cpas, ("cpas", "ocmw", "ows", "psac", "oshz")),
    (OrganizationKind.intercommunal, ("intercommunale", "intercommunal", "intergemeentelijk",
                                      "intergemeentelijke", "interkommunal", "intercommunal")),
    (OrganizationKind.province, ("province", "provincie", "provinz", "provinciale",
                                 "provincial", "gouverneur", "provinciegouverneur")),
    (OrganizationKind.commune, ("commune", "gemeente", "gemeinde", "ville", "stad", "stadt",
                                "municipality", "city", "communal", "communale")),
)


@lru_cache(maxsize=4096)
def organization_kind_of(text: str) -> OrganizationKind | None:
    """The kind of organisation a word or a name suggests ("ASBL communale" is a non-profit)."""
    from ...searchkeys import tokens

    words = tokens(text.replace("_", " "))
    if text.strip().lower() in {kind.value for kind in OrganizationKind}:
        return OrganizationKind(text.strip().lower())
    for kind, keys in KIND_WORDS:
        if any(word in keys for word in words):
            return kind
    return None


def kbo_text(digits: str) -> str:
    """Ten digits as the enterprise number is written: 0123.456.789."""
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def administration_name(commune: Commune, lang: str) -> str:
    name = getattr(commune, f"name_{lang}") or commune.name_fr
    if lang == "fr":
        return f"Commune d’{name}" if name[:1].lower() in "aeiouyéèh" and name[:1] != "H" \
            else f"Commune de {name}"
    return {"nl": f"Gemeente {name}", "de": f"Gemeinde {name}"}.get(lang, f"Municipality of {name}")
