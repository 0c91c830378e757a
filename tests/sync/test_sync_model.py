"""Model-based test of offline-first sync (issue 11: the test that guards moving cases onto the record registry).

Hypothesis drives devices (real SQLite stores, each logged in as its own user with its own client id; by default
two users of one town and one of another) and a real fx-bureau process through random sequences of offline edits
through the client's services, syncs, and faults: the server SIGKILLed (also while a push waits at the proxy,
before or after the server did the work) and restarted on the same database, a push whose answer is lost, a device
killed mid-sync (its answer cut off, then the store reopened from its file), a clock a day fast or slow. After
every quiet sync (the server up, no fault, every device syncing until nobody has anything to push) the
invariants of tests/support/sync_model.py must hold: each device holds exactly what the server shows its user
(cases with version, status, fields, officers, review rounds; conflicts), each saved change reached the server
exactly once with the outcome the device shows, nothing a user saved is lost, every clash is a conflict.

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
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, conflicts, legal_review
from fx_desktop.domain.case_draft import to_json_value
from fx_desktop.services.review_rules import review_rules
from fx_desktop.store import outbox
from tests.conftest import case_draft
from tests.support.faulty_proxy import Proxy
from tests.support.sync_model import DeviceState, Edit, Model, ServerState, problems

LONG = bool(os.environ.get("FX_MODEL_STEPS") or os.environ.get("FX_MODEL_EXAMPLES"))
STEPS = int(os.environ.get("FX_MODEL_STEPS") or 25)
EXAMPLES = int(os.environ.get("FX_MODEL_EXAMPLES") or 4)
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


# Two users of nanqiao on two devices and a user of fengcheng. A department's device joins this list once
# referrals exist (its user's organisation decides what it may see: tests/support/sync_model.may_see).
DEVICES = (DeviceSpec("a1", "zhang"), DeviceSpec("a2", "li"), DeviceSpec("b", "wang"))
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
        """Each device registers a case and everybody syncs: every example starts with cases two devices share."""
        for dev in self.devices:
            self.create_case(self.devices.index(dev))
        self._quiet_sync()

    # --- what users do, offline ----------------------------------------------------------------------------

    @rule(d=pick)
    def create_case(self, d):
        dev = self._device(d)
        record = cases.create_case(dev.store, dev.profile, case_draft(party_name=f"模型{self.serial}"), now=dev.now())
        self.serial += 1
        self.model.created[record.id] = dev.name
        self._did(f"{dev.name} creates {record.id}")

    @rule(d=pick, c=pick, field=st.sampled_from(FIELDS))
    def edit_field(self, d, c, field):
        dev = self._device(d)
        candidates = self._cases(dev)
        if not candidates:
            return
        self._edit(dev, candidates[c % len(candidates)], field)

    @rule(c=pick, field=st.sampled_from(FIELDS))
    def clash(self, c, field):
        """Two devices of one organisation change the same field of a case both hold, before either syncs: the
        edit a random walk rarely makes, and the one that must become a conflict."""
        shared = [(record, [dev for dev in self.devices if record.id in {r.id for r in self._cases(dev)}])
                  for record in self._cases_anywhere()]
        shared = [(record, devs) for record, devs in shared if len(devs) >= 2]
        if not shared:
            return
        record, devs = shared[c % len(shared)]
        for dev in devs[:2]:
            self._edit(dev, cases.get_case(dev.store, record.id), field)

    def _cases_anywhere(self) -> list[cases.CaseRecord]:
        return [r for dev in self.devices for r in self._cases(dev)]

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
        """Any step the role may take now, terminal ones (不予立案, 移送, 撤销, 结案) included."""
        dev = self._device(d)
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
        dev = self._device(d)
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
        dev = self._device(d)
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
        assert not found, "\n".join(found)
        self.stats["checks"] += 1
        self.stats["cases checked"] += len(server.cases)
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
