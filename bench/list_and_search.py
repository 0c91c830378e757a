"""The case register: first screen of the list, search as typed into the search box, and the FTS index against the
naive LIKE scan it replaces; the workbench's first screen."""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from fx_desktop.domain import case_fields

from .common import SEARCH_SETTLED_GOAL_MS, district_scale, figure, log, median, percentile, town_names

# What squads type into the search box. Two characters (a surname with a given name, a word of the facts, a town or
# road) are the most common; the longer ones are a road, facts, a company name, ID-number fragments (birth date;
# region + year) and a case-number fragment. All occur in the demo data (services/demo_vocabulary.py).
QUERIES: tuple[str, ...] = (
    "王伟", "李强", "违建", "南桥", "油烟", "绿地",
    "解放东路", "砍伐行道树", "未取得建设工程", "宏达餐饮", "19800101", "3101201985", "〔2026〕0012",
)

SEARCHED_COLUMNS = ("number", *case_fields.SEARCHABLE)


@dataclass
class ListView:
    """The application's main window as a user first sees it (1360x820, list beside the case form), built like
    app.start() builds it; searches are typed into its search box."""

    app: object
    window: object
    view: object
    model: object
    translators: list

    @classmethod
    def open(cls, store) -> "ListView":
        import tempfile
        from pathlib import Path

        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from fx_desktop.heap import freeze_startup_objects
        from fx_desktop.i18n import install_translators
        from fx_desktop.qt_environment import prepare_qt
        from fx_desktop.services.profile import load_profile
        from fx_desktop.store import reference
        from fx_desktop.tasks import TaskRunner
        from fx_desktop.views.fonts import apply_cjk_font
        from fx_desktop.views.main_window import MainWindow

        from .common import ensure_profile

        prepare_qt()  # as the application does before its QApplication
        app = QApplication.instance() or QApplication(["fx-bench"])
        translators = install_translators(app)  # as the application does
        apply_cjk_font(app)
        ensure_profile(store)
        with store.sessions() as session:
            ref = reference.current(session)
        settings = QSettings(str(Path(tempfile.mkdtemp(prefix="fx-bench-ui-")) / "ui.ini"), QSettings.Format.IniFormat)
        window = MainWindow(store, load_profile(store), ref, TaskRunner(app), settings)
        window.show()
        for _ in range(3):
            app.processEvents()
        freeze_startup_objects()  # as the application does once its window is built
        return cls(app, window, window.table, window.model, translators)

    def type_search(self, text: str) -> None:
        """What typing does once the search box's 150 ms pause has passed (the pause is a wait, not work)."""
        self.window.filters.search.setText(text)
        self.window.filters.emit_filter()

    def quiet(self) -> None:
        """No count left running on the worker thread, nothing left in the event loop (not timed)."""
        self.window.counter.wait()
        self.app.processEvents()

    def timed(self, action) -> float:
        """Seconds from calling action() until the viewport has been painted (repaint() paints synchronously)."""
        self.quiet()  # start from a quiet event loop
        started = time.perf_counter()
        action()
        self.view.viewport().repaint()
        return time.perf_counter() - started

    def settled(self, action) -> float:
        """Seconds from calling action() until the event loop has nothing left to do (it paints the list)."""
        self.quiet()
        started = time.perf_counter()
        action()
        self.app.processEvents()
        return time.perf_counter() - started

    def settled_and_counted(self, action, timeout_s: float = 60.0) -> tuple[float, float]:
        """settled(), and the seconds until the count was shown: at once for a known one, else when the main
        window's BackgroundCount has sent it (waited for after the settled time was taken; not timed itself)."""
        announced: list[float] = []

        def shown(_total: int) -> None:
            announced.append(time.perf_counter())

        self.quiet()
        self.model.totalChanged.connect(shown)
        try:
            started = time.perf_counter()
            action()
            self.app.processEvents()
            settled = time.perf_counter() - started
            deadline = started + timeout_s
            while not announced:
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"no count shown within {timeout_s:g} s")
                self.window.counter.wait(100)
                self.app.processEvents()
            return settled, announced[-1] - started
        finally:
            self.model.totalChanged.disconnect(shown)

    def visible_rows(self) -> int:
        """How many rows the viewport shows (a check that the screen really was full)."""
        top = self.view.rowAt(0)
        if top < 0:
            return 0
        bottom = self.view.rowAt(self.view.viewport().height() - 1)
        return (bottom if bottom >= 0 else self.model.rowCount() - 1) - top + 1

    def close(self) -> None:
        self.window.close()
        self.window.deleteLater()
        for translator in self.translators:  # leave the shared QApplication as it was (tests reuse it)
            self.app.removeTranslator(translator)
        self.app.processEvents()


def first_screen(lv: ListView, reps: int, *, cases: int | None = None) -> dict:
    """case_list_first_screen_ms: model.reload() until the first screenful is painted, unfiltered list."""
    from fx_desktop.store.case_queries import CaseFilter

    if lv.model.filter != CaseFilter():
        lv.model.set_filter(CaseFilter())  # the unfiltered register, whatever ran before; not timed
    times = [lv.timed(lv.model.reload) * 1000 for _ in range(reps)]
    log(f"  first screen: {lv.model.total} cases, {lv.visible_rows()} rows visible; "
        f"first {times[0]:.1f} ms, median {median(times):.1f} ms, max {max(times):.1f} ms")
    value = median(times)
    return figure("case_list_first_screen_ms", value, "ms", "< 80 ms", value < 80, runs=reps,
                  **({"cases": cases} if cases is not None else {}))


OVERDUE_GOAL_MS = 30.0


def overdue_first_screen(lv: ListView, reps: int, *, cases: int | None = None) -> dict:
    """case_list_overdue_first_screen_ms: the filter bar's "overdue only" (逾期) box ticked until the first screenful
    of overdue cases is painted (untimed: unticked again between runs)."""
    box = lv.window.filters.overdue
    times = []
    for _ in range(reps):
        box.setChecked(False)
        lv.app.processEvents()
        times.append(lv.timed(lambda: box.setChecked(True)) * 1000)
    shown = lv.visible_rows()
    box.setChecked(False)
    lv.app.processEvents()
    log(f"  overdue first screen: {shown} rows visible; first {times[0]:.1f} ms, median {median(times):.1f} ms, "
        f"max {max(times):.1f} ms")
    value = median(times)
    return figure("case_list_overdue_first_screen_ms", value, "ms", f"< {OVERDUE_GOAL_MS:g} ms",
                  value < OVERDUE_GOAL_MS, runs=reps, **({"cases": cases} if cases is not None else {}))


def busiest_town(store) -> str:
    """The town with the most cases (its squad leader's workbench is the busiest)."""
    with store.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT town_code FROM cases GROUP BY town_code ORDER BY count(*) DESC "
                                    "LIMIT 1").scalar() or "nanqiao"


def workbench_first_screen(lv: ListView, store, reps: int, *, cases: int | None = None, profile=None,
                           name: str = "workbench_first_screen_ms") -> dict:
    """workbench_first_screen_ms: from building the workbench page (its items read from the store: for the busiest
    town's squad leader its case clocks, answered review rounds, late referrals, police requests, criminal
    referrals, meetings and supervision sheets; `profile` another user) until it is painted at 1360x760. Beside the
    median: max_ms, the items counted (`items`, per kind in `by_kind`), those listed, and the ratio to the goal."""
    from fx_desktop.domain.roles import Role
    from fx_desktop.services import workbench
    from fx_desktop.services.profile import Profile
    from fx_desktop.views.workbench import WorkbenchPage

    town = busiest_town(store)
    user = profile or Profile("bench-leader", "张伟", Role.SQUAD_LEADER, town)
    labels = {kind: source.label for kind, source in workbench.SOURCES.items()}
    times, shown = [], 0

    def build():
        page = WorkbenchPage(lambda: workbench.load(store, user), labels, lambda: user.role)
        page.resize(1360, 760)
        page.show()
        page.repaint()  # paints synchronously
        return page

    for _ in range(reps):
        lv.quiet()
        started = time.perf_counter()
        page = build()
        times.append((time.perf_counter() - started) * 1000)
        shown = page.model.rowCount()
        bench = page.bench
        page.close()
        page.deleteLater()
        lv.app.processEvents()
    by_kind = {c.kind: c.total for c in bench.counts}
    log(f"  workbench first screen: {user.role} of {user.org_code}, {bench.total} items ({shown} listed; "
        f"{', '.join(f'{k} {n}' for k, n in by_kind.items())}); first {times[0]:.1f} ms, median "
        f"{median(times):.1f} ms, max {max(times):.1f} ms")
    value = median(times)
    return figure(name, value, "ms", "< 80 ms", value < 80, runs=reps, role=str(user.role), org=user.org_code,
                  items=bench.total, listed=shown, by_kind=by_kind, max_ms=max(times), ratio_vs_goal=value / 80,
                  **({"cases": cases} if cases is not None else {}))


def busiest_department(store) -> str:
    """The department that receives the most open referrals (its liaison's workbench is the busiest)."""
    with store.engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT receiving_org FROM referrals WHERE status IN ('submitted', 'received', 'accepted') "
            "GROUP BY receiving_org ORDER BY count(*) DESC LIMIT 1").scalar() or "sthj"


def workbench_figures(lv: ListView, store, reps: int, *, cases: int | None = None) -> list[dict]:
    """workbench_first_screen_ms (the busiest town's squad leader), and the same for its office staff
    (workbench_office_staff_first_screen_ms) and for the liaison of the department it refers most to
    (workbench_department_liaison_first_screen_ms); with the other records of bench/other_records.py in the store
    when `python -m bench` runs the list section."""
    from fx_desktop.domain.organisations import OrgKind
    from fx_desktop.domain.roles import Role
    from fx_desktop.services.profile import Profile

    town = busiest_town(store)
    return [
        workbench_first_screen(lv, store, reps, cases=cases),
        workbench_first_screen(lv, store, reps, cases=cases, name="workbench_office_staff_first_screen_ms",
                               profile=Profile("bench-office", "周敏", Role.OFFICE_STAFF, town)),
        workbench_first_screen(lv, store, reps, cases=cases, name="workbench_department_liaison_first_screen_ms",
                               profile=Profile("bench-liaison", "李敏", Role.DEPARTMENT_LIAISON, None,
                                               busiest_department(store), OrgKind.DEPARTMENT)),
    ]


def search(lv: ListView, reps: int, queries: tuple[str, ...] = QUERIES, *, cases: int | None = None) -> dict:
    """search_p95_ms: each query typed into the search box + the list repainted, `reps` rounds through the mix.
    A search with many matches shows its first page before counting them. Beside the figure, `p95_settled_ms`:
    the same searches left to the event loop as in the application, timed until the loop is idle: the list is
    painted and the GUI thread free for the next keystroke (a search with many matches is counted on a worker
    thread meanwhile, views/background_count.py); `p95_count_shown_ms`: until its count is in the status bar."""

    per_query: dict[str, list[float]] = {q: [] for q in queries}
    settled: dict[str, list[float]] = {q: [] for q in queries}
    counted: dict[str, list[float]] = {q: [] for q in queries}
    hits: dict[str, int] = {}
    for _ in range(reps):
        for q in queries:
            per_query[q].append(lv.timed(lambda q=q: lv.type_search(q)) * 1000)
            hits[q] = lv.model.total
    for _ in range(reps):
        for q in queries:
            idle, shown = lv.settled_and_counted(lambda q=q: lv.type_search(q))
            settled[q].append(idle * 1000)
            counted[q].append(shown * 1000)
    lv.type_search("")
    log("  search (typed into the search box + list repainted; settled: event loop idle; count: shown in the "
        "status bar), per-query median:")
    for q in queries:
        log(f"    {q:<12}\t{median(per_query[q]):8.2f} ms\tsettled {median(settled[q]):8.2f} ms"
            f"\tcount {median(counted[q]):8.2f} ms\t{hits[q]:>7} hits")
    matched = sum(1 for q in queries if hits[q])
    if matched < len(queries) / 2:
        log(f"  warning: only {matched} of {len(queries)} queries match any case; the mix is not realistic")
    every = [t for ts in per_query.values() for t in ts]
    value = percentile(every, 95)
    idle = percentile([t for ts in settled.values() for t in ts], 95)
    shown = percentile([t for ts in counted.values() for t in ts], 95)
    return figure("search_p95_ms", value, "ms", "< 20 ms", value < 20, p95_settled_ms=round(idle, 3),
                  p95_count_shown_ms=round(shown, 3),
                  queries=len(queries), runs=reps,
                  queries_with_hits=matched, **({"cases": cases} if cases is not None else {}))


def search_figures(lv: ListView, reps: int, *, cases: int | None = None) -> list[dict]:
    """search_p95_ms; from DISTRICT_CASES cases on also search_p95_settled_ms (its p95_settled_ms, with the
    district's goal)."""
    fig = search(lv, reps, cases=cases)
    if not district_scale(cases):
        return [fig]
    settled = fig["p95_settled_ms"]
    return [fig, figure("search_p95_settled_ms", settled, "ms", f"< {SEARCH_SETTLED_GOAL_MS:g} ms",
                        settled < SEARCH_SETTLED_GOAL_MS, queries=fig["queries"], runs=reps, cases=cases)]


def _like_sql() -> tuple[str, str]:
    from fx_desktop.store.case_queries import COLUMNS

    where = " OR ".join(f"{col} LIKE :q" for col in SEARCHED_COLUMNS)
    cols = ", ".join(key for key, _ in COLUMNS)
    return (f"SELECT count(*) FROM cases WHERE {where}",
            f"SELECT id, {cols} FROM cases WHERE {where} ORDER BY opened_on DESC, row_id DESC LIMIT 100")


def like_vs_fts(store, reps: int, queries: tuple[str, ...] = QUERIES, *, cases: int | None = None) -> dict:
    """search_speedup_vs_like: the naive LIKE scan (raw sqlite3, same file) against CaseQueries.prepare + page."""
    from fx_desktop.store.case_queries import CaseFilter, CaseQueries

    count_sql, page_sql = _like_sql()
    conn = sqlite3.connect(str(store.paths.database))
    fts = CaseQueries(store.engine)
    like_ms: dict[str, list[float]] = {q: [] for q in queries}
    fts_ms: dict[str, list[float]] = {q: [] for q in queries}
    like_hits: dict[str, int] = {}
    fts_hits: dict[str, int] = {}
    try:
        for _ in range(reps):
            for q in queries:
                started = time.perf_counter()
                total = conn.execute(count_sql, {"q": f"%{q}%"}).fetchone()[0]
                conn.execute(page_sql, {"q": f"%{q}%"}).fetchall()
                like_ms[q].append((time.perf_counter() - started) * 1000)
                like_hits[q] = total

                started = time.perf_counter()
                query, total = fts.prepare(CaseFilter(text=q))
                fts.page(query, limit=100)
                fts_ms[q].append((time.perf_counter() - started) * 1000)
                fts_hits[q] = total
    finally:
        conn.close()
    log("  LIKE scan vs FTS (count + first 100 rows), per-query median:")
    for q in queries:
        lm, fm = median(like_ms[q]), median(fts_ms[q])
        note = "" if like_hits[q] == fts_hits[q] else f"  (hit counts differ: LIKE {like_hits[q]})"
        log(f"    {q:<12}\tLIKE {lm:8.2f} ms\tFTS {fm:7.2f} ms\t{lm / fm:7.1f}x\t{fts_hits[q]:>7} hits{note}")
    like_total = sum(median(v) for v in like_ms.values())
    fts_total = sum(median(v) for v in fts_ms.values())
    ratio = like_total / fts_total
    return figure("search_speedup_vs_like", ratio, "x", ">= 50x", ratio >= 50, baseline=like_total,
                  baseline_unit="ms (sum of LIKE medians)", measured=fts_total,
                  measured_unit="ms (sum of FTS medians)", ratio=ratio, queries=len(queries), runs=reps,
                  **({"cases": cases} if cases is not None else {}))
