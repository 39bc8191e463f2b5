"""What a page says about itself to search engines and to sites that show a link to it (the meta
description and Open Graph): a service's or a commune's own words, else the page's purpose."""

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context

from ..i18n import commune_name, localized

OG_LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "de": "de_BE", "en": "en_GB"}
LENGTH = 160  # what search engines show of a description

GENERAL = _l("Find the free public mediation service for conflicts between neighbours that "
             "covers your commune.")
PAGES = {
    "public.guide": _l("Which mediation do I need? A few situations, what happens next and the "
                       "service to ask."),
    "public.coverage_view": _l("Which communes have a public mediation service, per kind of "
                               "mediation: a map, a table and the data."),
    "public.statement:about": _l("Who publishes the directory of the local public mediation "
                                 "services, and how the listing is kept current."),
    "public.statement:accessibility": _l("How accessible this site is, what is not yet, and "
                                         "whom to tell."),
    "public.statement:privacy": _l("Which personal data the directory keeps, why, for how "
                                   "long, and your rights."),
    "public.statement:open-data": _l("The directory as open data: CSV, XLSX, GeoJSON, Open "
                                     "Referral HSDS and a DCAT-AP catalogue, free to reuse."),
}


def shorten(text: str, length: int = LENGTH) -> str:
    """The text on one line, cut at a word before `length` characters with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[:length - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@pass_context
def page_description(context) -> str:
    """The meta description of the page being rendered."""
    endpoint = request.endpoint or ""
    service, commune = context.get("service"), context.get("commune")
    if endpoint == "public.service" and service is not None:
        own = localized(service, "description")[0]
        if own:
            return shorten(own)
        return shorten(_("%(name)s, a free public mediation service of %(organization)s.",
                         name=localized(service, "name")[0],
                         organization=localized(service.organization, "name")[0]))
    if endpoint == "public.commune" and commune is not None:
        codes = ", ".join(sorted(p.code for p in commune.postal_codes))
        return shorten(_("The free public mediation services serving the residents of "
                         "%(commune)s (%(postal_codes)s), and whom to ask when none is known.",
                         commune=commune_name(commune), postal_codes=codes))
    key = endpoint
    if endpoint == "public.statement":
        key = f"{endpoint}:{(request.view_args or {}).get('page')}"
    return str(PAGES.get(key, GENERAL))
