"""Import of the sheets people already have: their headers, their values, their lists."""

import csv
import io
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from mediation.directory.exchange.importing import run_import
from mediation.directory.exchange.headers import parse_mapping
from mediation.extensions import db
from mediation.gazetteer_loader import load_kind_texts
from mediation.models import KindText, Organization, Service, ServiceStatus
from mediation.values import kind_of, parse_hours, parse_interval, phone_with_remark, website_url

PUBLIC_SOURCES = Path(os.environ.get(
    "MEDIATION_PUBLIC_SOURCES",
    Path(__file__).resolve().parents[2] / "shared" / "data" / "public-sources")) / "services.csv"


@pytest.fixture
def ctx(app):
    with app.app_context(), app.test_request_context("/en/"):
        load_kind_texts()
        db.session.commit()
        yield app
        db.session.rollback()


def services() -> list[Service]:
    return list(db.session.scalars(select(Service).order_by(Service.id)))


def sheet_csv(rows, delimiter=";", encoding="utf-8-sig", title=True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    if title:
        writer.writerow(["Liste des services de médiation – SPP Intégration sociale"])
        writer.writerow(["État au 1er mars 2026"])
        writer.writerow([])
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


FRENCH = [
    ["Commune", "Code postal", "Nom du service", "Type de médiation", "Téléphone", "Courriel",
     "Site internet", "Adresse", "Organisme"],
    ["Amay", "4540", "Médiation de quartier d’Amay", "Médiation de quartier",
     "085 31 05 05 (le matin)", "", "www.amay.be", "Chaussée Freddy Terwagne 76", ""],
    ["Huy, Wanze et Amay", "", "Médiation SAC de Huy", "médiation SAC", "", "sac@huy.example",
     "", "", "Ville de Huy"],
    ["Arrondissement Halle-Vilvoorde", "", "Bemiddeling Halle-Vilvoorde", "GAS-bemiddeling",
     "02 555 01 23", "", "", "", "Provincie Vlaams-Brabant"],
]


def test_a_french_sheet_with_a_title_in_cp1252_is_understood(ctx):
    report = run_import(sheet_csv(FRENCH, encoding="cp1252"), "liste.csv", None, dry_run=False)
    assert report.problem is None
    assert [r.outcome for r in report.results] == ["created"] * 3, [r.reasons for r in report.results]
    amay, huy, halle = services()
    assert amay.phone == "+3285310505" and amay.website == "https://www.amay.be"
    assert amay.how_to_request_fr == "085 31 05 05 (le matin)"
    assert amay.organization.name_fr == "Commune d’Amay"  # the commune runs it
    assert amay.locations[0].refnis == "61003" and amay.locations[0].street.startswith("Chaussée")
    assert huy.type_codes == ["sac"] and len(huy.areas) == 3
    from mediation.models import Commune

    arrondissement = db.session.scalar(select(func.count(Commune.refnis)).where(
        Commune.refnis.startswith("23"), Commune.active))
    assert len(halle.areas) == arrondissement > 30 and halle.organization.kind.value == "province"
    assert halle.status is ServiceStatus.draft  # its Dutch name is to complete
    warnings = [w for r in report.results for w in r.warnings]
    assert any("Téléphone" in w and "le matin" in w for w in warnings)


@pytest.mark.parametrize("header, delimiter, encoding", [
    (["Gemeente", "Naam van de dienst", "Soort bemiddeling", "Telefoon", "E-mail"], ",", "utf-16"),
    (["Gemeinde", "Bezeichnung", "Art", "Telefon", "E-Mail"], "\t", "utf-8"),
    (["Municipality", "Name", "Kind of mediation", "Phone", "Email"], ";", "cp1252"),
])
def test_dutch_german_and_english_headers(ctx, header, delimiter, encoding):
    rows = [header, ["Eupen", "Nachbarschaftsmediation Eupen", "Nachbarschaftsmediation",
                     "087 59 58 00", ""]]
    report = run_import(sheet_csv(rows, delimiter, encoding, title=False), "l.csv", None,
                        dry_run=False)
    assert [r.outcome for r in report.results] == ["created"], report.results[0].reasons
    service = services()[0]
    assert "Nachbarschaftsmediation Eupen" in (service.name_de, service.name_nl)
    assert service.type_codes == ["neighbourhood"] and service.areas[0].refnis == "63023"


def test_an_xlsx_with_a_title_row_and_excel_cells(ctx):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Bemiddelingsdiensten Oost-Vlaanderen"])
    sheet.append(["Gemeente", "Naam", "Soort", "Telefoon", "Bron", "Datum"])
    sheet.append(["Gent", "Burenbemiddeling Gent", "Buurtbemiddeling", 92668217,
                  "https://stad.gent/burenbemiddeling", __import__("datetime").datetime(2024, 5, 2)])
    out = io.BytesIO()
    workbook.save(out)
    report = run_import(out.getvalue(), "lijst.xlsx", None, dry_run=False)
    assert [r.outcome for r in report.results] == ["created"], report.results[0].reasons
    service = services()[0]
    assert service.phone == "+3292668217" and service.name_nl == "Burenbemiddeling Gent"
    assert service.source_url == "https://stad.gent/burenbemiddeling"
    assert service.source_date.isoformat() == "2024-05-02"


def test_the_same_sheet_again_updates_without_duplicates(ctx):
    data = sheet_csv(FRENCH)
    run_import(data, "liste.csv", None, dry_run=False)
    before = (db.session.scalar(select(func.count(Service.id))),
              db.session.scalar(select(func.count(Organization.id))))
    again = run_import(data, "liste.csv", None, dry_run=True)
    assert [r.outcome for r in again.results] == ["unchanged"] * 3
    changed = [list(row) for row in FRENCH]
    changed[1][4] = "085 31 05 06"
    changed[2][8] = "Commune de Huy"  # the same organisation, named otherwise
    report = run_import(sheet_csv(changed), "liste.csv", None, dry_run=False)
    assert [r.outcome for r in report.results] == ["updated", "unchanged", "unchanged"]
    assert (db.session.scalar(select(func.count(Service.id))),
            db.session.scalar(select(func.count(Organization.id)))) == before


def test_a_file_repeating_one_commune_is_bounded_and_its_duplicates_still_found(ctx):
    from mediation.directory.exchange.lookups import MOST_PER_COMMUNE_AND_KIND as most

    header = ["Commune", "Nom du service", "Type de médiation", "Téléphone"]
    def code(n):  # three letters: two codes differ by at least a third of their letters
        return "".join("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n // 26 ** i) % 26] for i in range(3))

    rows = [["Amay", f"Service {code(n * 27)}", "Médiation de quartier", "085 31 05 05"]
            for n in range(most + 20)]
    rows.insert(40, ["Amay", f"service {code(7 * 27).lower()}", "Médiation de quartier",
                     "085 31 05 05"])  # row 7 again, written otherwise
    rows.append(["Amay", "Médiation scolaire d’Amay", "scolaire", "085 31 05 05"])
    report = run_import(sheet_csv([header] + rows, title=False), "amay.csv", None,
                        dry_run=True)
    outcomes = [r.outcome for r in report.results]
    assert outcomes[:40] == ["created"] * 40
    assert outcomes[40] == "refused"
    assert report.results[40].reasons == [
        f"Likely duplicate of row 9: “Service {code(7 * 27)}” already covers Amay. If they "
        "are two services, give them names that tell them apart."]
    assert outcomes.count("created") == most + 1  # the kind's cap, and the school service
    assert outcomes[-1] == "created"
    capped = report.results[-2]
    assert capped.outcome == "refused"
    assert capped.reasons == [
        f"The file already holds {most} services of the kind “Neighbourhood mediation” "
        "covering Amay, where there are usually a few: check that its rows are not repeated, "
        "and import the others in a separate file."]


def test_a_row_missing_a_language_enters_as_a_draft_saying_what_to_complete(ctx):
    rows = [["Commune", "Nom", "Type", "Téléphone"],
            ["Schaerbeek", "Médiation locale de Schaerbeek", "médiation locale", "02 240 63 01"]]
    report = run_import(sheet_csv(rows, title=False), "l.csv", None, dry_run=False)
    result = report.results[0]
    assert result.outcome == "created"
    assert any("draft" in w and "Dutch" in w for w in result.warnings)
    assert services()[0].status is ServiceStatus.draft


def test_the_admins_find_the_drafts_to_complete_with_what_each_lacks(app, client, auth):
    auth.as_admin()
    with app.app_context(), app.test_request_context("/en/"):
        load_kind_texts()
        rows = [["Commune", "Nom", "Type", "Téléphone"],
                ["Schaerbeek", "Médiation locale de Schaerbeek", "médiation locale",
                 "02 240 63 01"],
                ["Amay", "Médiation de quartier d’Amay", "Médiation de quartier", "085 31 05 05"]]
        report = run_import(sheet_csv(rows, title=False), "l.csv", None, dry_run=False)
        assert [r.outcome for r in report.results] == ["created", "created"]
    dashboard = client.get("/en/admin/").get_data(as_text=True)
    assert "<strong>1</strong> imported service to complete before publication" in dashboard
    page = client.get("/en/admin/services?state=to_complete").get_data(as_text=True)
    assert "Médiation locale de Schaerbeek" in page
    assert "the name in Dutch" in page  # Schaerbeek is in Brussels: French and Dutch
    assert "the description in Dutch" not in page  # the kind's standard text stands in
    assert "Médiation de quartier d’Amay" not in page  # complete: published at once
    french = client.get("/fr/admin/services?state=to_complete").get_data(as_text=True)
    assert "le nom en néerlandais" in french


def test_the_standard_texts_are_loaded_once_and_never_replace_an_admins(ctx):
    assert {t.code for t in db.session.scalars(select(KindText))} == {
        "neighbourhood", "community", "sac", "school", "other"}
    text = db.session.get(KindText, "sac")
    assert all(getattr(text, f"text_{lang}") for lang in ("fr", "nl", "de", "en"))
    text.text_fr = "Notre texte"
    db.session.commit()
    assert load_kind_texts() == 0 and db.session.get(KindText, "sac").text_fr == "Notre texte"


@pytest.mark.skipif(not PUBLIC_SOURCES.is_file(), reason="the public-sources test data")
def test_the_public_sources_list_with_a_saved_mapping(ctx, runner, tmp_path):
    mapping = parse_mapping("status=,region=,confidence_note=")
    data = PUBLIC_SOURCES.read_bytes()
    report = run_import(data, "services.csv", None, dry_run=False, mapping=mapping)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    contactable = {number for number, row in enumerate(rows, start=2)
                   if row["phone"] or row["email"]}
    assert len(contactable) == 32
    by_number = {r.number: r for r in report.results}
    created = [n for n in contactable if by_number[n].outcome == "created"]
    refused = [n for n in contactable if by_number[n].outcome == "refused"]
    assert len(created) >= 30 and len(created) + len(refused) == 32
    for number in refused:  # a reason that says what to write instead
        assert any("Please write" in reason for reason in by_number[number].reasons)
    kept = {name: s for s in services() for name in (s.name_fr, s.name_nl, s.name_de) if name}
    for number in created:
        row = rows[number - 2]
        assert kept[row["name"]].source_url == row["source_url"]
    again = run_import(data, "services.csv", None, dry_run=True, mapping=mapping)
    assert again.counts["created"] == 0
    assert again.counts["unchanged"] == report.counts["created"]


def test_the_command_takes_a_mapping(app, runner, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(sheet_csv([["Ville", "Intitulé", "Catégorie", "Tél.", "Remarque"],
                                ["Liège", "Médiation de Liège", "quartier", "04 221 84 00", "x"]],
                               title=False))
    with app.app_context():
        load_kind_texts()
        db.session.commit()
    result = runner.invoke(args=["import-services", str(path), "--dry-run",
                                 "--map", "Remarque=,Catégorie=types"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("Dry run, nothing written: 1 created, 0 updated, "
                                          "0 unchanged, 0 refused.")
    result = runner.invoke(args=["import-services", str(path), "--map", "Remarque=karate"])
    assert result.exit_code != 0 and "does not name a column" in result.output


def test_the_command_reports_each_row_in_the_language_asked(app, runner, tmp_path):
    path = tmp_path / "lijst.csv"
    path.write_bytes(sheet_csv([
        ["Gemeente", "Naam van de dienst", "Soort bemiddeling", "Telefoon"],
        ["Gent", "Buurtbemiddeling Gent", "Buurtbemiddeling", "09 266 79 00 (kantooruren)"],
        ["Kortrijk", "Herstelbemiddeling Kortrijk", "herstelbemiddeling", "056 27 70 00"]]))
    with app.app_context():
        load_kind_texts()
        db.session.commit()
    result = runner.invoke(args=["import-services", str(path), "--dry-run", "--lang", "nl"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-3].startswith("rij 5 (Buurtbemiddeling Gent): waarschuwing: Telefoon: ")
    assert lines[-2].startswith("rij 6 (Herstelbemiddeling Kortrijk): geweigerd: Soort "
                                "bemiddeling: onbekende soort bemiddeling “herstelbemiddeling”.")
    assert lines[-1] == ("Proefrit, niets geschreven: 1 aangemaakt, 0 bijgewerkt, "
                         "0 ongewijzigd, 1 geweigerd.")


# --- hostile and broken workbooks -----------------------------------------------------------

def workbook_with(sheet_xml: bytes) -> bytes:
    workbook = Workbook()
    workbook.active.append(["communes", "types", "name_fr"])
    out = io.BytesIO()
    workbook.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = sheet_xml
            target.writestr(info.filename, body)
    return result.getvalue()


NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@pytest.mark.parametrize("sheet_xml", [
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet '
    + NS + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>'
    b'</sheetData></worksheet>',
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
    b'&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><worksheet ' + NS
    + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&c;</t></is></c></row>'
    b'</sheetData></worksheet>',
    b'<?xml version="1.0"?><worksheet ' + NS + b'><sheetData>' + b"".join(
        b'<row r="%d"><c r="XFD%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
        for n in range(1, 6001)) + b'</sheetData></worksheet>',
    b'<?xml version="1.0"?><worksheet ' + NS + b'><sheetData><row r="1"><c r="A1"',
], ids=["external-entity", "entity-expansion", "huge-column", "truncated"])
def test_hostile_workbooks_get_the_not_valid_message(ctx, sheet_xml):
    report = run_import(workbook_with(sheet_xml), "hostile.xlsx", None, dry_run=True)
    assert report.problem and ("not a valid XLSX" in report.problem
                               or "more than 200 columns" in report.problem)
    assert report.results == []


def test_a_zip_bomb_is_refused_before_it_is_unpacked(ctx):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (450 * 1024 * 1024) + b">")
    report = run_import(out.getvalue(), "bomb.xlsx", None, dry_run=True)
    assert "too large once unpacked" in report.problem


@pytest.mark.parametrize("data, message", [
    (b"Commune;Nom du service\n" + b"\n" * 300_000, "more than 20000 rows"),
    (b"Commune;Nom du service;Type\n" + (b";" * 5_000 + b"\n") * 1_000, 0),  # blank records
    (b"Commune;Nom du service;x" + b";x" * 300 + b"\n", "more than 200 columns"),
    (b"Commune;Nom du service;Type\nAmay;Service;quartier" + b";" * 500 + b"\n", 1),  # trailing ;
    (b"Commune;Nom du service;Type\n" + b"Amay;Service;quartier\n" * 400, "more than 1,000 cells"),
    (b"Commune;Nom du service;Type\nAmay;Service;" + b"x" * 200_000 + b"\n",
     "A cell of this file holds more than 32,767 characters"),
])
def test_a_hostile_csv_is_refused_early(ctx, monkeypatch, data, message):
    from mediation.directory.exchange import files

    monkeypatch.setattr(files, "MAX_CELLS", 1_000)
    bound = csv.field_size_limit(2**30)  # as a library of the process may set it
    try:
        report = run_import(data, "hostile.csv", None, dry_run=True)
    finally:
        csv.field_size_limit(bound)
    if isinstance(message, int):  # read, with that many rows
        assert report.problem is None and len(report.results) == message
    else:
        assert message in report.problem
        assert report.results == []


def test_a_workbook_past_the_cells_limit_is_refused_before_its_rows_are_read(ctx, monkeypatch):
    from mediation.directory.exchange import files

    monkeypatch.setattr(files, "MAX_CELLS", 1_000)
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Amay</t></is></c></row>'
                   for n in range(1, 1_002))
    sheet = f'<?xml version="1.0"?><worksheet {NS.decode()}><sheetData>{rows}</sheetData></worksheet>'
    report = run_import(workbook_with(sheet.encode()), "cells.xlsx",
                        None, dry_run=True)
    assert report.problem == "The file has more than 1,000 cells. Please split it."


def test_the_web_import_takes_a_file_of_20_mb(app, client, auth):
    auth.as_admin()
    header = "communes;types;name_fr;phone\n"
    line = "Amay;neighbourhood;Médiation d'Amay;085 31 05 05;" + "x" * 900 + "\n"
    body = (header + line * (19 * 1024 * 1024 // len(line))).encode()
    assert len(body) > 18 * 1024 * 1024
    answer = client.post("/en/admin/import", data={"file": (io.BytesIO(body), "big.csv")},
                         content_type="multipart/form-data")
    assert answer.status_code == 200
    assert b"Dry run" in answer.data
    assert b"too large" not in answer.data
    # Everywhere else the 64 KiB cap stays.
    answer = app.test_client().post("/en/account/login", data={"email": "x" * (100 * 1024)})
    assert answer.status_code == 413


# --- values as people write them ------------------------------------------------------------

@pytest.mark.parametrize("text, spans", [
    ("9h-12h", [["09:00", "12:00"]]),
    ("8h30-12h", [["08:30", "12:00"]]),
    ("9:00 - 12:00", [["09:00", "12:00"]]),
    ("9h00 – 12h00, 13h30-17h", [["09:00", "12:00"], ["13:30", "17:00"]]),
    ("9-12 et 14-16", [["09:00", "12:00"], ["14:00", "16:00"]]),
])
def test_hours_as_people_write_them(text, spans):
    assert parse_hours(text) == spans


@pytest.mark.parametrize("text, months", [
    ("6", 6), ("6 mois", 6), ("6 maanden", 6), ("6 Monate", 6), ("1 an", 12), ("3 months", 3)])
def test_update_intervals_in_words(text, months):
    assert parse_interval(text) == months


@pytest.mark.parametrize("text", ["7 mois", "six", "6 semaines"])
def test_update_intervals_refused(text):
    with pytest.raises(ValueError):
        parse_interval(text)


@pytest.mark.parametrize("text, code", [
    ("Médiation de quartier", "neighbourhood"), ("Buurtbemiddeling", "neighbourhood"),
    ("GAS-bemiddeling", "sac"), ("médiation SAC", "sac"),
    ("Nachbarschaftsmediation", "neighbourhood"), ("médiation locale", "community"),
    ("scolaire", "school"), ("karate", None)])
def test_kinds_in_four_languages(text, code):
    assert kind_of(text) == code


def test_phones_websites_with_remarks_and_without_scheme():
    assert phone_with_remark("09/266 82 17 (voicemail)") == ("+3292668217", "voicemail")
    assert phone_with_remark("02.515.73.23")[0] == "+3225157323"
    assert website_url("www.amay.be") == "https://www.amay.be"
    with pytest.raises(ValueError):
        website_url("http://amay.be")


def test_the_semicolon_csv_for_excel_and_provenance_go_round(ctx):
    from mediation.directory.exchange.exporting import directory_services, export_directory

    rows = [["Commune", "Nom", "Type", "Téléphone", "Source", "Date de la source"],
            ["Liège", "Médiation de Liège", "quartier", "04 221 84 00",
             "https://www.liege.be/mediation", "2023-04-01"]]
    run_import(sheet_csv(rows, title=False), "l.csv", None, dry_run=False)
    data = export_directory(directory_services(), "excel.csv")
    assert data.startswith("\ufeff".encode()) and data.split(b"\r\n")[0].count(b";") > 60
    header, line = data.decode("utf-8-sig").split("\r\n")[:2]
    record = dict(zip(header.split(";"), line.split(";")))
    assert (record["source_url"], record["source_date"]) == (
        "https://www.liege.be/mediation", "2023-04-01")
    again = run_import(data, "services.excel.csv", None, dry_run=True)
    assert [r.outcome for r in again.results] == ["unchanged"]


def test_the_admins_download_the_csv_for_excel(app, client, auth):
    auth.as_admin()
    page = client.get("/en/admin/services")
    assert b"CSV for Excel (semicolon)" in page.data
    answer = client.get("/en/admin/export.excel.csv")
    assert answer.status_code == 200 and answer.data.startswith("\ufeffexternal_id;".encode())


def test_a_postal_code_settles_a_commune_name_and_a_province_is_every_commune(ctx):
    rows = [["Commune", "Code postal", "Nom du service", "Type", "Tél.", "N° BCE", "Laatste update"],
            ["Molenbeek", "1080", "Médiation de Molenbeek", "médiation locale",
             "+32 (0)2 412 01 84", "0207.353.814", "14/03/2025"],
            ["Province du Luxembourg", "", "Médiation SAC provinciale", "SAC", "063 21 22 11",
             "", ""]]
    report = run_import(sheet_csv(rows), "l.csv", None, dry_run=False)
    assert [r.outcome for r in report.results] == ["created", "created"], report.results
    assert report.results[0].warnings == [] or all("draft" in w for w in report.results[0].warnings)
    molenbeek, luxembourg = services()
    assert [a.refnis for a in molenbeek.areas] == ["21012"] and molenbeek.phone == "+3224120184"
    assert molenbeek.organization.kbo_number == "0207.353.814"
    assert molenbeek.last_verified_at.date().isoformat() == "2025-03-14"
    assert len(luxembourg.areas) > 40 and {a.commune.province_code for a in luxembourg.areas} == {"80000"}


def test_the_web_import_maps_unknown_columns_and_remembers_them(app, client, auth):
    with app.app_context():
        load_kind_texts()
        db.session.commit()
    auth.as_admin()
    body = sheet_csv([["Wohnort", "Bezeichnung", "Art", "Telefon"],
                      ["Eupen", "Nachbarschaftsmediation Eupen", "Nachbarschaft", "087 59 58 00"]],
                     title=False)

    def upload():
        return client.post("/en/admin/import", data={"file": (io.BytesIO(body), "liste.csv")},
                           content_type="multipart/form-data").get_data(as_text=True)

    page = upload()
    assert "Columns not found: communes." in page
    assert '<label for="column-0">Wohnort</label>' in page
    assert "<option value=\"types\" selected>types</option>" in page  # "Art" was recognised
    page = client.post("/en/admin/import/columns", data={
        "column-0": "communes", "column-1": "name_de", "column-2": "types", "column-3": "phone"},
    ).get_data(as_text=True)
    assert "1 to create, 0 to update, 0 unchanged, 0 refused." in page
    page = upload()  # the same headers next time: read the same way at once
    assert "1 to create, 0 to update, 0 unchanged, 0 refused." in page
    answer = client.post("/en/admin/import/confirm")
    assert answer.status_code == 302
    with app.app_context():
        assert [s.name_de for s in services()] == ["Nachbarschaftsmediation Eupen"]
