"""Model-based test of offline-first sync for every record kind (issue 11, guarantee 14 of SYNC.md).

Hypothesis drives devices (real SQLite stores, each logged in as its own user with its own client id: a squad
leader, an officer and the office staff of one town, a squad leader of another town, the liaison of a district
department) and a real fx-bureau process through random sequences of offline edits and workflow steps through the
client's services (case edits and status steps; referring a case to the department, withdrawing it, the department
signing, accepting, returning it and recording the result; supervision sheets a squad leader issues to the
department and each side's steps on them; meetings the town's office staff convene inviting the department (notice,
attendance, minutes with an item the department leads, circulation, the department's comments, sign-off, amendment),
consultation items naming the department and the town's roster of officers, each taken when the device's own data
makes it plausible, so that the other side having moved meanwhile is a rejection the model expects), syncs, and
faults: the server SIGKILLed (also while a push waits at the proxy, before or after the server did the work) and
restarted on the same database, a push whose answer is lost, a device killed mid-sync (its answer cut off, then the
store reopened from its file), a clock a day fast or slow. After every quiet sync (the server up, no fault, every
device syncing until nobody has anything to push) the invariants of tests/support/sync_model.py must hold: each
device holds exactly what the server shows its user (cases with version, status, fields, officers, review rounds;
conflicts; referrals, supervision sheets, meetings, consultation items with their whole state and parties; the
roster of its own town only) and its digest is the server's, each saved change or step reached the server exactly
once with the outcome the device shows (a rejection with its reason), nothing a user saved is lost, every clash is a
conflict, a case is 已移送 exactly while it has a referral that holds it, and the department holds its referrals with
their case snapshot and nothing else of the towns'.

Five devices: the second town keeps "a town sees nothing of another town" and "a department sees referrals of two
owners and nothing else of either" in the model; the office staff of the first town (内勤) convene the meetings and
keep the consultation item list and the roster (the town's squad leader may too, as their devices allow).

Bounded for CI; FX_MODEL_STEPS / FX_MODEL_EXAMPLES make a longer run (`make model-long`), FX_MODEL_SEED repeats
one (the seed is printed with any failure)."""
from __future__ import annotations

import os
import random
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from hypothesis import HealthCheck, Phase, note, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule, run_state_machine_as_test

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.legal_review import required_materials
from fx_desktop.domain.lifecycle import TRANSITIONS, CaseStatus
from fx_desktop.domain.roles import Role
from fx_desktop.services import cases, conflicts, legal_review, meetings, referrals, roster, supervisions
from fx_desktop.domain.case_draft import to_json_value
from fx_desktop.services.review_rules import review_rules
from fx_desktop.store import outbox
from fx_desktop.sync.digest import local_digest
from tests.conftest import case_draft
from tests.support.faulty_proxy import Proxy
from tests.support.sync_model import DeviceState, Edit, Model, ServerState, Step, problems

LONG = bool(os.environ.get("FX_MODEL_STEPS") or os.environ.get("FX_MODEL_EXAMPLES"))
STEPS = int(os.environ.get("FX_MODEL_STEPS") or 25)
EXAMPLES = int(os.environ.get("FX_MODEL_EXAMPLES") or 3)  # four devices: three examples keep CI near 2 min
SHRINK = bool(os.environ.get("FX_MODEL_SHRINK"))  # minimise a failure: many more runs of ~3 s each
SEED = int(os.environ.get("FX_MODEL_SEED") or (random.randrange(2**32) if LONG else 20260111))
FIELDS = ("place", "facts", "party_address", "legal_basis")
WAIT_S = 60  # a held push that never reaches the proxy within this is a failure, not a slow machine
PULL_PAGE = 3  # small pages, so that an interrupted pull stops between pages


@dataclass(frozen=True)
class DeviceSpec:
    """One device in the model: a data folder logged in as `username` (its organisation comes with the user)."""

    name: str
    username: str


# A squad leader and an officer of nanqiao, the squad leader of fengcheng (tests/support/bureau.STANDARD_USERS)
# and the liaison of a department and the office staff of nanqiao (added by the test): each user's organisation
# decides what the device may see (tests/support/sync_model.may_see).
DEPARTMENT = "scjg"  # 区市场监管局
DEPARTMENT_USER = ("zhou", "department_liaison", DEPARTMENT, "周敏")
OFFICE_USER = ("chen", "office_staff", "nanqiao", "陈静")  # 内勤: meetings, the consultation item list, the roster
DEVICES = (DeviceSpec("a1", "zhang"), DeviceSpec("a2", "li"), DeviceSpec("b", "wang"), DeviceSpec("d", "zhou"),
           DeviceSpec("a3", "chen"))
ANSWER_ORDER = ("sign_referral", "accept_referral", "record_referral_result")
REFER_FROM = next(t.source for t in TRANSITIONS if t.action == "refer")
pick = st.integers(min_value=0, max_value=63)  # an index into whatever list is current, modulo its length


class ModelDevice:
    def __init__(self, spec: DeviceSpec, device, proxy: Proxy):
        self.spec, self.device, self.proxy, self.skew = spec, device, proxy, timedelta(0)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def store(self):
        return self.device.store

    @property
    def profile(self):
        return self.device.profile

    def now(self) -> datetime:
        return datetime.now() + self.skew

    def sync(self):
        return self.device.sync(now=self.now, pull_page=PULL_PAGE)

    def pending(self) -> int:
        with self.store.sessions() as session:
            return outbox.pending_count(session, self.device.account.username)

    def last_seq(self) -> int:
        with self.store.sessions() as session:
            return outbox.last_seq(session, self.device.account.username)


class SyncMachine(RuleBasedStateMachine):
    """Set by the test before it runs: the server, one proxy per device, the `device` fixture, the device list."""

    bureau = proxies = make_device = None
    specs: tuple[DeviceSpec, ...] = DEVICES
    examples = 0
    stats: Counter = Counter()  # what the runs did, printed at the end: a model that never clashes proves little

    def __init__(self):
        super().__init__()
        SyncMachine.examples += 1
        self.bureau.restore()
        self.bureau.start()
        self.server_up = True
        for proxy in self.proxies:
            proxy.faults.clear()
        self.devices = [ModelDevice(spec, self.make_device(SimpleNamespace(url=proxy.url), spec.username,
                                                           f"{self.examples}-{spec.name}"), proxy)
                        for spec, proxy in zip(self.specs, self.proxies)]
        self.model = Model()
        self.serial = 0

    def _did(self, text: str) -> None:
        """Say what a step did (hypothesis prints it with a failing sequence) and count it by the step's name."""
        note(text)
        self.stats[sys._getframe(1).f_code.co_name] += 1
        self.stats["steps that did something"] += 1

    def _device(self, i: int) -> ModelDevice:
        return self.devices[i % len(self.devices)]

    def _pushing(self) -> list[ModelDevice]:
        """The devices with changes waiting to be pushed."""
        return [dev for dev in self.devices if dev.pending()]

    def _value(self, dev: ModelDevice, field: str) -> str:
        self.serial += 1
        return f"{dev.name}的{field}第{self.serial}稿"

    def _towns(self) -> list[ModelDevice]:
        """The devices of town users that work on cases (the office staff read them only)."""
        return [dev for dev in self.devices if dev.profile.town_code and dev.profile.role != Role.OFFICE_STAFF]

    def _offices(self) -> list[ModelDevice]:
        return [dev for dev in self.devices if dev.profile.role == Role.OFFICE_STAFF]

    def _town_device(self, i: int) -> ModelDevice:
        return self._towns()[i % len(self._towns())]

    def _cases(self, dev: ModelDevice) -> list[cases.CaseRecord]:
        """The cases this device holds that its user may change, in the order they were created (ids are random;
        the order keeps a seed's run the same)."""
        found = []
        for case_id in self.model.created:
            try:
                record = cases.get_case(dev.store, case_id)
            except DomainError:
                continue  # not on this device (another town, or not pulled yet)
            if cases.read_only_reason(record, dev.profile) is None:
                found.append(record)
        return found

    @initialize()
    def cases_to_work_on(self):
        """Each town device registers a case and everybody syncs, then each squad leader refers its own case to the
        department, the office staff take a meeting to circulated minutes, and everybody syncs again: every example
        starts with cases two devices share, referrals the department holds and minutes it may comment on (a short
        run would rarely get that far by chance)."""
        for i, _ in enumerate(self._towns()):
            self.create_case(i)
        self._quiet_sync()
        for dev in self._towns():
            own = [r for r in self._referrable(dev) if self.model.created[r.id] == dev.name]
            if own:
                self._refer(dev, own[0])
        self._circulated_meeting()
        self._quiet_sync()

    def _circulated_meeting(self) -> None:
        """The office staff convene a meeting, hold it and circulate minutes with an item the department leads, so
        that the department's comments racing the town's sign-off and amendment are in every example."""
        self.create_meeting(0)
        dev, meeting_id = self._offices()[0], list(self.model.meetings)[-1]
        for name in ("notify_meeting", "record_attendance", "write_minutes", "circulate_minutes"):
            record, steps = next((r, s) for r, s in self._meetings(dev) if r.id == meeting_id)
            assert name in steps, (name, steps)
            self._meeting_step(dev, record, name)

    # --- what users do, offline ----------------------------------------------------------------------------

    @rule(d=pick)
    def create_case(self, d):
        dev = self._town_device(d)
        record = cases.create_case(dev.store, dev.profile, case_draft(party_name=f"模型{self.serial}"), now=dev.now())
        self.serial += 1
        self.model.created[record.id] = dev.name
        self._did(f"{dev.name} creates {record.id}")

    @rule(d=pick, c=pick, field=st.sampled_from(FIELDS))
    def edit_field(self, d, c, field):
        dev = self._town_device(d)
        candidates = self._cases(dev)
        if not candidates:
            return
        self._edit(dev, candidates[c % len(candidates)], field)

    @rule(c=pick, field=st.sampled_from(FIELDS))
    def clash(self, c, field):
        """Two devices of one organisation change the same field of a case both hold, before either syncs: the
        edit a random walk rarely makes, and the one that must become a conflict."""
        shared = [(record, [dev for dev in self._towns() if record.id in {r.id for r in self._cases(dev)}])
                  for record in self._cases_anywhere()]
        shared = [(record, devs) for record, devs in shared if len(devs) >= 2]
        if not shared:
            return
        record, devs = shared[c % len(shared)]
        for dev in devs[:2]:
            self._edit(dev, cases.get_case(dev.store, record.id), field)

    def _cases_anywhere(self) -> list[cases.CaseRecord]:
        return [r for dev in self._towns() for r in self._cases(dev)]

    def _edit(self, dev: ModelDevice, record: cases.CaseRecord, field: str) -> None:
        draft, value = record.draft(), self._value(dev, field)
        setattr(draft, field, value)
        cases.update_case(dev.store, dev.profile, record.id, draft, base_version=record.version, now=dev.now())
        edit = Edit(dev.name, dev.device.account.client_id, dev.last_seq(), record.id, field,
                    to_json_value(record.values.get(field)), value)
        self.model.saved(edit)
        self._did(f"{dev.name} sets {field} of {record.id} to {value} (mutation {edit.seq})")

    @rule(d=pick, c=pick, a=pick)
    def workflow_step(self, d, c, a):
        """Any step the role may take now, terminal ones (不予立案, 移送, 撤销, 结案) included (a bare 移送 the
        server refuses with its reason: a referral needs its letter, refer_case below)."""
        dev = self._town_device(d)
        candidates = self._cases(dev)
        if not candidates:
            return
        record = candidates[c % len(candidates)]
        steps = [t for t in cases.available_actions(record, dev.profile, review_rules(dev.store))
                 if t.action != "submit_review"]  # that one needs its materials: submit_review below
        if steps:
            self._step(dev, record, steps[a % len(steps)].action)

    @rule(d=pick, c=pick)
    def advance(self, d, c):
        """The step furthest along the main path, so that cases reach review and decision in a short run."""
        dev = self._town_device(d)
        candidates = self._cases(dev)
        if not candidates:
            return
        record = candidates[c % len(candidates)]
        order = list(CaseStatus)
        steps = [t for t in cases.available_actions(record, dev.profile, review_rules(dev.store))
                 if not t.target.is_terminal]
        if not steps:
            return
        step = max(steps, key=lambda t: order.index(t.target))
        if step.action == "submit_review":
            self._submit(dev, record)
        else:
            self._step(dev, record, step.action)

    def _step(self, dev: ModelDevice, record: cases.CaseRecord, action: str) -> None:
        cases.change_status(dev.store, dev.profile, record.id, action, expected_status=record.status, now=dev.now())
        self._did(f"{dev.name}: {action} on {record.id} (mutation {dev.last_seq()})")

    def _submit(self, dev: ModelDevice, record: cases.CaseRecord) -> None:
        legal_review.submit(dev.store, dev.profile, record.id, report="拟作出处罚决定，提请法制审核。",
                            materials=required_materials(record.values.get("circumstances")),
                            expected_status=record.status, now=dev.now())
        self._did(f"{dev.name}: submit_review on {record.id} (mutation {dev.last_seq()})")

    @rule(d=pick, k=pick, keep_mine=st.booleans())
    def resolve_conflict(self, d, k, keep_mine):
        dev = self._town_device(d)
        found = [c for c in conflicts.open_conflicts_for(dev.store) if c.field != conflicts.DELETED]
        if not found:
            return
        order = list(self.model.created)  # not by time or id: those differ between two runs of one seed
        conflict = sorted(found, key=lambda c: (order.index(c.case_id), c.field, repr(c.mine), repr(c.theirs))
                          )[k % len(found)]
        mine, theirs = conflict.sides(dev.profile.name, dev.device.account.client_id)
        value = mine if keep_mine else theirs
        try:
            conflicts.resolve_conflict(dev.store, dev.profile, conflict.id, value, now=dev.now())
        except DomainError as exc:  # the case was closed meanwhile, say: the person sees why and cannot resolve
            self._did(f"{dev.name} cannot resolve {conflict.id}: {exc}")
            return
        self._did(f"{dev.name} resolves {conflict.field} of {conflict.case_id} with {value!r} "
                  f"(mutation {dev.last_seq()})")

    # --- referrals: the town refers, the department answers ----------------------------------------------------

    def _referrable(self, dev: ModelDevice) -> list[cases.CaseRecord]:
        if dev.profile.role != Role.SQUAD_LEADER:
            return []
        return [r for r in self._cases(dev) if r.status in REFER_FROM]

    def _referrals(self, dev: ModelDevice) -> list[tuple[referrals.ReferralRecord, list[str]]]:
        """The referrals this device holds with the steps its user may take on each now (in submission order)."""
        found = []
        for referral_id in self.model.referrals:
            try:
                record = referrals.get(dev.store, referral_id)
            except DomainError:
                continue  # not on this device (another organisation's, not pulled yet, or taken back)
            steps = referrals.available_steps(record, dev.profile)
            if steps:
                found.append((record, steps))
        return found

    def _stepped(self, dev: ModelDevice, referral_id: str, name: str, mark: str) -> None:
        step = Step(dev.name, dev.device.account.client_id, dev.last_seq(), referral_id, name, mark)
        self.model.stepped(step)
        self.stats[name] += 1
        self._did(f"{dev.name}: {name} on {referral_id} with {mark!r} (mutation {step.seq})")

    def _refused_locally(self, dev: ModelDevice, name: str, referral_id: str, exc: DomainError,
                         seq_before: int) -> None:
        """The service said no (a clock a day behind the submission date, say): the person sees why and nothing
        waits to be pushed."""
        assert dev.last_seq() == seq_before, f"{dev.name}: {name} refused ({exc}) yet queued a mutation"
        self.stats[f"{name} refused on the device"] += 1
        self._did(f"{dev.name} cannot {name} on {referral_id}: {exc}")

    @precondition(lambda self: any(self._referrable(dev) for dev in self._towns()))
    @rule(d=pick, c=pick)
    def refer_case(self, d, c):
        """A squad leader refers a case it may still refer (as its device shows it) to the department."""
        devs = [dev for dev in self._towns() if self._referrable(dev)]
        dev = devs[d % len(devs)]
        candidates = self._referrable(dev)
        self._refer(dev, candidates[c % len(candidates)])

    def _refer(self, dev: ModelDevice, record: cases.CaseRecord) -> None:
        form = referrals.prepare(dev.store, dev.profile, record.id)
        mark = self._value(dev, "移送理由")
        form.update(receiving_org=DEPARTMENT, reason=mark, legal_basis="《行政处罚法》第二十五条",
                    materials=form["materials"] or [{"no": 1, "title": "现场检查笔录", "pages": 2, "evidence_id": None}],
                    contact={"name": dev.profile.name, "phone": "021-57420000"})
        made = referrals.submit(dev.store, dev.profile, record.id, form, now=dev.now())
        self._stepped(dev, made.id, "submit_referral", mark)

    @precondition(lambda self: any(self._referrals(dev) for dev in self.devices))
    @rule(d=pick, r=pick, a=pick, result=st.sampled_from(("filed", "not_filed", "other")))
    def referral_step(self, d, r, a, result):
        """A step on a referral the device holds that its user may take now, as their device shows it: the town
        withdraws, the department signs, accepts, returns or records the result."""
        devs = [dev for dev in self.devices if self._referrals(dev)]
        dev = devs[d % len(devs)]
        held = self._referrals(dev)
        record, steps = held[r % len(held)]
        self._take(dev, record, steps[a % len(steps)], result)

    @precondition(lambda self: any(self._referrals(dev) for dev in self._departments()))
    @rule(r=pick, result=st.sampled_from(("filed", "not_filed", "other")))
    def answer_referral(self, r, result):
        """The department's next step along the main path (sign, accept, record the result), so that referrals
        reach their end in a short run; returns come from referral_step."""
        dev = self._departments()[0]
        held = self._referrals(dev)
        record, steps = held[r % len(held)]
        forward = [s for s in ANSWER_ORDER if s in steps]
        if forward:
            self._take(dev, record, forward[0], result)

    def _departments(self) -> list[ModelDevice]:
        return [dev for dev in self.devices if dev.profile.role == Role.DEPARTMENT_LIAISON]

    def _take(self, dev: ModelDevice, record: referrals.ReferralRecord, name: str, result: str) -> None:
        seq_before, mark = dev.last_seq(), self._value(dev, name)
        expected, now = record.status, dev.now()
        try:
            if name == "withdraw_referral":
                referrals.withdraw(dev.store, dev.profile, record.id, reason=mark, expected_status=expected, now=now)
            elif name == "sign_referral":
                referrals.sign(dev.store, dev.profile, record.id, received_on=record.data["submitted_on"],
                               signed_by=mark, materials_match=True, expected_status=expected, now=now)
            elif name == "accept_referral":
                referrals.accept(dev.store, dev.profile, record.id, their_number=mark, expected_status=expected,
                                 now=now)
            elif name == "return_referral":
                referrals.return_referral(dev.store, dev.profile, record.id, reason=mark, expected_status=expected,
                                          now=now)
            else:
                referrals.record_result(dev.store, dev.profile, record.id, result=result, reasons=mark,
                                        expected_status=expected, now=now)
        except DomainError as exc:
            self._refused_locally(dev, name, record.id, exc, seq_before)
            return
        self._stepped(dev, record.id, name, mark)

    # --- supervision sheets (督办单): a town's squad leader supervises the department ------------------------

    def _sheets(self, dev: ModelDevice) -> list[tuple[supervisions.SheetRecord, list[str]]]:
        """The sheets this device holds with the steps its user may take on each now (in issue order)."""
        found = []
        for sheet_id in self.model.sheets:
            try:
                record = supervisions.get(dev.store, sheet_id, today=dev.now().date())
            except DomainError:
                continue  # not on this device (another organisation's, or not pulled yet)
            steps = supervisions.available_steps(record, dev.profile, today=dev.now().date())
            if steps:
                found.append((record, steps))
        return found

    def _leaders(self) -> list[ModelDevice]:
        return [dev for dev in self._towns() if dev.profile.role == Role.SQUAD_LEADER]

    @rule(d=pick)
    def issue_sheet(self, d):
        """A squad leader (the town's supervising office) issues a sheet to the department, due in three days."""
        dev = self._leaders()[d % len(self._leaders())]
        mark = self._value(dev, "督办事项")
        made = supervisions.issue(dev.store, dev.profile, {
            "responsible_org": DEPARTMENT, "matter": mark,
            "deadline": (dev.now().date() + timedelta(days=3)).isoformat()}, now=dev.now())
        self.model.sheets[made.id] = dev.name
        self._did(f"{dev.name}: issue_supervision {made.id} with {mark!r}")

    @precondition(lambda self: any(self._sheets(dev) for dev in self.devices))
    @rule(d=pick, r=pick, a=pick)
    def sheet_step(self, d, r, a):
        """A step on a sheet the device holds that its user's side may take now, as their device shows it."""
        devs = [dev for dev in self.devices if self._sheets(dev)]
        dev = devs[d % len(devs)]
        held = self._sheets(dev)
        record, steps = held[r % len(held)]
        name = steps[a % len(steps)]
        seq_before, mark = dev.last_seq(), self._value(dev, name)
        args = {"sign_supervision": {"handler": mark}, "report_supervision": {"text": mark},
                "ask_supervision_extension": {"reason": mark,
                                              "new_deadline": (record.deadline + timedelta(days=7)).isoformat()},
                "decide_supervision_extension": {"approved": bool(self.serial % 2), "reason": mark},
                "close_supervision": {"note": mark}, "send_back_supervision": {"reason": mark},
                "urge_supervision": {"note": mark}, "withdraw_supervision": {"reason": mark}}[name]
        try:
            supervisions.step(dev.store, dev.profile, record.id, name, args, expected_status=record.status,
                              now=dev.now())
        except DomainError as exc:
            self._refused_locally(dev, name, record.id, exc, seq_before)
            return
        self.stats[name] += 1
        self._did(f"{dev.name}: {name} on {record.id} with {mark!r}")

    # --- meetings (会商), consultation items and the roster: the town's office staff -----------------------------

    def _meetings(self, dev: ModelDevice) -> list[tuple[meetings.MeetingRecord, list[str]]]:
        """The meetings this device holds with the next steps its user may take on each now (in creation order):
        the convener's along the way to signed minutes and their amendment (and changing the place and who is
        invited, cancelling before the meeting is held), a party's comment on circulated minutes."""
        found = []
        for meeting_id in self.model.meetings:
            try:
                record = meetings.get(dev.store, meeting_id)
            except DomainError:
                continue  # not on this device (not invited, or not pulled yet)
            steps, minutes = [], record.minutes
            if meetings.may_edit(record, dev.profile):
                steps.append("update_meeting")
                if record.status == "draft":
                    steps.append("notify_meeting")
                elif record.status == "notified":
                    steps.append("record_attendance")
                if record.status in ("draft", "notified"):
                    steps.append("cancel_meeting")
                if record.status == "held" and (minutes is None or minutes["status"] != "signed"):
                    steps.append("write_minutes")
                if minutes and minutes["status"] == "draft" and (minutes["intro"] or minutes["items"]):
                    steps.append("circulate_minutes")
                if minutes and minutes["status"] == "circulated":
                    steps.append("sign_minutes")
                if minutes and minutes["status"] == "signed":
                    steps.append("amend_minutes")
            if meetings.may_comment(record, dev.profile):
                steps.append("comment_minutes")
            if steps:
                found.append((record, steps))
        return found

    @rule(d=pick)
    def create_meeting(self, d):
        """The office staff convene a topic meeting tomorrow, inviting the department's liaison."""
        dev = self._offices()[d % len(self._offices())]
        mark = self._value(dev, "会议")
        made = meetings.create(dev.store, dev.profile, {
            "kind": "topic", "title": mark, "starts_at": (dev.now() + timedelta(days=1)).strftime("%Y-%m-%dT09:30"),
            "place": "镇政府三楼会议室", "chair": dev.profile.name, "minute_taker": dev.profile.name,
            "invitees": [{"org": DEPARTMENT, "name": DEPARTMENT_USER[3], "title": "联络员"},
                         {"org": dev.profile.org_code, "name": dev.profile.name, "title": "内勤"}]}, now=dev.now())
        self.model.meetings[made.id] = dev.name
        self._did(f"{dev.name}: create_meeting {made.id} {mark!r}")

    @precondition(lambda self: any(self._meetings(dev) for dev in self.devices))
    @rule(d=pick, m=pick, a=pick)
    def meeting_step(self, d, m, a):
        """A step on a meeting the device holds that its user may take now, as their device shows it (the
        department's comment on minutes the town has signed meanwhile is refused by the server with its reason).
        A change of invitees swaps the department for the other town and back: a unit once invited keeps the
        meeting, a unit newly invited gets it."""
        devs = [dev for dev in self.devices if self._meetings(dev)]
        dev = devs[d % len(devs)]
        held = self._meetings(dev)
        record, steps = held[m % len(held)]
        self._meeting_step(dev, record, steps[a % len(steps)])

    def _meeting_step(self, dev: ModelDevice, record: meetings.MeetingRecord, name: str) -> None:
        seq_before, mark = dev.last_seq(), self._value(dev, name)
        minutes = record.minutes or {}
        item = {"matter": mark, "lead_org": DEPARTMENT, "supporting_orgs": [],
                "deadline": (dev.now().date() + timedelta(days=10)).isoformat()}
        invited = [dict(i) for i in record.data["invitees"]]
        if any(i["org"] == DEPARTMENT for i in invited):  # the department uninvited, the other town invited
            invited = [i for i in invited if i["org"] != DEPARTMENT] + [{"org": "fengcheng", "name": "王强"}]
        else:
            invited = [i for i in invited if i["org"] != "fengcheng"] + [{"org": DEPARTMENT, "name": "周敏"}]
        args = {"notify_meeting": {"expected_status": "draft"},
                "update_meeting": {"place": mark, "invitees": invited}, "cancel_meeting": {"reason": mark},
                "record_attendance": {"attendance": {i["key"]: "出席" for i in record.data["invitees"]}},
                "write_minutes": {"intro": mark, "items": [*minutes.get("items", []), item][-3:],
                                  "expected_version": minutes.get("version")},
                "circulate_minutes": {}, "comment_minutes": {"text": mark},
                "sign_minutes": {"expected_version": minutes.get("version")},
                "amend_minutes": {"reason": mark, "intro": mark}}[name]
        try:
            meetings.step(dev.store, dev.profile, record.id, name, {k: v for k, v in args.items() if v is not None},
                          now=dev.now())
        except DomainError as exc:
            self._refused_locally(dev, name, record.id, exc, seq_before)
            return
        self.stats[name] += 1
        self._did(f"{dev.name}: {name} on {record.id} with {mark!r}")

    @staticmethod
    def _holds_case(dev: ModelDevice, case_id: str) -> bool:
        try:
            cases.get_case(dev.store, case_id)
        except DomainError:
            return False
        return True

    def _keepers(self) -> list[ModelDevice]:
        """The devices of the first town that keep its consultation item list and roster: the office staff, the
        squad leader."""
        office = self._offices()[0].profile.org_code
        return [dev for dev in self.devices if dev.profile.org_code == office
                and dev.profile.role in (Role.OFFICE_STAFF, Role.SQUAD_LEADER)]

    @rule(d=pick, c=pick)
    def create_item(self, d, c):
        """The office staff put a matter naming the department on the list, now and then from one of the town's
        cases."""
        dev = self._offices()[d % len(self._offices())]
        mark = self._value(dev, "会商事项")
        form = {"matter": mark, "units": [DEPARTMENT]}
        held = [case_id for case_id in self.model.created if self._holds_case(dev, case_id)] if c % 2 else []
        if held:
            form["case_id"] = held[c % len(held)]
        made = meetings.create_item(dev.store, dev.profile, form, now=dev.now())
        self.model.items[made.id] = dev.name
        self._did(f"{dev.name}: create_consultation_item {made.id} {mark!r} case {form.get('case_id')}")

    @precondition(lambda self: self.model.items)
    @rule(d=pick, i=pick, status=st.sampled_from((None, "scheduled", "resolved", "withdrawn", "open")))
    def update_item(self, d, i, status):
        """The matter or status of an item the device holds, changed by one of its town's keepers."""
        dev = self._keepers()[d % len(self._keepers())]
        held = [r for r in meetings.items(dev.store, dev.profile) if r.id in self.model.items]
        if not held:
            return
        record = held[i % len(held)]
        seq_before = dev.last_seq()
        fields = {"status": status} if status else {"matter": self._value(dev, "会商事项"), "note": "补充说明"}
        try:
            meetings.update_item(dev.store, dev.profile, record.id, fields, now=dev.now())
        except DomainError as exc:
            self._refused_locally(dev, "update_consultation_item", record.id, exc, seq_before)
            return
        self._did(f"{dev.name}: update_consultation_item {record.id} {fields}")

    @rule(d=pick)
    def add_roster_entry(self, d):
        dev = self._keepers()[d % len(self._keepers())]
        self.serial += 1
        made = roster.add(dev.store, dev.profile, {
            "name": f"队员{self.serial}", "cert_no": f"NQ-{self.serial:06d}", "issuer": "上海市人民政府",
            "post": "执法队员", "issued_on": (dev.now().date() - timedelta(days=30)).isoformat(),
            "expires_on": (dev.now().date() + timedelta(days=700)).isoformat()}, now=dev.now())
        self.model.roster[made.id] = dev.name
        self._did(f"{dev.name}: add_roster_entry {made.id} NQ-{self.serial:06d}")

    @precondition(lambda self: self.model.roster)
    @rule(d=pick, e=pick, what=st.sampled_from(("update", "retire", "reinstate")))
    def roster_step(self, d, e, what):
        """An update (post, phone), a retirement or a reinstatement of an entry the keeper's device holds."""
        dev = self._keepers()[d % len(self._keepers())]
        held = []
        for entry_id in self.model.roster:
            try:
                held.append(roster.get(dev.store, entry_id, today=dev.now().date()))
            except DomainError:
                continue
        if not held:
            return
        record = held[e % len(held)]
        seq_before = dev.last_seq()
        self.serial += 1
        try:
            if what == "retire":
                roster.retire(dev.store, dev.profile, record.id, f"调离{self.serial}", now=dev.now())
            else:
                form = {"active": True} if what == "reinstate" else {"post": f"岗位{self.serial}",
                                                                     "phone": f"021-5742{self.serial:04d}"}
                roster.update(dev.store, dev.profile, record.id, form, now=dev.now())
        except DomainError as exc:
            self._refused_locally(dev, f"{what}_roster_entry", record.id, exc, seq_before)
            return
        self._did(f"{dev.name}: {what} roster entry {record.id}")

    @rule(d=pick, days=st.sampled_from((-1, 0, 1)))
    def set_clock(self, d, days):
        dev = self._device(d)
        dev.skew = timedelta(days=days)
        self._did(f"{dev.name}'s clock is {days:+d} day(s) off")

    # --- sync and faults ------------------------------------------------------------------------------------

    @rule(d=pick)
    def sync(self, d):
        dev = self._device(d)
        report = dev.sync()
        self._did(f"{dev.name} syncs: {report.summary()}")
        assert self.server_up or report.outcome == "offline", report.summary()

    @precondition(lambda self: self.server_up and self._pushing())
    @rule(d=pick, kind=st.sampled_from(("drop_after", "503_after")))
    def push_answer_lost(self, d, kind):
        """The push reaches the server and is applied; its answer never arrives."""
        dev = self._pushing()[d % len(self._pushing())]
        dev.proxy.add(kind, "/sync/push")
        report = dev.sync()
        self._did(f"{dev.name} syncs, push answer lost ({kind}): {report.summary()}")

    @rule(d=pick, path=st.sampled_from(("/sync/push", "/sync/pull")))
    def kill_device_mid_sync(self, d, path):
        """The application dies while an answer is on its way (the push applied on the server, or a pull page
        cut off after earlier pages were saved); started again, it reopens its store from the file."""
        dev = self._device(d)
        dev.proxy.add("cut_body" if path == "/sync/pull" else "drop_after", path, at=64)
        report = dev.sync()
        dev.proxy.faults.clear()
        dev.device.reopen()
        self._did(f"{dev.name} killed during {path}, reopened: {report.summary()}")

    @precondition(lambda self: self.server_up and self._pushing())
    @rule()
    def kill_server(self):
        """Only while some device has changes to push: a kill with nothing under way costs a restart and shows
        nothing the other kills do not."""
        self.bureau.kill()
        self.server_up = False
        self._did("server SIGKILLed")

    @precondition(lambda self: not self.server_up)
    @rule()
    def restart_server(self):
        self.bureau.start()
        self.server_up = True
        self._did("server restarted on the same database")

    @precondition(lambda self: self.server_up and self._pushing())
    @rule(d=pick, after=st.booleans())
    def kill_server_mid_push(self, d, after):
        """SIGKILL while a push waits at the proxy: before it reached the server, or after the server committed
        it and before the answer left."""
        dev = self._pushing()[d % len(self._pushing())]
        fault = dev.proxy.add("hold_after" if after else "hold_before", "/sync/push")
        done = {}
        worker = threading.Thread(target=lambda: done.setdefault("report", dev.sync()))
        worker.start()
        while not fault.held.wait(0.05):
            assert worker.is_alive() or fault.held.is_set(), f"the push never reached the proxy: {done}"
        self.bureau.kill()
        self.server_up = False
        fault.release.set()
        worker.join(WAIT_S)
        assert not worker.is_alive(), "the sync did not return after its connection was dropped"
        dev.proxy.faults.clear()
        self._did(f"{dev.name}'s push held {'after' if after else 'before'} the server, server SIGKILLed: "
                  f"{done['report'].summary()}")

    # --- the invariants -------------------------------------------------------------------------------------

    @rule()
    def quiet_sync(self):
        self._quiet_sync()
        self._check()

    def _quiet_sync(self) -> None:
        if not self.server_up:
            self.restart_server()
        for dev in self.devices:
            dev.proxy.faults.clear()
        for _ in range(10):
            reports = [(dev, dev.sync()) for dev in self.devices]
            for dev, report in reports:
                assert report.error is None, f"{dev.name}: quiet sync failed: {report.summary()}"
                assert report.resets == 0, f"{dev.name} had to take a new client id: {report.summary()}"
            if not any(r.pushed or r.rejected for _, r in reports):
                return
        raise AssertionError("devices still pushing after ten rounds of quiet sync")

    def _check(self) -> None:
        server = ServerState.read(self.bureau)
        states = [(dev.name, dev.device.account, DeviceState.read(dev.store, dev.device.account.username))
                  for dev in self.devices]
        found = problems(self.model, server, states)
        for dev in self.devices:
            with dev.store.sessions() as session:
                mine = local_digest(session, dev.profile.case_towns)
            theirs = dev.device.client.digest()
            if (mine["count"], mine["hash"]) != (theirs["count"], theirs["hash"]):
                found.append(f"{dev.name}: digest {mine} here, {theirs} on the server")
        assert not found, "\n".join(found)
        self.stats["checks"] += 1
        self.stats["cases checked"] += len(server.cases)
        self.stats["referrals checked"] += len(server.referrals)
        for r in server.referrals.values():
            self.stats[f"referrals {r['status']}"] += 1
        self.stats["referral steps rejected"] += sum(e["result"] == "rejected" and e["kind"] == "referral"
                                                     for e in server.log.values())
        self.stats["supervision sheets checked"] += len(server.sheets)
        self.stats["meetings checked"] += len(server.meetings)
        for m in server.meetings.values():
            self.stats[f"minutes {((m['data'] or {}).get('minutes') or {}).get('status', 'none')}"] += 1
        self.stats["consultation items checked"] += len(server.items)
        self.stats["roster entries checked"] += len(server.roster)
        self.stats["conflicts checked"] += len(server.conflicts)
        self.stats["resolved conflicts checked"] += sum(c["status"] == "resolved" for c in server.conflicts.values())
        self.stats["rejections checked"] += sum(e["result"] == "rejected" for e in server.log.values())
        self.stats["mutations checked"] += len(server.log)

    def teardown(self):
        try:
            self._quiet_sync()
            self._check()
        finally:
            for dev in self.devices:
                dev.device.close()


def test_random_edits_syncs_and_faults_keep_every_device_equal_to_the_server(fresh_bureau, device):
    fresh_bureau.add_user(*DEPARTMENT_USER)
    fresh_bureau.add_user(*OFFICE_USER)
    fresh_bureau.snapshot()
    proxies = [Proxy(0) for _ in SyncMachine.specs]  # one per device: a fault hits the device it is meant for
    fresh_bureau.start()  # its port, for the proxies; every example starts it again on the same port
    for proxy in proxies:
        proxy.target_port = fresh_bureau.port
        proxy.start()
    SyncMachine.bureau, SyncMachine.proxies, SyncMachine.make_device = fresh_bureau, proxies, staticmethod(device)
    SyncMachine.examples, SyncMachine.stats = 0, Counter()
    config = settings(max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck), print_blob=True,
                      phases=[p for p in Phase if SHRINK or p is not Phase.shrink])
    try:
        run_state_machine_as_test(seed(SEED)(SyncMachine), settings=config)
    except BaseException as exc:
        exc.add_note(f"FX_MODEL_SEED={SEED} FX_MODEL_STEPS={STEPS} FX_MODEL_EXAMPLES={EXAMPLES} repeat this run; "
                     "FX_MODEL_SHRINK=1 (and --timeout=0) also minimises the failing sequence")
        raise
    finally:
        for proxy in proxies:
            proxy.stop()
        print(f"seed {SEED}, {SyncMachine.examples} examples:", dict(SyncMachine.stats))
