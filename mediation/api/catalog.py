"""The DCAT-AP catalogue of the open data, /open-data/catalog.ttl and .jsonld, for data portals."""

from flask import Blueprint

from ..opendata import dcat
from .routes import export

bp = Blueprint("catalog", __name__, url_prefix="/open-data")


@bp.get("/catalog.ttl")
def catalog_ttl():
    """The catalogue in Turtle."""
    return export(dcat.catalog_turtle, "text/turtle")


@bp.get("/catalog.jsonld")
def catalog_jsonld():
    """The catalogue in JSON-LD."""
    return export(dcat.catalog_jsonld, "application/ld+json")
