"""Which commune does a position lie in? Offline, from the judicial cantons and the communes' points.

There are no commune boundaries among our reference data, only those of the 162 judicial
cantons (mediation/data/cantons.json, simplified from the NGI's). A canton holds 1 to 11
communes: the position's canton narrows the choice to its communes, and the commune whose point
is nearest among those is taken. Inside a canton of one commune the answer is certain; elsewhere
it is approximate near a border between two communes of the same canton, and the pages say so.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from .gazetteer import get_index

# A position just outside every canton (a simplified border, the coast) still counts when a
# canton's box lies this close (degrees, about 2 km).
BORDER_MARGIN = 0.02


@dataclass(frozen=True)
class Canton:
    communes: tuple[str, ...]
    polygons: tuple  # of rings of (lon, lat); the first ring of each polygon is its outline
    box: tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class Located:
    """The commune a position was placed in; `certain` when its canton holds no other commune."""

    refnis: str
    certain: bool


@lru_cache(maxsize=1)
def cantons() -> tuple[Canton, ...]:
    """Read the simplified canton outlines once per process (about a megabyte)."""
    data = json.loads(files("mediation").joinpath("data/cantons.json").read_text("utf-8"))
    found = []
    for entry in data.values():
        polygons = tuple(tuple(tuple(map(tuple, ring)) for ring in polygon)
                         for polygon in entry["polygons"])
        outline = [p for polygon in polygons for p in polygon[0]]
        box = (min(p[0] for p in outline), min(p[1] for p in outline),
               max(p[0] for p in outline), max(p[1] for p in outline))
        found.append(Canton(tuple(entry["communes"]), polygons, box))
    return tuple(found)


def _in_ring(ring, lon: float, lat: float) -> bool:
    """Even-odd ray casting."""
    inside = False
    for (ax, ay), (bx, by) in zip(ring, ring[1:]):
        if (ay > lat) != (by > lat) and lon < (bx - ax) * (lat - ay) / (by - ay) + ax:
            inside = not inside
    return inside


def _contains(canton: Canton, lon: float, lat: float) -> bool:
    west, south, east, north = canton.box
    if not (west <= lon <= east and south <= lat <= north):
        return False
    return any(_in_ring(polygon[0], lon, lat)
               and not any(_in_ring(hole, lon, lat) for hole in polygon[1:])
               for polygon in canton.polygons)


def _near_box(canton: Canton, lon: float, lat: float) -> bool:
    west, south, east, north = canton.box
    return (west - BORDER_MARGIN <= lon <= east + BORDER_MARGIN
            and south - BORDER_MARGIN <= lat <= north + BORDER_MARGIN)


def commune_at(lat: float, lon: float) -> Located | None:
    """Return the commune a position lies in, or None outside Belgium."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    holding = [c for c in cantons() if _contains(c, lon, lat)]
    candidates = {r for c in holding for r in c.communes}
    if not candidates:  # on a simplified border: the cantons close by
        candidates = {r for c in cantons() if _near_box(c, lon, lat) for r in c.communes}
    communes = get_index().communes
    points = [(refnis, communes[refnis]) for refnis in candidates if refnis in communes]
    if not points:
        return None
    squeeze = math.cos(math.radians(lat))  # a degree of longitude is shorter than one of latitude
    refnis, _ = min(points, key=lambda item: ((item[1].lat - lat) ** 2
                                              + ((item[1].lon - lon) * squeeze) ** 2, item[0]))
    return Located(refnis, certain=len(holding) == 1 and len(holding[0].communes) == 1)
