"""A child process for crash and concurrency tests: writes to one cohort in a loop.

It prints each write's id on stdout only after the store returned, that is
after the write was fsynced: the parent then checks that every printed id
survived whatever happened to this process.

Usage: python -m tests.helpers.capture_loop COHORT_FILE WORKLOAD COUNT [JOURNAL_MAX_LINES]
WORKLOAD is capture, edit, edit-network, delete or clock.
"""

from __future__ import annotations

import sys
from pathlib import Path

import arrow

from facilitator import store as store_module
from facilitator.domain import ClockEvent, Note, Structure
from facilitator.store import CohortStore


def main() -> None:
    path, workload, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    if len(sys.argv) > 4:
        store_module.JOURNAL_MAX_LINES = int(sys.argv[4])
    store = CohortStore(path)
    structure = store.records(Structure)[0]
    for n in range(count):
        if workload == "capture":
            note = Note(text=f"note {n} from {sys.argv[0]}", structure_id=structure.id)
            store.put(note)
            print(f"put {note.id}", flush=True)
        elif workload == "edit":
            store.patch(Structure, structure.id, {"sector": f"sector {n}"})
            print(f"sector sector {n}", flush=True)
        elif workload == "edit-network":  # another field of the same record
            store.patch(Structure, structure.id, {"network": f"network {n}"})
            print(f"network network {n}", flush=True)
        elif workload == "delete":
            note = Note(text=f"doomed {n}")
            store.put(note)
            store.delete(Note, note.id)
            print(f"del {note.id}", flush=True)
        elif workload == "clock":
            event = ClockEvent(session_id="s", action="next", at=arrow.utcnow())
            store.put(event)
            print(f"clock {event.id}", flush=True)


if __name__ == "__main__":
    main()
