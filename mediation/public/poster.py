"""An A4 poster per commune, /<lang>/communes/<refnis>/poster.pdf, for the town hall and the
police station: the services serving its residents, how to reach them and a QR code to the
commune's page, in the commune's language(s): French and Dutch side by side in Brussels, German
in the German-speaking communes.

ReportLab lays the page out: maintained since 2000, a pure-Python wheel with no system library,
and its PDF keeps the text as text in the standard fonts (readable by screen readers and text
extractors, light to send). segno draws the QR code, as vector squares: pure Python without
dependencies, maintained, and it follows ISO/IEC 18004 (error correction M, quiet zone kept).
"""

from __future__ import annotations

import io

from flask import abort, current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..directory.fields import required_languages
from ..directory.reading import search as queries
from ..extensions import db
from ..formatting import address_line, phone
from ..i18n import commune_name, localized
from ..labels import SERVICE_TYPES
from ..models import Commune
from ..statements import demo_listed
from ..web import public_url
from .routes import bp

ORDER = ("fr", "nl", "de", "en")


@bp.get("/communes/<refnis>/poster.pdf")
def commune_poster(refnis: str):
    """The commune's poster as a PDF to print."""
    commune = db.session.get(Commune, refnis) if refnis.isdigit() else None
    if commune is None or not commune.active:
        abort(404)
    coverage = queries.commune_coverage(queries.Filters(commune=refnis), nearby=0)
    languages = sorted(required_languages([refnis]), key=ORDER.index)
    page_url = public_url(url_for("public.commune", lang=languages[0], refnis=refnis))
    body = poster_pdf(commune, coverage.covering if coverage else [], languages, page_url,
                      demo=demo_listed())
    response = current_app.response_class(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="mediation-{refnis}.pdf"'
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def poster_pdf(commune, hits, languages: list[str], page_url: str, demo: bool) -> bytes:
    """Lay the poster out: one column per language, then the QR code and the address."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = {
        "title": ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=20, leading=24,
                                spaceAfter=8),
        "lead": ParagraphStyle("lead", fontName="Helvetica", fontSize=12, leading=15,
                               spaceAfter=10),
        "name": ParagraphStyle("name", fontName="Helvetica-Bold", fontSize=13, leading=16,
                               spaceBefore=8),
        "text": ParagraphStyle("text", fontName="Helvetica", fontSize=11, leading=14),
        "small": ParagraphStyle("small", fontName="Helvetica", fontSize=9, leading=11),
    }
    columns = [_column(commune, hits, lang, styles, demo) for lang in languages]
    width = A4[0] - 30 * mm
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=15 * mm, bottomMargin=15 * mm,
                                 title=_title(commune, languages), author=_site(languages[0]),
                                 lang=languages[0])
    table = Table([columns], colWidths=[width / len(columns)] * len(columns))
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 6 * mm),
        *([("LINEAFTER", (0, 0), (-2, -1), 0.5, colors.grey)] if len(columns) > 1 else []),
    ]))
    scan = [Paragraph(_in(lang, _scan_text), styles["text"]) for lang in languages]
    footer = Table([[QRCode(page_url, 42 * mm),
                     [*scan, Spacer(1, 3 * mm), Paragraph(page_url, styles["small"])]]],
                   colWidths=[48 * mm, width - 48 * mm])
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    document.build([table, Spacer(1, 10 * mm), footer])
    return out.getvalue()


def _in(lang: str, make):
    with force_locale(lang):
        return make()


def _scan_text() -> str:
    return _("Scan the code for the details, the opening hours and the services nearby.")


def _title(commune, languages) -> str:
    return " / ".join(_in(lang, lambda lang=lang: _(
        "Mediation services for %(commune)s", commune=commune_name(commune, lang)))
        for lang in languages)


def _site(lang: str) -> str:
    return _in(lang, lambda: _("Local mediation services in Belgium"))


def _column(commune, hits, lang: str, styles, demo: bool) -> list:
    """One language's text: what mediation is for, then each service and how to reach it."""
    from reportlab.platypus import Paragraph

    def p(text, style="text"):
        return Paragraph(_escape(text), styles[style])

    with force_locale(lang):
        name = commune_name(commune, lang)
        flowables = [
            p(_("Mediation services for %(commune)s", commune=name), "title"),
            p(_("A conflict with a neighbour, a municipal administrative sanction (SAC/GAS) "
                "for a minor, tension in the street? Public mediation helps the people "
                "concerned find a solution together. It is free and confidential."), "lead"),
        ]
        for hit in hits:
            service = hit.service
            flowables.append(p(localized(service, "name", lang)[0], "name"))
            kinds = ", ".join(str(SERVICE_TYPES[code]) for code in service.type_codes)
            if kinds:
                flowables.append(p(kinds))
            flowables.append(p(localized(service.organization, "name", lang)[0]))
            if service.locations:
                flowables.append(p(address_line(service.locations[0], lang)))
            if service.phone:
                flowables.append(p(_("Phone: %(phone)s", phone=phone(service.phone))))
        if not hits:
            flowables.append(p(_("No public mediation service is known yet for the residents "
                                 "of %(commune)s.", commune=name)))
            contact = [phone(commune.phone) if commune.phone else "", commune.email or ""]
            if any(contact):
                flowables.append(p(_("Ask your commune: %(contact)s",
                                     contact=" · ".join(c for c in contact if c))))
        if demo:
            flowables.append(p(_("Demonstration data: these services are fictitious."),
                               "small"))
    return flowables


def _escape(text: str) -> str:
    """Paragraphs read a little markup: the text is shown as it is written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _qr_flowable():
    from reportlab.platypus import Flowable

    class QRCodeFlowable(Flowable):
        """A QR code drawn as squares (no image), `size` wide, with its quiet zone."""

        def __init__(self, data: str, size: float):
            super().__init__()
            import segno

            self.matrix = [list(row) for row in segno.make(data, error="m", micro=False)
                           .matrix_iter(scale=1, border=4)]
            self.size = size

        def wrap(self, available_width, available_height):
            return self.size, self.size

        def draw(self):
            cell = self.size / len(self.matrix)
            self.canv.setFillColorRGB(0, 0, 0)
            for y, row in enumerate(self.matrix):
                x = 0
                while x < len(row):  # one rectangle per run of dark modules: no seams
                    if row[x]:
                        start = x
                        while x < len(row) and row[x]:
                            x += 1
                        self.canv.rect(start * cell, self.size - (y + 1) * cell,
                                       (x - start) * cell, cell, stroke=0, fill=1)
                    else:
                        x += 1

    return QRCodeFlowable


def QRCode(data: str, size: float):  # noqa: N802  (a flowable, named as one)
    return _qr_flowable()(data, size)
