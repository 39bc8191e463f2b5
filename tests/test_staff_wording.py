"""Every staff page reads as people talk, in each language: no English text left untranslated
on a French, Dutch or German page, no code of the data shown raw (`service.demo_created`),
French typography (a space before the colon, d’Amay rather than de Amay).

The pages are every GET rule of the account, manage and admin areas (from the URL map, as the
authorisation test builds them), opened by a national admin and by an editor, with the demo
data, a pending service, an access request and a citizen's report to show.
"""

import html as html_module
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from support import COMMUNE_A
from test_authorization import EXPECTED, things_of_a, url_of
from mediation.directory.demo import seed_demo
from mediation.extensions import db

ROOT = Path(__file__).resolve().parents[1]
CODE = re.compile(r"(?<![@\w.])(service|revision|location|organization|kind_text|commune|"
                  r"error_report|access_request|user)\.[a-z_]{4,}(?![\w.])")
# A colon straight after a word, then a space or the end: French wants a space before it.
FRENCH_COLON = re.compile(r"[A-Za-zÀ-ÿ)»”]:(\s|$)")
FRENCH_ELISION = re.compile(r"\b[Dd]e [AEIOUYÉÈÂÎÔaeiouyéèâîô]")


@pytest.fixture(autouse=True)
def _no_rate_limits(monkeypatch):
    """These tests sign in often: the shared limiter stays off, whatever an earlier app set."""
    from mediation.extensions import limiter

    monkeypatch.setattr(limiter, "enabled", False)


def catalog(lang):
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=lang)


def english_sentences(lang) -> list[str]:
    """English msgids of at least two words that this language translates differently."""
    found = []
    for message in catalog(lang):
        if not message.id or message.pluralizable:
            continue
        if "%(" in message.id or message.string == message.id or " " not in message.id.strip():
            continue
        found.append(message.id)
    return found


SENTENCES = {lang: english_sentences(lang) for lang in ("fr", "nl", "de")}


def visible_text(page: str) -> str:
    """The text a person reads or hears: the body's text, titles, labels and button values.
    What people typed into the form fields (a text per language) is theirs, not the page's."""
    page = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", page, flags=re.S)
    spoken = re.findall(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return html_module.unescape(" ".join([text, *spoken]))


def staff_paths(app, things, role):
    prefix = "admin." if role == "admin" else "manage."
    for (endpoint, method), expected in sorted(EXPECTED.items()):
        if method == "GET" and endpoint.startswith((prefix, "auth.")) \
                and expected["admin" if role == "admin" else "editor_a"] == 200:
            yield endpoint, url_of(app, endpoint, things)


def seeded_demo(app) -> int:
    """Seed the demonstration services; return the id of the first."""
    from mediation.models import Service

    with app.app_context():
        seed_demo()
        db.session.commit()
        return db.session.scalar(db.select(db.func.min(Service.id)).where(Service.is_demo))


@pytest.fixture
def staff_pages(app, client, auth, make_service, make_user):
    """Sign in as `role`; return [(endpoint, url)] of the pages that role opens."""
    demo_id = seeded_demo(app)  # its audit events name actions of their own
    things = things_of_a(app, make_service, make_user)

    def open_as(role):
        if role == "admin":
            auth.as_admin()
        else:
            auth.as_editor(COMMUNE_A)
        paths = list(staff_paths(app, things, role))
        if role == "admin":  # the history of a demonstration entry, which the seed wrote
            paths.append(("admin.service_history",
                          url_of(app, "admin.service_history", {**things, "service_id": demo_id})))
        return paths

    return open_as


@pytest.mark.parametrize("role", ["admin", "editor"])
@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_no_staff_page_shows_a_message_untranslated_or_a_code(client, staff_pages, role, lang):
    problems = []
    for endpoint, url in staff_pages(role):
        url = url.replace("/fr/", f"/{lang}/", 1)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.mimetype != "text/html":  # downloads: their headers are data, not prose
            continue
        text = visible_text(response.get_data(as_text=True))
        for sentence in SENTENCES.get(lang, []):
            if re.search(rf"(?<![\w-]){re.escape(sentence)}(?![\w-])", text):
                problems.append(f"{url}: untranslated “{sentence}”")
        problems += [f"{url}: code shown “{m.group(0)}”" for m in CODE.finditer(text)]
        if lang == "fr":
            checked = " " * 30 + text  # context before each match
            problems += [f"{url}: no space before the colon: “{checked[m.start() - 30:m.end()]}”"
                         for m in FRENCH_COLON.finditer(checked)]
            problems += [f"{url}: no elision in “{text[max(0, m.start() - 20):m.end() + 20]}”"
                         for m in FRENCH_ELISION.finditer(text)]
    assert not problems, "\n".join(problems)


def test_the_history_names_every_action_in_words(app, client, auth):
    demo_id = seeded_demo(app)
    auth.as_admin()
    page = client.get(f"/fr/admin/services/{demo_id}").get_data(as_text=True)
    assert "Fiche de démonstration créée" in page
    assert "service.demo_created" not in page


def test_every_recorded_action_has_a_label():
    """Each action code written in the code base (audit.record's literal actions) is named."""
    from mediation.labels import AUDIT_ACTIONS

    quoted = re.compile(r"[\"']((?:service|revision|location|organization|kind_text|commune|"
                        r"error_report|access_request|user)\.[a-z_]+)[\"']")
    recorded = set()
    for path in (ROOT / "mediation").rglob("*.py"):
        recorded |= set(quoted.findall(path.read_text(encoding="utf-8")))
    # Template names and foreign keys ("service.id") are no actions.
    recorded = {code for code in recorded
                if code.split(".")[1] not in ("html", "txt", "json", "id", "refnis")}
    recorded |= {"access_request.granted", "access_request.refused"}  # f"access_request.{state}"
    assert "service.demo_created" in recorded
    assert recorded - set(AUDIT_ACTIONS) == set()


@pytest.mark.parametrize("lang, one, two", [
    ("fr", "1</strong> demande d’accès", "2</strong> demandes d’accès"),
    ("nl", "1</strong> aanvraag voor toegang", "2</strong> aanvragen voor toegang"),
    ("en", "1</strong> access request<", "2</strong> access requests<"),
])
def test_the_dashboard_counts_in_singular_and_plural(app, client, auth, lang, one, two):
    from mediation.models import AccessRequest

    auth.as_admin()
    for count, said in ((1, one), (2, two)):
        with app.app_context():
            db.session.add(AccessRequest(name="Jan", email=f"jan{count}@schaerbeek.be",
                                         refnis=COMMUNE_A))
            db.session.commit()
        assert said in client.get(f"/{lang}/admin/").get_data(as_text=True)


@pytest.mark.parametrize("lang, summary", [
    ("fr", "Horaires du jeudi\u00a0: "), ("nl", "Openingsuren op donderdag: "),
    ("de", "Öffnungszeiten am Donnerstag: "), ("en", "Opening hours on Thursday: "),
])
def test_the_error_summary_names_a_days_hours_in_words(client, auth, lang, summary):
    auth.as_editor(COMMUNE_A)
    response = client.post(f"/{lang}/manage/services/new", data={
        "organization": f"commune:{COMMUNE_A}", "hours_thu": "25:00-26:00", "action": "save"})
    assert response.status_code == 400
    page = html_module.unescape(response.get_data(as_text=True))
    summary_box = page.partition('id="error-summary"')[2].partition("</div>")[0]
    assert summary in summary_box
    assert "Hours Thu" not in page
