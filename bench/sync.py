"""Sync against a real fx-bureau process on loopback: first pull of N cases into an empty client and the raw
fetch-and-insert it is compared with, the first pull again once a fifth of the cases have been referred to
departments, pushing queued mutations, a sync with nothing to exchange, uploading a large attachment against a
plain HTTP PUT of the same bytes, and downloading one against a plain HTTP GET of it.

Figures: pull_100k_s, pull_ratio_vs_raw, pull_100k_with_referrals_s, push_10k_s, noop_sync_ms,
upload_throughput_ratio, download_throughput_ratio (with other sizes the measured pull_{N}_s /
pull_{N}_with_referrals_s / push_{N}_s with their goal scaled, and the 100k / 10k figure estimated linearly; from
1,000,000 cases on, the district's goal for the first pull: under 6 minutes). `parts` (`--sync-parts`) picks which
measurements run (SYNC_PARTS), e.g. only pull,noop for a district's million cases.

The server's database is seeded directly (bench/sync_seed.py: SQLAlchemy Core bulk inserts of fx_bureau.models
rows, seq after the reference document's, counters.seq and the serials advanced to match), not through pushes:
seeding is set-up, not a measurement. The referrals (with their record_parties entries, their cases touched) are
seeded after the first pull and its baseline, so those two see cases only. The pulling client logs in as a bureau
dispatcher (no town: it receives every case and referral of the district); the pushing client as a squad leader
of one town.
"""
from __future__ import annotations

import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from fx_desktop.domain import case_fields

from .bureau import BenchBureau, free_port, pg_admin_url, pg_available
from .common import district_scale, figure, log, median
from .sync_seed import seed_cases, seed_referrals, warm_server_cache  # noqa: F401 - bench.load seeds through here

REFERENCE_CASES = 100_000  # pull_100k_s
REFERRED_SHARE = 5  # one case in five referred: 20,000 referrals beside 100,000 cases (pull_100k_with_referrals_s)
REFERENCE_MUTATIONS = 10_000  # push_10k_s
REFERENCE_UPLOAD_MB = 200
REFERENCE_DOWNLOAD_MB = 200
PULL_GOAL_S = 60.0
PULL_REFERRALS_GOAL_S = 75.0
DISTRICT_PULL_GOAL_S = 360.0  # the first pull of a district's register (DISTRICT_CASES and more)
PULL_RATIO_GOAL = 2.0
PUSH_GOAL_S = 5.0  # the push issue's goal (it was 30 s while a push took 0.9 - 2.8 ms a mutation)
NOOP_GOAL_MS = 100.0
UPLOAD_RATIO_GOAL = 0.5
DOWNLOAD_RATIO_GOAL = 0.5

PULLER = ("diao", "bureau_dispatcher", None, "刁建")
PUSHER = ("zhang", "squad_leader", "nanqiao", "张伟")


SYNC_PARTS = ("pull", "referrals", "push", "noop", "upload", "download")  # the measurements, in their order


@dataclass(frozen=True)
class SyncSizes:
    cases: int = REFERENCE_CASES
    mutations: int = REFERENCE_MUTATIONS
    upload_mb: int = REFERENCE_UPLOAD_MB
    noop_runs: int = 20
    upload_rounds: int = 2
    download_mb: int = REFERENCE_DOWNLOAD_MB
    download_rounds: int = 3

    @property
    def referrals(self) -> int:
        return self.cases // REFERRED_SHARE

    @classmethod
    def quick(cls) -> "SyncSizes":
        return cls(cases=5_000, mutations=1_000, upload_mb=20, noop_runs=10, upload_rounds=1, download_mb=20,
                   download_rounds=1)


def default_backend() -> str:
    """PostgreSQL (a district's server) when it is running here, else SQLite (a single office)."""
    return "postgresql" if pg_available() else "sqlite"


# --- timing the client's HTTP calls ---------------------------------------------------------------------------------
def timed_client(base_url: str):
    """A BureauClient that adds up the seconds spent in each API call (request, answer and JSON decoding), so the
    local part of a sync is the rest."""
    from fx_desktop.sync.transport import BureauClient

    class TimedClient(BureauClient):
        def __init__(self, url: str):
            super().__init__(url)
            self.spent: dict[str, float] = {}
            self.calls: dict[str, int] = {}

        def _timed(self, name, fn, *args, **kw):
            started = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.perf_counter() - started
                self.calls[name] = self.calls.get(name, 0) + 1

        def pull(self, *a, **kw):
            return self._timed("pull", super().pull, *a, **kw)

        def push(self, *a, **kw):
            return self._timed("push", super().push, *a, **kw)

        def digest(self):
            return self._timed("digest", super().digest)

        def upload_start(self, *a, **kw):
            return self._timed("upload_start", super().upload_start, *a, **kw)

        def upload_chunk(self, *a, **kw):
            return self._timed("upload_chunk", super().upload_chunk, *a, **kw)

        def upload_complete(self, *a, **kw):
            return self._timed("upload_complete", super().upload_complete, *a, **kw)

        def reset_timing(self) -> None:
            self.spent.clear()
            self.calls.clear()

    return TimedClient(base_url)


@dataclass
class Device:
    """One client data directory logged in as one user (like tests/sync/conftest.py's Device)."""

    root: Path
    bureau: BenchBureau
    username: str
    store: object = None
    client: object = None
    account: object = None
    creds: object = None

    def open(self) -> "Device":
        from fx_desktop.paths import DataPaths
        from fx_desktop.store import open_store
        from fx_desktop.sync import account
        from fx_desktop.sync.credentials import MemoryCredentials

        self.store = open_store(DataPaths.at(self.root))
        self.creds = MemoryCredentials()
        self.client = timed_client(self.bureau.url)
        self.account = account.login(self.store, self.client, self.creds, username=self.username,
                                     password=self.bureau.password, device_name="fx-bench")
        return self

    def engine(self):
        from fx_desktop.sync.engine import SyncEngine

        return SyncEngine(self.store, self.client, self.account, self.creds)

    def sync(self):
        engine = self.engine()
        report = engine.run()
        self.account = engine.account
        return report

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


# --- pull ---------------------------------------------------------------------------------------------------------
@dataclass
class PullRun:
    seconds: float
    pulled: int
    digest_ok: bool | None
    setup_s: float  # open_store + login
    http_pull_s: float
    digest_s: float
    pages: int
    device: Device


def measure_pull(bureau: BenchBureau, root: Path) -> PullRun:
    """Empty data directory -> open_store, login, SyncEngine.pull (with its digest check), timed end to end."""
    from fx_desktop.sync.engine import SyncReport

    started = time.perf_counter()
    device = Device(root, bureau, PULLER[0])
    try:
        device.open()
        setup = time.perf_counter() - started
        report = SyncReport()
        device.engine().pull(report)
        seconds = time.perf_counter() - started
    except BaseException:
        device.close()
        raise
    c = device.client
    return PullRun(seconds, report.pulled, report.digest_ok, setup, c.spent.get("pull", 0.0),
                   c.spent.get("digest", 0.0), c.calls.get("pull", 0), device)


RAW_FIELD_COLUMNS = tuple(c for c in case_fields.COLUMNS if c not in case_fields.of_kind(case_fields.LIST))
RAW_CASE_COLUMNS = (
    "id", "number", "town_code", "status", "version", "server_version", "opened_on", "filed_on", "decision_due",
    "decided_on", "created_by", "updated_at", *RAW_FIELD_COLUMNS,
)
_RAW_TIMES = frozenset(case_fields.of_kind(case_fields.DATETIME))


def _t(value):
    return value.replace("T", " ") if isinstance(value, str) else value


def raw_fetch_and_insert(base_url: str, http, access_token: str, root: Path, page_size: int,
                         refresh=None) -> tuple[float, int]:
    """The baseline: GET /sync/pull pages (same page size, same requests.Session) and plain sqlite3 executemany
    INSERTs into a freshly created client database (all indexes and search-index triggers present), one
    transaction per page. No rebase, no audit, no digest. Returns (seconds, cases inserted). `refresh()` gives a
    new access token when the server answers 401 (at 1,000,000 cases the baseline outlasts one token)."""
    from fx_desktop.paths import DataPaths
    from fx_desktop.store import open_store
    from fx_desktop.store.db import configure_connection

    store = open_store(DataPaths.at(root))  # schema, indexes, FTS triggers; not timed
    path = store.paths.database
    store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    configure_connection(conn)  # the search-index triggers call the app's SQL functions
    case_sql = (f"INSERT INTO cases ({', '.join(RAW_CASE_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(RAW_CASE_COLUMNS))})")
    officer_sql = "INSERT INTO case_officers (case_id, position, name, cert_no) VALUES (?,?,?,?)"
    evidence_sql = ("INSERT INTO evidence (id, case_id, kind, name, sha256, size, captured_at, added_at, added_by) "
                    "VALUES (?,?,?,?,?,?,?,?,?)")
    headers = {"Authorization": f"Bearer {access_token}"}
    inserted = 0
    cursor = None
    started = time.perf_counter()
    try:
        while True:
            params = {"limit": page_size, **({"cursor": cursor} if cursor else {})}
            response = http.get(base_url + "/sync/pull", params=params, headers=headers, timeout=(5, 120))
            if response.status_code == 401 and refresh is not None:
                headers = {"Authorization": f"Bearer {refresh()}"}
                response = http.get(base_url + "/sync/pull", params=params, headers=headers, timeout=(5, 120))
            response.raise_for_status()
            page = response.json()
            cases, officers, evidence = [], [], []
            for c in page["changes"]:
                if c["type"] != "case":
                    continue
                f = c["fields"]
                cases.append((c["id"], c["number"], c["town_code"], c["status"], 1, c["version"], c["opened_on"],
                              c["filed_on"], c["decision_due"], c["decided_on"], c["created_by"], _t(c["updated_at"]),
                              *(_t(f.get(k)) if k in _RAW_TIMES else f.get(k) for k in RAW_FIELD_COLUMNS)))
                officers.extend((c["id"], i, name, cert) for i, (name, cert) in enumerate(c["officers"]))
                evidence.extend((e["id"], c["id"], e["kind"], e["name"], e["sha256"], e["size"], _t(e["captured_at"]),
                                 _t(e["added_at"]), e["added_by"]) for e in c["evidence"])
            conn.execute("BEGIN")
            conn.executemany(case_sql, cases)
            conn.executemany(officer_sql, officers)
            conn.executemany(evidence_sql, evidence)
            conn.execute("COMMIT")
            inserted += len(cases)
            if not page["more"]:
                break
            cursor = page["cursor"]
        return time.perf_counter() - started, inserted
    finally:
        conn.close()


def _pull_goal(cases: int) -> float | None:
    """The first pull's goal at this size when it is not the 100k goal scaled: a district's register."""
    return DISTRICT_PULL_GOAL_S if district_scale(cases) else None


def _local_counts(device: Device) -> dict[str, int]:
    """What a client holds: cases, referrals, the cases it shows as referred and the referrals still open."""
    from sqlalchemy import text

    with device.store.sessions() as session:
        return dict(zip(("cases", "referrals", "referred_cases", "open_referrals"), session.execute(text(
            "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM referrals), "
            "(SELECT count(*) FROM cases WHERE status = 'referred'), "
            "(SELECT count(*) FROM referrals WHERE status IN ('submitted', 'received', 'accepted'))")).one()))


def _server_counts(bureau: BenchBureau) -> dict[str, int]:
    """The same of the server's database (the cases and referrals themselves are counted by the caller)."""
    from sqlalchemy import text

    with bureau.engine.connect() as conn:
        found = dict(zip(("referred_cases", "open_referrals"), conn.execute(text(
            "SELECT (SELECT count(*) FROM cases WHERE status = 'referred'), "
            "(SELECT count(*) FROM referrals WHERE status IN ('submitted', 'received', 'accepted'))")).one()))
    bureau.engine.dispose()
    return found


# --- push ---------------------------------------------------------------------------------------------------------
def queue_mutations(device: Device, count: int, *, seed: int = 2) -> dict[str, int]:
    """`count` mutations in the outbox through fx_desktop.services.cases: half create_case, half update_case of
    those cases (facts supplemented, sometimes place or amount corrected), as a squad would over days offline."""
    from fx_desktop.services import cases
    from fx_desktop.store import outbox

    from .sync_data import draft, edited, officer_pool

    rng = random.Random(seed)
    pool = officer_pool(rng)
    profile = device.account.profile
    creates = (count + 1) // 2
    made = []
    for i in range(creates):
        d = draft(rng, profile.town_code, pool)
        made.append((cases.create_case(device.store, profile, d), d))
        if (i + 1) % 2000 == 0:
            log(f"  queued {i + 1} create_case")
    for i in range(count - creates):
        record, d = made[i]
        cases.update_case(device.store, profile, record.id, edited(rng, d), base_version=record.version)
        if (i + 1) % 2000 == 0:
            log(f"  queued {i + 1} update_case")
    with device.store.sessions() as session:
        pending = outbox.pending_count(session, device.account.username)
    return {"create_case": creates, "update_case": count - creates, "pending": pending}


# --- no-op sync -----------------------------------------------------------------------------------------------------
NOOP_BUDGET_S = 60.0
NOOP_MIN_RUNS = 5


def measure_noop(device: Device, runs: int, budget_s: float = NOOP_BUDGET_S) -> tuple[list[float], dict]:
    """SyncEngine.run() with nothing to push and nothing to pull: a catch-up run and a warm-up run, then `runs`
    timed ones (fewer, but at least NOOP_MIN_RUNS, when they take longer than `budget_s` in all). Returns
    milliseconds and the median split of one run."""
    report = device.sync()  # catch up; not timed
    if not report.ok:
        raise RuntimeError(f"catch-up sync failed: {report.summary()}")
    device.sync()  # warm-up: nothing to exchange from here on
    times, split = [], {"pull": [], "digest": [], "push": []}
    first = time.perf_counter()
    for i in range(runs):
        if i >= NOOP_MIN_RUNS and time.perf_counter() - first > budget_s:
            break
        device.client.reset_timing()
        started = time.perf_counter()
        report = device.sync()
        times.append((time.perf_counter() - started) * 1000)
        for k in split:
            split[k].append(device.client.spent.get(k, 0.0) * 1000)
        if report.pulled or report.pushed or not report.ok:
            raise RuntimeError(f"a no-op sync exchanged something: {report.summary()}")
    from fx_desktop.sync.digest import local_digest

    digest_ms = []
    for _ in range(3):  # the local half of the digest check, on its own
        with device.store.sessions() as session:
            started = time.perf_counter()
            local_digest(session, device.account.profile.case_towns)
            digest_ms.append((time.perf_counter() - started) * 1000)
    return times, {**{f"{k}_http_ms": median(v) for k, v in split.items() if any(v)},
                   "local_digest_ms": median(digest_ms)}


# --- upload ---------------------------------------------------------------------------------------------------------
SINK_READY_TIMEOUT_S = 30.0


class UploadSink:
    """bench/upload_sink.py as a separate uvicorn process: receives a PUT body and writes it to disk."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "UploadSink":
        import requests

        self.root.mkdir(parents=True, exist_ok=True)
        out = open(self.root / "sink.log", "ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.upload_sink", "--port", str(self.port),
                                      "--dir", str(self.root)], stdout=out, stderr=out,
                                     cwd=str(Path(__file__).resolve().parents[1]), start_new_session=True)
        out.close()
        deadline = time.monotonic() + SINK_READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("upload sink exited: " + (self.root / "sink.log").read_text("utf-8", "replace"))
            try:
                if requests.get(self.url, timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("upload sink did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __exit__(self, *_exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def _write_random(path: Path, size: int, tag: int, base: bytes | None = None) -> None:
    """A file of `size` random bytes, unique per `tag`."""
    base = base or os.urandom(8 * 1024 * 1024)
    with open(path, "wb") as fh:
        fh.write(tag.to_bytes(8, "big"))
        left = size - 8
        while left > 0:
            n = min(left, len(base))
            fh.write(base[:n])
            left -= n


def _make_blob(device: Device, path: Path, size: int, tag: int, base: bytes) -> tuple[str, int]:
    """A file of `size` random bytes (unique per `tag`), put into the device's blob store; (sha256, size)."""
    _write_random(path, size, tag, base)
    stored = device.store.blobs.put_file(path)
    path.unlink()
    return stored.sha256, stored.size


def _throughput(got: dict) -> tuple[float, float, float, float]:
    """Median seconds through the client and for the plain request, their throughput ratio ((bytes / real) /
    (bytes / plain)) and the size in MB."""
    real, plain = median(got["real"]), median(got["plain"])
    return real, plain, plain / real, got["size"] / 1024 / 1024


def settle_database(bureau: BenchBureau, timeout_s: float = 120.0) -> None:
    """Let PostgreSQL finish the housekeeping the pull and push set off (autovacuum of the tables they filled, a
    checkpoint where this role may ask for one) before the uploads are timed: the plain PUT they are compared with
    never touches the database, so that background work would only slow one side. Not timed."""
    if bureau.backend != "postgresql":
        return
    from sqlalchemy import create_engine, text

    admin = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline and conn.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")).scalar():
                time.sleep(0.5)
            try:
                conn.execute(text("CHECKPOINT"))
            except Exception as exc:  # needs superuser or pg_checkpoint; the fxtest role has neither
                log(f"  (no CHECKPOINT before the uploads: {str(exc).splitlines()[0]})")
    finally:
        admin.dispose()


def measure_upload(device: Device, work: Path, mb: int, rounds: int) -> dict:
    """attachments.upload of an `mb` MB file against a plain HTTP PUT of the same file to the sink, alternated
    `rounds` times (each round a file of new bytes, so the server never already has it). Each is timed from a
    clean page cache (os.sync() first, not timed): otherwise whichever runs while the kernel is still writing back
    what came before (the blob just made, the other upload, the pull and push databases) is slowed by it, and
    the ratio measured that order rather than the uploads."""
    import requests

    from fx_desktop.sync.attachments import upload

    size = mb * 1024 * 1024
    base = os.urandom(8 * 1024 * 1024)
    real, plain, chunk_calls = [], [], []
    with UploadSink(work / "sink") as sink, requests.Session() as http:
        for r in range(rounds):
            sha, size = _make_blob(device, work / f"upload-{r}.bin", size, r, base)
            path = device.store.blobs.path_for(sha)
            os.sync()
            started = time.perf_counter()  # the plain PUT: the same bytes, streamed from the same file
            with open(path, "rb") as fh:
                response = http.put(sink.url + sha, data=fh, headers={"Content-Type": "application/octet-stream"},
                                    timeout=(5, 600))
            plain.append(time.perf_counter() - started)
            response.raise_for_status()
            if response.json().get("received") != size:
                raise RuntimeError(f"the sink received {response.json()} of {size} bytes")
            device.client.reset_timing()
            os.sync()
            started = time.perf_counter()
            outcome = upload(device.client, device.store.blobs, sha, size)
            real.append(time.perf_counter() - started)
            if outcome != "stored":
                raise RuntimeError(f"upload answered {outcome!r}, expected 'stored'")
            chunk_calls.append(dict(device.client.spent))
            log(f"  round {r + 1}: plain PUT {plain[-1]:.2f} s ({mb / plain[-1]:.0f} MB/s), "
                f"attachments.upload {real[-1]:.2f} s ({mb / real[-1]:.0f} MB/s); "
                + ", ".join(f"{k} {v:.2f} s" for k, v in device.client.spent.items()))
    return {"real": real, "plain": plain, "split": chunk_calls[-1], "size": size}


# --- download -------------------------------------------------------------------------------------------------------
def _drop(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def measure_download(uploader: Device, reader: Device, work: Path, mb: int, rounds: int) -> dict:
    """attachments.download of an `mb` MB evidence file against a plain requests GET of the same URL (same server,
    same access token, the same block size, written to a file with one fsync: no hashing, no Range, no rename),
    `rounds` times, the order alternating. The file is attached to a case on the town's device and synced, and the
    reading device pulls that case first, as a colleague's computer would (not timed). Before each download the
    target file is deleted and os.sync() run (not timed), so neither starts while the kernel writes back the
    other."""
    import requests

    from fx_desktop.services import cases, evidence
    from fx_desktop.sync.attachments import DOWNLOAD_BLOCK, download

    from .sync_data import draft, officer_pool

    size = mb * 1024 * 1024
    source = work / "download-source.bin"
    _write_random(source, size, tag=2)
    rng = random.Random(3)
    profile = uploader.account.profile
    made = cases.create_case(uploader.store, profile, draft(rng, profile.town_code, officer_pool(rng)))
    sha = evidence.add_evidence(uploader.store, profile, made.id, source).evidence[-1].sha256
    source.unlink()
    report = uploader.sync()
    if not report.ok or report.uploaded != 1:
        raise RuntimeError(f"the evidence file was not uploaded: {report.summary()}")
    report = reader.sync()
    if not report.ok:
        raise RuntimeError(f"the reading device did not pull the case: {report.summary()}")
    target = reader.store.blobs.path_for(sha)
    plain_target = work / "plain-download.bin"
    real, plain = [], []
    with requests.Session() as http:

        def plain_get() -> None:
            _drop(plain_target)
            reader.client.refresh_access()  # a fresh access token, whatever the rounds before took
            headers = {"Authorization": f"Bearer {reader.client.tokens.access}"}
            os.sync()
            started = time.perf_counter()
            with http.get(f"{reader.client.base_url}/blobs/{sha}", headers=headers, stream=True,
                          timeout=(5, 600)) as response:
                response.raise_for_status()
                with open(plain_target, "wb") as fh:
                    for block in response.iter_content(DOWNLOAD_BLOCK):
                        fh.write(block)
                    fh.flush()
                    os.fsync(fh.fileno())
            plain.append(time.perf_counter() - started)
            if plain_target.stat().st_size != size:
                raise RuntimeError(f"the plain GET wrote {plain_target.stat().st_size} of {size} bytes")
            _drop(plain_target)

        def client_download() -> None:
            _drop(target, target.with_suffix(".part"))
            os.sync()
            started = time.perf_counter()
            download(reader.client, reader.store.blobs, sha, size)
            real.append(time.perf_counter() - started)
            if target.stat().st_size != size:
                raise RuntimeError(f"attachments.download wrote {target.stat().st_size} of {size} bytes")

        for r in range(rounds):
            for measure in ((plain_get, client_download) if r % 2 == 0 else (client_download, plain_get)):
                measure()  # the order alternates, so neither always runs second
            log(f"  round {r + 1}: plain GET {plain[-1]:.2f} s ({mb / plain[-1]:.0f} MB/s), "
                f"attachments.download {real[-1]:.2f} s ({mb / real[-1]:.0f} MB/s)")
    _drop(plain_target)
    return {"real": real, "plain": plain, "size": size}


# --- the section ----------------------------------------------------------------------------------------------------
def _scaled(name_measured: str, name_reference: str, value: float, n: int, reference: int, goal_s: float,
            goal_at_n: float | None = None, **extra) -> list[dict]:
    """The demo_data convention: at the reference size one figure; otherwise the measured one with its goal scaled
    (or `goal_at_n`, a goal of its own at this size) and the reference figure estimated linearly. Both name the
    reference figure as their `series`, which bench.scale compares across sizes."""
    extra = {"series": name_reference, **extra}
    if n == reference:
        return [figure(name_reference, value, "s", f"< {goal_s:g} s", value < goal_s, ratio_to_goal=value / goal_s,
                       **extra)]
    goal = goal_at_n if goal_at_n is not None else goal_s * n / reference
    estimate = value * reference / n
    return [
        figure(name_measured, value, "s", f"< {goal:g} s", value < goal, ratio_to_goal=value / goal, **extra),
        figure(name_reference, estimate, "s", f"< {goal_s:g} s", estimate < goal_s, ratio_to_goal=estimate / goal_s,
               estimated=f"scaled linearly from {n}", **extra),
    ]


@dataclass
class _Failures:
    names: list[str] = field(default_factory=list)

    def run(self, name: str, fn) -> Iterator[dict]:
        try:
            yield from fn()
        except Exception:  # noqa: BLE001 - one failed measurement must not cost the others
            log(f"  {name} failed:\n{traceback.format_exc()}")
            self.names.append(name)


def sync_figures(sizes: SyncSizes, *, backend: str | None = None, work_dir: Path | None = None,
                 parts: tuple[str, ...] | None = None) -> Iterator[dict]:
    """The `sync` section (the measurements named in `parts`, default all of SYNC_PARTS). Yields figures as they
    are measured; raises at the end if any measurement failed."""
    backend = backend or default_backend()
    unknown = set(parts or ()) - set(SYNC_PARTS)
    if unknown:
        raise ValueError(f"unknown sync part(s) {', '.join(sorted(unknown))}; choose from {', '.join(SYNC_PARTS)}")
    temp = None
    if work_dir is None:
        temp = tempfile.TemporaryDirectory(prefix="fx-bench-sync-")
        work_dir = Path(temp.name)
    failures = _Failures()
    common = {"server_db": backend}
    devices: list[Device] = []
    try:
        with BenchBureau(backend, work_dir / "bureau") as bureau:
            bureau.add_users([PULLER, PUSHER])
            log(f"  seeding {sizes.cases} cases into the server's {backend} database")
            seeded = seed_cases(bureau, sizes.cases)
            log(f"  seeded in {seeded:.1f} s")
            warm_server_cache(bureau)
            bureau.start()
            from fx_desktop.sync.engine import PULL_PAGE

            state: dict = {}

            def device(root: Path, username: str) -> Device:
                made = Device(root, bureau, username)
                devices.append(made)
                return made.open()

            def pull_figures():
                run = measure_pull(bureau, work_dir / "pull-client")
                devices.append(run.device)
                state["puller"] = run.device
                if run.pulled != sizes.cases or run.digest_ok is not True:
                    raise RuntimeError(f"pulled {run.pulled} of {sizes.cases} cases, digest_ok={run.digest_ok}")
                local = run.seconds - run.setup_s - run.http_pull_s - run.digest_s
                log(f"  SyncEngine pull: {run.seconds:.2f} s for {run.pulled} cases in {run.pages} pages "
                    f"(open_store+login {run.setup_s:.2f} s, GET /sync/pull {run.http_pull_s:.2f} s, "
                    f"GET /sync/digest {run.digest_s:.2f} s, local apply+digest {local:.2f} s)")
                client = run.device.client
                page_size = getattr(run.device.engine(), "pull_page", PULL_PAGE)
                client.refresh_access()  # a fresh access token for the baseline, whatever the pull took

                def refreshed() -> str:
                    client.refresh_access()
                    return client.tokens.access

                raw_s, raw_n = raw_fetch_and_insert(bureau.url, client.http, client.tokens.access,
                                                    work_dir / "raw-client", page_size, refresh=refreshed)
                if raw_n != sizes.cases:
                    raise RuntimeError(f"the raw baseline inserted {raw_n} of {sizes.cases} cases")
                log(f"  raw fetch + executemany: {raw_s:.2f} s")
                extra = dict(cases=sizes.cases, page_size=page_size, pages=run.pages, setup_s=run.setup_s,
                             http_pull_s=run.http_pull_s, digest_http_s=run.digest_s, local_s=local, **common)
                yield from _scaled(f"pull_{sizes.cases}_s", "pull_100k_s", run.seconds, sizes.cases,
                                   REFERENCE_CASES, PULL_GOAL_S, _pull_goal(sizes.cases), raw_baseline_s=raw_s,
                                   ratio_vs_raw=run.seconds / raw_s, **extra)
                ratio = run.seconds / raw_s
                yield figure("pull_ratio_vs_raw", ratio, "x", f"<= {PULL_RATIO_GOAL:g}x", ratio <= PULL_RATIO_GOAL,
                             baseline=raw_s, baseline_unit="s (GET /sync/pull pages + sqlite3 executemany)",
                             measured=run.seconds, measured_unit="s (open_store + login + SyncEngine.pull)",
                             ratio=ratio, cases=sizes.cases, page_size=page_size, **common)

            def referral_figures():
                log(f"  referring {sizes.referrals} of the {sizes.cases} cases on the server (not timed)")
                log(f"  seeded in {seed_referrals(bureau, sizes.referrals):.1f} s")
                warm_server_cache(bureau)
                run = measure_pull(bureau, work_dir / "pull-referrals-client")
                devices.append(run.device)
                have = _local_counts(run.device)
                expected = {"cases": sizes.cases, "referrals": sizes.referrals, **_server_counts(bureau)}
                if (run.pulled != sizes.cases + sizes.referrals or run.digest_ok is not True
                        or have != expected):
                    raise RuntimeError(f"pulled {run.pulled} changes, digest_ok={run.digest_ok}; the client holds "
                                       f"{have}, the server {expected}")
                local = run.seconds - run.setup_s - run.http_pull_s - run.digest_s
                log(f"  SyncEngine pull: {run.seconds:.2f} s for {sizes.cases} cases and {sizes.referrals} "
                    f"referrals in {run.pages} pages (GET /sync/pull {run.http_pull_s:.2f} s, local apply+digest "
                    f"{local:.2f} s)")
                yield from _scaled(f"pull_{sizes.cases}_with_referrals_s", "pull_100k_with_referrals_s",
                                   run.seconds, sizes.cases, REFERENCE_CASES, PULL_REFERRALS_GOAL_S,
                                   cases=sizes.cases, referrals=sizes.referrals, pages=run.pages,
                                   setup_s=run.setup_s, http_pull_s=run.http_pull_s, digest_http_s=run.digest_s,
                                   local_s=local, **common)

            def push_figures():
                pusher = device(work_dir / "push-client", PUSHER[0])
                state["pusher"] = pusher
                log(f"  queueing {sizes.mutations} mutations through fx_desktop.services.cases (not timed)")
                queued_at = time.perf_counter()
                queued = queue_mutations(pusher, sizes.mutations)
                log(f"  queued {queued} in {time.perf_counter() - queued_at:.1f} s")
                if queued["pending"] != sizes.mutations:
                    raise RuntimeError(f"{queued['pending']} mutations pending, expected {sizes.mutations}")
                from fx_desktop.sync.engine import PUSH_BATCH, SyncReport

                engine = pusher.engine()
                report = SyncReport()
                pusher.client.reset_timing()
                started = time.perf_counter()
                engine.push(report)
                seconds = time.perf_counter() - started
                http = pusher.client.spent.get("push", 0.0)
                if report.pushed != sizes.mutations or report.rejected or report.conflicts:
                    raise RuntimeError(f"push: {report.pushed} pushed, {report.rejected} rejected, "
                                       f"{report.conflicts} conflicts of {sizes.mutations}")
                log(f"  SyncEngine.push: {seconds:.2f} s for {report.pushed} mutations "
                    f"(POST /sync/push {http:.2f} s in {pusher.client.calls.get('push', 0)} requests, "
                    f"local {seconds - http:.2f} s)")
                yield from _scaled(f"push_{sizes.mutations}_s", "push_10k_s", seconds, sizes.mutations,
                                   REFERENCE_MUTATIONS, PUSH_GOAL_S, mutations=sizes.mutations,
                                   create_case=queued["create_case"], update_case=queued["update_case"],
                                   batch=getattr(engine, "push_batch", PUSH_BATCH), http_push_s=http,
                                   local_s=seconds - http, server_cases=sizes.cases, **common)

            def noop_figures():
                puller = state.get("puller") or device(work_dir / "noop-client", PULLER[0])
                times, split = measure_noop(puller, sizes.noop_runs)
                value = median(times)
                log(f"  no-op sync ({sizes.cases} cases local): median {value:.1f} ms, min {min(times):.1f}, "
                    f"max {max(times):.1f}; " + ", ".join(f"{k} {v:.1f}" for k, v in split.items()))
                extra = {}
                pusher = state.get("pusher")
                if pusher is not None:  # a town client as well: fewer cases behind the digest
                    town_times, _ = measure_noop(pusher, sizes.noop_runs)
                    with pusher.store.sessions() as session:
                        from sqlalchemy import text

                        town_cases = session.execute(text("SELECT count(*) FROM cases")).scalar_one()
                    extra = {"town_client_ms": median(town_times), "town_client_cases": town_cases}
                    log(f"  no-op sync, town client ({town_cases} cases local): median {median(town_times):.1f} ms")
                yield figure("noop_sync_ms", value, "ms", f"< {NOOP_GOAL_MS:g} ms", value < NOOP_GOAL_MS,
                             runs=len(times), p90_ms=statistics.quantiles(times, n=10)[-1] if len(times) > 1
                             else value, client_cases=sizes.cases, client="bureau_dispatcher (every town)",
                             **split, **extra, **common)

            def upload_figures():
                uploader = state.get("pusher") or device(work_dir / "upload-client", PUSHER[0])
                settle_database(bureau)
                got = measure_upload(uploader, work_dir, sizes.upload_mb, sizes.upload_rounds)
                real, plain, ratio, mb = _throughput(got)
                yield figure("upload_throughput_ratio", ratio, "x", f">= {UPLOAD_RATIO_GOAL:g}",
                             ratio >= UPLOAD_RATIO_GOAL, ratio=ratio, measured_mb_s=mb / real,
                             baseline_mb_s=mb / plain, measured_s=real, baseline_s=plain, size_mb=sizes.upload_mb,
                             rounds=sizes.upload_rounds,
                             baseline="plain HTTP PUT streamed to a minimal Starlette app on uvicorn "
                                      "(bench/upload_sink.py, a separate process on this machine: body written "
                                      "to disk, one fsync); fx-bureau has no endpoint taking a whole file in one "
                                      "request (chunks are capped at chunk_bytes, 16 MiB)",
                             **{f"{k}_s": v for k, v in got["split"].items()}, **common)

            def download_figures():
                uploader = state.get("pusher") or device(work_dir / "download-uploader", PUSHER[0])
                reader = state.get("puller") or device(work_dir / "download-client", PULLER[0])
                settle_database(bureau)
                got = measure_download(uploader, reader, work_dir, sizes.download_mb, sizes.download_rounds)
                real, plain, ratio, mb = _throughput(got)
                yield figure("download_throughput_ratio", ratio, "x", f">= {DOWNLOAD_RATIO_GOAL:g}",
                             ratio >= DOWNLOAD_RATIO_GOAL, ratio=ratio, measured_mb_s=mb / real,
                             baseline_mb_s=mb / plain, measured_s=real, baseline_s=plain, size_mb=sizes.download_mb,
                             rounds=sizes.download_rounds, runs_measured_s=[round(x, 3) for x in got["real"]],
                             runs_baseline_s=[round(x, 3) for x in got["plain"]],
                             baseline="plain requests GET of /blobs/{sha256} from the same fx-bureau with the same "
                                      "access token, streamed to a file in the same blocks, one fsync (no hash "
                                      "check, no Range, no rename); each timed from a clean page cache",
                             **common)

            measurements = {"pull": pull_figures, "referrals": referral_figures, "push": push_figures,
                            "noop": noop_figures, "upload": upload_figures, "download": download_figures}
            for name in SYNC_PARTS:
                if parts is not None and name not in parts:
                    continue
                log(f"  [sync/{name}]")
                yield from failures.run(name, measurements[name])
    finally:
        for d in devices:
            d.close()
        if temp is not None:
            temp.cleanup()
    if failures.names:
        raise RuntimeError(f"sync measurements failed: {', '.join(failures.names)}")
