"""Capture-to-durable in a fresh process: ``CohortStore.put`` of one note, one at a time.

Run as ``python store_child.py COHORT_FILE PUTS RELOADS``; prints one JSON object of seconds:
``puts`` (each put, in order: one of them folds the journal into a new snapshot),
``floor`` (appending a line of the same size to a file in the same directory and
fsyncing it, interleaved with the puts so both see the same disk) and ``reload``
(put then ``CohortView.load``: what the live screen waits for before it says "saved").

A fresh process because that is how the first notes of a session are written: the
store has just been opened, nothing of the journal is cached yet.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from cohorts import note_for

from facilitator.domain import Note, Session, Structure
from facilitator.store import CohortStore, encode_line
from facilitator.view import CohortView

FLOOR_EVERY = 4


def append_fsync(path: Path, line: bytes) -> float:
    """The least a durable append costs here: open, write, fsync, close."""
    start = time.perf_counter()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return time.perf_counter() - start


def main(cohort: Path, count: int, reloads: int) -> dict[str, list[float]]:
    store = CohortStore(cohort)
    structures = store.records(Structure)
    sessions = store.records(Session)
    base = len(store.docs(Note.TABLE))
    scratch = cohort.with_name("floor.scratch")
    puts: list[float] = []
    floor: list[float] = []
    for index in range(count):
        note = note_for(structures, sessions, base + index)
        start = time.perf_counter()
        store.put(note)
        puts.append(time.perf_counter() - start)
        if index % FLOOR_EVERY == 0:
            line = encode_line(store.generation, [{"o": "put", "t": "notes", "d": note.to_doc()}])
            floor.append(append_fsync(scratch, line))
    reload: list[float] = []
    for index in range(reloads):
        note = note_for(structures, sessions, base + count + index)
        start = time.perf_counter()
        store.put(note)
        CohortView.load(store)
        reload.append(time.perf_counter() - start)
    scratch.unlink(missing_ok=True)
    return {"puts": puts, "floor": floor, "reload": reload}


if __name__ == "__main__":
    json.dump(main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])), sys.stdout)
