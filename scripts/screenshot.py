"""Render each role's home (工作台), the review desk and queue, a case's 法制审核 tab, a referral on each side, the
公安协助 list and a request answered by the station, and an
empty state with the first-run demo data, offscreen, in a maximised window on a 1366×768 laptop (1366×728 above
the taskbar), and the register at 1920×1080, for the README: `make screenshot`. Prints each file written."""
from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRect, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from fx_desktop.domain.roles import Role  # noqa: E402
from fx_desktop.i18n import install_translators  # noqa: E402
from fx_desktop.paths import DataPaths  # noqa: E402
from fx_desktop.services.demo import OPEN_WITHIN, generate  # noqa: E402
from fx_desktop.services.profile import save_profile  # noqa: E402
from fx_desktop.store import open_store, reference  # noqa: E402
from fx_desktop.tasks import TaskRunner  # noqa: E402
from fx_desktop.views.fonts import apply_cjk_font  # noqa: E402
from fx_desktop.views.main_window import MainWindow  # noqa: E402

TODAY = date(2026, 11, 26)
LAPTOP, DESKTOP = (1366, 728), (1920, 1040)  # available areas: a maximised window above a 40 px taskbar
HOMES = (  # file, role, organisation, user name
    ("screenshot-home-legal-reviewer.png", Role.LEGAL_REVIEWER, "nanqiao", "赵敏"),
    ("screenshot-home-squad-leader.png", Role.SQUAD_LEADER, "nanqiao", "张伟"),
    ("screenshot-home-office-staff.png", Role.OFFICE_STAFF, "nanqiao", "刘芳"),
    ("screenshot-home-department.png", Role.DEPARTMENT_LIAISON, "ghzy", "周丽"),
)


class Shooter:
    def __init__(self, app: QApplication, store, root: Path, out: Path):
        self.app, self.store, self.root, self.out = app, store, root, out
        self.windows = 0
        with store.sessions() as session:
            self.reference = reference.current(session)

    def window(self, role: Role, org: str, name: str, size: tuple[int, int]) -> MainWindow:
        town = org if any(t["code"] == org for t in self.reference["towns"]) else None
        profile = save_profile(self.store, name=name, role=role, town_code=town,
                               org_code=None if town else org)
        tasks = TaskRunner()
        self.windows += 1  # new settings each: a window opens at its fitted size, as on a first start
        settings = QSettings(str(self.root / f"ui-{self.windows}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(self.store, profile, self.reference, tasks, settings, today=lambda: TODAY,
                            available=lambda: QRect(0, 0, *size))
        window.show()
        self.settle(window)
        return window

    def settle(self, window: MainWindow) -> None:
        window.tasks.wait()
        for _ in range(3):
            self.app.processEvents()

    def save(self, window: MainWindow, name: str) -> None:
        self.settle(window)
        path = self.out / name
        window.grab().save(str(path))
        print(path)


def police_examples(store) -> str:
    """南桥镇's requests to 南桥派出所 (公安协助): one answered by the station's liaison (acknowledged, arrived), one
    emergency still to complete, one joint operation waiting for approval; the id of the answered one."""
    from dataclasses import dataclass
    from datetime import datetime, timedelta

    from fx_desktop.services import police_requests
    from fx_desktop.services.profile import Profile

    @dataclass(frozen=True)
    class Liaison:
        user_id: str
        name: str
        role: Role
        town_code: str | None
        org_code: str

    leader = Profile("shot-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
    station = Liaison("shot-chen", "陈静", Role.POLICE_LIAISON, None, "pcs_nanqiao")
    called = datetime.combine(TODAY, datetime.min.time()).replace(hour=9, minute=40)
    base = {"situation": "emergency", "station_org": "pcs_nanqiao", "asks": ["keep_order", "verify_identity"]}
    answered = police_requests.create(store, leader, {
        **base, "place": "南桥镇解放东路 126 号", "party": "吴某某", "urgency": "urgent", "call_time": called.isoformat(),
        "details": "拆除违法搭建时当事人家属阻挠、推搡执法队员。", "risk": {"people_expected": 6, "earlier_obstruction": True},
        "contact": {"name": "张伟", "phone": "021-57420000"}, "body_cam_ids": ["DSJ-0031-20261126"]},
        now=called)
    police_requests.police_step(store, station, answered.id, "acknowledge_police_request",
                                {"incident_number": "J310120261126000318"}, now=called + timedelta(minutes=2))
    police_requests.police_step(store, station, answered.id, "record_police_arrival", {
        "arrived_at": (called + timedelta(minutes=14)).isoformat(),
        "officers": [{"name": "顾建国", "number": "031245"}, {"name": "沈磊", "number": "031377"}]},
        now=called + timedelta(minutes=40))
    police_requests.create(store, leader, {**base, "place": "南桥镇江海南路 58 号", "party": "某摊主",
                                           "call_time": (called + timedelta(hours=3)).isoformat()},
                           now=called + timedelta(hours=3))
    police_requests.create(store, leader, {
        "situation": "joint_operation", "station_org": "pcs_nanqiao", "place": "南桥镇工业园区沿街商铺",
        "party": "沿街违规设摊经营户", "asks": ["keep_order"], "officers_needed": 4,
        "window_start": (called + timedelta(days=3)).replace(hour=8, minute=30).isoformat(),
        "window_end": (called + timedelta(days=3)).replace(hour=11, minute=30).isoformat(),
        "risk": {"people_expected": 30, "group_risk": True}, "details": "跨门经营专项整治。"}, now=called)
    return answered.id


def main(out_dir: str = "docs") -> None:
    app = QApplication(sys.argv[:1])
    install_translators(app)
    apply_cjk_font(app)
    out = Path(out_dir)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = open_store(DataPaths.at(root / "demo"))
        generate(store, 2000, seed=11, as_of=TODAY, open_within=OPEN_WITHIN)
        answered = police_examples(store)
        shooter = Shooter(app, store, root, out)
        for name, role, org, user in HOMES:
            window = shooter.window(role, org, user, LAPTOP)
            shooter.save(window, name)
            items = window.workbench.bench.items
            if role is Role.LEGAL_REVIEWER:  # Enter on the first item: its case on the review desk
                window.workbench.focus_list()
                window.open_work(items[0])
                shooter.save(window, "screenshot-review-desk.png")
                window.go_back()
                window.show_section(window.review_queue)
                shooter.save(window, "screenshot-review-queue.png")
            elif role is Role.SQUAD_LEADER:  # a review answered: the case on its 法制审核 tab; a referral sent
                window.open_work(next(i for i in items if i.kind == "legal_review"))
                shooter.save(window, "screenshot-legal-review.png")
                window.go_back()
                window.open_work(next(i for i in items if i.kind == "referral"))
                shooter.save(window, "screenshot-referral-town.png")
                window.go_back()
                window.show_section(window.police_list)  # 公安协助: the list with its figures, one request
                shooter.save(window, "screenshot-police-list.png")
                window.show_police_request(answered)
                shooter.save(window, "screenshot-police-request.png")
            elif role is Role.DEPARTMENT_LIAISON:  # the referral to sign for, in the inbox
                window.open_work(items[0])
                shooter.save(window, "screenshot-referral-department.png")
            window.close()
        window = shooter.window(Role.SQUAD_LEADER, "nanqiao", "张伟", DESKTOP)
        window.show_section(window.splitter)
        window.filters.search.setText("违建")  # a search as the user types it
        window.filters.emit_filter()
        window.table.selectRow(2)
        shooter.save(window, "screenshot-case-register.png")
        window.close()
        store.close()
        empty = open_store(DataPaths.at(root / "empty"))  # a new town's reviewer: nothing to review yet
        shooter = Shooter(app, empty, root / "empty", out)
        window = shooter.window(Role.LEGAL_REVIEWER, "jinhui", "钱敏", LAPTOP)
        shooter.save(window, "screenshot-empty-workbench.png")
        window.close()
        empty.close()


if __name__ == "__main__":
    main(*sys.argv[1:2])
