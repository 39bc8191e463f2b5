"""Fill a database with synthetic published services, to measure the directory at scale.

usage: .venv/bin/python benchmarks/synthetic.py sqlite:////tmp/synthetic.sqlite 100000 [--seed 1]
benchmark: .venv/bin/python benchmarks/bench_services.py (builds its databases with this module)

The database gets the schema (migrations to head) and the official communes, then N services,
each with its organisation, 1–3 types, the languages of its region, one main location a few
km around a random commune's point, and 1–15 communes covered (its own plus the nearest ones).
Every row is marked: names start with "Synthetic", `external_key` with "synthetic-", and
`is_demo` is true. The same seed gives the same rows. Rows go in with bulk INSERTs, in batches,
so 100,000 services load in about a minute on SQLite (35 s on an idle 2-core machine); the
planner statistics are refreshed at the end, as the app's own bulk loads do.
"""

import argparse
import math
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select  # noqa: E402

from mediation import create_app  # noqa: E402
from mediation import extensions  # noqa: E402
from mediation.extensions import db  # noqa: E402
from mediation.models import (  # noqa: E402
    Commune, Location, Organization, OrganizationKind, PostalCode, Service, ServiceArea,
    ServiceStatus, ServiceType, service_types,
)
from mediation.models import directory as directory_models  # noqa: E402

# Bulk INSERTs skip the ORM's flush hooks: compute the name search key the way they would.
SEARCH_KEY_OF = getattr(directory_models, "search_key_of", None)

BATCH = 5_000  # services per round of INSERTs: bounds memory at 100k services
MAX_AREAS = 15
JITTER_KM = 4.0
TYPE_WEIGHTS = {"neighbourhood": 5, "community": 3, "sac": 3, "school": 1, "other": 1}
TYPE_LABELS = {  # (fr, nl)
    "neighbourhood": ("Médiation de quartier", "Buurtbemiddeling"),
    "community": ("Médiation locale", "Conflictbemiddeling"),
    "sac": ("Médiation SAC", "GAS-bemiddeling"),
    "school": ("Médiation scolaire", "Schoolbemiddeling"),
    "other": ("Service de médiation", "Bemiddelingsdienst"),
}
GERMAN_SPEAKING = {"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"}
ORG_KINDS = [OrganizationKind.commune] * 5 + [
    OrganizationKind.cpas, OrganizationKind.police_zone, OrganizationKind.intercommunal,
    OrganizationKind.non_profit, OrganizationKind.province,
]


def km_between(a, b) -> float:
    """Good enough for choosing neighbours: equirectangular distance in km."""
    x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return 6371.0 * math.hypot(x, math.radians(b.lat - a.lat))


def neighbours(communes) -> dict[str, list[str]]:
    """Each commune's refnis followed by its nearest communes', MAX_AREAS in all."""
    return {c.refnis: [o.refnis for o in sorted(communes, key=lambda o: km_between(c, o))
                       [:MAX_AREAS]] for c in communes}


def languages(commune, rng) -> list[str]:
    """The languages of the commune's region (Brussels both), sometimes English too."""
    spoken = {"02000": ["nl"], "04000": ["fr", "nl"]}.get(commune.region_code, ["fr"])
    if commune.refnis in GERMAN_SPEAKING:
        spoken = ["de", "fr"]
    return spoken + ["en"] if rng.random() < 0.3 else spoken


def generate(url: str, n: int, seed: int = 1, echo=print) -> dict:
    """Create the schema and communes at `url`, then add `n` synthetic published services."""
    app = create_app({"ENV_NAME": "testing", "TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        from flask_migrate import upgrade

        from mediation.gazetteer_loader import load_communes

        started = time.perf_counter()
        upgrade()
        load_communes()
        communes = list(db.session.scalars(
            select(Commune).where(Commune.active).order_by(Commune.refnis)))
        postal = dict(db.session.execute(
            select(PostalCode.refnis, func.min(PostalCode.code)).group_by(PostalCode.refnis)).all())
        codes = list(db.session.scalars(select(ServiceType.code).order_by(ServiceType.position)))
        near = neighbours(communes)
        first = 1 + (db.session.scalar(select(func.max(Service.id))) or 0)
        first_org = 1 + (db.session.scalar(select(func.max(Organization.id))) or 0)
        first_loc = 1 + (db.session.scalar(select(func.max(Location.id))) or 0)
        rng = random.Random(seed)
        counts = {"services": 0, "organizations": 0, "locations": 0, "types": 0, "areas": 0}
        now = datetime(2025, 6, 1, tzinfo=timezone.utc)
        for offset in range(0, n, BATCH):
            rows = {"org": [], "service": [], "type": [], "location": [], "area": []}
            for k in range(offset, min(n, offset + BATCH)):
                _one(k, rng, communes, near, postal, codes, now, rows,
                     first + k, first_org + k // 2, first_loc + k)
            db.session.execute(insert(Organization), rows["org"])
            db.session.execute(insert(Service), rows["service"])
            db.session.execute(insert(service_types), rows["type"])
            db.session.execute(insert(Location), rows["location"])
            db.session.execute(insert(ServiceArea), rows["area"])
            for key, name in (("organizations", "org"), ("services", "service"),
                              ("types", "type"), ("locations", "location"), ("areas", "area")):
                counts[key] += len(rows[name])
        db.session.commit()
        # As after any bulk load (seed-demo, load-communes): let the query planner see the rows.
        refresh = getattr(extensions, "refresh_planner_statistics", None)
        if refresh is not None:
            refresh()
        counts["analyzed"] = refresh is not None
        counts["seconds"] = round(time.perf_counter() - started, 1)
        echo(f"synthetic: {counts} into {url}")
        return counts


def _one(k, rng, communes, near, postal, codes, now, rows, service_id, org_id, location_id):
    """Append the rows of the k-th synthetic service (and of its organisation, every 2nd)."""
    commune = rng.choice(communes)
    types = sorted(set(rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()),
                                   k=rng.choice((1, 1, 1, 2, 2, 3)))), key=codes.index)
    fr, nl = TYPE_LABELS[types[0]]
    if k % 2 == 0:
        rows["org"].append({
            "id": org_id, "external_key": f"synthetic-org-{k // 2}", "kind": rng.choice(ORG_KINDS),
            "name_fr": f"Synthetic — Administration de {commune.name_fr} {k // 2}",
            "name_nl": f"Synthetic — Bestuur {commune.name_nl} {k // 2}",
            "name_de": "", "name_en": "", "kbo_number": None, "is_demo": True,
        })
    rows["service"].append({
        "id": service_id, "external_key": f"synthetic-{k}", "organization_id": org_id,
        "name_fr": f"Synthetic — {fr} {commune.name_fr} {k}",
        "name_nl": f"Synthetic — {nl} {commune.name_nl} {k}",
        "description_fr": f"Service fictif n° {k} pour les mesures de performance.",
        "description_nl": f"Fictieve dienst nr. {k} voor prestatiemetingen.",
        "handles_sac_minors": "sac" in types, "free_of_charge": rng.random() < 0.95,
        "languages": languages(commune, rng),
        "email": f"synthetic-{k}@example.invalid", "phone": None,
        "website": f"https://example.invalid/synthetic/{k}",
        "status": ServiceStatus.published, "is_demo": True, "version": 1,
        "last_verified_at": now - timedelta(days=rng.randrange(0, 500)),
        "created_at": now, "updated_at": now,
    })
    if SEARCH_KEY_OF is not None and hasattr(Service, "search_key"):
        texts = {f: rows["service"][-1].get(f, "") for f in ("name_fr", "name_nl", "name_de",
                                                               "name_en")}
        organization = SimpleNamespace(**{f: rows["org"][-1].get(f, "") for f in texts})
        rows["service"][-1]["search_key"] = SEARCH_KEY_OF(
            SimpleNamespace(**texts, organization=organization))
    rows["type"] += [{"service_id": service_id, "type_code": code} for code in types]
    # A few km around the commune's point, as a real office would be.
    distance = min(abs(rng.gauss(0, JITTER_KM / 2)), JITTER_KM)
    bearing = rng.uniform(0, 2 * math.pi)
    lat = commune.lat + distance * math.cos(bearing) / 111.2
    lon = commune.lon + distance * math.sin(bearing) / (111.2 * math.cos(math.radians(commune.lat)))
    rows["location"].append({
        "id": location_id, "service_id": service_id, "position": 0,
        "street": "Rue Synthétique", "number": str(1 + k % 200), "box": "",
        "postal_code": postal.get(commune.refnis, "0000"), "refnis": commune.refnis,
        "lat": round(lat, 6), "lon": round(lon, 6), "geocode_source": "manual",
        "geocode_precision": "address", "wheelchair_access": rng.random() < 0.6,
        "opening_hours": {"mon": [["09:00", "12:00"]], "thu": [["13:00", "16:00"]]},
        "by_appointment": rng.random() < 0.5,
    })
    # Most services cover their own commune and a few around it; a few cover a whole zone.
    covered = min(MAX_AREAS, 1 + int(rng.expovariate(1 / 3)))
    rows["area"] += [{"service_id": service_id, "refnis": refnis}
                     for refnis in near[commune.refnis][:covered]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", help="SQLAlchemy URL, e.g. sqlite:////tmp/synthetic.sqlite")
    parser.add_argument("n", type=int, help="how many services to add")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.url, args.n, args.seed)


if __name__ == "__main__":
    main()
