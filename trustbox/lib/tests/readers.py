"""Reading documents back as third-party programs do: poppler for PDFs, the XML for DOCX."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def flat(text: str) -> str:
    """Whitespace folded to single spaces: a line wrapped on the page reads as it was written."""
    return " ".join(text.split())


def unhyphenated(text: str) -> str:
    """Words folded and without hyphens: pdftotext drops a hyphen where a line breaks at it."""
    return flat(text).replace("-", "")


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, as pdftotext reads it."""
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode().split("\f")[:-1]


def pdf_info(pdf: bytes) -> dict[str, str]:
    """What pdfinfo says of a PDF: Title, Author, Subject, Pages, Page size, Tagged, ..."""
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    pairs = (line.split(":", 1) for line in result.stdout.decode().splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def pdf_metadata(pdf: bytes) -> str:
    """The PDF's XMP metadata stream, as `pdfinfo -meta` prints it (PDF/A claims it there)."""
    result = subprocess.run(["pdfinfo", "-meta", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def pdf_language(pdf: bytes) -> str:
    """The /Lang of the PDF's catalogue (pdfinfo does not print it)."""
    from pypdf import PdfReader

    return str(PdfReader(io.BytesIO(pdf)).trailer["/Root"].get("/Lang", ""))


def figure_descriptions(pdf: bytes) -> list[str]:
    """The /Alt of every /Figure in the PDF's structure tree: what a screen reader says."""
    from pypdf import PdfReader

    found: list[str] = []
    todo: list[Any] = [PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            todo.extend(node)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                found.append(str(node["/Alt"]))
            if "/K" in node:
                todo.append(node["/K"])
    return found


def docx_part(content: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name).decode()


def docx_parts(content: bytes, pattern: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [name for name in archive.namelist() if re.fullmatch(pattern, name)]


def docx_lines(content: bytes) -> list[str]:
    """The text of each paragraph of the body (table cells included), in order."""
    from lxml import etree

    root = etree.fromstring(docx_part(content, "word/document.xml").encode())
    paragraphs = ("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))
    return [flat(text) for text in paragraphs if text.strip()]


def docx_words(content: bytes) -> str:
    """Every word of the body (paragraphs and table cells, in order), folded to one line."""
    from lxml import etree

    root = etree.fromstring(docx_part(content, "word/document.xml").encode())
    paragraphs = ("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))
    return flat(" ".join(paragraphs))


def soffice() -> str | None:
    """LibreOffice's program if it can open a Word file (its Writer is installed), else None."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None or not (Path(program).resolve().parent / "libswlo.so").exists():
        return None
    return program


def docx_to_pdf(content: bytes) -> bytes:
    """The DOCX converted to PDF by LibreOffice headless, as a school's own program opens it."""
    return docx_to_pdfs([content])[0]


def docx_to_pdfs(contents: list[bytes]) -> list[bytes]:
    """Several DOCX converted to PDF by one run of LibreOffice headless (it starts slowly)."""
    program = soffice()
    assert program is not None
    with tempfile.TemporaryDirectory() as folder:
        sources = [Path(folder) / f"document{index}.docx" for index in range(len(contents))]
        for source, content in zip(sources, contents, strict=True):
            source.write_bytes(content)
        subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                *map(str, sources),
            ],
            capture_output=True,
            check=True,
            timeout=180,
        )
        return [source.with_suffix(".pdf").read_bytes() for source in sources]
