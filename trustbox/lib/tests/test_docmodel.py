"""The document model's two renderers, read back by poppler and by the DOCX's own XML."""

import re
from unittest import skipUnless

import pytest
from django.test import SimpleTestCase

from trustbox.lib.docmodel import (
    BulletList,
    Cell,
    Code,
    Column,
    Document,
    Fields,
    Figure,
    Heading,
    ListItem,
    Paragraph,
    QrCode,
    SignatureBlock,
    Table,
    document_lines,
)
from trustbox.lib.docmodel_docx import render_docx
from trustbox.lib.docmodel_pdf import render_pdf
from trustbox.lib.tests.readers import (
    docx_part,
    docx_parts,
    docx_to_pdfs,
    docx_words,
    figure_descriptions,
    flat,
    pdf_info,
    pdf_language,
    pdf_metadata,
    pdf_pages,
    soffice,
    unhyphenated,
)

# Run on SQLite only (scripts/test.sh): documents rendered and converted, no database.
pytestmark = pytest.mark.database_independent

PICTURE_TEXT = "Кайрылуулар категориялар боюнча: Ашкана — 2."


def picture() -> bytes:
    """A small PNG picture (a QR code drawn by segno), as a chart's PNG would be."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make("chart", error="m").save(buffer, kind="png", scale=4)
    return buffer.getvalue()


FILLER = "Кутуга салынган кайрылуулар комиссиянын мүчөлөрү гана ачат. " * 6


def sample(language="ky", orientation="portrait", rows=3, filler=0) -> Document:
    """A document with one block of each kind; filler: paragraphs before the signatures."""
    return Document(
        title="Ишеним кутусунан кайрылууларды алып коюу актысы",
        language=language,
        school="№ 5 орто мектеби",
        orientation=orientation,
        footer="ABCD-EFGH-JKLM",
        blocks=(
            Heading("Ишеним кутусунан кайрылууларды алып коюу актысы", level=1),
            Paragraph("№ 5 орто мектеби", "centered"),
            Fields((("Күнү", "2026-жылдын 7-декабры"), ("Орду", "12-бөлмө"))),
            BulletList((ListItem(("Жаңы мөөр коду ", Code("ABCD-EFGH-JKLM"), "."), ("Бузулду",)),)),
            Heading("Кайрылуулардын тизмеси"),
            Table(
                columns=(Column("№", 1, centered=True), Column("Кимден", 6), Column("Эскертүү", 3)),
                rows=tuple(
                    (str(number), f"Назира {number}", Cell((f"сап {number}", "экинчи сап")))
                    for number in range(1, rows + 1)
                ),
            ),
            *(Paragraph(FILLER) for _ in range(filler)),
            Heading("Колдор"),
            Table(
                columns=(Column("Мүчө", 1), Column("Колу", 1)),
                rows=tuple((f"Мүчө {n}", "") for n in range(1, 8)),
                keep_together=True,
                row_height_mm=9,
            ),
            SignatureBlock((("Мектеп директору", "Бектурганова Жыпар"),)),
            Figure(picture(), "image/png", PICTURE_TEXT, width_mm=40),
            QrCode("https://trustbox.example/v/ABCD", ("Текшерүү", "Кодду сканерлеңиз.")),
            Paragraph(("Манжа издери: ", Code("0123456789ABCDEF" * 4, mono=True)), "small"),
        ),
    )


class WordFileTestCase(SimpleTestCase):
    def test_the_word_file_is_a4_in_the_documents_orientation_with_margins_of_two_cm(self):
        for orientation, size in (
            ("portrait", 'w:w="11906" w:h="16838"'),
            ("landscape", 'w:w="16838" w:h="11906" w:orient="landscape"'),
        ):
            with self.subTest(orientation):
                xml = docx_part(render_docx(sample(orientation=orientation)), "word/document.xml")
                self.assertIn(f"<w:pgSz {size}/>", xml)
                self.assertIn('w:top="1134" w:right="1134" w:bottom="1134" w:left="1134"', xml)
                self.assertNotIn("12240", xml)

    def test_the_word_file_speaks_the_documents_language_in_its_defaults_and_styles(self):
        for language, tag in (("ky", "ky-KG"), ("ru", "ru-RU")):
            with self.subTest(language):
                content = render_docx(sample(language=language))
                styles = docx_part(content, "word/styles.xml")
                defaults = styles.split("<w:docDefaults>")[1].split("</w:docDefaults>")[0]
                self.assertIn(f'<w:lang w:val="{tag}"', defaults)
                self.assertNotIn("en-US", styles)
                self.assertGreaterEqual(styles.count(f'w:val="{tag}"'), 8)
                self.assertIn(
                    f"<dc:language>{tag}</dc:language>", docx_part(content, "docProps/core.xml")
                )

    def test_the_properties_name_the_title_the_school_and_trust_box_never_python_docx(self):
        core = docx_part(render_docx(sample()), "docProps/core.xml")
        self.assertIn("<dc:title>Ишеним кутусунан кайрылууларды алып коюу актысы</dc:title>", core)
        self.assertIn("<dc:subject>№ 5 орто мектеби</dc:subject>", core)
        self.assertIn("<dc:creator>Trust Box</dc:creator>", core)
        self.assertNotIn("python-docx", core)
        self.assertNotIn("2013", core)
        app = docx_part(render_docx(sample()), "docProps/app.xml")
        self.assertIn("<Application>Trust Box</Application>", app)
        self.assertNotIn("Macintosh", app)
        created = re.search(r"<dcterms:created[^>]*>(\d{4})-", core)
        self.assertIsNotNone(created)
        self.assertGreaterEqual(int(created.group(1)), 2025)

    def test_headings_are_black_bold_and_in_the_pdfs_font_without_the_themes(self):
        styles = docx_part(render_docx(sample()), "word/styles.xml")
        for style in ("Normal", "Heading1", "Heading2"):
            with self.subTest(style):
                xml = re.search(rf'w:styleId="{style}".*?</w:style>', styles, re.S).group(0)
                self.assertIn('w:ascii="DejaVu Sans"', xml)
                self.assertNotIn("Theme", xml)
                self.assertNotIn("themeColor", xml)
                self.assertIn('<w:color w:val="000000"/>', xml)
        self.assertIn('w:ascii="DejaVu Sans"', styles.split("</w:docDefaults>")[0])

    def test_tables_repeat_their_header_row_never_split_a_row_and_keep_the_models_widths(self):
        xml = docx_part(render_docx(sample()), "word/document.xml")
        table = re.search(r'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>.*?</w:tbl>', xml)
        rows = re.findall(r"<w:tr>.*?</w:tr>", table.group(0))
        self.assertEqual(len(rows), 4)
        self.assertIn("<w:tblHeader/>", rows[0])
        for row in rows[1:]:
            self.assertNotIn("<w:tblHeader/>", row)
        self.assertTrue(all("<w:cantSplit/>" in row for row in rows))
        self.assertIn('<w:tblLayout w:type="fixed"/>', table.group(0))
        # 1 : 6 : 3 of the 9638 twips between the margins, on the grid and on every cell.
        grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', table.group(0))]
        self.assertEqual(grid, [963, 5782, 2891])
        cells = [int(w) for w in re.findall(r'<w:tcW w:type="dxa" w:w="(\d+)"/>', rows[2])]
        self.assertEqual(cells, grid)

    def test_the_footer_numbers_the_pages_and_carries_the_documents_line(self):
        content = render_docx(sample())
        (footer,) = docx_parts(content, r"word/footer\d*\.xml")
        xml = docx_part(content, footer)
        self.assertIn('w:instr="PAGE"', xml)
        self.assertIn('w:instr="NUMPAGES"', xml)
        self.assertIn("ABCD-EFGH-JKLM", xml)
        # The number at the right margin: the Footer style's stops for US Letter cleared.
        self.assertIn('<w:tab w:pos="4680" w:val="clear"/>', xml)
        self.assertIn('<w:tab w:pos="9638" w:val="right"/>', xml)
        self.assertIn("footerReference", docx_part(content, "word/document.xml"))

    def test_signatures_stay_together_and_the_qr_code_is_a_picture(self):
        content = render_docx(sample())
        xml = docx_part(content, "word/document.xml")
        signatures = re.search(r"<w:tbl>(?:(?!<w:tbl>).)*Мектеп директору.*?</w:tbl>", xml).group(0)
        self.assertIn("<w:keepNext/>", signatures)
        self.assertIn("<w:cantSplit/>", signatures)
        self.assertEqual(len(docx_parts(content, r"word/media/.*\.png")), 2)  # QR code, figure
        self.assertIn("<pic:pic", xml)

    def test_a_figure_is_a_picture_with_its_description_as_its_text_in_both_files(self):
        xml = docx_part(render_docx(sample()), "word/document.xml")
        self.assertIn(f'descr="{PICTURE_TEXT}"', xml)
        self.assertIn(PICTURE_TEXT, figure_descriptions(render_pdf(sample())[0]))

    def test_a_letters_date_is_at_the_right_and_its_addressee_set_in_by_9_cm(self):
        document = Document(
            title="Письмо",
            language="ru",
            school="Школа",
            blocks=(
                Paragraph("8 декабря 2026 г.", "right"),
                Paragraph("Кому: Назира", "addressee"),
            ),
        )
        xml = docx_part(render_docx(document), "word/document.xml")
        self.assertRegex(xml, r'<w:jc w:val="right"/>.*8 декабря 2026 г\.')
        self.assertRegex(xml, r'<w:ind w:left="5102"/>.*Кому: Назира')

    def test_the_word_file_says_every_line_of_the_model(self):
        document = sample()
        words = docx_words(render_docx(document))
        for line in document_lines(document):
            with self.subTest(line):
                self.assertIn(flat(line), words)


class PrintedDocumentTestCase(SimpleTestCase):
    def test_the_pdf_is_a4_portrait_or_landscape_as_the_document_asks(self):
        for orientation, size in (
            ("portrait", "595.276 x 841.89"),
            ("landscape", "841.89 x 595.276"),
        ):
            with self.subTest(orientation):
                info = pdf_info(render_pdf(sample(orientation=orientation))[0])
                self.assertEqual(info["Page size"], f"{size} pts (A4)")

    def test_the_pdf_names_its_title_school_author_and_language(self):
        for language in ("ky", "ru"):
            with self.subTest(language):
                pdf = render_pdf(sample(language=language))[0]
                info = pdf_info(pdf)
                self.assertEqual(info["Title"], "Ишеним кутусунан кайрылууларды алып коюу актысы")
                self.assertEqual(info["Subject"], "№ 5 орто мектеби")
                self.assertEqual(info["Author"], "Trust Box")
                self.assertEqual(pdf_language(pdf), language)

    def test_every_pdf_is_tagged_and_an_archival_one_claims_pdf_a_2a(self):
        for archival in (False, True):
            document = sample()
            document = Document(**{**document.__dict__, "archival": archival})
            pdf = render_pdf(document)[0]
            with self.subTest(archival=archival):
                self.assertEqual(pdf_info(pdf)["Tagged"], "yes")
                claim = 'pdfaid:part="2" pdfaid:conformance="A"' in pdf_metadata(pdf)
                self.assertEqual(claim, archival)
                self.assertEqual(pdf_language(pdf), "ky")

    def test_a_long_table_repeats_its_header_and_every_page_is_numbered(self):
        pdf, count = render_pdf(sample(rows=60))
        pages = pdf_pages(pdf)
        self.assertGreaterEqual(count, 3)
        self.assertEqual(len(pages), count)
        for number, page in enumerate(pages, start=1):
            with self.subTest(page=number):
                self.assertRegex(page, rf"\b{number}\s*/\s*{count}\b")
        self.assertIn("Кимден", pages[1])  # the header row, again on the second page
        self.assertIn("ABCD-EFGH-JKLM", pages[1])  # the footer's line

    def test_a_table_kept_together_moves_whole_with_its_heading_to_the_next_page(self):
        for filler in range(12):  # without keeping, 1, 2, 9 and 10 split the table
            pages = pdf_pages(render_pdf(sample(filler=filler))[0])
            heading = [index for index, page in enumerate(pages) if "Колдор" in page]
            last_row = [index for index, page in enumerate(pages) if "Мүчө 7" in page]
            with self.subTest(filler=filler):
                self.assertEqual(len(heading), 1)
                self.assertEqual(heading, last_row)
                self.assertIn("Мүчө 1", pages[heading[0]])

    def test_the_pdf_says_every_line_of_the_model_and_escapes_what_looks_like_markup(self):
        document = sample()
        document = Document(
            title=document.title,
            language="ky",
            school=document.school,
            blocks=(*document.blocks, Paragraph("<b>Айбек</b> & Co")),
        )
        words = flat(" ".join(pdf_pages(render_pdf(document)[0])))
        for line in document_lines(document):
            with self.subTest(line):
                self.assertIn(flat(line), words)


@skipUnless(soffice(), "LibreOffice Writer (soffice) is not installed on this machine")
class LibreOfficeTestCase(SimpleTestCase):
    """One run of LibreOffice converts every Word file checked here (it starts slowly)."""

    def test_libreoffice_opens_the_word_files_in_their_size_with_their_words_and_pictures(self):
        from trustbox.reports.tests.test_report_document import hand_made_report

        report, report_lines = hand_made_report()
        landscape, portrait = docx_to_pdfs([render_docx(sample(orientation="landscape")), report])
        for pdf, wide in ((landscape, True), (portrait, False)):
            size = pdf_info(pdf)["Page size"]
            self.assertTrue(size.endswith("pts (A4)"), size)
            width, height = (float(value) for value in size.split(" pts")[0].split(" x "))
            self.assertEqual(width > height, wide)
        words = flat(" ".join(pdf_pages(landscape)))
        self.assertIn("Назира 3", words)
        self.assertIn("Бектурганова Жыпар", words)
        self.assertEqual(pdf_images(landscape), 2)  # the figure and the QR code
        words = unhyphenated(" ".join(pdf_pages(portrait)))
        for line in report_lines:
            self.assertIn(unhyphenated(line), words)
        self.assertEqual(pdf_images(portrait), 1)  # its chart


def pdf_images(pdf: bytes) -> int:
    """How many pictures the PDF draws, as `pdfimages -list` counts them (masks left out)."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        result = subprocess.run(
            ["pdfimages", "-list", file.name], capture_output=True, check=True
        ).stdout.decode()
    return sum(1 for line in result.splitlines()[2:] if line.split()[2] == "image")
