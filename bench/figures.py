"""How each figure is measured (bench/README.md says why each is measured this way).

Every group of runs starts with a warm-up that is thrown away (it pays for cold disk
caches and first imports), interleaves the figure with its floor, and keeps going when
one run fails: a run that times out is logged and left out, never counted as fast.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cohorts import (
    SESSION_KIND,
    agenda_mark,
    cohort_file,
    copy_workspace,
    facilitator_command,
    grow,
    make_demo,
)
from floor_app import MARK as FLOOR_MARK
from report import Figure, median, percentile
from terminal import BACKSPACE, ENTER, PtyProgram, Timeout, pump_all, terminal_env

from facilitator.store import JOURNAL_MAX_LINES

HERE = Path(__file__).resolve().parent
FLOOR_APP = HERE / "floor_app.py"
STORE_CHILD = HERE / "store_child.py"

CAPTURE_TEXT = "constat: @jardins #rh les bénévoles s'essoufflent"
IMPORT_FLOOR = "import tinydb, arrow, rich.console"
STORE_SIZES = (100, 1_000, 10_000)
STORE_LIMITS_MS = {1_000: 10.0, 10_000: 25.0}
RELOAD_SIZES = (1_000, 10_000)
BIG_COHORT = 10_000

MEMORY_SETTLE_S = 1.5  # clock running, before VmHWM is read
CLOCK_SETTLE_S = 2.0  # after space: the press is saved and the screen follows
KEY_GAP_S = 0.06  # between an echo and the next key: a fast typist, never a queue
ECHO_TIMEOUT_S = 3.0
PRIMED = 3  # keys typed untimed at the start of a line (their text is too short to find)
NGRAM = 4
TYPING_LETTERS = "jkqwxz"  # letters that make no French word: their n-grams are only ours
SAVING_KEYS = "§µ¤øæðþ"  # typed after Enter, found alone on the screen
AFTER_ENTER_S = 0.005
"""Between Enter and the next key: enough for the program to read them apart.

Read together (one SSH packet), the key goes into the note being saved instead of the
new line: a fault of its own, not a speed (see bench/README.md), which would leave
nothing to time here.
"""


@dataclass(frozen=True)
class Plan:
    """How many runs of each measure. ``QUICK`` keeps the whole bench under two minutes."""

    cold_runs: int
    big_runs: int
    command_runs: int
    store_runs: int
    store_puts: int
    store_reloads: int
    echo_runs: int
    echo_lines: int
    echo_keys: int
    rate_runs: int
    rate_seconds: float


QUICK = Plan(
    cold_runs=3,
    big_runs=2,
    command_runs=5,
    store_runs=2,
    store_puts=410,
    store_reloads=2,
    echo_runs=2,
    echo_lines=4,
    echo_keys=10,
    rate_runs=1,  # bytes a second barely vary from run to run: one run of ~10 s is enough
    rate_seconds=10.0,
)
DEFAULT = Plan(
    cold_runs=7,
    big_runs=4,
    command_runs=15,
    store_runs=4,
    store_puts=450,
    store_reloads=3,
    echo_runs=3,
    echo_lines=8,
    echo_keys=10,
    rate_runs=3,
    rate_seconds=10.0,
)


def log(message: str) -> None:
    """Progress on stderr, so that stdout holds the table alone."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


@dataclass
class EchoRun:
    """One run of typing: echo times (ms) and the keys typed after Enter that went astray."""

    typing: list[float] = field(default_factory=list)
    saving: list[float] = field(default_factory=list)
    tried: int = 0
    missed: int = 0


class Typist:
    """Lines of letters whose every n-gram is new in the run.

    A key's echo is found by the last few letters of the line appearing on the screen;
    earlier lines come back in the note feed once saved, so no n-gram may repeat.
    """

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def line(self, length: int) -> str:
        text = "".join(self.rng.choice(TYPING_LETTERS) for _ in range(NGRAM - 1))
        while len(text) < length:
            for _ in range(1000):
                letter = self.rng.choice(TYPING_LETTERS)
                gram = (text + letter)[-NGRAM:]
                if gram not in self.used:
                    break
            else:
                raise RuntimeError("no fresh n-gram left")
            self.used.add(gram)
            text += letter
        return text


def echo_seconds(program: PtyProgram, key: str, expect: str) -> float:
    """From writing one key to reading the output that shows ``expect``."""
    mark, sent = program.send(key.encode())
    seen = program.wait_for(expect, since=mark, timeout=ECHO_TIMEOUT_S)
    return seen - sent


class Bench:
    """The measures, on one demo workspace made for this run under ``tmp``."""

    def __init__(self, plan: Plan, tmp: Path) -> None:
        self.plan = plan
        self.tmp = tmp
        self.facilitator = str(facilitator_command())
        log("creating the demo cohort (facilitator demo --no-open)")
        self.demo = make_demo(tmp)
        self.mark = agenda_mark(self.demo)
        self.env = terminal_env()
        self.floor_paint: list[float] = []
        self.floor_memory: list[float] = []

    # --- programs -------------------------------------------------------------------------

    def session(self, root: Path, cols: int = 80, rows: int = 24) -> PtyProgram:
        argv = [self.facilitator, "--data", str(root), "session", SESSION_KIND]
        return PtyProgram(argv, cols=cols, rows=rows, env=self.env)

    def floor(self, mode: str, cols: int = 80, rows: int = 24) -> PtyProgram:
        return PtyProgram(
            [sys.executable, str(FLOOR_APP), mode],
            cols=cols,
            rows=rows,
            env=self.env,
            cwd=str(HERE),
        )

    def fresh_demo(self) -> Path:
        return copy_workspace(self.demo, self.tmp)

    @contextmanager
    def attempt(self, what: str) -> Iterator[None]:
        """One run; a failure is logged and the run left out."""
        try:
            yield
        except (Timeout, OSError, subprocess.SubprocessError, RuntimeError, ValueError) as error:
            log(f"{what}: run left out ({type(error).__name__}: {error})")

    # --- cold start and memory --------------------------------------------------------------

    def start_floor(self) -> tuple[float, float]:
        """Floor app: seconds to its label, then its VmHWM once settled."""
        with self.floor("label") as program:
            painted = program.wait_for(FLOOR_MARK) - program.started
            program.drain(MEMORY_SETTLE_S)
            peak = program.peak_rss_mib()
            program.kill()  # nothing to keep: a graceful quit only costs time here
            return painted, peak

    def start_session(self, root: Path) -> tuple[float, float]:
        """Session screen: seconds to the agenda title, then VmHWM with the clock running."""
        with self.session(root) as program:
            painted = program.wait_for(self.mark) - program.started
            program.send(b" ")
            program.drain(MEMORY_SETTLE_S)
            peak = program.peak_rss_mib()
            program.kill()
            return painted, peak

    def cold_start(self) -> list[Figure]:
        paint = Figure("cold start to first paint, session screen, 80×24", "ms", ratio_limit=1.25)
        memory = Figure("peak memory, session screen, demo cohort", "MiB", limit=45)
        for run in range(self.plan.cold_runs + 1):
            log(f"cold start {run}/{self.plan.cold_runs}" + (" (warm-up)" if run == 0 else ""))
            results: dict[str, tuple[float, float]] = {}
            order = ("floor", "app") if run % 2 else ("app", "floor")
            for which in order:
                with self.attempt(f"cold start ({which})"):
                    if which == "floor":
                        results[which] = self.start_floor()
                    else:
                        results[which] = self.start_session(self.fresh_demo())
            if run == 0:
                continue
            if "floor" in results:
                self.floor_paint.append(results["floor"][0] * 1000)
                self.floor_memory.append(results["floor"][1])
            if "app" in results:
                paint.values.append(results["app"][0] * 1000)
                memory.values.append(results["app"][1])
        paint.floor = self.floor_paint
        memory.floor = self.floor_memory
        return [paint, memory]

    def big_cohort(self) -> list[Figure]:
        """The same start with 10,000 notes in the cohort (about 1,000 on this session)."""
        template = copy_workspace(self.demo, self.tmp, "big-")
        grow(template, BIG_COHORT)
        paint = Figure("cold start to first paint, 10,000 notes", "ms")
        memory = Figure("peak memory, session screen, 10,000 notes", "MiB", limit=60)
        # No warm-up of its own: the cold start runs just before paid for the imports,
        # and the cohort file was just written, so it is in the page cache.
        for run in range(1, self.plan.big_runs + 1):
            log(f"10,000 notes {run}/{self.plan.big_runs}")
            with self.attempt("10,000 notes"):
                painted, peak = self.start_session(copy_workspace(template, self.tmp))
                paint.values.append(painted * 1000)
                memory.values.append(peak)
        paint.floor = self.floor_paint
        memory.floor = self.floor_memory
        return [paint, memory]

    # --- printing commands --------------------------------------------------------------------

    def command_seconds(self, argv: list[str]) -> float:
        start = time.perf_counter()
        done = subprocess.run(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=self.env, timeout=60
        )
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(
                done.stderr.decode(errors="replace").strip() or f"exit {done.returncode}"
            )
        return elapsed

    def has_review(self, root: Path) -> bool:
        done = subprocess.run(
            [self.facilitator, "--data", str(root), "review", "--help"],
            capture_output=True,
            env=self.env,
            timeout=60,
        )
        return done.returncode == 0

    def commands(self) -> list[Figure]:
        root = self.fresh_demo()
        base = [self.facilitator, "--data", str(root)]
        floor: list[float] = []
        capture = Figure("`facilitator capture` wall time", "ms", ratio_limit=1.5)
        review = Figure("`facilitator review` wall time", "ms", ratio_limit=1.5)
        runs: dict[str, tuple[list[str], list[float]]] = {
            "floor": ([sys.executable, "-c", IMPORT_FLOOR], floor),
            "capture": ([*base, "capture", CAPTURE_TEXT], capture.values),
        }
        if self.has_review(root):
            runs["review"] = ([*base, "review"], review.values)
        else:
            review.absent = "command absent"
            log("facilitator review does not exist (yet): reported as absent")
        for run in range(self.plan.command_runs + 1):
            for name, (argv, values) in runs.items():
                with self.attempt(name):
                    seconds = self.command_seconds(argv)
                    if run:
                        values.append(seconds * 1000)
        capture.floor = review.floor = floor
        return [capture, review]

    # --- capture to durable -------------------------------------------------------------------

    def durability(self) -> list[Figure]:
        medians: list[Figure] = []
        p90s: list[Figure] = []
        worst: list[Figure] = []
        reloads: list[Figure] = []
        for size in STORE_SIZES:
            template = copy_workspace(self.demo, self.tmp, f"store{size}-")
            grow(template, size)
            label = f"{size:,} notes"
            med = Figure(
                f"capture-to-durable put, median, {label}", "ms", limit=STORE_LIMITS_MS.get(size)
            )
            p90 = Figure(f"capture-to-durable put, p90, {label}", "ms")
            top = Figure(
                f"capture-to-durable put, worst, {label}",
                "ms",
                note=f"a compaction: one every {JOURNAL_MAX_LINES} writes",
            )
            reload = Figure(f"put + view reload before « saved », {label}", "ms")
            floor: list[float] = []
            # One warm-up for the three sizes: it pays for the imports of the child.
            first = 0 if size == STORE_SIZES[0] else 1
            for run in range(first, self.plan.store_runs + 1):
                log(
                    f"store, {label}, run {run}/{self.plan.store_runs}"
                    + (" (warm-up)" if run == 0 else "")
                )
                with self.attempt(f"store {label}"):
                    result = self.store_run(copy_workspace(template, self.tmp))
                    if run:
                        puts = [s * 1000 for s in result["puts"]]
                        med.values.append(median(puts))
                        p90.values.append(percentile(puts, 0.9))
                        top.values.append(max(puts))
                        reload.values.append(median(result["reload"]) * 1000)
                        floor.append(median(result["floor"]) * 1000)
            for figure in (med, p90, top, reload):
                figure.floor = floor
            medians.append(med)
            p90s.append(p90)
            worst.append(top)
            if size in RELOAD_SIZES:
                reloads.append(reload)
        return [*medians, *p90s, *worst, *reloads]

    def store_run(self, root: Path) -> dict[str, list[float]]:
        done = subprocess.run(
            [
                sys.executable,
                str(STORE_CHILD),
                str(cohort_file(root)),
                str(self.plan.store_puts),
                str(self.plan.store_reloads),
            ],
            capture_output=True,
            env=self.env,
            timeout=300,
            cwd=HERE,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode(errors="replace").strip()[-500:])
        result: dict[str, list[float]] = json.loads(done.stdout)
        return result

    # --- key to echo ---------------------------------------------------------------------------

    def type_line(self, program: PtyProgram, line: str, timed: Callable[[float], None]) -> None:
        """Type ``line`` one key at a time, each after the previous one showed up."""
        for index, key in enumerate(line):
            expect = line[max(0, index + 1 - NGRAM) : index + 1]
            seconds = echo_seconds(program, key, expect)
            if index >= PRIMED:
                timed(seconds * 1000)
            program.drain(KEY_GAP_S)

    def typing_run(self, program: PtyProgram, seed: int, rest: float) -> EchoRun:
        """Lines typed key by key, each ended by Enter and, just after it, one more key."""
        result = EchoRun()
        typist = Typist(seed)
        for number in range(self.plan.echo_lines):
            warm = number == 0  # the first line pays for first-time code paths
            line = typist.line(PRIMED + self.plan.echo_keys)
            self.type_line(program, line, (lambda _: None) if warm else result.typing.append)
            program.send(ENTER)  # the line is emptied (and, in facilitator, saved)...
            time.sleep(AFTER_ENTER_S)
            key = SAVING_KEYS[number % len(SAVING_KEYS)]
            mark, sent = program.send(key.encode())  # ...while the next key is typed
            # Alone in the emptied line, the key follows the line's padding; glued
            # to the line just typed, it went into the note being saved.
            where, seen = program.wait_for_any(
                (" " + key, line[-1] + key), since=mark, timeout=ECHO_TIMEOUT_S
            )
            if not warm:
                result.tried += 1
                if where == " " + key:
                    result.saving.append((seen - sent) * 1000)
                else:
                    result.missed += 1
            program.drain(KEY_GAP_S)
            program.send(BACKSPACE)
            program.drain(rest)
        return result

    def session_echo(self, root: Path, seed: int) -> EchoRun:
        """The capture line with the clock running; each line is saved as a note."""
        with self.session(root) as program:
            program.wait_for(self.mark)
            program.drain(0.5)
            program.send(b" ")  # the clock starts
            program.drain(CLOCK_SETTLE_S)
            program.send(b"c")  # the cursor goes into the capture line
            program.drain(0.5)
            return self.typing_run(program, seed, rest=1.0)  # the save ends, the feed follows

    def floor_echo(self, seed: int) -> EchoRun:
        """A bare Input that empties itself on Enter, as the capture line does."""
        with self.floor("input") as program:
            program.wait_for(FLOOR_MARK)
            program.drain(0.5)
            return self.typing_run(program, seed, rest=0.3)

    def echo(self) -> list[Figure]:
        names = ("key to echo, capture line, clock running", "key to echo while a note is saved")
        figures = [
            Figure(f"{name}, {stat}", "ms", limit=limit)
            for name in names
            for stat, limit in (("median", 8.0), ("p90", 16.0))
        ]
        for run in range(1, self.plan.echo_runs + 1):
            log(f"key to echo {run}/{self.plan.echo_runs}")
            for which in ("floor", "app"):
                with self.attempt(f"key to echo ({which})"):
                    if which == "floor":
                        result = self.floor_echo(run)
                    else:
                        result = self.session_echo(self.fresh_demo(), run)
                    if result.missed:
                        log(f"{which}: {result.missed} of {result.tried} keys after Enter astray")
                    for offset, samples in ((0, result.typing), (2, result.saving)):
                        if samples:
                            for figure, value in (
                                (figures[offset], median(samples)),
                                (figures[offset + 1], percentile(samples, 0.9)),
                            ):
                                (figure.floor if which == "floor" else figure.values).append(value)
        return figures

    # --- terminal output --------------------------------------------------------------------------

    def output_rate(self) -> list[Figure]:
        """Bytes a second with the clock running; the four programs run side by side.

        Side by side is fair here: what is counted is bytes, not time, and each
        program draws once a second whatever the others do.
        """
        sizes = ((80, 24), (200, 50))
        figures = {
            size: Figure(
                f"terminal output, clock running, {size[0]}×{size[1]}",
                "B/s",
                limit=200 if size == (80, 24) else None,
            )
            for size in sizes
        }
        for run in range(1, self.plan.rate_runs + 1):
            log(f"terminal output {run}/{self.plan.rate_runs} ({self.plan.rate_seconds:g} s)")
            with self.attempt("terminal output"):
                rates = self.rate_run(sizes)
                for size in sizes:
                    figures[size].values.append(rates[("app", size)])
                    figures[size].floor.append(rates[("floor", size)])
        return list(figures.values())

    def rate_run(
        self, sizes: tuple[tuple[int, int], ...]
    ) -> dict[tuple[str, tuple[int, int]], float]:
        programs: dict[tuple[str, tuple[int, int]], PtyProgram] = {}
        try:
            for size in sizes:
                programs[("app", size)] = self.session(self.fresh_demo(), *size)
                programs[("floor", size)] = self.floor("clock", *size)
            for (kind, _), program in programs.items():
                program.wait_for(self.mark if kind == "app" else FLOOR_MARK)
            for (kind, _), program in programs.items():
                if kind == "app":
                    program.send(b" ")  # the clock starts; the floor's ticks from its start
            everyone = list(programs.values())
            pump_all(everyone, CLOCK_SETTLE_S)
            marks = {key: len(program.output) for key, program in programs.items()}
            start = time.perf_counter()
            pump_all(everyone, self.plan.rate_seconds)
            elapsed = time.perf_counter() - start
            return {key: (len(p.output) - marks[key]) / elapsed for key, p in programs.items()}
        finally:
            for program in programs.values():
                program.close()
