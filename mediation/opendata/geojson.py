"""The directory's exchange columns as GeoJSON (RFC 7946), each value in its JSON type:
coordinates and the update interval as numbers, flags as booleans, empty values as null."""

from __future__ import annotations

import json

from ..directory.exchange.columns import COLUMNS, row_of
from ..models import Service

NUMBERS = {"lat": float, "lon": float, "update_interval_months": int}
FLAGS = ("is_demo", "handles_sac_minors", "free_of_charge", "wheelchair_access",
         "by_appointment")


def typed(row: dict[str, str]) -> dict:
    """One row's properties: text stays text, numbers and flags get their JSON types."""
    properties = {}
    for column in COLUMNS:
        value = row[column]
        if column in NUMBERS:
            properties[column] = NUMBERS[column](value) if value != "" else None
        elif column in FLAGS:
            properties[column] = {"true": True, "false": False}.get(value)
        else:
            properties[column] = value
    return properties


def directory_geojson(services: list[Service]) -> bytes:
    """Return a FeatureCollection of the services, in the order given (one feature each)."""
    features = []
    for service in services:
        properties = typed(row_of(service))
        geometry = None
        if properties["lat"] is not None and properties["lon"] is not None:
            geometry = {"type": "Point", "coordinates": [properties["lon"], properties["lat"]]}
        features.append({"type": "Feature", "id": properties["external_id"],
                          "geometry": geometry, "properties": properties})
    collection = {"type": "FeatureCollection", "features": features}
    return (json.dumps(collection, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
