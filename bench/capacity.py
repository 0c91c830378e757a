"""Capacity of one fx-bureau (`make load` runs it after the load test, or `python -m bench.capacity [--devices 500]
[--rates 100,200,...] [--step 20]`): the highest rate of mutations per second it sustains with push p95 < 300 ms
and nothing lost, on a fresh PostgreSQL database with one worker process per core, as a district would run it.

Simulated devices (default 500: 125 users of the twelve towns with four devices each, every device its own client
id and its own mutation sequence) push realistic create_case / update_case batches and pull their town's changes,
through raw HTTP as bench.load's clients do. The offered rate rises in bounded steps (each `--step` seconds, the
rates of `--rates`): a pool of sender threads runs each device's cycle (push a batch of 1-5 mutations, then pull)
when it falls due, every device once per period, so the offered rate is independent of how many devices there are.
A step holds when the server kept up (at least 90 % of the offered mutations acknowledged in the step), push p95
stayed under 300 ms and no request failed; the first step that does not hold ends the ramp. Afterwards every
mutation a device pushed is looked up on the server (bench.load.verify): exactly once, nothing unexplained.

Figures: load_capacity_mutations_per_s (>= 500, the best step that held, with every step's figures), and
load_capacity_lost_or_duplicated (= 0). Bounded: each step has a fixed length, the ramp a fixed number of steps,
in-flight cycles a grace period; the server process and its database go away at the end, also after Ctrl-C.
"""
from __future__ import annotations

import argparse
import heapq
import os
import queue
import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .bureau import BenchBureau, pg_available
from .common import emit_timed, figure, log, percentile
from .load import PUSH_GOAL_MS, SimClient, verify

CAPACITY_GOAL = 500.0  # mutations per second
DEFAULT_RATES = (100, 200, 300, 400, 500, 600, 750, 900, 1100, 1300)
KEPT_UP = 0.9  # share of the offered mutations a step must see acknowledged
GRACE_S = 30.0
TOWNS = ("nanqiao", "fengcheng", "zhuanghang", "jinhui", "situan", "qingcun", "zhelin", "haiwan", "xidu", "fengpu",
         "jinhai", "haiwan_tourism")


class Schedule:
    """When each device's next cycle falls due: every device once per `period`, phases spread over the period. A
    device is handed to one sender at a time, and falls due again one period after its previous due time (or at
    once, if the server made it late: then the offered rate is simply not reached).

    One clock thread waits for the next due time and hands the device to the senders through a queue, so each due
    cycle wakes exactly one idle sender: with every sender waiting for the same due time, all of them woke each
    time, and that herd cost the load generator more CPU than its HTTP did."""

    def __init__(self, devices: list[SimClient], rng: random.Random):
        self.devices, self.rng = devices, rng
        self.cond = threading.Condition()
        self.heap: list[tuple[float, int]] = []
        self.period = 1.0
        self.closed = False
        self.ready: queue.SimpleQueue = queue.SimpleQueue()
        self.clock = threading.Thread(target=self._tick, name="schedule-clock", daemon=True)
        self.clock.start()

    def _tick(self) -> None:
        with self.cond:
            while not self.closed:
                if not self.heap:
                    self.cond.wait()
                    continue
                due, index = self.heap[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self.cond.wait(wait)
                    continue
                heapq.heappop(self.heap)
                self.ready.put((index, due, self.heap))

    def start(self, cycles_per_s: float) -> None:
        with self.cond:
            self.period = len(self.devices) / cycles_per_s
            now = time.monotonic()
            self.heap = [(now + self.rng.uniform(0, self.period), i) for i in range(len(self.devices))]
            heapq.heapify(self.heap)
            self.cond.notify_all()

    def pause(self) -> None:
        """No cycle starts from now on: those due but not yet taken by a sender are dropped too."""
        with self.cond:
            self.heap = []
            while True:
                try:
                    self.ready.get_nowait()
                except queue.Empty:
                    break

    def close(self, senders: int) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()
        for _ in range(senders):
            self.ready.put(None)

    def take(self) -> tuple[int, float, list] | None:
        """The next device due, when it is due: its index, due time and the schedule it was taken from (None:
        closed)."""
        return self.ready.get()

    def done(self, index: int, due: float, generation: list) -> None:
        with self.cond:
            if generation is self.heap:  # not paused (or restarted) since this cycle began
                heapq.heappush(self.heap, (max(due + self.period, time.monotonic()), index))
                self.cond.notify()


def device_cycle(device: SimClient) -> None:
    """A batch whose answer was lost goes again first (the server dedupes), then the next cycle."""
    if device.unacked:
        if not device.push(device.unacked):
            return
        device.unacked = None
    device.cycle()


@dataclass
class StepResult:
    offered: float
    achieved: float
    pushes: int
    p95_ms: float
    errors: int
    server_p95_ms: float = float("nan")  # the server's own time for a push (its access log), for comparison
    client_cores: float = float("nan")  # CPU the load generator itself used during the step, in cores

    @property
    def held(self) -> bool:
        return (self.errors == 0 and self.pushes > 0 and self.p95_ms < PUSH_GOAL_MS
                and self.achieved >= KEPT_UP * self.offered)

    def as_dict(self) -> dict:
        return {"offered_mutations_per_s": round(self.offered), "achieved_mutations_per_s": round(self.achieved, 1),
                "pushes": self.pushes, "push_p95_ms": round(self.p95_ms, 1),
                "server_push_p95_ms": round(self.server_p95_ms, 1), "errors": self.errors,
                "load_generator_cores": round(self.client_cores, 2),
                "held": self.held}


class Ramp:
    """The sender threads and the steps of offered rate."""

    def __init__(self, devices: list[SimClient], senders: int, batch: tuple[int, int], rng: random.Random,
                 server_push_ms: Callable[[], list[float]]):
        self.devices, self.server_push_ms = devices, server_push_ms
        self.schedule = Schedule(devices, rng)
        self.mean_batch = (batch[0] + batch[1]) / 2
        self.busy = 0
        self.busy_cond = threading.Condition()
        self.threads = [threading.Thread(target=self._send, name=f"sender-{i}", daemon=True) for i in range(senders)]

    def __enter__(self) -> "Ramp":
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.schedule.close(len(self.threads))
        deadline = time.monotonic() + GRACE_S
        for t in self.threads:
            t.join(max(0.1, deadline - time.monotonic()))

    def _send(self) -> None:
        while (taken := self.schedule.take()) is not None:
            index, due, generation = taken
            with self.busy_cond:
                self.busy += 1
            try:
                device_cycle(self.devices[index])
            except Exception as exc:  # noqa: BLE001 - counted against the step
                self.devices[index].errors.append(f"cycle: {type(exc).__name__}: {exc}")
            finally:
                with self.busy_cond:
                    self.busy -= 1
                    self.busy_cond.notify_all()
            self.schedule.done(index, due, generation)

    def _idle(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.busy_cond:
            while self.busy:
                if not self.busy_cond.wait(deadline - time.monotonic()) and time.monotonic() >= deadline:
                    return False
            return True

    def step(self, rate: float, seconds: float) -> StepResult:
        before = [(len(d.push_ms), len(d.sent), len(d.errors)) for d in self.devices]
        logged = len(self.server_push_ms())
        log(f"  offering {rate:g} mutations/s for {seconds:g} s")
        self.schedule.start(rate / self.mean_batch)
        started, cpu = time.monotonic(), time.process_time()
        time.sleep(seconds)
        self.schedule.pause()
        if not self._idle(GRACE_S):  # the cycles begun in the step finish before it is counted
            raise SystemExit(f"cycles still running {GRACE_S:g} s after the step at {rate:g}/s ended")
        elapsed = time.monotonic() - started
        client_cores = (time.process_time() - cpu) / elapsed
        pushes = [ms for d, (p, _s, _e) in zip(self.devices, before) for ms in d.push_ms[p:]]
        acked = sum(len(d.sent) - s for d, (_p, s, _e) in zip(self.devices, before))
        errors = sum(len(d.errors) - e for d, (_p, _s, e) in zip(self.devices, before))
        server = self.server_push_ms()[logged:]
        return StepResult(rate, acked / elapsed, len(pushes), percentile(pushes, 95) if pushes else float("nan"),
                          errors, percentile(server, 95) if server else float("nan"), client_cores)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--devices", type=int, default=500)
    p.add_argument("--devices-per-user", type=int, default=4)
    p.add_argument("--rates", default=",".join(map(str, DEFAULT_RATES)),
                   help="offered mutations per second, one step each, rising (default %(default)s)")
    p.add_argument("--step", type=float, default=20.0, help="seconds per step (default 20)")
    p.add_argument("--batch", type=int, nargs=2, default=(1, 5), metavar=("MIN", "MAX"))
    p.add_argument("--senders", type=int, default=96, help="sender threads (default 96)")
    p.add_argument("--seed-cases", type=int, default=1200, help="cases on the server before the start")
    p.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    p.add_argument("--workers", type=int, default=None, help="fx-bureau worker processes (default: one per core)")
    p.add_argument("--threads", type=int, default=None,
                   help="fx-bureau handler threads per worker (default: fx-bureau serve's own default)")
    p.add_argument("--seed", type=int, default=1)
    return p


def _users(args) -> list[tuple[str, str, str, str]]:
    return [(f"cap{u:03d}", "squad_leader" if u % 5 == 0 else "officer", TOWNS[u % len(TOWNS)], f"容量{u:03d}")
            for u in range(-(-args.devices // args.devices_per_user))]


def _devices(args, users: list, bureau: BenchBureau, rng: random.Random) -> list[SimClient]:
    devices = [SimClient(i, users[i // args.devices_per_user][0], users[i // args.devices_per_user][2], bureau.url,
                         bureau.password, random.Random(rng.random()), tuple(args.batch), (0.0, 0.0))
               for i in range(args.devices)]
    for device in devices:
        # A device idle for longer than the server's keep-alive finds its connection closed ("connection reset");
        # like fx-desktop it sends again, which is safe: the server dedupes a push it has already processed.
        device.http.mount("http://", HTTPAdapter(max_retries=Retry(total=2, connect=2, read=2, status=0,
                                                                   allowed_methods=None, raise_on_status=False)))
    return devices


def _set_up(devices: list[SimClient], senders: int) -> None:
    """Each device logs in and makes its first pull (its town's cases), in parallel: set-up, not measured."""
    pending = list(devices)
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if not pending:
                    return
                device = pending.pop()
            try:
                device.login()
                device.pull(measure=False)
            except Exception as exc:  # noqa: BLE001
                device.errors.append(f"set-up: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=work, daemon=True) for _ in range(min(senders, 32))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)


def run(args) -> list[dict]:
    from .sync import seed_cases

    if args.db == "postgresql" and not pg_available():
        raise SystemExit("PostgreSQL is not reachable; use --db sqlite to run without it")
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    rng = random.Random(args.seed)
    steps: list[StepResult] = []
    with tempfile.TemporaryDirectory(prefix="fx-capacity-") as tmp, \
            BenchBureau(args.db, Path(tmp) / "bureau") as bureau:
        users = _users(args)
        bureau.add_users(users)
        if args.seed_cases:
            seed_cases(bureau, args.seed_cases, seed=args.seed)
        bureau.start("--workers", str(args.workers or os.cpu_count() or 1),
                     *(("--threads", str(args.threads)) if args.threads else ()))
        devices = _devices(args, users, bureau, rng)
        log(f"fx-bureau on {bureau.url} ({args.db}); {len(devices)} devices, logging in and pulling")
        _set_up(devices, args.senders)
        failed = [e for d in devices for e in d.errors]
        if failed:
            raise SystemExit(f"set-up failed: {failed[:3]}")
        with Ramp(devices, args.senders, tuple(args.batch), rng,
                  lambda: bureau.request_times("/sync/push")) as ramp:
            for rate in rates:
                result = ramp.step(rate, args.step)
                steps.append(result)
                log(f"  offered {rate:6.0f}/s: achieved {result.achieved:6.1f}/s, {result.pushes} pushes, "
                    f"p95 {result.p95_ms:7.1f} ms (server-side {result.server_p95_ms:.1f} ms), {result.errors} errors, load generator {result.client_cores:.2f} cores -> {'held' if result.held else 'NOT held'}")
                if not result.held:
                    break
        bureau.stop()
        lost, problems = verify(bureau, devices, args.seed_cases)
    for line in problems[:10]:
        log(f"  lost/duplicated: {line}")
    for line in [e for d in devices for e in d.errors][:10]:
        log(f"  error: {line}")
    held = [s for s in steps if s.held]
    best = max((s.achieved for s in held), default=0.0)
    common = dict(devices=len(devices), server_db=args.db, batch=list(args.batch), step_s=args.step,
                  steps=[s.as_dict() for s in steps])
    return [
        figure("load_capacity_mutations_per_s", best, "mutations/s", f">= {CAPACITY_GOAL:g}",
               best >= CAPACITY_GOAL and lost == 0, ratio_to_goal=best / CAPACITY_GOAL, **common),
        figure("load_capacity_lost_or_duplicated", lost, "count", "= 0", lost == 0, devices=len(devices)),
    ]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.devices < 1 or args.step <= 0 or not 1 <= args.batch[0] <= args.batch[1] or args.senders < 1:
        _parser().error("--devices, --step and --senders must be positive, --batch MIN MAX with 1 <= MIN <= MAX")
    emit_timed(lambda: run(args), "capacity test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
