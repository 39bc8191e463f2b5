"""The embeddable finder framed by a commune's own site: a page served from another origin
embeds /<lang>/embed in an iframe, a citizen searches in it, and a service opens in a new tab on
the directory; the finder has no axe violation on a desktop or a phone. Any other page refuses
to be framed."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_helpers import DESKTOP, PHONE, SCHAERBEEK

pytestmark = pytest.mark.browser

AXE = Axe()


@pytest.fixture
def commune_site(live_url):
    """A commune's own site on another origin (another port): one page framing the finder and
    one framing the directory's home page, which must stay empty."""
    pages = {
        "/": f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Commune de
Schaerbeek</title></head><body><h1>Médiation</h1>
<iframe id="finder" src="{live_url}/fr/embed?commune={SCHAERBEEK}" title="Médiation"
 width="100%" height="480" style="border:0"></iframe></body></html>""",
        "/home": f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Cadre
</title></head><body><iframe id="home" src="{live_url}/fr/" title="x"></iframe></body></html>""",
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = pages.get(self.path, "").encode("utf-8")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_commune_site_embeds_the_finder(new_context, commune_site, live_url):
    assert commune_site.rsplit(":", 1)[1] != live_url.rsplit(":", 1)[1]  # another origin
    context = new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(commune_site + "/")
    finder = page.frame_locator("#finder")
    finder.locator("h1").wait_for()
    assert finder.locator("h1").inner_text() == "Services de médiation pour Schaerbeek"
    assert finder.locator(".services > li").count() >= 1
    finder.get_by_label("Votre commune ou code postal").fill("Gand")
    finder.get_by_role("button", name="Rechercher").click()
    finder.locator("h1", has_text="Gand").wait_for()
    link = finder.locator(".services h2 a").first
    name = link.inner_text().split("\n")[0]
    with context.expect_page() as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url.startswith(live_url + "/fr/services/")
    assert name.replace(" (s’ouvre dans un nouvel onglet)", "").strip() in tab.locator(
        "h1").inner_text()
    assert page.url == commune_site + "/"  # the commune's page stays where it was


def test_other_pages_refuse_to_be_framed(new_context, commune_site):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(commune_site + "/home")
    frame = page.frame(url=lambda url: "/fr/" in url and "embed" not in url)
    # Chromium blocks the framed page: the frame holds no content of the directory.
    assert frame is None or frame.locator("h1").count() == 0


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", [f"/fr/embed?commune={SCHAERBEEK}", "/nl/embed",
                                  "/de/embed?q=1040", "/en/embed?q=nowhere-at-all"])
def test_the_finder_has_no_axe_violation(new_page, path, viewport):
    page = new_page(viewport=viewport)
    page.goto(path)
    violations = AXE.run(page).response["violations"]
    assert not violations, [(v["id"], [n["html"] for n in v["nodes"]]) for v in violations]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
