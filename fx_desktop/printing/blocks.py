"""Flowables the forms share, made through a `Sheet` that remembers every string it puts on paper (field label,
text, font) so the glyph check runs over exactly what will print, before the PDF is built.

Text always wraps (Chinese line breaking, layout.CJKParagraph); tables split between rows, and a tall row continues
on the next page, so a long field is never cut off or drawn over its neighbours. Tick boxes are drawn as
vector squares because CJK fonts rarely have ☐/☑; their labels are real text. Empty values print as blanks.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from .draft import shown
from .fonts import FontSet
from .layout import BLOCK_W, CJKParagraph, PageSpec, build_pdf, styles
from .verification import verification_code

NBSP = "\u00a0"
BLANK_DATE = f"{NBSP * 5}年{NBSP * 3}月{NBSP * 3}日"  # a date to fill in by hand
LABEL_W = 28 * mm  # six characters of 小四 with the padding
GRID4 = (LABEL_W, BLOCK_W / 2 - LABEL_W, LABEL_W, BLOCK_W / 2 - LABEL_W)  # label, value, label, value

_GRID_STYLE = [
    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


def cn_date(value: date | datetime | None, *, time: bool = False) -> str:
    """2026年3月5日 (Arabic numerals, not zero-padded); time=True adds 9时5分 (9时 on the hour). None -> ""."""
    if value is None:
        return ""
    text = f"{value.year}年{value.month}月{value.day}日"
    if time and isinstance(value, datetime):
        text += f"{value.hour}时" + (f"{value.minute}分" if value.minute else "")
    return text


def yuan(amount: Decimal | None) -> str:
    """5000 -> "5,000元", 1234.5 -> "1,234.50元"; None -> ""."""
    if amount is None:
        return ""
    text = f"{amount:,.2f}"
    return (text[:-3] if text.endswith(".00") else text) + "元"


def officers_text(officers) -> str:
    return "、".join(f"{name}（执法证号：{cert}）" if cert else name for name, cert in officers)


def party_summary(party) -> str:
    """One sentence: 张三，男，公民身份号码……，住址……，联系电话……。 (missing parts left out)"""
    parts = [party.name]
    if party.kind == "org":
        parts += [f"法定代表人{party.legal_rep}" if party.legal_rep else "",
                  f"统一社会信用代码{party.id_number}" if party.id_number else ""]
    else:
        parts += [party.sex or "", f"公民身份号码{party.id_number}" if party.id_number else ""]
    parts += [f"住址{party.address}" if party.address else "", f"联系电话{party.phone}" if party.phone else ""]
    return "，".join(p for p in parts if p)


class Sheet:
    """Makes flowables for one form and records (field, text, face) for everything they will draw."""

    def __init__(self, fonts: FontSet, *, compact: bool = False) -> None:
        """compact: tables in 五号 (10.5 pt) with tighter padding instead of 小四 (12 pt)."""
        self.fonts = fonts
        self.styles = styles(fonts)
        self._alias = {"cell": "cell_small", "cell_center": "cell_small_center", "cell_right": "cell_small_right",
                       "label": "label_small"} if compact else {}
        self._pad = 2 if compact else 3
        self._faces = {f.name: f for f in fonts.faces()}
        self.texts: list[tuple[str, str, object]] = []

    def note(self, field: str, text: str, font_name: str) -> None:
        if text:
            self.texts.append((field, text, self._faces[font_name]))

    def para(self, text: str | None, style: str = "cell", field: str = "表格文字"):
        """User text, escaped, as a paragraph; several lines give a list of paragraphs (a table cell or a story
        takes it as is) so each line is broken by the Chinese rules of CJKParagraph. None/empty: a blank."""
        st = self.styles[self._alias.get(style, style)]
        text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
        self.note(field, text, st.fontName)
        if "\n" not in text:
            return CJKParagraph(escape(text), st)
        return [CJKParagraph(escape(line), st) if line.strip() else Spacer(1, st.leading) for line in text.split("\n")]

    def paras(self, text: str | None, style: str = "body", field: str = "正文") -> list[CJKParagraph]:
        """One paragraph per line of `text` (for letter-style body text with its first-line indent)."""
        lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
        return [self.para(ln, style, field) for ln in lines] or [self.para("", style, field)]

    def label(self, text: str, style: str = "label") -> CJKParagraph:
        return self.para(text, style, text)

    def fill(self, text: str, style: str = "body_flat", field: str = "正文", width: int = 16) -> CJKParagraph:
        """`text`, or an underscore blank `width` characters long when there is none (to write in by hand)."""
        return self.para(text if text else "_" * width, style, field)

    def grid(self, rows: list[list], widths=GRID4, *, header_rows: int = 0, keep=()) -> list[Flowable]:
        """A ruled form grid. Each row lists its cells left to right; `(cell, n)` spans n columns. `keep`: (first,
        last) row ranges kept on one page (signatures). Returned as a stack of tables, one per run of rows with the
        same column layout, drawn edge to edge: spans are resolved into column widths because reportlab cannot
        split a row with spanned cells across pages (its in-row split lays spanned text out one column wide)."""
        starts = {a for a, _ in keep} | {b + 1 for _, b in keep}
        segments: list[tuple[tuple, list, int]] = []
        for r, row in enumerate(rows):
            cells, cols, c = [], [], 0
            for cell in row:
                cell, n = cell if isinstance(cell, tuple) else (cell, 1)
                cells.append(_flat(cell) if isinstance(cell, list) else cell)
                cols.append(sum(widths[c:c + n]))
                c += n
            if segments and segments[-1][0] == tuple(cols) and r not in starts:
                segments[-1][1].append(cells)
            else:
                segments.append((tuple(cols), [cells], r))
        pad = self._pad
        style = _GRID_STYLE + [("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1)]
        tables = [(first, self.table(data, cols, style, repeatRows=header_rows if first == 0 else 0))
                  for cols, data, first in segments]
        out: list[Flowable] = []
        for first, table in tables:
            group = next(((a, b) for a, b in keep if a <= first <= b), None)
            if group and first != group[0]:
                continue
            if group:
                out.append(KeepTogether([t for f, t in tables if group[0] <= f <= group[1]]))
            else:
                out.append(table)
        return out

    def table(self, data, widths, style, **kw) -> "FormTable":
        """Any table of the forms. Its font is set to the body font: a Table otherwise selects Helvetica on every
        page it draws on, and that font would be referenced without being embedded."""
        style = [("FONTNAME", (0, 0), (-1, -1), self.fonts.body.name), *style]
        return FormTable(data, colWidths=list(widths), style=TableStyle(style), splitByRow=1, splitInRow=1,
                         hAlign="LEFT", **kw)

    def ticks(self, options, chosen=(), *, field: str = "勾选项", size: float | None = None) -> "TickBoxes":
        font = self.fonts.body.name
        size = size or self.styles[self._alias.get("cell", "cell")].fontSize
        for option in options:
            self.note(field, option, font)
        return TickBoxes(list(options), set(chosen), font, size)

    def signature(self, label: str, name: str | None, when, *, width: float = BLOCK_W,
                  style: str = "cell") -> Table:
        """label ____name____   2026年3月5日 (or 年 月 日 blanks); the name line is left for a hand signature."""
        date_text = cn_date(when) if when else BLANK_DATE
        label_w = stringWidth(label, self.styles[style].fontName, self.styles[style].fontSize) + 10
        date_w = 42 * mm
        return self.table([[self.para(label, style, label), self.para(name or "", style, label),
                            self.para(date_text, style, label)]],
                          [label_w, width - label_w - date_w, date_w],
                          [("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                           ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)])

    def seal(self, agency: str, when, *, style: str = "form_right") -> KeepTogether:
        """The issuing body, "（印章）" where the seal goes, and the date, right-aligned and kept together."""
        date_text = cn_date(when) if when else BLANK_DATE
        return KeepTogether([Spacer(1, 10), self.para(f"{agency}（印章）", style, "印章"),
                             self.para(date_text, style, "日期")])

    def signoff(self, agency: str, when, *, right_chars: int = 4) -> KeepTogether:
        """A letter's close (GB/T 9704 7.3.5): the issuing body with "（印章）" where the seal goes, the date under
        it, both centred on one another and set `right_chars` characters in from the right edge of the block."""
        st = self.styles["body_center"]
        name, date_text = f"{agency}（印章）" if agency else "（印章）", cn_date(when) if when else BLANK_DATE
        width = min(max(stringWidth(t, st.fontName, st.fontSize) for t in (name, date_text)) + st.fontSize,
                    BLOCK_W - right_chars * st.fontSize)
        table = self.table([[self.para(name, "body_center", "印章"), ""],
                            [self.para(date_text, "body_center", "日期"), ""]],
                           [width, right_chars * st.fontSize],
                           [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
        table.hAlign = "RIGHT"
        return KeepTogether([Spacer(1, 2 * st.leading), table])


class WritingLines(Flowable):
    """`count` ruled lines across the available width, `gap` apart: room to write by hand on a blank form."""

    def __init__(self, count: int, gap: float = 9 * mm) -> None:
        super().__init__()
        self.count, self.gap = count, gap

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self.count * self.gap
        return self.width, self.height

    def draw(self):
        self.canv.setLineWidth(0.5)
        for i in range(self.count):
            y = self.height - (i + 0.7) * self.gap  # room to write above each line, none hugging the border
            self.canv.line(0, y, self.width, y)


def _flat(items: list) -> list:
    return [x for item in items for x in (_flat(item) if isinstance(item, list) else [item])]


class FormTable(Table):
    """A table that moves a short row whole to the next page but lets a tall row (a long 违法事实, an opinion of
    many lines, or any row taller than a page) start where it is and continue on the next page. reportlab's own
    splitInRow would also cut a two-line row into two slivers. Uses Table internals (_calc, _rowHeights,
    _cellStyles, _splitRows); tests/printing/test_printing_blocks.py notices if they change."""

    TALL = 80  # points: rows taller than this may be split inside
    MIN_ROOM = 48  # points: less room than this left on the page, and the row starts on the next page

    def split(self, availWidth, availHeight):
        self._calc(availWidth, availHeight)
        used, n = 0.0, None
        for i, h in enumerate(self._rowHeights):
            if used + h > availHeight:
                n = i
                break
            used += h
        if n is None:
            return [self]
        room = availHeight - used
        header = self.repeatRows if isinstance(self.repeatRows, int) else 0
        if n >= header and self._rowHeights[n] > self.TALL and room >= self.MIN_ROOM:
            for cell in self._cellStyles[n]:  # reportlab places middle-aligned text by the whole row's height,
                cell.valign = "TOP"  # which would put a label on a later page than the text beside it
            parts = self._splitRows(availHeight, doInRowSplit=1)
            if parts:
                return parts
        return self._splitRows(availHeight, doInRowSplit=0)


class TickBoxes(Flowable):
    """Options in a row, each a drawn square (ticked when chosen) followed by its label as real text; wraps
    onto more lines when the row is too narrow."""

    def __init__(self, options: list[str], chosen: set[str], font: str, size: float) -> None:
        super().__init__()
        self.options, self.chosen, self.font, self.size = options, chosen, font, size
        self.leading = size * 1.3
        self._places: list[tuple[float, int, str]] = []

    def wrap(self, avail_width, avail_height):
        box, gap = self.size * 0.8, self.size
        x, line, widest = 0.0, 0, 0.0
        self._places = []
        for option in self.options:
            w = box + self.size * 0.3 + stringWidth(option, self.font, self.size)
            if x > 0 and x + w > avail_width:
                x, line = 0.0, line + 1
            self._places.append((x, line, option))
            widest = max(widest, x + w)
            x += w + gap
        self.width, self.height = widest, (line + 1) * self.leading
        return self.width, self.height

    def draw(self):
        c, size = self.canv, self.size
        box = size * 0.8
        c.setLineWidth(0.7)
        for x, line, option in self._places:
            base = self.height - (line + 1) * self.leading + (self.leading - size) / 2 + size * 0.12
            c.rect(x, base, box, box, stroke=1, fill=0)
            if option in self.chosen:
                p = c.beginPath()
                p.moveTo(x + box * 0.18, base + box * 0.52)
                p.lineTo(x + box * 0.42, base + box * 0.2)
                p.lineTo(x + box * 0.85, base + box * 0.85)
                c.setLineWidth(1.3)
                c.drawPath(p, stroke=1, fill=0)
                c.setLineWidth(0.7)
            c.setFont(self.font, size)
            c.drawString(x + box + size * 0.3, base + size * 0.02, option)


def page_spec(*, data, form_name: str, title: str, number_label: str, number: str, show_total: bool = False,
              draft: bool = False, draft_note: str = "", draft_banner: str = "") -> PageSpec:
    """The footer and metadata of a form: verification code over (form_name, data), the number as printed;
    `draft`: a number it prints is provisional (watermark, 草稿 in the footer, the number as 待分配（…）);
    `draft_note` / `draft_banner` say another reason it is a draft (minutes not signed off, no number yet)."""
    return PageSpec(title, form_name, number_label, shown(number) or "", verification_code(form_name, data),
                    show_total, draft, draft_note, draft_banner)


def render(sheet: Sheet, story: list, **spec) -> bytes:
    """The form's PDF (footer on every page, glyph check first); `spec`: page_spec's arguments."""
    return build_pdf(story, page_spec(**spec), sheet.fonts, sheet.texts)
