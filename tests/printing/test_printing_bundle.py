"""Binding several PDFs into one: page count, one bookmark per document at its first page, fonts still embedded,
a clear error naming a document that is not a PDF. Real PDFs (reportlab, CJK TrueType font) read back with pypdf."""
import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

PROJECT = Path(__file__).resolve().parents[2]
if str(PROJECT) not in sys.path:  # `bench` is a top-level package next to fx_desktop, not installed
    sys.path.insert(0, str(PROJECT))

from bench.preview import chinese_document  # noqa: E402
from fx_desktop.domain.errors import DomainError  # noqa: E402
from fx_desktop.printing.bundle import combine, page_count  # noqa: E402


def _embedded_fonts(reader: PdfReader) -> set[str]:
    """Fonts with their TrueType program in the file (reportlab embeds TTF subsets as simple TrueType fonts)."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for part in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                descriptor = part.get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    names.add(str(font["/BaseFont"]))
    return names


def test_three_documents_become_one_with_a_bookmark_each():
    documents = [("立案审批表", chinese_document(1, "立案审批表")),
                 ("询问笔录", chinese_document(3, "询问笔录")),
                 ("责令改正通知书", chinese_document(2, "责令改正通知书"))]
    bound = combine(documents)

    reader = PdfReader(io.BytesIO(bound))
    assert len(reader.pages) == page_count(bound) == 6
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert outline == [("立案审批表", 0), ("询问笔录", 1), ("责令改正通知书", 4)]
    assert "询问笔录" in reader.pages[1].extract_text() and "责令改正通知书" in reader.pages[4].extract_text()
    assert all(_embedded_fonts(PdfReader(io.BytesIO(pdf))) for _, pdf in documents)
    assert _embedded_fonts(reader), "the CJK TrueType font is no longer embedded"


@pytest.mark.parametrize("broken", [b"", b"not a pdf at all", b"%PDF-1.4\n1 0 obj\n<<"])
def test_an_invalid_document_is_named_in_the_error(broken):
    with pytest.raises(DomainError) as raised:
        combine([("立案审批表", chinese_document(1)), ("现场检查笔录", broken)])
    assert "现场检查笔录" in raised.value.message and "PDF" in raised.value.message
    with pytest.raises(DomainError, match="现场检查笔录"):
        page_count(broken, "现场检查笔录")


def test_nothing_to_combine_is_an_error():
    with pytest.raises(DomainError):
        combine([])


def test_bundle_imports_without_pyside6():
    """Binding is plain Python: services and the command line can use it without Qt."""
    script = ("import sys; sys.modules['PySide6'] = None\nimport fx_desktop.printing.bundle\n"
              "print([m for m in sys.modules if m.startswith('PySide6') and sys.modules[m] is not None])")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=PROJECT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
