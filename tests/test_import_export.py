"""Import and export of services: files as people send them, outcomes per row, round trips."""

import csv
import io
import json
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, text

from mediation.directory import audit
from mediation.directory.exchange.columns import COLUMNS
from mediation.directory.demo import seed_demo
from mediation.directory.exchange.exporting import directory_services, export_directory
from mediation.directory.exchange.importing import run_import
from mediation.extensions import db
from mediation.models import AuditEvent, Location, Organization, Service, ServiceStatus

ROWS = [
    {"external_id": "fed-1", "organization_key": "org-schaerbeek", "organization_kind": "commune",
     "organization_name_fr": "Commune de Schaerbeek", "organization_name_nl": "Gemeente Schaarbeek",
     "name_fr": "Médiation locale de Schaerbeek", "name_nl": "Lokale bemiddeling Schaarbeek",
     "description_fr": "Aide les voisins.", "description_nl": "Helpt buren.",
     "types": "neighbourhood", "languages": "fr|nl", "phone": "+32 2 240 12 34",
     "email": "mediation@schaerbeek.example", "communes": "21015", "street": "Place Colignon",
     "number": "1", "postal_code": "1030", "commune": "Schaerbeek", "hours_mon": "9:00-12:00"},
    {"external_id": "fed-2", "organization_key": "org-liege", "organization_kind": "commune",
     "organization_name_fr": "Ville de Liège", "name_fr": "Médiation de quartier de Liège",
     "description_fr": "Aide les habitants.", "types": "neighbourhood|sac",
     "languages": "fr", "phone": "04 221 84 00", "email": "", "communes": "Liège",
     "street": "Rue de la Régence", "number": "2", "postal_code": "4000", "commune": "62063"},
]
HEADER = list(dict.fromkeys(key for row in ROWS for key in row))


def csv_bytes(rows, delimiter=",", encoding="utf-8", header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER, tweak=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column, "") for column in header])
    if tweak:
        tweak(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_changes(index=0, **changes):
    rows = [dict(row) for row in ROWS]
    rows[index].update(changes)
    return rows


def count_services() -> int:
    return db.session.scalar(select(func.count(Service.id)))


def empty_directory():
    for table in ("audit_event", "revision", "error_report", "service_type_link", "service_area",
                  "location", "service", "organization"):
        db.session.execute(text(f'DELETE FROM "{table}"'))
    db.session.commit()


@pytest.fixture
def ctx(app):
    """A request in English: messages read as an English-speaking admin sees them."""
    with app.test_request_context("/en/"):
        yield app


# --- dry run, real run, idempotency ---------------------------------------------------------

@pytest.mark.parametrize("make", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_dry_run_writes_nothing_then_the_real_run_publishes(ctx, make):
    data = make(ROWS)
    report = run_import(data, "list." + ("csv" if make is csv_bytes else "xlsx"), None,
                        dry_run=True)
    assert report.problem is None
    assert [r.outcome for r in report.results] == ["created", "created"]
    assert count_services() == 0

    report = run_import(data, "list.csv", None, dry_run=False)
    assert report.written and report.counts["created"] == 2
    service = db.session.scalar(select(Service).filter_by(external_key="fed-2"))
    assert service.status is ServiceStatus.published and not service.is_demo
    assert service.last_verified_at is not None
    assert service.phone == "+3242218400"
    assert service.type_codes == ["neighbourhood", "sac"]
    location = service.locations[0]
    # Queued for the geocoders, shown at the commune's point meanwhile.
    assert location.geocode_pending and location.lat == service.areas[0].commune.lat
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "service.imported")) == 2


def test_the_same_file_twice_changes_nothing(ctx):
    data = csv_bytes(ROWS)
    run_import(data, "list.csv", None, dry_run=False)
    versions = dict(db.session.execute(select(Service.external_key, Service.version)).all())
    events = db.session.scalar(select(func.count(AuditEvent.id)))

    report = run_import(data, "list.csv", None, dry_run=False)
    assert [r.outcome for r in report.results] == ["unchanged", "unchanged"]
    assert dict(db.session.execute(select(Service.external_key, Service.version)).all()) == versions
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events

    changed = csv_bytes(with_changes(1, phone="04 221 84 01"))
    report = run_import(changed, "list.csv", None, dry_run=False)
    assert [r.outcome for r in report.results] == ["unchanged", "updated"]
    assert db.session.scalar(select(Service.phone).filter_by(external_key="fed-2")) == "+3242218401"


def test_an_update_keeps_the_contact_person_and_a_known_position(ctx):
    run_import(csv_bytes(ROWS), "list.csv", None, dry_run=False)
    service = db.session.scalar(select(Service).filter_by(external_key="fed-1"))
    service.contact_name = "Private Person"
    location = service.locations[0]
    location.lat, location.lon, location.geocode_pending = 50.8671, 4.3776, False
    db.session.commit()
    report = run_import(csv_bytes(with_changes(0, email="autre@schaerbeek.example")),
                        "list.csv", None, dry_run=False)
    assert report.results[0].outcome == "updated"
    db.session.expire_all()
    service = db.session.scalar(select(Service).filter_by(external_key="fed-1"))
    assert service.contact_name == "Private Person"
    assert (service.locations[0].lat, service.locations[0].geocode_pending) == (50.8671, False)


# --- refused rows ---------------------------------------------------------------------------

@pytest.mark.parametrize("changes, reason", [
    ({"communes": "Atlantis"}, "Unknown commune: Atlantis. Please write the name, a postal code"),
    ({"postal_code": "4000"}, "The postal code 4000 is not one of Schaerbeek"),
    ({"phone": "12"}, "phone: “12” is not a Belgian phone number. Please write it as 02 555"),
    ({"email": "not-an-address"}, "Invalid e-mail address: not-an-address."),
    ({"types": ""}, "Missing required field: types."),
    ({"name_fr": "", "name_nl": ""}, "Missing required field: name_fr."),
    ({"types": "karate"}, "types: unknown kind of mediation “karate”. Please write"),
    ({"description_nl": "", "status": "published"},
     "The name and the description are needed in Dutch"),
    ({"phone": "", "email": ""}, "Please give a phone number or an e-mail address."),
    ({"hours_mon": "morning"}, "hours_mon: please write the hours as 9:00-12:00"),
    ({"website": "ftp:/x"}, "Invalid web address: ftp:/x."),
    ({"external_id": "fed-2"}, "The identifier fed-2 appears more than once in the file"),
])
def test_a_refused_row_says_why_and_the_others_are_imported(ctx, changes, reason):
    rows = with_changes(1 if "fed-2" in changes.values() else 0, **changes)
    if "fed-2" in changes.values():
        rows = [ROWS[1], rows[1]]  # the same identifier twice
    header = HEADER + [c for c in changes if c not in HEADER]
    report = run_import(csv_bytes(rows, header=header), "list.csv", None, dry_run=False)
    refused = [r for r in report.results if r.outcome == "refused"]
    assert len(refused) == 1
    assert any(reason in message for message in refused[0].reasons), refused[0].reasons
    assert count_services() == 1


def test_a_likely_duplicate_is_refused(ctx, make_service):
    make_service("21015")  # "Médiation Schaerbeek (fr)", Place Colignon 1, neighbourhood
    report = run_import(csv_bytes(ROWS), "list.csv", None, dry_run=True)
    assert report.results[0].outcome == "refused"
    assert "Likely duplicate" in report.results[0].reasons[0]
    assert report.results[1].outcome == "created"


def test_a_commune_outside_a_limited_admins_territory_is_refused(ctx, make_user):
    from mediation.models import Region, User

    user = db.session.get(User, make_user("wallonia@example.be", role="admin"))
    user.regions = [db.session.get(Region, "03000")]
    db.session.commit()
    report = run_import(csv_bytes(ROWS), "list.csv", user, dry_run=True)
    assert report.results[0].outcome == "refused"
    assert "outside your territory" in report.results[0].reasons[0]
    assert report.results[1].outcome == "created"


# --- broken files ---------------------------------------------------------------------------

@pytest.mark.parametrize("data, name, message", [
    (b"", "list.csv", "The file is empty."),
    (b"\n\n  \n", "list.csv", "The file is empty."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "neither a CSV file nor an XLSX"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "old Excel file (.xls)"),
    (b"PK\x03\x04garbage", "list.xlsx", "not a valid XLSX workbook"),
    (b"just one line without separators\n", "list.csv", "The first line of the file"),
    (b"external_id,name_fr\nx,y\n", "list.csv", "Columns not found: types, communes."),
    ("external_id;types;communes;name_fr\nx;other;21015;\x81\x8d\n".encode("cp1252",
                                                                       errors="ignore")
     + b"\x81\x8d\xff\xfe", "list.csv", None),
])
def test_a_broken_file_gets_a_clear_message(ctx, data, name, message):
    report = run_import(data, name, None, dry_run=True)
    if message is None:  # bytes no encoding reads: said, not crashed
        assert report.problem is None or "cannot be read" in report.problem
    else:
        assert message in report.problem
    assert count_services() == 0


def test_windows_1252_with_semicolons_is_read(ctx):
    report = run_import(csv_bytes(ROWS, delimiter=";", encoding="cp1252"), "list.csv", None,
                        dry_run=False)
    assert report.counts["created"] == 2
    assert db.session.scalar(select(Service.name_fr).filter_by(external_key="fed-2")) == \
        "Médiation de quartier de Liège"


def test_utf16_and_a_byte_order_mark_are_read(ctx):
    assert run_import(csv_bytes(ROWS, encoding="utf-16"), "l.csv", None,
                      dry_run=True).counts["created"] == 2
    assert run_import(csv_bytes(ROWS, encoding="utf-8-sig"), "l.csv", None,
                      dry_run=True).counts["created"] == 2


def test_too_many_rows_and_too_large_files_are_refused(ctx):
    from mediation.directory.exchange import files as spreadsheets

    rows = "\n".join(f"x{i},other,21015,n" for i in range(spreadsheets.MAX_ROWS + 1))
    report = run_import(("external_id,types,communes,name_fr\n" + rows).encode(), "l.csv", None,
                        dry_run=True)
    assert "more than 20000 rows" in report.problem
    huge = b"external_id,types\n" + b"x," * (spreadsheets.MAX_BYTES // 2 + 1)
    assert "too large" in run_import(huge, "l.csv", None, dry_run=True).problem


def test_xlsx_dates_numbers_merged_cells_and_empty_rows(ctx):
    header = HEADER + ["last_verified_at"]
    rows = with_changes(0, last_verified_at=datetime(2025, 3, 14))
    rows[1]["last_verified_at"] = "14/03/2025"

    def tweak(sheet):
        sheet.insert_rows(2)  # an empty row under the header
        sheet["Q3"].value = 1030  # postal code typed as a number (column 17)
        sheet["C4"].value = None
        sheet.merge_cells("C3:C4")  # the organisation kind written once over both rows
        sheet.append([])

    assert HEADER[16] == "postal_code" and HEADER[2] == "organization_kind"
    report = run_import(xlsx_bytes(rows, header, tweak), "list.xlsx", None, dry_run=False)
    assert report.problem is None
    assert [r.outcome for r in report.results] == ["created", "created"], report.results
    assert [r.number for r in report.results] == [3, 4]
    assert any("Merged cells" in note for note in report.notes)
    verified = db.session.scalars(select(Service.last_verified_at).order_by(Service.external_key))
    assert [v.date().isoformat() for v in verified] == ["2025-03-14", "2025-03-14"]


def test_an_excel_date_in_a_text_column_is_refused(ctx):
    def tweak(sheet):
        sheet["M2"].value = datetime(2025, 1, 3)  # "1-3" turned into a date

    report = run_import(xlsx_bytes(ROWS, tweak=tweak), "list.xlsx", None, dry_run=True)
    assert "holds a date" in report.results[0].reasons[0]


# --- all or nothing -------------------------------------------------------------------------

def test_a_failure_while_writing_leaves_nothing_written(ctx, monkeypatch):
    calls = []

    def failing_record(*args, **kwargs):
        calls.append(1)
        if len(calls) > 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    def failing_bulk(*args, **kwargs):  # the new services' events, after their rows
        raise RuntimeError("disk full")

    original = audit.record
    monkeypatch.setattr(audit, "record", failing_record)
    monkeypatch.setattr(audit, "record_many", failing_bulk)
    with pytest.raises(RuntimeError):
        run_import(csv_bytes(ROWS), "list.csv", None, dry_run=False)
    assert count_services() == 0
    assert db.session.scalar(select(func.count(Organization.id))) == 0


# --- export and the round trip --------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_demo_data_exported_imported_into_an_empty_database_and_exported_again(ctx, fmt):
    seed_demo()
    service = db.session.scalars(select(Service)).first()
    service.contact_name, service.contact_email = "Private Person", "private@example.be"
    db.session.commit()
    first = {f: export_directory(directory_services(), f) for f in ("csv", "xlsx", "geojson")}
    assert b"Private Person" not in first["csv"] and b"private@example.be" not in first["geojson"]

    empty_directory()
    report = run_import(first[fmt], f"services.{fmt}", None, dry_run=False)
    assert report.counts["created"] == 67 and report.counts["refused"] == 0
    db.session.expire_all()
    again = {f: export_directory(directory_services(), f) for f in ("csv", "xlsx", "geojson")}
    assert again == first
    assert db.session.scalar(select(func.count(Service.id)).where(Service.is_demo)) == 67
    # Importing the export again changes nothing.
    assert run_import(again[fmt], f"services.{fmt}", None, dry_run=True).counts["unchanged"] == 67


def test_the_geojson_export_has_a_point_per_located_service(ctx):
    seed_demo()
    collection = json.loads(export_directory(directory_services(), "geojson"))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 67
    feature = collection["features"][0]
    assert feature["geometry"]["type"] == "Point"
    assert set(feature["properties"]) == set(COLUMNS)


def test_a_formula_like_text_is_quoted_in_the_export_and_read_back(ctx):
    rows = with_changes(0, description_fr="=HYPERLINK(\"http://x\")", name_en="-Neighbours")
    run_import(csv_bytes(rows, header=HEADER + ["name_en"]), "l.csv", None, dry_run=False)
    exported = export_directory(directory_services(), "csv")
    assert b"'=HYPERLINK" in exported
    sheet = load_workbook(io.BytesIO(export_directory(directory_services(), "xlsx"))).active
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value)
    assert run_import(exported, "l.csv", None, dry_run=True).counts["unchanged"] == 2


# --- command line ---------------------------------------------------------------------------

def test_cli_imports_with_a_dry_run_first_and_exports_by_extension(app, runner, tmp_path):
    source = tmp_path / "list.csv"
    source.write_bytes(csv_bytes(with_changes(1, communes="Atlantis")))
    result = runner.invoke(args=["import-services", str(source), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing written: 1 created, 0 updated, 0 unchanged, 1 refused." in \
        result.output
    assert "row 3 (fed-2): refused: Unknown commune: Atlantis." in result.output
    result = runner.invoke(args=["import-services", str(source)])
    assert "1 created, 0 updated, 0 unchanged, 1 refused." in result.output
    for fmt in ("csv", "xlsx", "geojson"):
        target = tmp_path / f"out.{fmt}"
        result = runner.invoke(args=["export-services", str(target)])
        assert result.exit_code == 0 and "1 services written" in result.output
    assert b"fed-1" in (tmp_path / "out.csv").read_bytes()
    assert runner.invoke(args=["export-services", str(tmp_path / "out.pdf")]).exit_code != 0
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"")
    result = runner.invoke(args=["import-services", str(broken)])
    assert result.exit_code != 0 and "The file is empty." in result.output


@pytest.mark.parametrize("lang, said", [
    ("fr", ["Essai, rien n’est écrit\u00a0: 1 créé, 0 mis à jour, 0 inchangé, 1 refusé.",
            "ligne 3 (fed-2)\u00a0: refusée\u00a0: "]),
    ("nl", ["Proefrit, niets geschreven: 1 aangemaakt, 0 bijgewerkt, 0 ongewijzigd, 1 geweigerd.",
            "rij 3 (fed-2): geweigerd: "]),
    ("de", ["Probelauf, nichts geschrieben: 1 angelegt, 0 aktualisiert, 0 unverändert, 1 abgelehnt.",
            "Zeile 3 (fed-2): abgelehnt: "]),
])
def test_cli_import_reports_in_the_language_asked(app, runner, tmp_path, lang, said):
    source = tmp_path / "list.csv"
    source.write_bytes(csv_bytes(with_changes(1, communes="Atlantis")))
    result = runner.invoke(args=["import-services", str(source), "--dry-run", "--lang", lang])
    assert result.exit_code == 0, result.output
    for text in said:
        assert text in result.output
    assert "created" not in result.output and "refused" not in result.output
    assert "Checking rows" not in result.output


# --- admin pages ----------------------------------------------------------------------------

def test_admin_dry_run_then_confirmation_imports(app, client, auth):
    auth.as_admin()
    page = client.get("/en/admin/import")
    assert page.status_code == 200 and b"template.xlsx" in page.data
    answer = client.post("/en/admin/import", data={
        "file": (io.BytesIO(csv_bytes(with_changes(1, phone="12"))), "list.csv")},
        content_type="multipart/form-data")
    assert answer.status_code == 200
    assert b"Dry run: nothing was written" in answer.data
    assert "phone: “12” is not a Belgian phone number.".encode() in answer.data
    with app.app_context():
        assert count_services() == 0
    answer = client.post("/en/admin/import/confirm")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/en/admin/services")
    with app.app_context():
        assert count_services() == 1
    page = client.get("/en/admin/services")
    assert b"Import done: 1 created, 0 updated, 0 unchanged, 1 refused." in page.data
    # The kept file is gone: confirming again asks for it.
    answer = client.post("/en/admin/import/confirm", follow_redirects=True)
    assert b"Please upload it again" in answer.data


@pytest.mark.parametrize("data, message", [
    (b"", b"The file is empty."),
    (b"\x00\x01\x02binary", b"neither a CSV file nor an XLSX"),
])
def test_admin_import_of_a_broken_file_says_so(app, client, auth, data, message):
    auth.as_admin()
    answer = client.post("/en/admin/import",
                         data={"file": (io.BytesIO(data), "x.csv")},
                         content_type="multipart/form-data")
    assert answer.status_code == 200 and message in answer.data


def test_admin_import_without_a_file_and_with_a_huge_one(app, client, auth, monkeypatch):
    from mediation.directory.exchange import files as spreadsheets

    auth.as_admin()
    answer = client.post("/en/admin/import", data={}, content_type="multipart/form-data")
    assert b"Please choose a CSV or XLSX file." in answer.data
    monkeypatch.setattr(spreadsheets, "MAX_BYTES", 1000)
    import mediation.admin.transfer as transfer

    monkeypatch.setattr(transfer, "MAX_BYTES", 1000)
    answer = client.post("/en/admin/import", data={
        "file": (io.BytesIO(b"x" * 200_000), "big.csv")}, content_type="multipart/form-data")
    assert answer.status_code == 200 and b"too large" in answer.data


def test_admin_template_has_the_columns_and_help_in_four_languages(client, auth):
    auth.as_admin()
    answer = client.get("/en/admin/import/template.xlsx")
    assert answer.status_code == 200
    workbook = load_workbook(io.BytesIO(answer.data))
    assert [c.value for c in workbook["services"][1]] == list(COLUMNS)
    help_rows = list(workbook["help"].iter_rows(values_only=True))
    assert help_rows[0] == ("column", "fr", "nl", "de", "en")
    assert [row[0] for row in help_rows[1:]] == list(COLUMNS)
    assert all(all(cell for cell in row) for row in help_rows)
    # The template's example row imports.
    report_rows = list(workbook["services"].iter_rows(values_only=True))
    assert report_rows[1][0] == "example-1"


def test_admin_export_follows_the_table_filters(app, client, auth):
    auth.as_admin()
    with app.app_context():
        seed_demo()
        sac = db.session.scalar(select(func.count(Service.id)).where(
            Service.types.any(code="sac")))
    answer = client.get("/en/admin/export.csv?kind=sac&page=3")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert len(rows) == sac and all("sac" in row["types"].split("|") for row in rows)
    assert client.get("/en/admin/export.xlsx").status_code == 200
    geo = client.get("/en/admin/export.geojson")
    assert len(json.loads(geo.data)["features"]) == 67
    assert client.get("/en/admin/export.pdf").status_code == 404
    page = client.get("/en/admin/services?kind=sac")
    assert b"/en/admin/export.csv?kind=sac" in page.data


def test_editors_cannot_import_or_export(client, auth):
    auth.as_editor()
    for url in ("/en/admin/import", "/en/admin/import/template.xlsx", "/en/admin/export.csv"):
        assert client.get(url).status_code == 403


def test_imported_positions_wait_for_the_geocoders(ctx):
    rows = with_changes(0, lat="50.867100", lon="4.377600")
    run_import(csv_bytes(rows, header=HEADER + ["lat", "lon"]), "l.csv", None, dry_run=False)
    located = {s.external_key: s.locations[0] for s in db.session.scalars(select(Service))}
    assert (located["fed-1"].lat, located["fed-1"].geocode_pending) == (50.8671, False)
    assert located["fed-2"].geocode_pending and located["fed-2"].geocode_source == \
        "commune-centroid"
    assert db.session.scalar(select(func.count(Location.id)).where(Location.geocode_pending)) == 1
