"""Builders of real input files for the ingest tests (PDF with reportlab, DOCX with python-docx).

All text here is written for the tests; nothing is taken from the real corpus.
"""

from __future__ import annotations

import io as _io
from pathlib import Path

HEADER = "Testforeningen Nordvik – innspill til Rusbehandlingsutvalget 2026"
FOOTNOTE_URL = "https://www.example.org/rapport-om-dognplasser-2025"

# Three pages of body text. Page 1 ends mid-sentence and page 2 continues it; "døgn-/plasser" is
# hyphenated across a line break, "rus-/og" is a suspended compound that must keep its hyphen.
PAGES = [
    ["Innspill fra Testforeningen Nordvik", "",
     "Testforeningen Nordvik takker for muligheten til å gi innspill. Vi mener at antall døgn-",
     "plasser i regionen må økes for personer med rus-",
     "og psykiske lidelser. Særlig unge med sammensatte plager¹ venter for lenge på hjelp,",
     "og mange av dem blir skrevet ut før de er klare til å bo for seg"],
    ["selv. Vi ser også at ventetiden øker hvert år i Nordvik og Sørøy.", "",
     "Våre krav", "",
     "• Flere døgnplasser for unge i alle regioner",
     "• Bedre oppfølging etter utskrivning fra behandling",
     "• En fast kontaktperson i kommunen for hver pasient"],
    ["Økonomi og ansvar", "",
     "Kommunene må få øremerkede midler til ettervern. Ærlig talt er dagens ordning",
     "for svak, og få kommuner klarer å følge opp alle som trenger det.", "",
     "Med vennlig hilsen", "Testforeningen Nordvik"],
]


def make_pdf(path: Path, pages: list[list[str]] = PAGES, header: str = HEADER, footnote: str | None = None,
             page_numbers: bool = True) -> Path:
    """A real multi-page PDF: running header on every page, 'Side n av N' footers, a footnote on page 1."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    footnote = f"¹ {FOOTNOTE_URL}" if footnote is None else footnote
    c = canvas.Canvas(str(path), pagesize=A4)
    for p, lines in enumerate(pages):
        c.setFont("Helvetica", 9)
        c.drawString(72, 800, header)
        y = 740
        for line in lines:
            if not line:
                y -= 10
                continue
            bold = line in ("Innspill fra Testforeningen Nordvik", "Våre krav", "Økonomi og ansvar")
            c.setFont("Helvetica-Bold" if bold else "Helvetica", 13 if bold else 11)
            c.drawString(72, y, line)
            y -= 15
        if p == 0 and footnote:
            c.setFont("Helvetica", 8)
            c.drawString(72, 90, footnote)
        if page_numbers:
            c.setFont("Helvetica", 9)
            c.drawString(280, 40, f"Side {p + 1} av {len(pages)}")
        c.showPage()
    c.save()
    return path


def make_encrypted_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt="hemmelig")
    c.drawString(72, 700, "Dette innspillet er passordbeskyttet.")
    c.showPage()
    c.save()
    return path


def make_image_pdf(path: Path) -> Path:
    """A scan: one page holding only an image, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(img).text((20, 80), "Skannet brev", fill="black")
    buf = _io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    c = canvas.Canvas(str(path))
    c.drawImage(ImageReader(buf), 72, 500, width=400, height=200)
    c.showPage()
    c.save()
    return path


def make_truncated_pdf(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def make_garbled_pdf(path: Path) -> Path:
    """Page 1 readable; page 2 written only in glyphs whose font lost its Unicode map (ToUnicode removed).

    reportlab puts non-ASCII characters of a TrueType font in a separate subset; without ``/ToUnicode``
    extractors return control characters or ``(cid:n)`` for them. The key is renamed to one of the same
    length so the PDF's byte offsets stay valid.
    """
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    pdfmetrics.registerFont(TTFont("VeraTest", str(font)))
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "Første side er lesbar tekst om rusbehandling i kommunene.")
    c.showPage()
    c.setFont("VeraTest", 11)
    for i in range(6):
        c.drawString(72, 700 - 16 * i, "æøå ÆØÅ éèü æøå ÆØÅ åøæ ØÆÅ æøå éüè " * 2)
    c.showPage()
    c.save()
    data = path.read_bytes()
    assert b"/ToUnicode" in data
    path.write_bytes(data.replace(b"/ToUnicode", b"/XoUnicode"))
    return path


DOCX_FOOTNOTE = "Se rapporten på https://www.example.org/døgnplasser-2025 om kapasitet."


def make_docx(path: Path) -> Path:
    """A DOCX with a heading, a bullet list, a table and a real footnote in word/footnotes.xml."""
    import docx
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_heading("Høringssvar fra Testforbundet Vestvik", level=1)
    p = d.add_paragraph("Vi mener at døgnplassene i Vestvik må økes")
    run = p.add_run()
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), "1")
    run._r.append(ref)
    p.add_run(". Ventetiden er for lang for unge med rusproblemer.")
    d.add_heading("Våre forslag", level=2)
    d.add_paragraph("Flere plasser for ungdom", style="List Bullet")
    d.add_paragraph("Bedre ettervern i kommunene", style="List Bullet")
    table = d.add_table(rows=2, cols=3)
    for c, text in enumerate(["Region", "Plasser 2024", "Plasser 2025"]):
        table.cell(0, c).text = text
    for c, text in enumerate(["Vestvik", "64", "48"]):
        table.cell(1, c).text = text
    d.add_paragraph("Med hilsen")
    d.add_paragraph("Testforbundet Vestvik")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
        '</w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {DOCX_FOOTNOTE}'
        "</w:t></w:r></w:p></w:footnote></w:footnotes>"
    ).encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml, d.part.package)
    d.part.relate_to(part, RT.FOOTNOTES)
    d.save(str(path))
    return path
