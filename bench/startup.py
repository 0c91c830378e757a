"""Start-up: `fx-desktop --data-dir D` until its main window is shown (FX_DESKTOP_EXIT_WHEN_SHOWN=1 makes it print
a line then and quit), against a bare PySide6 window shown the same way; memory at that moment."""
from __future__ import annotations

import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import DISTRICT_STARTUP_GOAL_S, STARTUP_GOAL_S, district_scale, figure, log, median

APP_MARKER = b"fx-desktop: window shown"
BARE_MARKER = b"bare-qt: window shown"
START_TIMEOUT_S = 60.0
EXIT_TIMEOUT_S = 180.0  # the first start of the day backs up the database before the process ends

BARE_QT = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1300, 800)
window.show()


def shown():
    rss_kb = next((int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                   if line.startswith("VmRSS:")), 0) if Path("/proc/self/status").exists() else 0
    print(f"bare-qt: window shown rss_kb={rss_kb}", flush=True)
    app.quit()


QTimer.singleShot(0, shown)
app.exec()
"""


def app_command(data_dir: Path) -> list[str]:
    script = Path(sys.executable).parent / "fx-desktop"
    base = [str(script)] if script.exists() else [sys.executable, "-m", "fx_desktop"]
    return [*base, "--data-dir", str(data_dir)]


def bare_command() -> list[str]:
    return [sys.executable, "-c", BARE_QT]


def timed_start(cmd: list[str], marker: bytes) -> tuple[float, int]:
    """Seconds from Popen until `marker` appears on the child's stdout, and the rss_kb=N it reports. The child is
    then waited for (killed after EXIT_TIMEOUT_S), untimed."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FX_DESKTOP_EXIT_WHEN_SHOWN": "1"}
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, env=env)
        try:
            line = _read_until(proc, marker, started + START_TIMEOUT_S)
            elapsed = time.perf_counter() - started
            if line is None:
                err.seek(0)
                tail = err.read().decode("utf-8", "replace")[-2000:]
                raise RuntimeError(f"{cmd[0]} ended or timed out before showing its window "
                                   f"(exit code {proc.poll()}); stderr:\n{tail}")
        finally:
            try:
                proc.communicate(timeout=EXIT_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
    rss_kb = next((int(part.split(b"=", 1)[1]) for part in line.split() if part.startswith(b"rss_kb=")), 0)
    return elapsed, rss_kb


def _read_until(proc: subprocess.Popen, marker: bytes, deadline: float) -> bytes | None:
    fd = proc.stdout.fileno()
    buffer = b""
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return None
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            if marker in line:
                return line


def measure(cmd: list[str], marker: bytes, runs: int, label: str) -> tuple[list[float], list[int]]:
    """One untimed warm-up start (file cache; the app's daily backup), then `runs` timed ones."""
    warm_s, warm_rss = timed_start(cmd, marker)
    log(f"  {label}: warm-up {warm_s:.3f} s, rss {warm_rss / 1024:.0f} MB")
    times, rss = [], []
    for i in range(runs):
        t, r = timed_start(cmd, marker)
        times.append(t)
        rss.append(r)
        log(f"  {label}: run {i + 1}/{runs} {t:.3f} s, rss {r / 1024:.0f} MB")
    return times, rss


def compile_like_an_installation() -> None:
    """Byte-compile fx_desktop as pip does when it installs a package (and the installer ships): a start that
    compiled every module first (a checkout run with PYTHONDONTWRITEBYTECODE=1, as in this project's sandbox)
    measured 0.73 s instead of 0.61 s."""
    import compileall

    import fx_desktop

    compileall.compile_dir(Path(fx_desktop.__file__).parent, quiet=1)


def startup_figures(data_dir: Path, runs: int, *, cases: int | None = None) -> list[dict]:
    """startup_s, bare_qt_startup_s, startup_ratio_vs_bare_qt and rss_mb. The data dir needs a saved profile.
    From DISTRICT_CASES cases on, startup_s has the district's stricter goal."""
    extra = {"cases": cases} if cases is not None else {}
    compile_like_an_installation()
    goal_s = DISTRICT_STARTUP_GOAL_S if district_scale(cases) else STARTUP_GOAL_S
    app_times, app_rss = measure(app_command(data_dir), APP_MARKER, runs, "fx-desktop start")
    bare_times, bare_rss = measure(bare_command(), BARE_MARKER, runs, "bare Qt start")
    startup, bare = median(app_times), median(bare_times)
    ratio = startup / bare
    rss_mb = median(app_rss) / 1024
    log(f"  bare Qt window rss {median(bare_rss) / 1024:.0f} MB")
    return [
        figure("startup_s", startup, "s", f"< {goal_s:g} s", startup < goal_s, runs=runs, **extra),
        figure("bare_qt_startup_s", bare, "s", "none (baseline of startup_ratio_vs_bare_qt)", True,
               runs=runs),
        figure("startup_ratio_vs_bare_qt", ratio, "x", "<= 8x", ratio <= 8, baseline=bare,
               baseline_unit="s (bare Qt window)", ratio=ratio, **extra),
        figure("rss_mb", rss_mb, "MB", "< 200 MB", rss_mb < 200, runs=runs, **extra),
    ]
