"""The read-only JSON API, /api/v1 (DESIGN §5). Errors are {"error": {"code", "message"}}."""

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from .. import gazetteer
from ..config import LANGUAGES
from ..web import api_error
from .schemas import ParameterError, commune_result, limit_param, text_param

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.errorhandler(ParameterError)
def bad_parameter(error: ParameterError):
    return api_error(400, error.code, error.message)


@bp.get("/communes")
def communes():
    """Resolve what a citizen typed to the communes it may mean, best first."""
    query = text_param("q", required=True, max_length=gazetteer.MAX_QUERY_LENGTH)
    lang = request.args.get("lang", "fr")
    if lang not in LANGUAGES:
        raise ParameterError(
            "invalid_lang",
            _("The parameter “%(name)s” must be one of: %(choices)s.", name="lang",
              choices=", ".join(LANGUAGES)),
        )
    limit = limit_param("limit", default=10, maximum=50)
    index = gazetteer.get_index()
    matches = gazetteer.search_index(index, query, limit)
    return jsonify(results=[commune_result(index.communes[m.refnis], m, lang) for m in matches])
