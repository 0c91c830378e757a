"""Print preview: from constructing the preview window with the PDF bytes of a multi-page Chinese document to its
first page painted on screen (the page image rendered by QPdfView's renderer and drawn by a viewport paint).

`QT_QPA_PLATFORM=offscreen python -c "from bench.preview import measure; [print(f) for f in measure(False)]"`
"""
from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Iterable

from .common import figure, log, median

GOAL_MS = 300.0
PAGES = 8
TIMEOUT_MS = 20_000
# A CJK TrueType font to embed, as Debian packages them (fonts-arphic-uming, fonts-wqy-zenhei): (file, subfont).
CJK_FONTS = (("/usr/share/fonts/truetype/arphic/uming.ttc", 0), ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0))
FONT = "BenchCJK"

QUESTIONS = (
    ("问：我们是奉贤区南桥镇城市管理综合行政执法队的执法人员，这是我们的执法证件，请过目。你是否看清楚？",
     "答：看清楚了。"),
    ("问：你是否申请执法人员回避？", "答：不申请。"),
    ("问：解放东路100号院内的彩钢板结构建筑是谁搭建的？什么时候搭建的？",
     "答：是我自己找人搭建的，大概在今年十月初开始搭，十月中旬完工，主要用来堆放杂物和停放电动车。"),
    ("问：搭建前是否办理了建设工程规划许可证或者其他审批手续？",
     "答：没有办理任何手续，我以为在自家院子里搭一个棚子不需要审批。"),
    ("问：该建筑的面积、高度和结构情况如何？",
     "答：长大约六米，宽五米，总共三十平方米左右，高度约三米，钢架结构，顶上和四周都是彩钢板。"),
    ("问：现依据《上海市拆除违法建筑若干规定》第四条，责令你在七日内自行拆除，你是否清楚？",
     "答：清楚了，我会尽快自行拆除，拆除后请你们来复查。"),
)


def cjk_font() -> str:
    """The name of a registered reportlab font with Chinese glyphs (registered on first use)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        pdfmetrics.getFont(FONT)
        return FONT
    except KeyError:
        pass
    for path, subfont in CJK_FONTS:
        if Path(path).is_file():
            pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=subfont))  # TrueType: embedded as a subset
            return FONT
    raise RuntimeError(f"no CJK TrueType font found (tried {', '.join(p for p, _ in CJK_FONTS)}); "
                       "install fonts-arphic-uming or fonts-wqy-zenhei")


def chinese_document(pages: int = PAGES, title: str = "询问笔录") -> bytes:
    """A realistic record of questioning: exactly `pages` A4 pages of Chinese text in an embedded CJK font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = cjk_font()
    heading = ParagraphStyle("heading", fontName=font, fontSize=18, leading=26, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK", firstLineIndent=0)
    small = ParagraphStyle("small", fontName=font, fontSize=10, leading=14, wordWrap="CJK")

    def footer(canvas, doc) -> None:
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"第 {doc.page} 页 共 {pages} 页")
        canvas.drawString(25 * mm, 18 * mm, "被询问人签名：__________        执法人员签名：__________")

    story = []
    for page in range(pages):
        story += [Paragraph("上海市奉贤区南桥镇人民政府", heading), Paragraph(title, heading), Spacer(1, 4 * mm)]
        if page == 0:
            rows = [["案号", "沪奉南城管〔2025〕第0123号", "案由", "擅自搭建建筑物、构筑物"],
                    ["被询问人", "李建国", "身份证号", "310120198506151234"],
                    ["住址", "奉贤区南桥镇江海路88弄3号", "电话", "13800138000"],
                    ["询问时间", "2025年12月1日10时30分至11时15分", "地点", "南桥镇城管执法队询问室"]]
            table = Table([[Paragraph(c, small) for c in row] for row in rows],
                          colWidths=[22 * mm, 58 * mm, 22 * mm, 58 * mm])
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"),
                                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
            story += [table, Spacer(1, 4 * mm)]
        for question, answer in QUESTIONS[: 4 if page == 0 else 6]:
            story += [Paragraph(question, body), Paragraph(answer, body), Spacer(1, 2 * mm)]
        if page < pages - 1:
            story.append(PageBreak())
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=title, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=20 * mm,
                      bottomMargin=28 * mm).build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def first_paint_ms(pdf: bytes, name: str = "询问笔录") -> float:
    """Milliseconds from PrintPreview(pdf) to the end of the first viewport paint that draws page 1's image."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtPdf import QPdfPageRenderer

    from fx_desktop.printing.preview import PrintPreview

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.rendered = False
            self.painted_at: float | None = None
            self.loop = QEventLoop()

        def page_rendered(self, page: int, *_rest) -> None:
            self.rendered = self.rendered or page == 0

        def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and self.rendered and self.painted_at is None:
                QTimer.singleShot(0, self.finish)  # runs once this paint has been drawn
            return False

        def finish(self) -> None:
            if self.painted_at is None:
                self.painted_at = time.perf_counter()
                self.loop.quit()

    probe = FirstPaint()
    started = time.perf_counter()
    preview = PrintPreview(pdf, name)
    try:
        preview.view.findChild(QPdfPageRenderer).pageRendered.connect(probe.page_rendered)
        preview.view.viewport().installEventFilter(probe)
        preview.show()
        QTimer.singleShot(TIMEOUT_MS, probe.loop.quit)
        if probe.painted_at is None:
            probe.loop.exec()
        if probe.painted_at is None:
            raise RuntimeError(f"the first page was not painted within {TIMEOUT_MS} ms")
        return (probe.painted_at - started) * 1000
    finally:
        preview.view.viewport().removeEventFilter(probe)
        preview.close()
        preview.deleteLater()


def measure(quick: bool) -> Iterable[dict]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # created once: every run below shares it
    from fx_desktop.printing import bundle

    pdf = chinese_document(PAGES)
    log(f"  preview: {bundle.page_count(pdf)} pages, {len(pdf) / 1024:.0f} KiB, platform {app.platformName()}")
    runs = 3 if quick else 11
    times = []
    for run in range(runs + 1):
        times.append(first_paint_ms(pdf))
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # free the closed window now
        log(f"  preview: run {run + 1}/{runs + 1} {'(cold) ' if run == 0 else ''}{times[-1]:.1f} ms")
    cold, warm = times[0], times[1:]
    value = median(warm)
    yield figure("preview_first_page_ms", value, "ms", f"< {GOAL_MS:g} ms", value < GOAL_MS,
                 cold_ms=cold, runs=len(warm), pages=PAGES, pdf_kb=len(pdf) / 1024)
