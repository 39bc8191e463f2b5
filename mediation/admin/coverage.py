"""/<lang>/admin/coverage: the public coverage view, limited to this admin's territory.

Published services count, as on the public page and in the dashboard's count of communes
without a known service, which links here.
"""

import hashlib

from flask import request, url_for
from flask_login import current_user

from ..directory.reading import coverage
from ..directory.reading.staff_lists import communes_in_scope
from ..public.coverage import coverage_csv, coverage_page, map_image
from .routes import bp


def territory_rows():
    return coverage.coverage(communes=communes_in_scope(current_user))


@bp.get("/coverage")
def coverage_view():
    """Every commune of the territory with its state per kind, published services counted."""
    return coverage_page("admin/coverage.html", territory_rows(),
                         url_for("admin.coverage_map", kind=request.args.get("kind") or None),
                         csv_url=url_for("admin.coverage_download"))


@bp.get("/coverage.svg")
def coverage_map():
    """The territory's coverage as an image: one dot per commune, coloured by its state."""
    rows = territory_rows()
    scope = hashlib.sha1(",".join(row.commune.refnis for row in rows).encode()).hexdigest()
    return map_image(lambda: rows, scope, public=False)


@bp.get("/coverage.csv")
def coverage_download():
    """The territory's coverage as CSV."""
    return coverage_csv(territory_rows(), "coverage-territory.csv")
