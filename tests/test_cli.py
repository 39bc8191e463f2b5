"""Commands an operator runs: loading the reference data, seeding the demo."""

import json
from pathlib import Path

from mediation.extensions import db
from mediation.models import Commune, PlaceName, PostalCode, Service, ServiceArea

DEMO = Path(__file__).resolve().parents[1] / "mediation" / "data" / "demo_services.json"


def test_load_communes_loads_the_official_lists_and_is_idempotent(app, runner):
    result = runner.invoke(args=["load-communes"])
    assert result.exit_code == 0, result.output
    assert "565 communes (0 new, 0 updated, 0 deactivated), 1149 postal codes" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Commune)) == 565
        pairs = db.session.scalar(db.select(db.func.count()).select_from(PostalCode))
        assert pairs == 1152  # 1040, 1050 and 1804 belong to two communes each
        shared = db.session.scalars(db.select(PostalCode.refnis).filter_by(code="1040")).all()
        assert sorted(shared) == ["21004", "21005"]
        assert all(c.lat and c.lon for c in db.session.scalars(db.select(Commune)))
        assert db.session.scalar(db.select(db.func.count()).select_from(PlaceName)) > 2000


def test_commune_names_and_centroids_come_from_our_data(app_ctx):
    liege = db.session.get(Commune, "62063")
    assert (liege.name_fr, liege.name_nl, liege.name_de) == ("Liège", "Luik", "Lüttich")
    assert liege.province.name_nl == "Provincie Luik"
    assert 50.55 < liege.lat < 50.7 and 5.5 < liege.lon < 5.65
    eupen = db.session.get(Commune, "63023")
    assert eupen.name_de == "Eupen"
    sankt_vith = db.session.get(Commune, "63067")
    assert sankt_vith.name_de == "Sankt Vith"


def test_load_communes_repairs_a_changed_commune(app, runner):
    with app.app_context():
        db.session.get(Commune, "21015").name_fr = "Schaerbeek (edited)"
        db.session.commit()
    result = runner.invoke(args=["load-communes"])
    assert "1 updated" in result.output
    with app.app_context():
        assert db.session.get(Commune, "21015").name_fr == "Schaerbeek"


def test_seed_demo_creates_marked_services_once(app, runner):
    expected = len(json.loads(DEMO.read_text(encoding="utf-8")))
    assert expected >= 60
    first = runner.invoke(args=["seed-demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert f"{expected} demo services ({expected} new)" in first.output
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "left as it is" in again.output
    refresh = runner.invoke(args=["seed-demo"])
    assert f"{expected} demo services (0 new)" in refresh.output
    with app.app_context():
        services = db.session.scalars(db.select(Service)).all()
        assert len(services) == expected
        assert all(s.is_demo and s.organization.is_demo for s in services)
        assert all(s.locations and s.areas for s in services)
        assert {t for s in services for t in s.type_codes} == {
            "neighbourhood", "community", "sac", "school", "other"}
        regions = {s.locations[0].commune.region_code for s in services}
        assert regions == {"02000", "03000", "04000"}
        german = {"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"}
        assert any(s.locations[0].refnis in german for s in services)
        covered = db.session.execute(
            db.select(ServiceArea.refnis, db.func.count()).group_by(ServiceArea.refnis)
        ).all()
        assert sum(1 for _, n in covered if n >= 2) >= 8
        assert max(len(s.areas) for s in services) >= 20
        assert all(s.email.endswith("example.org") for s in services)


def test_seed_demo_needs_the_communes_first(tmp_path):
    from mediation import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/e.db"})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "load-communes" in str(result.exception) + result.output


def test_export_services_writes_the_published_services_without_contact_persons(app, runner,
                                                                              tmp_path):
    import csv

    from mediation.directory.demo import seed_demo

    with app.app_context():
        seed_demo()
        db.session.scalars(db.select(Service)).first().contact_name = "Private Person"
        db.session.commit()
    target = tmp_path / "services.csv"
    result = runner.invoke(args=["export-services", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(target.open(encoding="utf-8-sig")))
    assert len(rows) == 67
    assert "Private Person" not in target.read_text(encoding="utf-8-sig")
    assert rows[0]["external_id"].startswith("demo-")

def test_purge_reports_deletes_reports_past_the_retention_period(app, runner):
    from datetime import datetime, timedelta, timezone

    from mediation.directory.demo import seed_demo
    from mediation.models import AuditEvent, ErrorReport

    now = datetime.now(timezone.utc)
    with app.app_context():
        seed_demo()
        service = db.session.scalars(db.select(Service)).first()
        for age in (400, 181, 10):
            db.session.add(ErrorReport(service=service, message=f"Reported {age} days ago.",
                                       language="fr", created_at=now - timedelta(days=age)))
        db.session.commit()
    result = runner.invoke(args=["purge-reports"])
    assert result.exit_code == 0, result.output
    assert "2 error reports older than 180 days deleted." in result.output
    assert "1 error reports older than 5 days deleted." in runner.invoke(
        args=["purge-reports", "--older-than", "5"]).output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ErrorReport.id))) == 0
        events = db.session.scalars(db.select(AuditEvent).filter_by(action="error_report.purged"))
        assert len(events.all()) == 3


def test_error_page_for_the_proxy_speaks_four_languages(runner, tmp_path):
    target = tmp_path / "unavailable.html"
    result = runner.invoke(args=["error-page", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    for lang in ("fr", "nl", "de", "en"):
        assert f'<section lang="{lang}">' in page
    assert "The service is temporarily unavailable." in page
    assert "Le site est temporairement indisponible" in page
