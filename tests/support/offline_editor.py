"""Child process for the SIGKILL test: makes edits offline, one committed transaction each, resuming after a
kill from what the database says was done. Edit i (0-based): even -> a new case, odd -> an edit of the case
made just before.

It reports its progress, so the test kills it at points it chose, at any machine speed: first "resume N" (N edits
were committed before), then it reads one line from stdin saying where to stop, "inside K" (in edit K's
transaction, its rows written but not committed: prints "inside K"), "after K" (right after edit K is committed
and printed) or "none"; then "edit i" after each commit. Stopped, it waits for its SIGKILL; should the test go away
instead (stdin closed), it exits without finishing the edit."""
from __future__ import annotations

import os
import sys

from sqlalchemy import event

from fx_desktop.paths import DataPaths
from fx_desktop.services import cases
from fx_desktop.store import open_store
from fx_desktop.store.models import AuditEntry, Case
from fx_desktop.sync import account
from tests.conftest import case_draft


def _stop(line: str | None = None) -> None:
    if line:
        print(line, flush=True)
    sys.stdin.readline()  # the SIGKILL comes while this waits
    os._exit(3)


def main(root: str, total: int) -> int:
    store = open_store(DataPaths.at(root))
    profile = account.current(store).profile
    with store.sessions() as s:
        done = s.query(AuditEntry).filter(AuditEntry.action.in_(("create", "update"))).count()
    print(f"resume {done}", flush=True)
    where, _, at = (sys.stdin.readline().strip() or "none").partition(" ")
    stop_at = int(at) if at else -1
    current = {"edit": -1}

    @event.listens_for(store.engine, "commit")
    def before_commit(_connection):  # called before SQLite is told to commit
        if where == "inside" and current["edit"] == stop_at:
            _stop(f"inside {stop_at}")

    for i in range(done, total):
        current["edit"] = i
        if i % 2 == 0:
            cases.create_case(store, profile, case_draft(party_name=f"离线{i // 2:03d}"))
        else:
            with store.sessions() as s:
                case = s.query(Case).filter_by(party_name=f"离线{i // 2:03d}").one()
                case_id, version = case.id, case.version
            cases.update_case(store, profile, case_id, case_draft(party_name=f"离线{i // 2:03d}",
                                                                  facts=f"第{i}次修改"), base_version=version)
        print(f"edit {i}", flush=True)
        if where == "after" and i == stop_at:
            _stop()
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], int(sys.argv[2])))
