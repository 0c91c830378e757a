"""Page geometry (GB/T 9704-2012), type sizes, and the one function that turns a story into PDF bytes.

A4 portrait; the text block is 156 x 225 mm, 37 mm from the top and 28 mm from the left (binding) edge, so the
right margin is 26 mm and the bottom 35 mm. Body text is 仿宋 三号 (16 pt) on a 28.9 pt line, 22 lines a page;
GB/T 9704's 28 characters a line assume Word's squeezed character grid (15.8 pt pitch), which reportlab does not
have, so a 16 pt line holds 27. Titles are 小标宋 二号 (22 pt), level-1 headings 黑体 and level-2 楷体 三号.
Tables are smaller: 小四 (12 pt) in the request form and the briefing's evidence list, 五号 (10.5 pt) in the
法制审核意见书 so a usual opinion with its eight-criteria checklist fits on one page. The footer uses 四号 (14 pt)
for the page number and 8 pt for the line with the document number and verification code.

Footer, on every page, inside FOOTER_ZONE (below the text block, nothing else is drawn outside the block):
`— n —` centred, its dashes 7 mm below the block as GB/T 9704 asks; under it a small line with the document
number (left), "第 n 页 共 m 页" (centre, forms that opt in) and "校验码 XXXX-XXXX" (right). The total page count
comes from a canvas that holds every page until the end (one pass, no second build).

A draft (a number still provisional, see `draft`) has a large light 草稿 watermark across the middle of every page,
drawn before the page's content so the text stays readable over it, a boxed banner saying why in the top margin
(the only ink outside the block and footer, on drafts only), and 草稿 before the verification code.

Several documents can be laid out as one PDF (`build_sections`, the meeting pack): each starts on a new page and has
its own footer, page numbers, draft marks and a bookmark, so its pages are exactly those it prints alone, while the
fonts are embedded once for the whole set.
"""
from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import ActionFlowable

from . import draft
from .fonts import FontSet
from .glyphs import check_glyphs
from .verification import pdf_metadata

PAGE_W, PAGE_H = A4
MARGIN_LEFT, MARGIN_TOP = 28 * mm, 37 * mm
BLOCK_W, BLOCK_H = 156 * mm, 225 * mm
MARGIN_RIGHT = PAGE_W - MARGIN_LEFT - BLOCK_W  # 26 mm
MARGIN_BOTTOM = PAGE_H - MARGIN_TOP - BLOCK_H  # 35 mm
BLOCK = (MARGIN_LEFT, MARGIN_BOTTOM, BLOCK_W, BLOCK_H)  # x, y, width, height in points from the bottom left
FOOTER_ZONE = (MARGIN_LEFT, 11 * mm, BLOCK_W, 20 * mm)  # 11-31 mm from the bottom edge; 31-35 mm stays empty

BODY, TITLE, HEADING = 16, 22, 16  # 三号, 二号, 三号
FORM, SMALL = 12, 10.5  # 小四, 五号
LINE = 28.9  # 22 lines in the 225 mm block
PAGE_NO, FOOTER_SMALL = 14, 8
_NUMBER_BASELINE = MARGIN_BOTTOM - 7 * mm - 0.35 * PAGE_NO  # puts the dashes (0.35 em up) 7 mm below the block
_INFO_BASELINE = 14 * mm

_build_lock = threading.Lock()  # reportlab keeps per-document font state on shared font objects


@dataclass(frozen=True)
class PageSpec:
    """What the footer of every page shows, and the PDF metadata."""

    title: str  # document title, e.g. "法制审核意见书"
    form_name: str  # ASCII form id
    number_label: str  # "案号" / "文号"
    number: str
    code: str  # verification code
    show_total: bool = False  # "第 n 页 共 m 页" as well
    draft: bool = False  # a number on it is provisional: watermarked 草稿 on every page
    draft_note: str = ""  # the watermark's reason under 草稿 when it is not a provisional number (draft.WATERMARK_NOTE)
    draft_banner: str = ""  # the banner's text for such a reason (draft.BANNER)

    @property
    def watermark_note(self) -> str:
        return self.draft_note or draft.WATERMARK_NOTE

    @property
    def banner(self) -> str:
        return self.draft_banner or draft.BANNER


# Line breaking rules for Chinese (GB/T 15834 punctuation): closing marks never start a line, opening marks never
# end one. reportlab's own CJK breaker knows only part of these and lets a closing mark that does not fit hang past
# the right edge (over a cell border, or left of a centred label); CJKParagraph moves characters down instead.
NO_START = frozenset("，。、；：！？）》〉」』】〕］｝”’…—·％‰℃,.;:!?)]}%")
NO_END = frozenset("（《〈「『【〔［｛“‘([{")
_FUZZ = 1e-6


def _is_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "_-./@#+")


def break_lines(text: str, widths: list[float], max_widths) -> list[tuple[float, str]]:
    """(unused width, line) for each line: as many characters as fit, then moved back so no line starts with a
    closing mark or ends with an opening one, and a run of Latin letters/digits (an ID, a file name) is not cut
    when it can start the next line whole."""
    lines: list[tuple[float, str]] = []
    start, n = 0, len(text)
    while start < n:
        limit = max_widths[min(len(lines), len(max_widths) - 1)]
        used, i = 0.0, start
        while i < n and (i == start or used + widths[i] <= limit + _FUZZ):
            used += widths[i]
            i += 1
        if i < n:
            brk = i
            while True:  # each step moves the break left; stops at the first character of the line
                if brk - 1 > start and (text[brk] in NO_START or text[brk - 1] in NO_END):
                    brk -= 1
                    continue
                if _is_word(text[brk]) and _is_word(text[brk - 1]):
                    j = brk - 1
                    while j > start and _is_word(text[j - 1]):
                        j -= 1
                    if j > start:
                        brk = j
                        continue
                break
            i, used = brk, sum(widths[start:brk])
        lines.append((limit - used, text[start:i]))
        start = i
        while start < n and text[start] == " ":
            start += 1
    return lines


class CJKParagraph(Paragraph):
    """A Paragraph of one run of text in one font (what the forms make) broken by `break_lines`; anything else
    (markup with several fonts, a part of a split paragraph) goes through reportlab's own CJK breaker."""

    def breakLinesCJK(self, maxWidths):
        frags = self.frags
        if (len(frags) != 1 or hasattr(frags[0], "cbDefn") or self.style.endDots
                or (hasattr(self, "blPara") and getattr(self, "_splitpara", 0))):
            return super().breakLinesCJK(maxWidths)
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        self.height = 0
        f = frags[0]
        text = f.text if hasattr(f, "text") else "".join(getattr(f, "words", []))
        face = getFont(f.fontName).face
        scale, cw, dw = f.fontSize / 1000, face.charWidths, face.defaultWidth
        widths = [cw.get(ord(c), dw) * scale for c in text]
        lines = [(extra, [line]) for extra, line in break_lines(text, widths, maxWidths)]
        return f.clone(kind=0, lines=lines, ascent=f.fontSize, descent=-0.2 * f.fontSize)


@lru_cache(maxsize=8)
def styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    """The paragraph styles the forms share, built once per font set (ParagraphStyle creation is not free)."""
    body, title, heading, kai = fonts.body.name, fonts.title.name, fonts.heading.name, fonts.kai.name

    def s(name, font, size, leading, align=TA_LEFT, **kw):
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, alignment=align,
                              wordWrap="CJK", **kw)

    return {
        "title": s("title", title, TITLE, 28, TA_CENTER, spaceAfter=2),
        "agency": s("agency", title, TITLE, 28, TA_CENTER),
        "body": s("body", body, BODY, LINE, TA_JUSTIFY, firstLineIndent=2 * BODY),
        "body_flat": s("body_flat", body, BODY, LINE, TA_LEFT),
        "body_center": s("body_center", body, BODY, LINE, TA_CENTER),
        "body_right": s("body_right", body, BODY, LINE, TA_RIGHT),
        "number": s("number", body, FORM, 18, TA_RIGHT, spaceAfter=2),
        "h1": s("h1", heading, HEADING, LINE, TA_LEFT, firstLineIndent=2 * BODY),
        "h2": s("h2", kai, HEADING, LINE, TA_LEFT, firstLineIndent=2 * BODY),
        "cell": s("cell", body, FORM, 16, TA_LEFT),
        "cell_center": s("cell_center", body, FORM, 16, TA_CENTER),
        "cell_right": s("cell_right", body, FORM, 16, TA_RIGHT),
        "label": s("label", heading, FORM, 16, TA_CENTER),
        "cell_small": s("cell_small", body, SMALL, 13.5, TA_LEFT),
        "cell_small_center": s("cell_small_center", body, SMALL, 13.5, TA_CENTER),
        "cell_small_right": s("cell_small_right", body, SMALL, 13.5, TA_RIGHT),
        "label_small": s("label_small", heading, SMALL, 13.5, TA_CENTER),
        "form_line": s("form_line", body, FORM, 20, TA_LEFT),
        "form_right": s("form_right", body, FORM, 20, TA_RIGHT),
        "attachment": s("attachment", body, FORM, 20, TA_LEFT, leftIndent=3 * FORM, firstLineIndent=-3 * FORM),
        "section": s("section", heading, 14, 24, TA_LEFT, spaceBefore=6, spaceAfter=3),
        "small": s("small", body, SMALL, 14, TA_LEFT),
        "small_center": s("small_center", body, SMALL, 14, TA_CENTER),
        # letters (GB/T 9704 7.2-7.3): number one character in from the right, addressee flush left, the
        # attachment list two characters in with "附件：" hanging and the items aligned after it
        "letter_number": s("letter_number", body, BODY, LINE, TA_RIGHT, rightIndent=BODY),
        "annex_first": s("annex_first", body, BODY, LINE, TA_LEFT, leftIndent=5 * BODY, firstLineIndent=-3 * BODY),
        "annex": s("annex", body, BODY, LINE, TA_LEFT, leftIndent=5 * BODY),
        # the 纪要's "出席：" / "请假：" / "列席：" (GB/T 9704 10.3): 3号黑体, set in a cell two characters in
        "list_label": s("list_label", heading, BODY, LINE, TA_LEFT),
    }


def text_frame() -> Frame:
    """Exactly the text block: no padding, so flowables use all of 156 x 225 mm and nothing more."""
    return Frame(*BLOCK, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")


def document(buffer, spec: PageSpec, fonts: FontSet, sections: tuple[PageSpec, ...] = ()) -> BaseDocTemplate:
    """The page template: A4, one frame that is the text block. The canvas starts in the body font, not reportlab's
    default Helvetica, which would otherwise be referenced (unembedded) by every page. `sections`: the specs of the
    documents bound in it (see `build_sections`), each page watermarked as its own document asks."""
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
                          topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, allowSplitting=1,
                          initialFontName=fonts.body.name, initialFontSize=FORM, displayDocTitle=True,
                          **pdf_metadata(title=spec.title, form_name=spec.form_name, code=spec.code,
                                         number=spec.number, draft=spec.draft))
    if sections:
        marks = [_watermark(fonts, s) if s.draft else None for s in sections]
        doc._fx_section = 0

        def on_page(canvas, doc) -> None:
            canvas._fx_section = doc._fx_section  # the footer canvas keeps it with the page's state
            if marks[doc._fx_section] is not None:
                marks[doc._fx_section](canvas, doc)
    else:
        on_page = _watermark(fonts, spec) if spec.draft else (lambda canvas, doc: None)
    doc.addPageTemplates([PageTemplate(id="page", frames=[text_frame()], pagesize=A4, onPage=on_page)])
    return doc


class _NewSection(ActionFlowable):
    """Starts the next bound document: a new page unless the frame is still empty, whose footer, page numbers and
    draft marks are that document's own."""

    def __init__(self, index: int) -> None:
        super().__init__(("nothing",))
        self.index = index

    def apply(self, doc) -> None:
        frame = getattr(doc, "frame", None)
        if frame is not None and not frame._atTop:
            doc.handle_pageBreak()
        doc._fx_section = self.index


WATERMARK_SIZE, WATERMARK_NOTE_SIZE, BANNER_SIZE = 150, 24, 12
WATERMARK_COLOUR = (0.97, 0.78, 0.78)  # light red: seen at a glance, prints as a light grey the text reads over
BANNER_COLOUR = (0.7, 0.05, 0.05)
BANNER_BASELINE = PAGE_H - 20 * mm  # in the 37 mm top margin, well clear of the text block


def _watermark(fonts: FontSet, spec: PageSpec):
    """Draws 草稿 and its reason diagonally across the middle of the page, under everything the page then draws,
    and the banner in the top margin."""
    name = fonts.heading.name
    note, banner = spec.watermark_note, spec.banner

    def draw(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFillColorRGB(*WATERMARK_COLOUR)
        canvas.translate(PAGE_W / 2, PAGE_H / 2)
        canvas.rotate(50)
        canvas.setFont(name, WATERMARK_SIZE)
        canvas.drawCentredString(0, -WATERMARK_SIZE * 0.3, draft.WATERMARK)
        canvas.setFont(name, WATERMARK_NOTE_SIZE)
        canvas.drawCentredString(0, -WATERMARK_SIZE * 0.3 - WATERMARK_NOTE_SIZE * 1.8, note)
        canvas.restoreState()
        canvas.saveState()
        canvas.setFillColorRGB(*BANNER_COLOUR)
        canvas.setStrokeColorRGB(*BANNER_COLOUR)
        canvas.setLineWidth(0.8)
        canvas.setFont(name, BANNER_SIZE)
        width = stringWidth(banner, name, BANNER_SIZE) + 4 * mm
        canvas.rect(PAGE_W / 2 - width / 2, BANNER_BASELINE - 2.2 * mm, width, BANNER_SIZE + 3 * mm, stroke=1, fill=0)
        canvas.drawCentredString(PAGE_W / 2, BANNER_BASELINE, banner)
        canvas.restoreState()

    return draw


def footer_texts(spec: PageSpec) -> list[str]:
    """The footer's strings for the glyph check (digits stand for any page number)."""
    return ["— 0123456789 —", _number_text(spec), _code_text(spec), "第 0123456789 页 共 页"]


def _code_text(spec: PageSpec) -> str:
    return f"{draft.FOOTER_MARK}　校验码 {spec.code}" if spec.draft else f"校验码 {spec.code}"


def _marks(spec: PageSpec, fonts: FontSet) -> list:
    return ([("草稿水印", t, fonts.heading) for t in (draft.WATERMARK, spec.watermark_note, spec.banner)]
            if spec.draft else [])


def build_pdf(story: list, spec: PageSpec, fonts: FontSet, texts) -> bytes:
    """Glyph-check `texts` (label, text, face) plus the footer, then lay out `story` into PDF bytes."""
    check_glyphs([*texts, *(("页脚", t, fonts.body) for t in footer_texts(spec)), *_marks(spec, fonts)])
    buffer = io.BytesIO()
    with _build_lock:
        document(buffer, spec, fonts).build(story, canvasmaker=_footer_canvas((spec,), fonts))
    return buffer.getvalue()


@dataclass(frozen=True)
class Section:
    """One document bound into a larger PDF: its bookmark, its story and its footer (`spec`)."""

    bookmark: str
    story: list
    spec: PageSpec


def build_sections(sections: list[Section], spec: PageSpec, fonts: FontSet, texts) -> bytes:
    """Several documents laid out as one PDF, each from a new page with its own footer — page numbers counted from
    its first page, its number, its verification code, its draft marks — and a top-level bookmark, exactly the pages
    each prints alone. One layout pass and one embedded subset per font for the whole set: binding separately built
    PDFs (bundle.combine) embeds the fonts again for every document and copies every page. `spec` gives the PDF's
    metadata; `texts` are every section's strings for the glyph check."""
    if not sections:
        raise ValueError("no sections")
    check_glyphs([*texts, *(("页脚", t, fonts.body) for s in sections for t in footer_texts(s.spec)),
                  *(m for s in sections for m in _marks(s.spec, fonts))])
    story: list = []
    for i, section in enumerate(sections):
        story += ([_NewSection(i)] if i else []) + list(section.story)
    buffer = io.BytesIO()
    specs = tuple(s.spec for s in sections)
    with _build_lock:
        document(buffer, spec, fonts, specs).build(
            story, canvasmaker=_footer_canvas(specs, fonts, tuple(s.bookmark for s in sections)))
    return buffer.getvalue()


def _number_text(spec: PageSpec) -> str:
    return f"{spec.number_label}：{spec.number}" if spec.number else f"{spec.number_label}："


def _footer_canvas(specs: tuple[PageSpec, ...], fonts: FontSet, bookmarks: tuple[str, ...] = ()):
    """The canvas class drawing every page's footer from the spec of the document (section) the page belongs to;
    with `bookmarks`, one top-level bookmark at each section's first page."""
    font = fonts.body.name
    centre = MARGIN_LEFT + BLOCK_W / 2
    right = MARGIN_LEFT + BLOCK_W
    feet = []
    for spec in specs:
        number_text = _number_text(spec)
        code_text = _code_text(spec)
        # a very long document number gets smaller type rather than running into the centre or right text
        room = BLOCK_W / 2 - (stringWidth("第 999 页 共 999 页", font, FOOTER_SMALL) / 2 if spec.show_total else
                              stringWidth(code_text, font, FOOTER_SMALL) - BLOCK_W / 2 + 6 * mm) - 3 * mm
        number_size = min(FOOTER_SMALL, FOOTER_SMALL * room / max(stringWidth(number_text, font, FOOTER_SMALL), 1))
        feet.append((number_text, code_text, number_size, spec.show_total))

    class FooterCanvas(Canvas):
        """Keeps each finished page until save(), when the totals are known, then draws every footer."""

        _fx_section = 0  # set per page by the page template of a sectioned document

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self):
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            sections = [state.get("_fx_section", 0) for state in self._held]
            totals = {k: sections.count(k) for k in set(sections)}
            seen: dict[int, int] = {}
            for state, k in zip(self._held, sections):
                self.__dict__.update(state)
                n = seen[k] = seen.get(k, 0) + 1
                number_text, code_text, number_size, show_total = feet[k]
                if bookmarks and n == 1:
                    self.bookmarkPage(f"section-{k}")
                    self.addOutlineEntry(bookmarks[k], f"section-{k}", level=0)
                self.setFillColorRGB(0, 0, 0)
                self.setFont(font, PAGE_NO)
                self.drawCentredString(centre, _NUMBER_BASELINE, f"— {n} —")
                self.setFont(font, number_size)
                self.drawString(MARGIN_LEFT, _INFO_BASELINE, number_text)
                self.setFont(font, FOOTER_SMALL)
                self.drawRightString(right, _INFO_BASELINE, code_text)
                if show_total:
                    self.drawCentredString(centre, _INFO_BASELINE, f"第 {n} 页 共 {totals[k]} 页")
                super().showPage()
            if bookmarks:
                self.showOutline()
            super().save()

    return FooterCanvas
