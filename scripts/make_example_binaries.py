"""Write the two binary files of the fictional example corpus: a 2-page PDF and a DOCX.

Run once from the repository root (``.venv/bin/python scripts/make_example_binaries.py``); the outputs are
committed beside the hand-written text files in ``data/example/raw/``. The letters are fictional and their
text lives here, in the script, so the binaries can be rebuilt and reviewed as plain text.

Decisions:
- The PDF is laid out by hand on a reportlab canvas instead of with Platypus, because the corpus needs
  things a real letter PDF has and an extractor must cope with: a running header and a page number on every
  page, and a word hyphenated across a line break. Words carry soft hyphens (U+00AD) where they may break;
  the line wrapper splits there only when the whole word does not fit.
- The DOCX gets a real footnote (``word/footnotes.xml`` and a ``w:footnoteReference``), which python-docx
  cannot add on its own, so the part is built from XML here. Readers that ignore footnotes then lose text,
  as they would with a real submission.
- Both outputs are byte-reproducible (reportlab ``invariant``, fixed DOCX core dates and zip timestamps), so
  re-running the script leaves git clean.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from helpers.config import EXAMPLE_RAW_DIR
from helpers.io import write_bytes

SHY = "\u00ad"
FIXED_DATE = dt.datetime(2026, 1, 20, 9, 0, 0)

PDF_NAME = "helse_nordfjell_hf_innspill.pdf"
DOCX_NAME = "forbundet_ordensvern_horingssvar.docx"

# ---------------------------------------------------------------------------------------------------------
# Helse Nordfjell HF (helseforetak, Bokmål): PDF. Blocks are (kind, text); kinds: line, gap, title, h, p, sig.
# ---------------------------------------------------------------------------------------------------------
PDF_RUNNING_HEADER = ("Helse Nordfjell HF · Innspill til Rusbehandlingsutvalget", "20. januar 2026")
PDF_BLOCKS: list[tuple[str, str]] = [
    ("bold", "Helse Nordfjell HF"),
    ("line", "Administrerende direktør"),
    ("line", "Sjukehusvegen 1, 9989 Nordfjell · postmottak@helse-nordfjell.example · 75 00 12 34"),
    ("gap", ""),
    ("line", "Rusbehandlingsutvalget"),
    ("line", "Vår ref.: 2026/00871 · Dato: 20. januar 2026"),
    ("gap", ""),
    ("title", "Innspill fra Helse Nordfjell HF – omstilling av tverrfaglig spesialisert rusbehandling"),
    ("p", "Helse Nordfjell HF har ansvar for spesialisthelsetjenester til om lag 180 000 innbyggere i 14 "
          "kommuner, fra tette byområder til øysamfunn med noen få hundre innbyggere. Klinikk for psykisk "
          "helse og rus har tre døgnenheter i TSB, fem poliklinikker og fire FACT-team. Vi vil i dette "
          "innspillet gjøre rede for hvordan vi har endret tilbudet de siste årene, og hva vi mener "
          "utvalget bør legge vekt på."),
    ("h", "Fra døgn til ambulant behandling"),
    ("p", "Siden 2023 har foretaket redusert antall døgnplasser i TSB fra 64 til 48 og flyttet ressursene "
          "til ambulante team, dagbehandling og poliklinikk. Omstillingen har vært krevende, og den har møtt "
          "motstand. Enkelte organisasjoner har tatt til orde for at all nedbygging av døgnplasser må "
          "stanses. Det synet deler vi ikke. Vi ser positivt på at døgn\u00adkapasiteten dreies mot "
          "ambu\u00adlante tjenester, og vår erfaring er at flere pasienter får bedre hjelp når "
          "behandlingen skjer der de bor, sammen med familie, arbeids\u00adgiver og kommunale tjenester."),
    ("p", "Døgnbehandling skal fortsatt være et tilbud til dem som trenger det, men det finnes ikke faglig "
          "grunnlag for å si at flere senger i seg selv gir bedre resultater. Vi anbefaler at utvalget "
          "legger til grunn at andelen døgn\u00adbehandling i TSB bør reduseres videre, i takt med at de "
          "ambulante til\u00adbu\u00addene bygges ut."),
    ("h", "Kortere og mer forutsigbare forløp"),
    ("p", "Vi mener at lengre døgnopphold ikke er noen garanti for at pasienten klarer seg bedre. I våre "
          "egne tall finner vi ingen klar sammenheng mellom hvor lenge en pasient har vært innlagt, og om "
          "pasienten fortsatt er i behandling ett år senere. Vi er derfor ikke enige i at lengden på "
          "behandlingen i TSB bør være åpen og avgjøres fra sak til sak. Det er riktig å bygge videre på "
          "standardiserte pasientforløp med en tydelig tidsramme for døgnfasen, faste tidspunkter for "
          "evaluering og en planlagt overgang til poliklinikk og kommune. Slike forløp gjør behandlingen "
          "mer forutsigbar for både pasienten og kommunen, og de gjør det lettere å se hvor tilbudet "
          "svikter."),
    ("h", "Oppsøkende team"),
    ("p", "Foretakets fire FACT-team og ett FACT ung-team følger i dag rundt 260 pasienter. Evalueringen "
          "vi gjennomførte i 2025, viser færre akutt\u00adinnleggelser og flere som er i arbeid eller "
          "aktivitet ett år etter oppstart. Vi anbefaler at FACT og FACT ung bygges ut i hele landet, at "
          "ACT-team etableres der målgruppen er stor nok, og at finansieringen deles fast mellom "
          "helseforetak og kommuner, slik at teamene ikke må søke om prosjektmidler hvert år."),
    ("h", "Samtidig behandling av rus og psykisk lidelse"),
    ("p", "Om lag halvparten av pasientene i TSB hos oss har også en alvorlig psykisk lidelse. Pasienter "
          "med samtidige lidelser må få behandling for begge tilstandene på samme sted og til samme tid. "
          "Det er ikke akseptabelt at psykisk helsevern avviser pasienter fordi de fortsatt bruker "
          "rusmidler. Foretaket slo i 2024 sammen to poliklinikker til felles poliklinikker for psykisk "
          "helse og rus, og vi anbefaler at integrert behandling blir hovedregelen i hele landet."),
    ("h", "Mer av oppfølgingen bør ligge i kommunene"),
    ("p", "Mange pasienter følges i dag av TSB-poliklinikkene i flere år etter at den spesialiserte "
          "behandlingen er avsluttet, med samtaler og kontroller som ikke krever spesialistkompetanse. Vi "
          "mener at mer av denne oppfølgingen bør flyttes fra TSB til kommunene, som er nærmere pasientenes "
          "hverdag. Spesialisthelsetjenesten bør konsentrere seg om utredning, behandling av de mest "
          "alvorlige tilstandene og veiledning av de kommunale tjenestene. Vi ber utvalget foreslå en slik "
          "oppgavedeling, og at kommunene får økonomiske rammer som gjør det mulig å ta over ansvaret."),
    ("h", "Kunnskap og kvalitetsmåling"),
    ("p", "Vi mangler gode data om hvordan det går med pasientene etter behandling. Foretaket måler i dag "
          "ventetid og antall konsultasjoner, men vi vet lite om hvorvidt pasientene faktisk får det "
          "bedre. Vi ber utvalget anbefale et nasjonalt kvalitets\u00adregister for TSB, der "
          "pasient\u00adrapporterte utfallsmål samles inn på en felles måte i alle helseforetak. Slike "
          "data vil gjøre det mulig å vurdere om omstillingen vi og andre foretak gjennomfører, gir de "
          "resultatene vi forventer."),
    ("p", "Regjeringen har varslet en gjennomgang av finansieringsordningene for spesialisthelsetjenesten. "
          "Den vil få betydning for hvordan ambulante tjenester kan finansieres, men vi kommenterer den "
          "ikke nærmere her."),
    ("p", "Helse Nordfjell HF bidrar gjerne med data og erfaringer i det videre arbeidet."),
    ("gap", ""),
    ("line", "Med vennlig hilsen"),
    ("gap", ""),
    ("line", "Hanne Vollset Aune"),
    ("line", "administrerende direktør"),
    ("gap", ""),
    ("line", "Petter Kvalsund"),
    ("line", "klinikksjef, Klinikk for psykisk helse og rus"),
]

# ---------------------------------------------------------------------------------------------------------
# Forbundet Ordensvern (fagforening, Bokmål): DOCX.
# ---------------------------------------------------------------------------------------------------------
DOCX_LETTERHEAD = [
    "Forbundet Ordensvern",
    "Landsforbund for ansatte i politi, tollvesen og kriminalomsorg",
    "Storgata 14, 0999 Kystby · post@ordensvern.example · tlf. 22 00 11 00",
]
DOCX_ADDRESS = ["Til: Rusbehandlingsutvalget", "Dato: 3. februar 2026", "Vår ref.: FO-2026-014"]
DOCX_TITLE = "Høringssvar fra Forbundet Ordensvern om rusbehandling og reaksjoner på narkotikabruk"
DOCX_INTRO = (
    "Forbundet Ordensvern organiserer rundt 6 200 medlemmer i politiet, tollvesenet og kriminalomsorgen. "
    "Våre medlemmer møter mennesker med rusproblemer i alle ledd – på gata, i arresten og i fengslene. "
    "Vi har derfor både erfaring med og et klart syn på hvordan samfunnet bør reagere på narkotikabruk, "
    "og på hva som skal til for at reaksjonen fører til hjelp."
)
DOCX_H_STRAFF = "Straffereaksjonen må bestå"
DOCX_STRAFF = (
    "Utvalget skal vurdere hvordan tjenestene kan bli bedre for personer med rusproblemer. Samtidig pågår "
    "en politisk debatt om å fjerne straff for bruk og besittelse av narkotika til eget bruk. Enkelte "
    "hevder at straff ikke har noen forebyggende virkning. Det er vi ikke enige i. Forbundet støtter ikke "
    "en avkriminalisering, og vi går imot at politiet skal miste muligheten til å reagere når ungdom tas "
    "med narkotika. Forbudet og reaksjonen er i mange tilfeller det som gjør at ungdom og foreldre i det "
    "hele tatt kommer i kontakt med hjelpeapparatet."
)
DOCX_FOOTNOTE = (
    "Forbundets medlemsundersøkelse høsten 2025 (n = 1 140). 71 prosent av medlemmene i politiet svarte at "
    "en reaksjon med vilkår oftere fører til kontakt med helsetjenesten enn en bekymringssamtale alene."
)
DOCX_BULLETS_INTRO = "Forbundet mener at:"
DOCX_BULLETS = [
    "straffebudet for bruk og besittelse av narkotika må videreføres",
    "ungdom som tas for narkotikabruk, må få tilbud om ungdomskontrakt med tett oppfølging fra kommunen",
    "politiet må få ressurser til forebyggende arbeid i skoler og nærmiljø, i samarbeid med kommunene",
    "skolehelsetjenesten og politiet må kunne dele bekymringer om enkeltelever innenfor klare rammer",
]
DOCX_TABLE_CAPTION = "Tabell 1. Saker om bruk og besittelse av narkotika i Kystby politidistrikt, 2022–2025"
DOCX_TABLE = [
    ["År", "Registrerte saker", "Herav under 18 år", "Henvist til helsetjenesten"],
    ["2022", "412", "61", "38"],
    ["2023", "398", "57", "44"],
    ["2024", "371", "49", "40"],
    ["2025", "355", "52", "47"],
]
DOCX_TABLE_NOTE = (
    "Tallene viser at antallet saker går ned, mens andelen som henvises videre til helsetjenesten, øker. "
    "Vi tolker ikke tallene som et argument for eller mot endringer i tjenestene, men som et bilde av "
    "hverdagen politiet står i."
)
DOCX_H_UNGE = "Tidlig innsats overfor barn og unge"
DOCX_UNGE = (
    "Den viktigste innsatsen skjer før rusproblemet har satt seg. Vi ber utvalget prioritere forebygging og "
    "tidlig hjelp til barn og unge, og sørge for at kommunene har et tilbud de kan henvise ungdom til "
    "samme uke som en bekymring oppstår. I dag venter mange unge i månedsvis, og i mellomtiden rekrutteres "
    "de videre inn i miljøer der narkotika er en del av hverdagen."
)
DOCX_H_FENGSEL = "Behandling i fengsel og etter løslatelse"
DOCX_FENGSEL = (
    "Våre medlemmer i kriminalomsorgen ser hver dag innsatte som har gått inn og ut av fengsel i mange år "
    "uten å ha fått behandling for rusproblemet sitt. Vi krever at alle fengsler med høyt sikkerhetsnivå "
    "får en egen rusmestringsenhet, og at innsatte som har startet behandling, får fortsette den uten "
    "opphold etter løslatelse. Overgangen fra fengsel til frihet er den mest sårbare perioden, og "
    "helsetjenesten må ta over ansvaret fra første dag."
)
DOCX_CLOSING = "Forbundet Ordensvern stiller gjerne opp i et innspillsmøte med utvalget."
DOCX_SIGNATURE = ["Med hilsen", "", "Rune Haldorsen", "forbundsleder", "", "Siri Nakken",
                  "fagpolitisk rådgiver"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


# --------------------------------------------------------------------------------------------- PDF ---
def wrap_line(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a word that does not fit is split at a soft hyphen if the head (plus '-') fits."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if stringWidth(candidate.replace(SHY, ""), font, size) <= width:
            current = candidate
            continue
        parts = word.split(SHY)
        for cut in range(len(parts) - 1, 0, -1):
            head = "".join(parts[:cut]) + "-"
            trial = f"{current} {head}" if current else head
            if stringWidth(trial.replace(SHY, ""), font, size) <= width:
                lines.append(trial)
                current = SHY.join(parts[cut:])
                break
        else:
            if current:
                lines.append(current)
            current = word
    if current:
        lines.append(current)
    return [line.replace(SHY, "") for line in lines]


def layout_blocks(blocks: list[tuple[str, str]], width: float) -> list[tuple[str, float, str, float]]:
    """Turn blocks into (font, size, text, advance) lines; advance is the vertical space the line uses."""
    styles = {"line": ("Helvetica", 10.5, 14.0, 0.0), "bold": ("Helvetica-Bold", 12.0, 16.0, 0.0),
              "title": ("Helvetica-Bold", 13.0, 17.0, 8.0), "h": ("Helvetica-Bold", 11.0, 15.0, 4.0),
              "p": ("Helvetica", 10.5, 14.0, 7.0)}
    out: list[tuple[str, float, str, float]] = []
    for kind, text in blocks:
        if kind == "gap":
            out.append(("Helvetica", 10.5, "", 10.0))
            continue
        font, size, leading, after = styles[kind]
        if kind == "h":
            out.append((font, size, "", 6.0))
        wrapped = wrap_line(text, font, size, width)
        for i, line in enumerate(wrapped):
            out.append((font, size, line, leading + (after if i == len(wrapped) - 1 else 0.0)))
    return out


def paginate(lines: list[tuple[str, float, str, float]], height: float) -> list[list[tuple]]:
    """Split laid-out lines into pages of at most ``height`` points; blank lines never open a page."""
    pages: list[list[tuple]] = [[]]
    used = 0.0
    for line in lines:
        if used + line[3] > height and pages[-1]:
            pages.append([])
            used = 0.0
        if not pages[-1] and not line[2]:
            continue
        pages[-1].append(line)
        used += line[3]
    return pages


def build_pdf(blocks: list[tuple[str, str]], header: tuple[str, str]) -> bytes:
    """A4 letter with a running header (left title, right date, rule) and 'Side n av N' on every page."""
    page_w, page_h = A4
    left, right, top, bottom = 68.0, 68.0, 92.0, 72.0
    pages = paginate(layout_blocks(blocks, page_w - left - right), page_h - top - bottom)
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    pdf.setTitle("Innspill fra Helse Nordfjell HF til Rusbehandlingsutvalget")
    pdf.setAuthor("Helse Nordfjell HF")
    for number, page in enumerate(pages, start=1):
        pdf.setFont("Helvetica", 8.5)
        pdf.drawString(left, page_h - 48, header[0])
        pdf.drawRightString(page_w - right, page_h - 48, header[1])
        pdf.setLineWidth(0.5)
        pdf.line(left, page_h - 54, page_w - right, page_h - 54)
        pdf.drawCentredString(page_w / 2, 40, f"Side {number} av {len(pages)}")
        y = page_h - top
        for font, size, text, advance in page:
            if text:
                pdf.setFont(font, size)
                pdf.drawString(left, y, text)
            y -= advance
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


# -------------------------------------------------------------------------------------------- DOCX ---
def footnotes_xml(text: str) -> bytes:
    """The footnotes part: the two separator notes Word expects, then footnote 1 with ``text``."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:footnotes xmlns:w="{W_NS}">'
        f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:footnote>"
        f'<w:footnote w:id="1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> {escape_xml(text)}</w:t></w:r>'
        f"</w:p></w:footnote></w:footnotes>"
    ).encode()


def escape_xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def add_footnote(document: docx.document.Document, paragraph, text: str) -> None:
    """Attach footnote 1 to the end of ``paragraph``: a footnotes part plus a superscript reference run."""
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, footnotes_xml(text), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    run = parse_xml(
        f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteReference w:id="1"/></w:r>'
    )
    paragraph._p.append(run)


def build_docx() -> bytes:
    """Letter with heading, paragraphs, a bullet list, a table with caption and one real footnote."""
    document = docx.Document()
    document.core_properties.author = "Forbundet Ordensvern"
    document.core_properties.title = DOCX_TITLE
    document.core_properties.created = FIXED_DATE
    document.core_properties.modified = FIXED_DATE
    document.core_properties.last_modified_by = "Forbundet Ordensvern"
    document.core_properties.revision = 1
    for i, line in enumerate(DOCX_LETTERHEAD):
        run = document.add_paragraph().add_run(line)
        run.bold = i == 0
        run.font.size = Pt(13 if i == 0 else 9)
    for line in DOCX_ADDRESS:
        document.add_paragraph(line)
    document.add_heading(DOCX_TITLE, level=1)
    document.add_paragraph(DOCX_INTRO)
    document.add_heading(DOCX_H_STRAFF, level=2)
    add_footnote(document, document.add_paragraph(DOCX_STRAFF), DOCX_FOOTNOTE)
    document.add_paragraph(DOCX_BULLETS_INTRO)
    for item in DOCX_BULLETS:
        document.add_paragraph(item, style="List Bullet")
    document.add_paragraph(DOCX_TABLE_CAPTION, style="Caption")
    table = document.add_table(rows=len(DOCX_TABLE), cols=len(DOCX_TABLE[0]))
    table.style = "Table Grid"
    for r, row in enumerate(DOCX_TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
            if r == 0:
                table.cell(r, c).paragraphs[0].runs[0].bold = True
    document.add_paragraph(DOCX_TABLE_NOTE)
    document.add_heading(DOCX_H_UNGE, level=2)
    document.add_paragraph(DOCX_UNGE)
    document.add_heading(DOCX_H_FENGSEL, level=2)
    document.add_paragraph(DOCX_FENGSEL)
    document.add_paragraph(DOCX_CLOSING)
    for line in DOCX_SIGNATURE:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return normalise_zip(buf.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so identical content gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def save_binaries(raw_dir: Path = EXAMPLE_RAW_DIR) -> list[Path]:
    """Write both files into ``raw_dir`` (atomic writes) and return their paths."""
    return [
        write_bytes(raw_dir / PDF_NAME, build_pdf(PDF_BLOCKS, PDF_RUNNING_HEADER)),
        write_bytes(raw_dir / DOCX_NAME, build_docx()),
    ]


if __name__ == "__main__":
    for path in save_binaries():
        print(f"wrote {path} ({path.stat().st_size} bytes)")
