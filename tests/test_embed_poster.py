"""What a commune takes for its own site and its town hall: the embeddable finder (frameable,
small, links to the full pages in a new tab) and the A4 poster (text read back from the PDF,
its QR code decoded)."""

import gzip
import io
import re

import pytest

from mediation.extensions import db

BASE = "http://127.0.0.1:5000"


@pytest.mark.parametrize("lang, heading", [
    ("fr", "Services de médiation pour Gand"), ("nl", "Bemiddelingsdiensten voor Gent"),
    ("de", "Mediationsdienste für Gent"), ("en", "Mediation services for Ghent")])
def test_the_finder_lists_the_communes_services_in_four_languages(client, demo, lang, heading):
    response = client.get(f"/{lang}/embed?commune=44021")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in page and f'<html lang="{lang}">' in page
    links = re.findall(r'<a href="([^"]+)" target="_blank" rel="noopener">', page)
    # Inside a frame, addresses resolve against the directory's own origin, not the host page's.
    assert f"/{lang}/services/{demo['demo-gent-buurtbemiddeling']}" in links
    assert all(link.startswith(f"/{lang}/") for link in links)
    assert "<script" not in page and "leaflet" not in page.lower()


def test_only_the_finder_may_be_framed(client, demo):
    finder = client.get("/fr/embed?commune=21015")
    assert "X-Frame-Options" not in finder.headers
    assert "frame-ancestors *" in finder.headers["Content-Security-Policy"]
    for path in ("/fr/", "/fr/communes/21015", "/fr/embed-nothing", "/fr/open-data"):
        response = client.get(path)
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path


def test_the_finder_weighs_under_20_kb_gzipped(client, demo, figures):
    page = client.get("/fr/embed?commune=21015")
    css_path = re.search(r'href="(/static/css/embed.css[^"]*)"', page.get_data(as_text=True))[1]
    css = client.get(css_path)
    total = len(gzip.compress(page.data)) + len(gzip.compress(css.data))
    figures.append(f"embeddable finder for Schaerbeek: {total} bytes gzipped (page and style)")
    assert total < 20_000


def test_the_finder_searches_and_explains_what_it_cannot_find(client, demo):
    found = client.get("/nl/embed?q=Schaarbeek").get_data(as_text=True)
    assert "Bemiddelingsdiensten voor Schaarbeek" in found
    choice = client.get("/fr/embed?q=1040").get_data(as_text=True)
    assert "Quelle commune voulez-vous dire" in choice
    assert 'href="/fr/embed?commune=21004"' in choice and 'href="/fr/embed?commune=21005"' in choice
    for query in ("q=zzzzqqq", "commune=99999", "commune=abc"):
        page = client.get(f"/en/embed?{query}")
        assert page.status_code == 200
        assert "No Belgian commune matches" in page.get_data(as_text=True)
    assert "Find a mediation service" in client.get("/en/embed").get_data(as_text=True)


def test_the_commune_page_offers_the_snippet_and_the_poster(client, demo):
    page = client.get("/fr/communes/21015").get_data(as_text=True)
    assert f"&lt;iframe src=&#34;{BASE}/fr/embed?commune=21015&#34;" in page \
        or f'&lt;iframe src="{BASE}/fr/embed?commune=21015"' in page
    assert 'href="/fr/communes/21015/poster.pdf"' in page


# --- The poster ---------------------------------------------------------------------------------

def poster(client, path):
    pypdf = pytest.importorskip("pypdf")
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return response.data, text, len(reader.pages)


def qr_payloads(pdf: bytes) -> list[str]:
    pdfium = pytest.importorskip("pypdfium2")
    zxingcpp = pytest.importorskip("zxingcpp")
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=3).to_pil()
    finally:
        document.close()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_the_brussels_poster_is_in_french_and_dutch_with_a_qr_code(client, demo):
    pdf, text, pages = poster(client, "/en/communes/21015/poster.pdf")
    assert pages == 1
    assert "Services de médiation pour Schaerbeek" in text
    assert "Bemiddelingsdiensten voor Schaarbeek" in text
    assert "Service de médiation locale de Schaerbeek" in text
    assert "Lokale bemiddelingsdienst Schaarbeek" in text
    assert "+32 2 000 31 10" in text
    assert "Services of mediation" not in text and "Mediation services for" not in text
    assert qr_payloads(pdf) == [f"{BASE}/fr/communes/21015"]


@pytest.mark.parametrize("refnis, title, absent", [
    ("63023", "Mediationsdienste für Eupen", "Services de médiation"),
    ("44021", "Bemiddelingsdiensten voor Gent", "Services de médiation"),
    ("62063", "Services de médiation pour Liège", "Bemiddelingsdiensten"),
])
def test_the_poster_speaks_the_communes_language(client, demo, refnis, title, absent):
    pdf, text, _ = poster(client, f"/fr/communes/{refnis}/poster.pdf")
    assert title in text and absent not in text
    assert len(qr_payloads(pdf)) == 1 and qr_payloads(pdf)[0].endswith(f"/communes/{refnis}")


def test_a_poster_without_services_says_whom_to_ask(app, client, demo):
    from mediation.models import Commune

    with app.app_context():
        db.session.get(Commune, "13001").phone = "+3214000000"  # Arendonk
        db.session.commit()
    _, text, _ = poster(client, "/nl/communes/13001/poster.pdf")
    assert "Voor de inwoners van Arendonk is nog geen openbare bemiddelingsdienst bekend" in text
    assert "+32 14 00 00 00" in text


def test_unknown_communes_have_no_poster(client):
    assert client.get("/fr/communes/99999/poster.pdf").status_code == 404
    assert client.get("/fr/communes/abc/poster.pdf").status_code == 404
