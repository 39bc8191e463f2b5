"""A position is placed in the commune it lies in, offline; "near me" then answers for it."""

import csv
import math
from pathlib import Path

import pytest

from mediation.extensions import db
from mediation.gazetteer import get_index
from mediation.locate import commune_at

# An independent list of bpost localities with OpenStreetMap coordinates (tests only).
ORACLE = (Path(__file__).resolve().parents[2] / "shared" / "data" / "belgian-localities"
          / "postal-localities-coordinates.csv")


def oracle_points():
    if not ORACLE.exists():
        pytest.skip("the list of bpost localities is not on this machine")
    with ORACLE.open(encoding="utf-8") as f:
        return [(code, name, float(lat), float(lon)) for code, name, lon, lat in csv.reader(f)]


@pytest.mark.parametrize("lat, lon, refnis", [
    (50.8535, 4.3745, "21014"),  # Saint-Josse-ten-Noode, beside Schaerbeek and Evere
    (50.8676, 4.3737, "21015"),  # Schaerbeek
    (50.6326, 5.5797, "62063"),  # Liège
    (51.0543, 3.7174, "44021"),  # Gent
    (50.6275, 6.0339, "63023"),  # Eupen
    (50.4108, 4.4446, "52011"),  # Charleroi
    (50.7951, 4.3576, "21016"),  # Uccle
])
def test_known_positions_lie_in_their_commune(app_ctx, lat, lon, refnis):
    assert commune_at(lat, lon).refnis == refnis


@pytest.mark.parametrize("lat, lon", [(48.8566, 2.3522), (52.37, 4.89), (50.0, 2.5),
                                      (math.nan, 4.35), (50.85, math.inf)])
def test_positions_outside_belgium_lie_in_no_commune(app_ctx, lat, lon):
    assert commune_at(lat, lon) is None


def test_a_canton_of_one_commune_is_certain(app_ctx):
    assert commune_at(50.6326, 5.5797).certain  # Liège's cantons hold Liège alone
    assert not commune_at(50.8535, 4.3745).certain  # Saint-Josse shares its canton with Evere


def test_bpost_localities_lie_in_the_commune_of_their_postal_code(app_ctx, figures):
    postal = get_index().postal
    points = [p for p in oracle_points() if p[0] in postal]
    placed = [(code, commune_at(lat, lon)) for code, _, lat, lon in points]
    assert all(found is not None for _, found in placed)
    right = sum(found.refnis in postal[code] for code, found in placed)
    figures.append(f"bpost localities placed in the commune of their postal code: {right}/"
                   f"{len(points)} = {right / len(points):.1%}")
    assert right / len(points) >= 0.84


def test_near_puts_a_covering_service_first_whenever_one_exists(client, demo, app, figures):
    """Every tenth bpost locality as a position: the first answer serves its commune."""
    with app.app_context():
        postal = get_index().postal
        covered = {refnis for refnis, in db.session.execute(
            db.text("SELECT DISTINCT refnis FROM service_area"))}
    points = [p for p in oracle_points()[::10] if p[0] in postal]
    located = first_covers = truly_covered = truly_first = 0
    for code, _, lat, lon in points:
        body = client.get(f"/api/v1/services?near={lat:.5f},{lon:.5f}&per_page=1").get_json()
        commune, first = body["commune"], body["results"][0]
        assert commune is not None
        if commune["refnis"] in covered:
            located += 1
            first_covers += first["covers_commune"] is True
            assert commune["refnis"] in first["communes"]
        true_communes = set(postal[code])
        if true_communes & covered:
            truly_covered += 1
            truly_first += bool(true_communes & set(first["communes"]))
    assert first_covers == located > 0
    figures.append(f"near=: a service covering the commune found first: {first_covers}/"
                   f"{located}; covering the commune of the postal code: {truly_first}/"
                   f"{truly_covered} = {truly_first / truly_covered:.1%}")
