"""Languages: which one a request speaks, the /<lang>/ URL prefix, and content fallbacks.

The language lives in the URL. `g.lang` is taken out of the URL values before a view runs and
put back by `url_for`, so views and templates never pass it by hand.
"""

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, request
from flask_babel import get_locale

from .config import LANGUAGES

COOKIE_NAME = "lang"

# When a text is missing in the reader's language, the next one in this order is shown.
# Dutch and German readers get French first (Belgium's other official languages, and the one
# most East-Belgian readers share); French readers get Dutch first; English readers French.
FALLBACK_ORDER = {
    "fr": ("fr", "nl", "en", "de"),
    "nl": ("nl", "fr", "en", "de"),
    "de": ("de", "fr", "nl", "en"),
    "en": ("en", "fr", "nl", "de"),
}


def negotiate_language() -> str:
    """Return the language of a request: its URL's first segment (also on an address that
    matched no page, /nl/nope), else the cookie, the Accept-Language header, else French."""
    segment = request.path.strip("/").split("/", 1)[0]
    if segment in LANGUAGES:
        return segment
    chosen = request.cookies.get(COOKIE_NAME)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "fr"


def select_locale() -> str:
    return getattr(g, "lang", None) or negotiate_language()


def current_language() -> str:
    return str(get_locale() or "fr")[:2]


def localized(obj, field: str, lang: str | None = None) -> tuple[str, str]:
    """Return (text, language) of `obj.<field>_<lang>`, falling back along FALLBACK_ORDER."""
    lang = lang or current_language()
    for candidate in FALLBACK_ORDER.get(lang, FALLBACK_ORDER["fr"]):
        value = getattr(obj, f"{field}_{candidate}", None)
        if value:
            return value, candidate
    return "", lang


# The nine communes of the German-speaking Community (language area fixed by the 1963 laws).
GERMAN_LANGUAGE_AREA = frozenset({
    "63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087",
})


def pick_commune_name(names: dict[str, str | None], region_code: str, lang: str,
                      refnis: str = "") -> str:
    """Return the name readers of `lang` know a commune by (Luik, Lüttich, Liège, Liège).

    Without a name in `lang`, the name of the commune's own language area is used: Dutch in
    Flanders, German in the German-speaking communes (Kelmis, not La Calamine), else French.
    """
    if names.get(lang):
        return names[lang]
    if refnis in GERMAN_LANGUAGE_AREA and names.get("de"):
        return names["de"]
    return names["nl"] if region_code == "02000" else names["fr"]


def commune_name(commune, lang: str | None = None) -> str:
    names = {"fr": commune.name_fr, "nl": commune.name_nl, "de": commune.name_de,
             "en": commune.name_en}
    return pick_commune_name(names, commune.region_code, lang or current_language(),
                             commune.refnis)


def commune_label(refnis: str, lang: str | None = None) -> str:
    """A commune's name for the reader, from its REFNIS code (the code itself when unknown)."""
    from .extensions import db
    from .models import Commune

    commune = db.session.get(Commune, refnis)
    return commune_name(commune, lang) if commune else refnis


def place_name(obj, lang: str | None = None) -> str:
    """Return a region's or province's name in `lang`; English falls back to French."""
    lang = lang or current_language()
    return getattr(obj, f"name_{lang}", None) or obj.name_fr


def switched_from() -> str | None:
    """Return the language of the page of this site the visitor came from, if any."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    segment = referrer.path.strip("/").split("/", 1)[0]
    return segment if segment in LANGUAGES else None


def init_app(app: Flask) -> None:
    """Install the URL processors that keep the language in the URL."""

    @app.url_value_preprocessor
    def pull_language(endpoint, values):
        if values and "lang" in values:
            lang = values.pop("lang")
            if lang not in LANGUAGES:
                g.lang = negotiate_language()
                abort(404)
            g.lang = lang

    @app.after_request
    def remember_language(response):
        """Keep the language a visitor chose with the language switch, for the next visit to /.

        Only then: a page read by following a link sets no cookie, so a shared cache can keep
        one copy of it for everyone (and the API never sets one).
        """
        lang = getattr(g, "lang", None)
        if (lang in LANGUAGES and request.cookies.get(COOKIE_NAME) != lang
                and response.status_code < 400 and switched_from() not in (None, lang)):
            response.set_cookie(COOKIE_NAME, lang, max_age=365 * 24 * 3600, samesite="Lax",
                                secure=request.is_secure or app.config["ENV_NAME"] == "production",
                                httponly=True)
        return response

    @app.url_defaults
    def add_language(endpoint, values):
        if "lang" in values or not endpoint:
            return
        if current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = getattr(g, "lang", None) or current_language()
