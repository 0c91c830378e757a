"""`make demo` (scripts/demo.py): its arguments and data folder, and a real run against its own fx-bureau: every
account finds work — the reviewer rounds waiting (some overdue) and answered, the squad leader clocks and answers,
the department's liaison referrals in its inbox after its pull."""
from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo():
    spec = importlib.util.spec_from_file_location("demo_script", ROOT / "scripts" / "demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_dir_defaults_to_dot_demo(demo):
    args = demo.parse_args([])
    assert args.data_dir == ROOT / ".demo" and args.user == "zhangwei" and args.cases == 200


def test_data_dir_is_taken_like_make_run(demo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = demo.parse_args(["--data-dir", "mine", "--user", "zhouli"])
    assert args.data_dir == tmp_path / "mine" and args.user == "zhouli"
    assert demo.parse_args(["--data-dir", str(tmp_path / "abs")]).data_dir == tmp_path / "abs"


@pytest.mark.parametrize("argv, words", [
    (["--cases", "3"], "--cases 至少为"),
    (["--data-dir", "__FILE__"], "不是文件夹"),
    (["--user", "nobody"], "invalid choice"),
])
def test_bad_arguments_are_named(demo, tmp_path, capsys, argv, words):
    a_file = tmp_path / "a.txt"
    a_file.write_text("x")
    with pytest.raises(SystemExit) as exit_:
        demo.parse_args([str(a_file) if a == "__FILE__" else a for a in argv])
    assert exit_.value.code == 2 and words in capsys.readouterr().err


def test_reset_removes_only_what_the_demo_made(demo, tmp_path):
    for part in ("bureau", "seed-nanqiao", "client-zhangwei", "notes"):
        (tmp_path / part).mkdir()
    (tmp_path / "keep.txt").write_text("mine")
    demo.reset(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt", "notes"]


def test_make_demo_in_a_data_folder_gives_every_account_work(demo, tmp_path, monkeypatch):
    """The whole `make demo` with --data-dir, the window replaced by a look at what each account gets from the
    server while it runs."""
    from fx_desktop import app
    from fx_desktop.paths import DataPaths
    from fx_desktop.services import criminal_referrals, legal_review, referrals, workbench
    from fx_desktop.store import open_store
    from fx_desktop.sync import account

    folder = tmp_path / "demo-here"
    seen: dict = {}

    def look(data_dir, credentials=None):
        seen["data_dir"] = Path(data_dir)
        store = open_store(DataPaths.at(data_dir))  # the liaison's client, pulled by the demo before the window
        try:
            url = account.current(store).server_url
            acc = account.current(store)
            seen["inbox"] = referrals.inbox(store, acc.profile)
        finally:
            store.close()
        for user in ("zhaomin", "zhangwei", "lina", "liufang", "chenjing", "sunhao"):
            s, client, creds, acc = demo.login(tmp_path / f"look-{user}", url, user)
            try:
                demo._sync(s, client, acc, creds)
                seen[user] = workbench.load(s, acc.profile, today=date.today())
                if user == "zhaomin":
                    seen["queue"] = legal_review.queue(s, acc.profile, pending_only=False)
                if user == "liufang":
                    from fx_desktop.services import meetings

                    from fx_desktop.services import agreed_items, meeting_print, supervisions

                    seen["meetings"] = meetings.meetings(s, acc.profile)
                    seen["sheets"] = supervisions.sheets(s, acc.profile)
                    seen["follow"] = {m.id: agreed_items.for_meeting(s, m.id) for m in seen["meetings"]}
                    seen["printed"] = {m.id: meeting_print.meeting_print(s, m.id) for m in seen["meetings"]}
                if user in ("zhangwei", "sunhao"):
                    seen[f"crime-{user}"] = criminal_referrals.listing(s, acc.profile)[0]
            finally:
                s.close()
        return 0

    monkeypatch.setattr(app, "run_gui", look)
    assert demo.main(["--data-dir", str(folder), "--cases", "14", "--user", "zhouli"]) == 0
    assert seen["data_dir"] == folder / "client-zhouli"
    assert (folder / "bureau" / "bureau.sqlite").is_file()

    inbox = seen["inbox"]  # the department's inbox after its pull: both towns' referrals, at every step
    assert {r.owner_org for r in inbox} == {"nanqiao", "fengcheng"}
    assert {str(r.status) for r in inbox} >= {"submitted", "accepted"}
    assert any(r.overdue for r in inbox)

    reviewer = [i for i in seen["zhaomin"].items if i.kind == "legal_review"]
    assert reviewer and any(i.overdue for i in reviewer) and any(not i.overdue for i in reviewer)
    answered = [q.review for q in seen["queue"] if q.review.outcome]
    assert {str(r.outcome) for r in answered} == {"agree", "revise", "disagree"}
    assert all(r.opinion and r.reviewer == "赵敏" for r in answered)

    leader = seen["zhangwei"]
    tasks = {i.task for i in leader.items}
    assert {"审核通过，作出决定", "审核退回，修改后再报"} <= tasks
    assert any(i.kind == "case" and i.due for i in leader.items)
    assert any(i.kind == "referral" and i.overdue for i in leader.items)  # the department is late
    assert any(i.kind == "case" for i in seen["lina"].items)  # the officer is named on cases
    # office staff: print, meetings, chase, and the roster's certificates (one expiring, one expired: 人员与执法证)
    assert {i.kind for i in seen["liufang"].items} == {"legal_review", "referral", "meeting", "supervision",
                                                       "roster_entry"}
    certificates = [i for i in seen["liufang"].items if i.kind == "roster_entry"]
    assert sorted(i.left for i in certificates) == [-10, 20] and sum(i.overdue for i in certificates) == 1
    office = {i.task for i in seen["liufang"].items if i.kind == "meeting"}
    assert "筹备会议：确定议程、发出通知" in office
    kinds = sorted(m.kind for m in seen["meetings"])
    assert kinds == ["regular", "regular", "training"]
    coming = next(m for m in seen["meetings"] if m.status == "draft")
    assert {a["source"] for a in coming.data["agenda"]} >= {"carried_over", "consultation", "overdue_referral"}
    police = {i.task for i in leader.items if i.kind == "police_request"}
    assert "审批专项协作" in police and any(t.startswith("补录") for t in police)
    station = {i.task for i in seen["chenjing"].items}  # 南桥派出所: one to acknowledge, one to conclude
    assert station == {"接警确认", "登记处置结果"}

    # criminal referrals: the town's at two steps, the sub-bureau's liaison with the one sent and signed for
    assert {str(r.status) for r in seen["crime-zhangwei"]} == {"reported", "received"}
    assert [str(r.status) for r in seen["crime-sunhao"]] == ["received"]
    assert [i.task for i in seen["sunhao"].items] == ["作出立案决定（3日内）"]
    assert any(i.kind == "criminal_referral" and i.task == "负责人审批移送报告" for i in leader.items)

    # supervision: the office chases the overdue sheet
    office = {(i.kind, i.task) for i in seen["liufang"].items if i.kind == "supervision"}
    assert office == {("supervision", "催办：逾期未办结")}
    # the overdue sheet follows up the first agreed item of the town's signed meeting: the item shows the sheet
    held = next(m for m in seen["meetings"] if (m.minutes or {}).get("status") == "signed")
    linked = [sh for sh in seen["sheets"] if sh.data.get("source")]
    by_kind = {sh.data["source"]["kind"]: sh for sh in linked}
    assert set(by_kind) == {"referral", "meeting"}
    sheet = by_kind["meeting"]
    assert sheet.data["source"] == {"kind": "meeting", "id": held.id, "item": 1} and sheet.overdue
    assert sheet.data["source_text"] == f"{held.number}纪要议定事项第一项" and sheet.responsible_org == "ghzy"
    follow = seen["follow"][held.id]
    assert list(follow) == [1] and follow[1].sheet_id == sheet.id and follow[1].label == "待签收"
    printed = seen["printed"][held.id]
    assert [a.status for a in printed.agreed] == ["待签收", "未启动"]
    assert [s.number for s in printed.supervision] == [sheet.number, None]

    # a second start reuses the server and its data (nothing seeded twice)
    seen.clear()
    monkeypatch.setattr(app, "run_gui", lambda data_dir, credentials=None: seen.setdefault("again", data_dir) and 0)
    assert demo.main(["--data-dir", str(folder), "--cases", "14"]) == 0
    assert Path(seen["again"]) == folder / "client-zhangwei"
