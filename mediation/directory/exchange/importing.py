"""Import services from a CSV or XLSX file (DESIGN §8), one outcome per row.

A row is created, updated, unchanged or refused with its reasons; a dry run stops there. A
real run writes every valid row in one transaction, or nothing. Rows are matched on their
external id (`Service.external_key`), so importing the same file twice changes nothing.
Imported services are published at once (the admins answer for the lists they load), checked
at the import's time unless the file says when, and audited as "service.imported". An address
without a position is placed at its commune's point and queued for `flask geocode-pending`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from ...extensions import db
from ...models import Organization, Service, User
from ...models.reference import utcnow
from .. import audit
from .columns import REQUIRED_COLUMNS, timestamp_text
from ..fields import apply_fields, fields_of
from .rows import Lookups, NewOrganization, RowReader
from .files import UnreadableFile, read_sheet

FLUSH_EVERY = 200
INSERT_BATCH = 2_000  # new services per round of INSERTs

__all__ = ["ImportReport", "RowResult", "UnreadableFile", "run_import"]


@dataclass
class RowResult:
    number: int  # the row's number in the file; the header is row 1
    external_id: str
    name: str
    outcome: str  # created | updated | unchanged | refused
    reasons: list[str] = field(default_factory=list)
    service: Service | None = None
    fields: dict | None = None
    extra: dict | None = None  # status, is_demo, coverage notes, last check, organisation
    warnings: list[str] = field(default_factory=list)  # what was read as best it could be


@dataclass
class ImportReport:
    results: list[RowResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem: str | None = None  # the whole file was refused
    columns: dict = field(default_factory=dict)  # template column -> the header as written
    unknown: list = field(default_factory=list)  # headers no column was found for
    header: list = field(default_factory=list)  # the header row as written
    found: list = field(default_factory=list)  # the column each header was read as ("" none)
    written: bool = False

    @property
    def counts(self) -> Counter:
        return Counter(result.outcome for result in self.results)

    @property
    def valid(self) -> int:
        counts = self.counts
        return counts["created"] + counts["updated"] + counts["unchanged"]

    def summary(self, planned: bool = False) -> str:
        """"2 created, 1 updated, 0 unchanged, 0 refused" in the current language, each count
        with its plural; `planned`: what a dry run would do ("2 to create, 1 to update, …")."""
        counts = self.counts
        if planned:
            done = (ngettext("%(num)d to create", "%(num)d to create", counts["created"]),
                    ngettext("%(num)d to update", "%(num)d to update", counts["updated"]))
        else:
            done = (ngettext("%(num)d created", "%(num)d created", counts["created"]),
                    ngettext("%(num)d updated", "%(num)d updated", counts["updated"]))
        return ", ".join((
            *done,
            ngettext("%(num)d unchanged", "%(num)d unchanged", counts["unchanged"]),
            ngettext("%(num)d refused", "%(num)d refused", counts["refused"]),
        ))


def run_import(data: bytes, filename: str, user: User | None, *, dry_run: bool,
               progress: Callable[[int], None] | None = None,
               mapping: dict[str, str] | None = None) -> ImportReport:
    """Check every row of a file, then (unless `dry_run`) write the valid ones at once.

    `user` is the admin importing (None from the command line: the whole country).
    `progress(n)` is called as rows are checked.
    """
    report = ImportReport()
    try:
        sheet = read_sheet(data, filename, mapping)
    except UnreadableFile as error:
        report.problem = str(error)
        return report
    report.notes.extend(sheet.notes)
    report.columns = {column: sheet.labels.get(column, column) for column in sheet.columns}
    report.unknown = list(sheet.unknown)
    report.header, report.found = sheet.header, sheet.found
    missing = [column for column in REQUIRED_COLUMNS if column not in sheet.columns]
    if not any(column.startswith("name") for column in sheet.columns):
        missing.append("name_fr")
    if missing:
        report.problem = _("Columns not found: %(columns)s. Name them in the header row (for "
                           "example “Commune”, “Nom du service”, “Type de médiation”), map them "
                           "to the template's columns, or start from the template.",
                           columns=", ".join(missing))
        return report
    if sheet.unknown:
        report.notes.append(_("Columns not used: %(columns)s.",
                              columns=", ".join(dict.fromkeys(sheet.unknown))))
    lookups = Lookups.load(user)
    reader = RowReader(lookups, set(sheet.columns), sheet.labels)
    now = utcnow().replace(microsecond=0)
    for number, cells in sheet.rows:
        report.results.append(_check(reader, number, cells))
        if progress:
            progress(1)
    if not dry_run and any(r.outcome in ("created", "updated") for r in report.results):
        _write(report, lookups, user, now)
    return report


def _check(reader: RowReader, number: int, cells: dict) -> RowResult:
    checked = reader.read(number, cells)
    result = RowResult(number, checked.external_id, checked.name, "refused", checked.reasons)
    if checked.reasons:
        return result
    result.service, result.fields, result.extra = checked.service, checked.fields, checked.extra
    result.warnings = checked.warnings
    if checked.service is None:
        result.outcome = "created"
    elif _same(checked.service, checked.fields, checked.extra, checked.before):
        result.outcome = "unchanged"
        result.service = result.fields = result.extra = None  # nothing to write: let them go
    else:
        result.outcome = "updated"
    return result


def _same(service: Service, fields: dict, extra: dict, before: dict) -> bool:
    """True when writing the row would leave the service (whose fields are `before`) exactly
    as it is."""
    if comparable(fields) != comparable(before):
        return False
    if extra["organization"] is not service.organization:
        return False
    if extra["status"] is not service.status or extra["is_demo"] != service.is_demo:
        return False
    if any(extra[name] != getattr(service, name)
           for name in ("source_url", "source_date") if name in extra):
        return False
    if extra["last_verified_at"] is not None and (
            timestamp_text(extra["last_verified_at"]) != timestamp_text(service.last_verified_at)):
        return False
    notes = extra["coverage_note"]
    return notes is None or all(
        (getattr(area, f"note_{lang}") or "") == text
        for area in service.areas for lang, text in notes.items())


def _write(report: ImportReport, lookups: Lookups, user: User | None, now: datetime) -> None:
    """Write every created and updated row in one transaction; on any error, none of them.

    New services go in with a few multi-row INSERTs (services, types, areas, locations, audit
    events); changed ones through the ORM, flushed in batches."""
    rows = [r for r in report.results if r.outcome in ("created", "updated")]
    try:
        organizations = _create_organizations(rows)
        _insert_new([r for r in rows if r.service is None], organizations, user, now)
        written = []
        changed = [r for r in rows if r.service is not None]
        for number, result in enumerate(changed, start=1):
            service = result.service
            before = fields_of(service)
            fields = {**result.fields, "organization_id": _organization_id(result, organizations)}
            with db.session.no_autoflush:
                apply_fields(service, fields)
                _apply_extra(service, result.extra, now)
            written.append((service, before, fields))
            if number % FLUSH_EVERY == 0 or number == len(changed):
                # Flushed in batches inside the one transaction: the session's work per flush
                # grows with what it holds.
                db.session.flush()
                for service, before, fields in written:
                    audit.record(user, "service.imported", service, before=before, after=fields)
                written = []
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report.written = True
    lookups.forget()


def _organization_id(result: RowResult, organizations: dict) -> int:
    organization = result.extra["organization"]
    if isinstance(organization, NewOrganization):
        organization = organizations[organization.token]
    return organization.id


def _insert_new(rows: list[RowResult], organizations: dict, user: User | None,
                now: datetime) -> None:
    """Insert the new services of the file and everything they hold, in batches of rows."""
    from types import SimpleNamespace

    from sqlalchemy import insert

    from ...models import Location, ServiceArea, service_types
    from ...models.directory import search_key_of
    from ..fields import FLAGS, LOCATION_FIELDS, PLAIN_FIELDS, TEXT_FIELDS, TEXT_LANGUAGES

    by_id = {o.id: o for o in db.session.identity_map.values() if isinstance(o, Organization)}
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start:start + INSERT_BATCH]
        values = []
        for result in batch:
            fields, extra = result.fields, result.extra
            organization_id = _organization_id(result, organizations)
            texts = {f"{name}_{lang}": fields["texts"][name].get(lang, "") or ""
                     for name in TEXT_FIELDS for lang in TEXT_LANGUAGES}
            organization = by_id.get(organization_id) or db.session.get(Organization,
                                                                        organization_id)
            by_id[organization_id] = organization
            values.append({
                "external_key": result.external_id or None, "organization_id": organization_id,
                **texts,
                "languages": list(fields["languages"]),
                "update_interval_months": fields["update_interval_months"],
                **{name: fields.get(name) or None for name in PLAIN_FIELDS},
                **{name: bool(fields.get(name)) for name in FLAGS},
                "status": extra["status"], "is_demo": extra["is_demo"],
                "last_verified_at": extra["last_verified_at"] or now,
                "source_url": extra.get("source_url"), "source_date": extra.get("source_date"),
                "search_key": search_key_of(SimpleNamespace(**texts, organization=organization)),
                "created_at": now, "updated_at": now, "version": 1,
            })
        ids = db.session.execute(
            insert(Service).returning(Service.id, sort_by_parameter_order=True), values
        ).scalars().all()
        types, areas, locations, events = [], [], [], []
        for service_id, result in zip(ids, batch):
            fields, notes = result.fields, result.extra["coverage_note"] or {}
            types += [{"service_id": service_id, "type_code": code} for code in fields["types"]]
            areas += [{"service_id": service_id, "refnis": refnis,
                       **{f"note_{lang}": notes.get(lang, "") for lang in TEXT_LANGUAGES}}
                      for refnis in dict.fromkeys(fields["communes"])]
            place = fields.get("location")
            if place is not None:
                location = {name: place.get(name) for name in LOCATION_FIELDS}
                location.update(
                    service_id=service_id, position=0,
                    street=place.get("street") or "", number=place.get("number") or "",
                    box=place.get("box") or "", by_appointment=bool(place.get("by_appointment")),
                    geocode_pending=bool(place.get("geocode_pending")),
                    opening_hours=place.get("opening_hours") or {},
                    **{f"note_{lang}": (place.get("note") or {}).get(lang, "")
                       for lang in TEXT_LANGUAGES})
                locations.append(location)
            events.append((service_id, None,
                           {**fields, "organization_id": _organization_id(result, organizations)}))
        if types:
            db.session.execute(insert(service_types), types)
        if areas:
            db.session.execute(insert(ServiceArea), areas)
        if locations:
            db.session.execute(insert(Location), locations)
        audit.record_many(user, "service.imported", "service", events)


def _create_organizations(rows: list[RowResult]) -> dict[str, Organization]:
    created: dict[str, Organization] = {}
    for result in rows:
        spec = result.extra["organization"]
        if isinstance(spec, NewOrganization) and spec.token not in created:
            organization = spec.build()
            db.session.add(organization)
            created[spec.token] = organization
    db.session.flush()
    for organization in created.values():
        audit.record(None, "organization.imported", organization,
                     after={"key": organization.external_key})
    return created


def _apply_extra(service: Service, extra: dict, now: datetime) -> None:
    service.status = extra["status"]
    service.is_demo = extra["is_demo"]
    service.last_verified_at = extra["last_verified_at"] or now
    for name in ("source_url", "source_date"):
        if name in extra:
            setattr(service, name, extra[name])
    notes = extra["coverage_note"]
    if notes is not None:
        for area in service.areas:
            for lang, text in notes.items():
                setattr(area, f"note_{lang}", text)



def comparable(fields: dict) -> dict:
    """The fields with the days without hours left out (stored either way)."""
    place = fields.get("location")
    if not place:
        return fields
    hours = {day: spans for day, spans in (place.get("opening_hours") or {}).items() if spans}
    return {**fields, "location": {**place, "opening_hours": hours}}
