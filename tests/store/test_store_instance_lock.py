"""One process per data directory."""
import subprocess
import sys
import textwrap

import pytest

from fx_desktop.instance_lock import AlreadyRunning, acquire

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from fx_desktop.instance_lock import AlreadyRunning, acquire
    try:
        lock = acquire(Path(sys.argv[1]))
    except AlreadyRunning as exc:
        print(exc)
        sys.exit(3)
    lock.release()
    print("acquired")
""")


def _child(lock_path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHILD, str(lock_path)], capture_output=True, text=True,
                          encoding="utf-8", timeout=60)


def test_second_acquire_in_same_process_is_refused(data_paths):
    lock = acquire(data_paths.lock)
    try:
        assert lock.is_locked
        with pytest.raises(AlreadyRunning) as exc:
            acquire(data_paths.lock)
        assert exc.value.root == data_paths.root
        assert "已在使用数据目录" in str(exc.value) and str(data_paths.root) in str(exc.value)
    finally:
        lock.release()
    again = acquire(data_paths.lock)  # free again once released
    again.release()


def test_second_process_is_refused_while_first_holds_lock(data_paths):
    lock = acquire(data_paths.lock)
    try:
        child = _child(data_paths.lock)
        assert child.returncode == 3, child.stderr
        assert "已在使用数据目录" in child.stdout
    finally:
        lock.release()
    child = _child(data_paths.lock)
    assert child.returncode == 0 and "acquired" in child.stdout, child.stderr
