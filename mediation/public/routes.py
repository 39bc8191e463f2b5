"""Public pages for citizens, in four languages under /<lang>/."""

from flask import (Blueprint, abort, current_app, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import format_date
from markupsafe import Markup
from sqlalchemy import bindparam, select
from flask_babel import gettext as _

from .. import gazetteer, statements
from ..directory.moderation import incoming as operations
from ..directory.reading import search as queries
from ..extensions import (
    DATABASE_UNAVAILABLE,
    csrf,
    db,
    limiter,
    rate_limits_available,
    rollback_quietly,
)
from ..caching import personal_request
from ..i18n import current_language, negotiate_language, pick_commune_name
from ..models import Commune
from ..situations import understand_search
from ..web import (
    database_unavailable,
    error_message,
    sent_from_another_site,
    unexpected_error,
)
from . import answers
from .forms import MESSAGE_MAX_LENGTH, ErrorReportForm, SearchForm

bp = Blueprint("public", __name__, url_prefix="/<lang>")


def root_redirect():
    """Send / to the visitor's language: cookie, then Accept-Language, else French."""
    response = redirect(url_for("public.index", lang=negotiate_language()), code=302)
    response.vary.update(("Cookie", "Accept-Language"))
    return response


@bp.get("/")
def index():
    """Show the search box, the map of every service and, once searched, the results."""
    return search()


@bp.get("/search")
def search():
    """Show the services for a commune, a place or a position; works without JavaScript."""
    form = SearchForm(request.args, offered_languages=queries.spoken_languages())
    form.validate()
    if form.value("near") and form.near.data != request.args["near"]:
        # Rounded to about 100 m: a more precise position stays out of addresses and logs.
        args = {**request.args.to_dict(), "near": form.near.data}
        return redirect(url_for(request.endpoint, **args))
    understood, refnis, position, situation = None, None, None, None
    if form.value("q"):  # a typed text wins over an earlier choice
        situation, place, understood = understand_search(form.q.data)
        if situation.kind and not form.value("type"):  # as if chosen: shown, and removable
            form.type.data = situation.kind
        form.q.data = place  # the box keeps the place; the kind is in the filter
        if understood and not understood.asked:  # punctuation only: no "not found"
            understood = None
        refnis = understood.chosen.refnis if understood and understood.chosen else None
    elif form.value("commune"):
        refnis = form.commune.data
    elif form.value("near"):
        position = form.position()
    village = None  # a village or former commune named: the results say whose part it is
    if understood and understood.chosen and understood.chosen.match_kind in (
            gazetteer.FORMER_COMMUNE, gazetteer.LOCALITY):
        village = understood.chosen.matched
    elif refnis and not form.value("q") and request.args.get("place"):
        village = gazetteer.part_of(request.args["place"], refnis)
    kind = form.value("type")
    coverage, results, answer_html = None, None, ""
    if refnis or position:
        filters = queries.Filters(commune=refnis, near=position, type=kind,
                                  language=form.value("language"))
        coverage, answer_html = commune_answer(filters, next_steps=not form.value("language"))
        if coverage is None:  # a position in no commune: the nearest services
            results = queries.search_services(filters, page=form.page_number())
    index = gazetteer.get_index()
    choices = [
        (pick_commune_name(info.names, info.region_code, current_language(), info.refnis), info, m)
        for m in (understood.choices if understood else [])
        for info in [index.communes[m.refnis]]
    ]
    # A kind without a place (typed, or chosen in the guide): ask for the commune, kind kept.
    asks_commune = bool(kind and not refnis and not position and not form.q.data)
    return render_template("public/search.html", form=form, results=results,
                           coverage=coverage, kind=kind, understood=understood,
                           choices=choices, asks_commune=asks_commune, answers=answers,
                           village=village, answer_html=answer_html,
                           situations=guide.SITUATIONS)


@bp.get("/services/<int:service_id>")
@bp.get("/services/<int:service_id>/<slug>")
def service(service_id: int, slug: str | None = None):
    """Show everything needed to contact one published service."""
    found = published_or_404(service_id)
    # One address per page: /<lang>/services/<id>. A name may change, the number does not;
    # an address with a name in it (older links) is sent there once.
    if slug is not None:
        return redirect(url_for("public.service", service_id=service_id), 301)
    return render_template("public/service.html", service=found, form=ErrorReportForm())


def published_or_404(service_id: int):
    """The published service, or the "no longer listed" page (410) of an archived one, or 404."""
    found = queries.get_published_service(service_id)
    if found is None:
        archived = queries.get_archived_service(service_id)
        if archived is not None:
            abort(make_response(archived_page(archived), 410))
        abort(404)
    return found


def archived_page(service) -> str:
    """An archived service's old address: say so, then who serves its first commune now."""
    communes = sorted((area.commune for area in service.areas if area.commune.active),
                      key=lambda c: c.refnis)
    first = communes[0] if communes else None
    results = queries.search_services(queries.Filters(commune=first.refnis), per_page=10) \
        if first else None
    return render_template("public/archived.html", service=service, commune=first,
                           communes=communes, results=results)


def report_section_url(service, **args) -> str:
    """The service's page, scrolled to its report form (where the thanks are shown too)."""
    return url_for("public.service", service_id=service.id, **args) + "#report"


@bp.post("/services/<int:service_id>/report")
@csrf.exempt  # no session cookie on public pages: the origin of the form is checked instead
# Only reports sent count: a message refused for its length must not use up the allowance.
@limiter.limit("5 per hour; 20 per day", deduct_when=lambda response: response.status_code == 302)
def report_error(service_id: int):
    """Store a citizen's "this information is wrong" message for the federal admins."""
    found = published_or_404(service_id)
    form = ErrorReportForm()
    if sent_from_another_site():
        return report_form_again(found, form, _(
            "This form was sent from another website. Please check your message and send it "
            "again from this page."), 400)
    if not form.validate_on_submit() or form.website.data:
        return render_template("public/service.html", service=found, form=form), 400
    if not rate_limits_available():  # the limits cannot be counted: take no report unchecked
        return report_form_again(found, form, _(
            "Reports cannot be received at the moment. Please send yours again later: it is "
            "kept below."), 503)
    operations.report_error(found, form.message.data, form.email.data, current_language())
    # The thanks are said by the page itself: no session cookie is needed to carry them.
    return redirect(report_section_url(found, report="sent"))


@bp.get("/services/<int:service_id>/report")
def report_form(service_id: int):
    """The form's own address, reloaded or typed: the service's page at its report form."""
    return redirect(report_section_url(published_or_404(service_id)))


def reported_service():
    """The published service whose report form this request sent, or None."""
    service_id = (request.view_args or {}).get("service_id")
    if request.endpoint != "public.report_error" or not service_id:
        return None
    return queries.get_published_service(service_id)


def report_form_again(service, form: ErrorReportForm, message: str, status: int):
    """The service's page with its report form as sent (text kept) and why it was not taken."""
    form.message.data = (form.message.data or "")[:MESSAGE_MAX_LENGTH]  # never more than allowed
    headers = {"Retry-After": str(current_app.config["RETRY_AFTER"])} if status == 503 else {}
    return render_template("public/service.html", service=service, form=form,
                           form_error=message), status, headers


@bp.errorhandler(429)
def too_many_reports(error):
    """Too many reports from one address: say so beside the form, the text kept."""
    found = reported_service()
    if found is None:
        return render_template("errors/error.html", error=error,
                               message=error_message(429)), 429
    return report_form_again(found, ErrorReportForm(), _(
        "You have sent several reports in a short time. Please send this one again later: "
        "it is kept below."), 429)


def report_not_stored(error: Exception):
    """The database did not answer a report: say so, with the text kept to send again."""
    if request.endpoint != "public.report_error" or not database_unavailable(error):
        return unexpected_error(error)
    rollback_quietly()
    form = ErrorReportForm()
    form.validate()  # shown again no longer than the field allows, control characters out
    return render_template("public/report_later.html", form=form,
                           service_id=request.view_args["service_id"]), 503, {
        "Retry-After": str(current_app.config["RETRY_AFTER"])}


for _unavailable in DATABASE_UNAVAILABLE:
    bp.register_error_handler(_unavailable, report_not_stored)


@bp.get("/communes/<refnis>")
def commune(refnis: str):
    """Show one commune: its names, postal codes, its services by kind and the next steps."""
    shown = (db.session.connection().execute(_COMMUNE_SHOWN, {"refnis": refnis}).first()
             if refnis.isdigit() else None)
    if shown is None or not shown.active:
        abort(404)

    def render() -> str:
        found = db.session.get(Commune, refnis)
        coverage, answer_html = commune_answer(queries.Filters(commune=refnis), next_steps=True)
        return render_template("public/commune.html", commune=found, coverage=coverage,
                               answer_html=answer_html)

    if personal_request():  # a signed-in editor sees their own header: rendered for them
        return render()
    # The same page for every visitor without a session, until a service is written: kept
    # per process, named by what it shows besides the services (the commune's names, contacts).
    key = (current_language(), refnis, tuple(shown), request.host_url, request.query_string)
    return _commune_pages.get(key, render)


# A commune's answer as data and as HTML (its services by kind, the next steps), for the
# directory's version: the same for every visitor, signed in or not, so rendered once per process
# (at most 600: some 40 MB with 10,000 services, the oldest forgotten first).
_commune_answers = queries.PerVersion(size=600)


def commune_answer(filters: queries.Filters, next_steps: bool) -> tuple:
    """Return the coverage of a commune (or a position's commune) and its HTML, or (None, "")."""
    def compute():
        coverage = queries.commune_coverage(filters)
        if coverage is None:
            return None, ""
        return coverage, Markup(render_template(
            "public/_commune_answer.html", coverage=coverage, kind=filters.type,
            next_steps=next_steps, answers=answers))

    return _commune_answers.get((current_language(), filters, next_steps, request.script_root),
                                compute)


# What a commune page shows of the commune itself, which no service's write changes: its
# names (the gazetteer's) and the contacts an admin gives it.
_COMMUNE_SHOWN = select(Commune.active, Commune.name_fr, Commune.name_nl, Commune.name_de,
                        Commune.phone, Commune.email, Commune.website).where(
    Commune.refnis == bindparam("refnis"))
# The rendered commune pages of the directory's version (at most 600: some 40 MB with 10,000
# services; the 565 communes of one language fit).
_commune_pages = queries.PerVersion(size=600)


@bp.get("/<any(about, accessibility, privacy, 'open-data'):page>")
def statement(page: str):
    """Show one of the statements: about, accessibility, privacy, open data."""
    day = statements.statement_date(current_app.config)
    extra = {}
    if page == "open-data":
        from ..opendata import files

        extra = {"distributions": files.DISTRIBUTIONS, "sizes": files.sizes(),
                 "license_url": files.license_url(), "license_title": files.license_title(),
                 "last_change": files.last_change()}
    return render_template(f"public/{page.replace('-', '_')}.html",
                           third_parties=statements.third_parties(current_app.config),
                           statement_date=format_date(day, "long") if day else None, **extra)


from . import coverage  # noqa: E402,F401  (their routes join this blueprint)
from . import embed  # noqa: E402,F401
from . import guide  # noqa: E402
from . import poster  # noqa: E402,F401
