"""layout.build_sections: documents laid out as one PDF each from a new page with its own footer (page numbers from
1, number, verification code), its own draft marks and a bookmark; a document that fills its last page exactly is
followed by the next one without a blank page."""
from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.platypus import Spacer

from fx_desktop.printing import draft, layout
from fx_desktop.printing.blocks import Sheet
from fx_desktop.printing.layout import PageSpec, Section, build_sections
from tests.printing.conftest import page_texts, squeeze


def spec(number: str, *, is_draft: bool = False, show_total: bool = False) -> PageSpec:
    return PageSpec("文书", "test", "编号", number, "AAAA-BBBB", show_total, is_draft)


def test_each_section_keeps_its_own_footer_marks_and_bookmark(fonts):
    sh = Sheet(fonts)
    long = [sh.para(f"第{i}段：会议听取了工作汇报，提出了具体的整改要求和完成时限。" * 3, "body") for i in range(30)]
    sections = [Section("整页", [Spacer(1, layout.BLOCK_H)], spec("甲1号")),  # fills its page exactly
                Section("草稿", [sh.para("草稿的正文", "body")], spec("临时编号1", is_draft=True)),
                Section("长文", long, spec("丙3号", show_total=True))]
    pdf = build_sections(sections, spec("合订"), fonts, sh.texts)
    reader = PdfReader(io.BytesIO(pdf))
    texts = [squeeze(t) for t in page_texts(pdf)]
    assert len(texts) >= 4  # 1 + 1 + the long one's pages, no blank page after the full one
    assert [o.title for o in reader.outline] == ["整页", "草稿", "长文"]
    assert [reader.get_destination_page_number(o) for o in reader.outline] == [0, 1, 2]
    assert "—1—" in texts[0] and "编号：甲1号" in texts[0] and squeeze(draft.BANNER) not in texts[0]
    assert "—1—" in texts[1] and squeeze(draft.BANNER) in texts[1] and "草稿校验码" in texts[1]
    tail = texts[2:]
    for n, text in enumerate(tail, 1):
        assert f"—{n}—" in text and f"第{n}页共{len(tail)}页" in text and "编号：丙3号" in text
        assert squeeze(draft.BANNER) not in text
