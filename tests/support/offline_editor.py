"""Child process for the SIGKILL test: makes edits offline, one committed transaction each, resuming after a
kill from what the database says was done. Edit i (0-based): even -> a new case, odd -> an edit of the case
made just before. Prints "edit i" after each commit."""
from __future__ import annotations

import sys

from fx_desktop.paths import DataPaths
from fx_desktop.services import cases
from fx_desktop.store import open_store
from fx_desktop.store.models import AuditEntry, Case
from fx_desktop.sync import account
from tests.conftest import case_draft


def main(root: str, total: int) -> int:
    store = open_store(DataPaths.at(root))
    profile = account.current(store).profile
    with store.sessions() as s:
        done = s.query(AuditEntry).filter(AuditEntry.action.in_(("create", "update"))).count()
    for i in range(done, total):
        if i % 2 == 0:
            cases.create_case(store, profile, case_draft(party_name=f"离线{i // 2:03d}"))
        else:
            with store.sessions() as s:
                case = s.query(Case).filter_by(party_name=f"离线{i // 2:03d}").one()
                case_id, version = case.id, case.version
            cases.update_case(store, profile, case_id, case_draft(party_name=f"离线{i // 2:03d}",
                                                                  facts=f"第{i}次修改"), base_version=version)
        print(f"edit {i}", flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], int(sys.argv[2])))
