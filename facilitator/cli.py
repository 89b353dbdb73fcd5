"""The command line (see shared/CLI.md): what facilitators script around the app.

Every error is one or two plain sentences on stderr in the chosen language,
with exit code 2 for bad usage or input and 1 for a failed operation; never a
traceback, and a failed command changes nothing on disk. The TUI is imported
only by the commands that open it, so printing commands start fast and run
where no TUI can.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import math
import os
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import arrow

from facilitator import __version__
from facilitator.domain import (
    SESSION_ORDER,
    Cohort,
    InvalidInput,
    NoteKind,
    Participant,
    Session,
    SessionKind,
    Structure,
    label,
)
from facilitator.i18n import (
    LANGUAGES,
    UnknownLanguage,
    catalogue,
    day_count,
    language,
    resolve_language,
    set_language,
    t,
)
from facilitator.store import (
    DAMAGED_JOURNAL_SUFFIX,
    DAMAGED_SUFFIX,
    CohortStore,
    DamagedFile,
    StoreError,
)
from facilitator.terminal import visible
from facilitator.text import fold, match_one
from facilitator.view import CohortView
from facilitator.workspace import Workspace, data_dir

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


class Fail(Exception):
    """Stop a command with a message already in the person's language."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _translate_argparse(lang: str) -> None:
    """argparse's own messages (usage, required arguments...) in our language.

    argparse looks its strings up through the module-level ``_`` at call time,
    so routing it to our catalogue translates them without copying argparse.
    """
    table = catalogue(lang)
    argparse._ = lambda msgid: table.get(f"argparse.{msgid}", msgid)  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise Fail(t("cli.error.usage", detail=message, prog=self.prog))


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """Options accepted before or after the subcommand."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--data", metavar="DIR", default=default, help=t("cli.help.data"))
    parser.add_argument("--lang", choices=LANGUAGES, default=default, help=t("cli.help.lang"))
    parser.add_argument(
        "--read-only",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help=t("cli.help.read_only"),
    )


def build_parser() -> Parser:
    parser = Parser(prog="facilitator", description=t("cli.help.description"))
    parser.add_argument(
        "--version",
        action="version",
        version=f"facilitator {__version__}",
        help=t("cli.help.version"),
    )
    _common(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], key: str | None = None
    ) -> Parser:
        text = t(f"cli.command.{key or name}")
        sub: Parser = commands.add_parser(name, help=text, description=text)
        _common(sub, top=False)
        sub.set_defaults(handler=handler)
        return sub

    demo = command("demo", cmd_demo)
    demo.add_argument("--no-open", action="store_true", help=t("cli.help.no_open"))

    capture = command("capture", cmd_capture)
    capture.add_argument("text", metavar="TEXT", help=t("cli.help.capture_text"))
    capture.add_argument("--cohort", metavar="C", help=t("cli.help.cohort"))
    capture.add_argument("--structure", metavar="S", help=t("cli.help.structure"))
    capture.add_argument(
        "--session", metavar="K", choices=[k.value for k in SessionKind], help=t("cli.help.session")
    )
    capture.add_argument("--kind", metavar="N", help=t("cli.help.kind"))

    listing = command("list", cmd_list)
    listing.add_argument("what", choices=["cohorts", "structures", "participants", "sessions"])
    listing.add_argument("--cohort", metavar="C", help=t("cli.help.cohort"))

    command("check", cmd_check)

    review = command("review", cmd_review)
    review.add_argument("--cohort", metavar="C", help=t("cli.help.cohort"))
    review.add_argument("--structure", metavar="S", help=t("cli.help.review_structure"))

    session = command("session", cmd_session)
    session.add_argument("kind", metavar="K", help=t("cli.help.session"))
    session.add_argument("--structure", metavar="S", help=t("cli.help.structure"))
    session.add_argument("--cohort", metavar="C", help=t("cli.help.cohort"))

    project = command("project", cmd_project)
    project.add_argument("--session", metavar="K", help=t("cli.help.project_session"))
    project.add_argument("--structure", metavar="S", help=t("cli.help.structure"))
    project.add_argument("--cohort", metavar="C", help=t("cli.help.cohort"))
    forget = command("forget", cmd_forget)
    forget.add_argument("--participant", metavar="P", required=True, help=t("cli.help.participant"))
    forget.add_argument("--cohort", metavar="C", help=t("cli.help.cohort"))

    restore = command("restore", cmd_restore)
    restore.add_argument("backup", metavar="BACKUP", nargs="?", help=t("cli.help.backup"))
    restore.add_argument("--cohort", metavar="C", help=t("cli.help.cohort"))
    restore.add_argument("--salvage", action="store_true", help=t("cli.help.salvage"))

    serve = command("serve", cmd_serve)
    serve.add_argument("--host", default="127.0.0.1", help=t("cli.help.serve_host"))
    serve.add_argument("--port", type=int, default=8000, help=t("cli.help.serve_port"))

    _export_commands(command("export", cmd_export_agenda))
    _setup_commands(command)
    return parser


def _export_commands(export: Parser) -> None:
    """``export agenda``, ``calendar``, ``bilan``, ``notes``, ``attendance`` and ``report``;
    each takes the common options too.

    A subcommand is required, and its handler replaces the one ``export`` was given.
    """
    kinds = export.add_subparsers(dest="export", metavar="WHAT", parser_class=Parser, required=True)

    def kind(name: str, handler: Callable[[argparse.Namespace], int]) -> Parser:
        sub: Parser = kinds.add_parser(
            name, help=t(f"cli.help.export_{name}"), description=t(f"cli.help.export_{name}")
        )
        _common(sub, top=False)
        sub.add_argument("--cohort", metavar="C", help=t("cli.help.cohort"))
        sub.add_argument("-o", "--output", metavar="FILE", help=t("cli.help.output"))
        sub.set_defaults(handler=handler)
        return sub

    agenda = kind("agenda", cmd_export_agenda)
    agenda.add_argument("--session", metavar="K", required=True, help=t("cli.help.session"))
    agenda.add_argument("--structure", metavar="S", help=t("cli.help.export_structure"))
    agenda.add_argument("--format", choices=["md", "html"], default="md", help=t("cli.help.format"))
    kind("calendar", cmd_export_calendar)

    bilan = kind("bilan", cmd_export_bilan)
    bilan.add_argument(
        "--structure", metavar="S", required=True, help=t("cli.help.export_structure")
    )
    bilan.add_argument(
        "--format", choices=["md", "html", "docx"], default="md", help=t("cli.help.format_bilan")
    )
    notes = kind("notes", cmd_export_notes)
    notes.add_argument(
        "--format", choices=["csv", "json"], default="csv", help=t("cli.help.format_notes")
    )
    attendance = kind("attendance", cmd_export_attendance)
    attendance.add_argument("--session", metavar="K", help=t("cli.help.attendance_session"))
    attendance.add_argument("--structure", metavar="S", help=t("cli.help.attendance_structure"))
    attendance.add_argument(
        "--format",
        choices=["csv", "md", "html"],
        default="csv",
        help=t("cli.help.format_attendance"),
    )
    person = kind("person", cmd_export_person)
    person.add_argument("--participant", metavar="P", required=True, help=t("cli.help.participant"))
    report = kind("report", cmd_export_report)
    report.add_argument("--format", choices=["md", "html"], default="md", help=t("cli.help.format"))


# --- helpers ---------------------------------------------------------------------


def _workspace(args: argparse.Namespace) -> Workspace:
    return Workspace(data_dir(args.data), read_only=args.read_only)


def _out(text: str = "") -> None:
    """One line on stdout, every control character in it shown visibly (the tab
    between fields aside): names and notes never act on the terminal."""
    sys.stdout.write(visible(text, keep="\t") + "\n")


def _fields(*values: str) -> str:
    """A line of tab-separated fields; a tab or newline inside a value is shown."""
    return "\t".join(visible(value) for value in values)


def _structure(store: CohortStore, query: str) -> Structure:
    return match_one(
        query,
        store.records(Structure),
        name=lambda s: s.name,
        ident=lambda s: s.id,
        what="structure",
    )


def _session(store: CohortStore, kind: str, structure: Structure | None) -> Session:
    sessions = [s for s in store.records(Session) if s.kind == kind]
    if kind == SessionKind.BILAN:
        if structure is None:
            raise Fail(t("cli.error.bilan_needs_structure"))
        sessions = [s for s in sessions if s.structure_id == structure.id]
    if not sessions:
        raise Fail(t("cli.error.no_session", kind=label(SessionKind(kind))))
    return sessions[0]


def _today_session(
    store: CohortStore, today: dt.date, structure: Structure | None
) -> Session | None:
    """The session held today, if any: where a capture with no --session goes."""
    today_sessions = [s for s in store.records(Session) if s.date == today]
    if structure is not None:
        own = [s for s in today_sessions if s.structure_id in (None, structure.id)]
        today_sessions = own or today_sessions
    return today_sessions[0] if len(today_sessions) == 1 else None


def _note_kind(text: str) -> NoteKind:
    from facilitator.capture import kind_from_word

    kind = kind_from_word(text)
    if kind is None:
        choices = ", ".join(k.value for k in NoteKind)
        raise Fail(t("cli.error.bad_kind", kind=text, choices=choices))
    return kind


# --- commands --------------------------------------------------------------------


def cmd_open(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    from screens.app import run

    return run(workspace, cohort=None)


def cmd_session(args: argparse.Namespace) -> int:
    """Straight into one session's live screen: what a facilitator types in the room."""
    kind = _session_kind(args.kind)
    workspace = _workspace(args)
    store = workspace.find(args.cohort)
    structure = _structure(store, args.structure) if args.structure else None
    session = _session(store, kind, structure)
    from screens.app import run

    return run(workspace, cohort=store.path, session=session.id)


def cmd_project(args: argparse.Namespace) -> int:
    """The projector view in a second terminal: read-only, so it runs beside the live screen.

    Without --session it follows the clock the facilitator is running, else
    today's session; it never guesses between several.
    """

    from facilitator.live import running_session, sessions_on

    workspace = Workspace(data_dir(args.data), read_only=True)
    store = workspace.find(args.cohort)
    structure = _structure(store, args.structure) if args.structure else None
    if args.session:
        session = _session(store, _session_kind(args.session), structure)
    else:
        view = CohortView.load(store)
        now = arrow.utcnow()
        found = running_session(view, now)
        if found is None:
            held = sessions_on(view, view.cohort.today(now), structure.id if structure else None)
            if len(held) > 1:
                owners = [view.structure(s.structure_id) for s in held]
                names = ", ".join(
                    f"{label(s.kind)} — {owner.name}" if owner else label(s.kind)
                    for s, owner in zip(held, owners, strict=True)
                )
                raise Fail(t("cli.error.project_several_today", names=names))
            if not held:
                raise Fail(t("cli.error.project_no_session"))
            found = held[0]
        session = found
    from screens.projector import run

    return run(store.path, session.id, follow=not args.session)


def cmd_demo(args: argparse.Namespace) -> int:
    from facilitator.demo import build_demo

    workspace = _workspace(args)
    # Dated from today where the demo cohort meets (Paris), not the machine's zone.
    records = build_demo(Cohort(name="démo").today(arrow.utcnow()))
    name = next(r for r in records if isinstance(r, Cohort)).name
    existing = [e for e in workspace.entries() if e.cohort is not None and e.name == name]
    store = workspace.open(existing[0].path) if existing else workspace.create(records)
    if args.no_open:
        _out(name)
        return EXIT_OK
    from screens.app import run

    return run(workspace, cohort=store.path)


def cmd_capture(args: argparse.Namespace) -> int:
    from facilitator import actions
    from facilitator.capture import parse_capture

    store = _workspace(args).find(args.cohort)
    structures = store.records(Structure)
    default_kind = _note_kind(args.kind) if args.kind else NoteKind.FINDING
    chosen = _structure(store, args.structure) if args.structure else None
    # --structure is the note's structure unless the line opens with another @mention.
    draft = parse_capture(
        args.text,
        structures,
        default_kind=default_kind,
        default_structure=chosen.id if chosen else None,
    )
    structure = next((s for s in structures if s.id == draft.structure_id), None)
    now = arrow.utcnow()
    if args.session:
        session: Session | None = _session(store, args.session, structure)
    else:
        session = _today_session(store, actions.cohort_of(store).today(now), structure)
    note = actions.capture_note(
        store, draft, now=now, session_id=session.id if session else None, author=_author()
    )
    _out(note.id)
    return EXIT_OK


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def cmd_list(args: argparse.Namespace) -> int:
    # Listing only reads: it runs on a copy or a read-only mount without --read-only.
    workspace = Workspace(data_dir(args.data), read_only=True)
    if args.what == "cohorts":
        for entry in workspace.entries():
            name = (
                entry.name
                if entry.problem is None
                else t("cli.list.unreadable", path=entry.path.name)
            )
            _out(_fields(entry.id, name))
        return EXIT_OK
    store = workspace.find(args.cohort)
    structures = {s.id: s for s in store.records(Structure)}
    if args.what == "structures":
        for one in sorted(structures.values(), key=lambda s: s.name):
            _out(_fields(one.id, one.name))
    elif args.what == "participants":
        for p in sorted(store.records(Participant), key=lambda p: p.name):
            structure = structures.get(p.structure_id)
            owner = structure.name if structure else "-"
            _out(_fields(p.id, f"{p.name}, {label(p.role)}, {owner}"))
    else:
        order = {k: i for i, k in enumerate(SESSION_ORDER)}
        sessions = sorted(
            store.records(Session), key=lambda s: (s.date or dt.date.max, order[s.kind])
        )
        for session in sessions:
            when = session.date.isoformat() if session.date else t("cli.list.no_date")
            structure = structures.get(session.structure_id or "")
            owner = f", {structure.name}" if structure else ""
            _out(_fields(session.id, f"{label(session.kind)}, {when}{owner}"))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from facilitator.check import check_workspace, workspace_warnings

    root = _workspace(args).root
    for warning in workspace_warnings(root):
        _out(warning)
    problems = check_workspace(root)
    for problem in problems:
        _out(problem)
    if problems:
        return EXIT_PROBLEM
    _out(t("cli.check.ok", path=str(_workspace(args).root)))
    return EXIT_OK


def _session_kind(text: str) -> SessionKind:
    try:
        return SessionKind(text.strip().lower())
    except ValueError:
        choices = ", ".join(k.value for k in SessionKind)
        raise Fail(t("cli.error.unknown_session", value=text, choices=choices)) from None


def _emit(data: bytes, output: str | None) -> None:
    """The export on stdout, or in ``output``.

    An absent path or a regular file (also one a link names) is replaced atomically
    and privately (0600) like all we write; a FIFO or a character device (a terminal,
    ``/dev/null``, ``/dev/stdout``) is written into as it is, never replaced by a file;
    a folder or any other kind of file is refused. Everything is built before this is
    called, so a failed export writes nothing.
    """
    if output is None or output == "-":
        if sys.stdout.isatty():  # shown, not kept: a terminal gets the sanitised text
            data = visible(data.decode("utf-8", "replace"), keep="\t\n").encode("utf-8")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    if not output.strip() or "\0" in output:
        raise Fail(t("cli.error.bad_output", output=output.replace("\0", "\\0")))
    target = Path(output).expanduser()
    try:
        kind = os.stat(target).st_mode  # through links: what the path names in the end
    except FileNotFoundError:
        kind = None
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(target)) from error
    if kind is not None and stat.S_ISDIR(kind):
        raise Fail(t("cli.error.output_folder", path=str(target)))
    if kind is not None and (stat.S_ISFIFO(kind) or stat.S_ISCHR(kind)):
        _stream(target, data)
        return
    if kind is not None and not stat.S_ISREG(kind):
        raise Fail(t("cli.error.output_special", path=str(target)))
    from facilitator.files import write_atomic

    try:
        write_atomic(Path(os.path.realpath(target)), data)
    except OSError as error:  # name the file asked for, not the temporary one beside it
        raise OSError(error.errno, error.strerror, str(target)) from error


def _stream(target: Path, data: bytes) -> None:
    """Write into a FIFO or a device as it is: no temporary file, no rename, no fsync."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(target)) from error
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def cmd_export_agenda(args: argparse.Namespace) -> int:
    from facilitator.exports import export_agenda

    kind = _session_kind(args.session)
    store = Workspace(data_dir(args.data), read_only=True).find(args.cohort)
    _stored_dates(CohortView.load(store))
    structure = _structure(store, args.structure) if args.structure else None
    session = _session(store, kind, structure)
    cohort = store.records(Cohort)[0]
    structures = store.records(Structure)
    data = export_agenda(cohort, session, structures, fmt=args.format, lang=language())
    _emit(data, args.output)
    return EXIT_OK


def cmd_export_calendar(args: argparse.Namespace) -> int:

    from facilitator.exports import export_calendar

    store = Workspace(data_dir(args.data), read_only=True).find(args.cohort)
    _stored_dates(CohortView.load(store))
    sessions = store.records(Session)
    if not any(s.date for s in sessions):
        raise Fail(t("exports.error.no_dated_session"))
    cohort = store.records(Cohort)[0]
    exported = export_calendar(
        cohort, sessions, store.records(Structure), now=arrow.utcnow(), lang=language()
    )
    _emit(exported.data, args.output)
    if exported.skipped:
        _err(t("exports.calendar.skipped", titles=", ".join(exported.skipped)))
    return EXIT_OK


# --- review and the bilan's documents ------------------------------------------------


def _snapshot(args: argparse.Namespace) -> tuple[CohortStore, CohortView, dt.date]:
    """The cohort as one consistent view, and today where its sessions take place.

    Opened read-only: printing and exporting never write to the cohort, so they also
    run on a copy or a mount without the right to write.
    """
    from facilitator.view import CohortView

    store = Workspace(data_dir(args.data), read_only=True).find(args.cohort)
    view = CohortView.load(store)
    _stored_dates(view)
    return store, view, view.cohort.today(arrow.utcnow())


def _stored_dates(view: CohortView) -> None:
    """The dates as read from the file, held to a programme's life as typed ones are:
    9999-12-31 (a typo, a hand edit) is bad input, said with what holds it."""
    from facilitator.domain import require_programme_date

    names = view.structure_names()
    bilan = "cli.error.bilan_of"
    dated: list[tuple[str, dt.date | None]] = [
        (view.cohort.name, view.cohort.start_date),
        *((view.session_title(s), s.date) for s in view.sessions),
        *((task.title, task.due) for task in view.tasks),
        *((t(bilan, structure=names.get(b.structure_id, "?")), b.follow_up) for b in view.bilans),
    ]
    for what, day in dated:
        if day is None:
            continue
        try:
            require_programme_date(day)
        except InvalidInput as error:
            raise Fail(t("cli.error.stored_date", what=what, reason=error.message)) from None


def _view_structure(view: CohortView, query: str) -> Structure:
    """--structure matched in the snapshot itself, so the thread read is the one matched."""
    return match_one(
        query, view.structures, name=lambda s: s.name, ident=lambda s: s.id, what="structure"
    )


def cmd_review(args: argparse.Namespace) -> int:
    """The cohort summary, or with --structure the brief for its bilan meeting, in Rich."""
    from facilitator.bilan_export import bilan_document, cohort_document
    from facilitator.review import print_document

    _, view, today = _snapshot(args)
    if args.structure:
        structure = _view_structure(view, args.structure)
        doc = bilan_document(view, structure.id, today=today, lang=language(), relative=True)
    else:
        doc = cohort_document(view, today=today, lang=language(), relative=True)
    print_document(doc)
    return EXIT_OK


def cmd_export_bilan(args: argparse.Namespace) -> int:
    from facilitator.bilan_export import BilanFormat, export_bilan

    if args.format == BilanFormat.DOCX and args.output in (None, "-"):
        raise Fail(t("cli.error.binary_needs_output", format=args.format))
    _, view, today = _snapshot(args)
    structure = _view_structure(view, args.structure)
    data = export_bilan(view, structure.id, today=today, fmt=args.format, lang=language())
    _emit(data, args.output)
    return EXIT_OK


def cmd_export_notes(args: argparse.Namespace) -> int:
    from facilitator.records_export import export_notes

    _, view, _ = _snapshot(args)
    _emit(export_notes(view, fmt=args.format, lang=language()), args.output)
    return EXIT_OK


def cmd_export_attendance(args: argparse.Namespace) -> int:
    """The sign-in sheet; without --session, the next session to come, named on stderr."""
    from facilitator.programme import format_day
    from facilitator.records_export import export_attendance, next_session

    store, view, today = _snapshot(args)
    structure = _view_structure(view, args.structure) if args.structure else None
    chosen: Session | None = None
    if args.session:
        session = _session(store, _session_kind(args.session), structure)
    else:
        session = chosen = next_session(view, today, structure.id if structure else None)
    owner_id = structure.id if structure else None
    data = export_attendance(view, session, structure_id=owner_id, fmt=args.format, lang=language())
    _emit(data, args.output)
    if chosen is not None and chosen.date is not None:
        owner = view.structure(chosen.structure_id)
        name = f"{label(chosen.kind)} — {owner.name}" if owner else label(chosen.kind)
        _err(t("cli.attendance.chosen", session=name, day=format_day(chosen.date)))
    return EXIT_OK


def cmd_export_report(args: argparse.Namespace) -> int:
    from facilitator.bilan_export import export_report

    _, view, today = _snapshot(args)
    _emit(export_report(view, today=today, fmt=args.format, lang=language()), args.output)
    return EXIT_OK


# --- privacy and recovery ------------------------------------------------------------


def _participant(store: CohortStore, query: str) -> Participant:
    return match_one(
        query,
        store.records(Participant),
        name=lambda p: p.name,
        ident=lambda p: p.id,
        what="participant",
    )


def cmd_forget(args: argparse.Namespace) -> int:
    """Erase one person's personal data everywhere, backups included.

    An erasure a kill or a full disk interrupted is finished first and said; run
    again with the same name after such a kill, the command finds the person in
    what that erasure recorded, and says done only once everything is erased.
    """
    from facilitator import actions
    from facilitator.privacy import resume_pending

    store = _workspace(args).find(args.cohort, resume=False)
    resumed = resume_pending(store)
    for earlier in resumed:
        _out(
            t(
                "cli.forget.resumed",
                participant=earlier.participant_id,
                records=earlier.records_changed,
                backups=earlier.backups_rewritten,
            )
        )
        _reread(earlier)
    try:
        person = _participant(store, args.participant)
    except InvalidInput:
        if any(earlier.identity.matches(args.participant) for earlier in resumed):
            return EXIT_OK  # the person asked for was the one whose erasure was finished
        raise
    report = actions.forget_participant(store, person.id, now=arrow.utcnow())
    _out(
        t(
            "cli.forget.done",
            name=person.name,
            notes=report.notes_changed,
            backups=report.backups_rewritten,
        )
    )
    _reread(report)
    return EXIT_OK


def _reread(report: Any) -> None:
    for mention in report.to_reread:
        _out(t("cli.forget.reread", where=mention.where, text=mention.text))


def cmd_export_person(args: argparse.Namespace) -> int:
    from facilitator.privacy import person_json

    store = Workspace(data_dir(args.data), read_only=True).find(args.cohort)
    _emit(person_json(store, _participant(store, args.participant).id), args.output)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Without BACKUP, list the cohort's backups; with it, bring it back (the current
    state is kept as a backup first). ``--salvage`` brings a damaged cohort back from
    everything of it that still reads. A damaged cohort is found by id or by name."""
    from facilitator import actions

    if args.salvage:
        if args.backup is not None:
            raise Fail(t("cli.restore.salvage_or_backup"))
        return _salvage(args)
    listing = args.backup is None
    workspace = Workspace(data_dir(args.data), read_only=True) if listing else _workspace(args)
    store = workspace.find(args.cohort, damaged=True)
    backups = store.backups()
    if listing:
        if not backups:
            _out(t("cli.restore.none", path=str(store.backup_dir)))
        for backup in backups:
            taken = backup.taken.to("local").format("YYYY-MM-DD HH:mm:ss")
            size = t("cli.restore.size", kib=backup.path.stat().st_size // 1024)
            _out(_fields(backup.path.name, taken, size))
        _say_damage(store)
        return EXIT_OK
    if not args.backup.strip():
        raise Fail(t("cli.restore.unknown", backup=args.backup))
    chosen = next((b.path for b in backups if b.path.name.startswith(args.backup)), None)
    if chosen is None and Path(args.backup).is_file():
        chosen = Path(os.path.realpath(args.backup))  # a file named on purpose, outside
    if chosen is None:
        raise Fail(t("cli.restore.unknown", backup=args.backup))
    kept = actions.restore_backup(store, chosen, now=arrow.utcnow())
    _out(t("cli.restore.done", backup=chosen.name, kept=kept.name))
    journal = kept.with_name(kept.name.removesuffix(DAMAGED_SUFFIX) + DAMAGED_JOURNAL_SUFFIX)
    if kept.name.endswith(DAMAGED_SUFFIX) and journal.exists():
        _out(t("cli.restore.kept_journal", journal=journal.name))
    return EXIT_OK


def _say_damage(store: CohortStore) -> None:
    """On stderr, for a damaged cohort: what is wrong and what each way back keeps."""
    from facilitator.check import recovery_sentence

    try:
        store.refresh()
        return
    except StoreError as error:
        _err(error.message)
    sentence = recovery_sentence(store)
    if sentence:
        _err(sentence)


def _salvage(args: argparse.Namespace) -> int:
    """Everything readable of a damaged cohort, written as a backup and restored."""
    from facilitator import actions
    from facilitator.recovery import salvage

    store = _workspace(args).find(args.cohort, damaged=True)
    made, state = salvage(store)
    kept = actions.restore_backup(store, made, now=arrow.utcnow())
    lost = ", ".join(str(n) for n in state.lost_lines) or "-"
    _out(
        t(
            "cli.restore.salvaged",
            base=state.base.name,
            kept_lines=len(state.applied),
            lost=lost,
            kept=kept.name,
        )
    )
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """The app in a browser for the room, through textual-serve, on loopback only.

    textual-serve has no authentication: bound to any other address, anyone who
    can reach the port could open the cohort. Even on loopback, every user of a
    shared machine can reach it: serve from your own laptop.
    """
    import ipaddress

    host = args.host.strip()
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise Fail(t("cli.error.serve_loopback", host=host))
    command = [sys.executable, "-m", "facilitator", "--data", str(data_dir(args.data))]
    command += ["--lang", language(), *(["--read-only"] if args.read_only else [])]
    from screens.serve import serve

    if not serve(command, host, args.port):
        raise Fail(t("cli.error.serve_missing"), EXIT_PROBLEM)
    return EXIT_OK


# --- setting up a cohort (shared/CLI.md « Setting up a cohort ») ------------------------
#
# Each command reads its flags into values, then calls one function of
# facilitator.actions, which checks them and writes in one step (or raises
# InvalidInput, and nothing is written). Positions are 1-based here, 0-based there.

Command = Callable[..., Parser]
"""The ``command(name, handler, key)`` helper of :func:`build_parser`."""

SUBCOMMAND = "action"


def _subcommands(parser: Parser) -> Callable[[str, Callable[[argparse.Namespace], int]], Parser]:
    """``parser``'s own subcommands (``cohort new``), each named ``<parent>_<name>`` in the
    catalogue and taking the common options too."""
    group = parser.add_subparsers(
        dest=SUBCOMMAND, metavar="ACTION", parser_class=Parser, required=True
    )
    parent = parser.prog.split()[-1]

    def sub(name: str, handler: Callable[[argparse.Namespace], int]) -> Parser:
        text = t(f"cli.command.{parent}_{name}")
        one: Parser = group.add_parser(name, help=text, description=text)
        _common(one, top=False)
        one.add_argument("--cohort", metavar="C", help=t("cli.help.cohort"))
        one.set_defaults(handler=handler)
        return one

    return sub


def _setup_commands(command: Command) -> None:
    cohort = _subcommands(command("cohort", _no_handler))
    cohort_new = cohort("new", cmd_cohort_new)
    cohort_new.add_argument("name", metavar="NAME", help=t("cli.help.cohort_name"))
    _cohort_flags(cohort_new)
    cohort_set = cohort("set", cmd_cohort_set)
    cohort_set.add_argument("--name", metavar="NAME", help=t("cli.help.new_name"))
    _cohort_flags(cohort_set)
    cohort_set.add_argument("--days-spent", metavar="N", help=t("cli.help.days_spent"))

    structure = _subcommands(command("structure", _no_handler))
    structure_add = structure("add", cmd_structure_add)
    structure_add.add_argument("name", metavar="NAME", help=t("cli.help.structure_name"))
    _structure_flags(structure_add)
    structure_set = structure("set", cmd_structure_set)
    structure_set.add_argument("which", metavar="S", help=t("cli.help.structure"))
    structure_set.add_argument("--name", metavar="NAME", help=t("cli.help.new_name"))
    _structure_flags(structure_set)

    participant = _subcommands(command("participant", _no_handler))
    participant_add = participant("add", cmd_participant_add)
    participant_add.add_argument("name", metavar="NAME", help=t("cli.help.participant_name"))
    _participant_flags(participant_add)
    participant_set = participant("set", cmd_participant_set)
    participant_set.add_argument("which", metavar="P", help=t("cli.help.participant"))
    participant_set.add_argument("--name", metavar="NAME", help=t("cli.help.new_name"))
    _participant_flags(participant_set)

    programme = _subcommands(command("programme", _no_handler))
    propose = programme("propose", cmd_programme_propose)
    propose.add_argument("--start", metavar="DATE", help=t("cli.help.programme_start"))
    propose.add_argument(
        "--intro", metavar="court|long", default="court", help=t("cli.help.intro_variant")
    )
    propose.add_argument(
        "--collective",
        metavar="demi-journee|journee",
        default="demi-journee",
        help=t("cli.help.collective_variant"),
    )
    propose.add_argument("--redate", action="store_true", help=t("cli.help.redate"))
    propose.add_argument("--apply", action="store_true", help=t("cli.help.apply"))

    for name, handler in (("add", cmd_session_add), ("set", cmd_session_set)):
        session = command(f"session {name}", handler, f"session_{name}")
        session.add_argument("kind", metavar="K", help=t("cli.help.session"))
        session.add_argument("--structure", metavar="S", help=t("cli.help.bilan_structure"))
        session.add_argument("--cohort", metavar="C", help=t("cli.help.cohort"))
        session.add_argument(
            "--date", metavar="DATE", required=name == "add", help=t("cli.help.session_date")
        )
        session.add_argument("--start", metavar="HH:MM", help=t("cli.help.session_start"))
        end_help = "cli.help.session_end" if name == "add" else "cli.help.session_end_set"
        session.add_argument("--end", metavar="HH:MM", help=t(end_help))
        session.add_argument("--place", metavar="P", help=t("cli.help.place"))
        if name == "add":
            session.add_argument("--template", metavar="NAME", help=t("cli.help.template"))

    agenda = _subcommands(command("agenda", _no_handler))

    def agenda_command(name: str, handler: Callable[[argparse.Namespace], int]) -> Parser:
        one = agenda(name, handler)
        one.add_argument("--session", metavar="K", required=True, help=t("cli.help.session"))
        one.add_argument("--structure", metavar="S", help=t("cli.help.bilan_structure"))
        if name not in ("show", "add"):
            one.add_argument("position", metavar="POSITION", help=t("cli.help.position"))
        return one

    agenda_command("show", cmd_agenda_show)
    add = agenda_command("add", cmd_agenda_add)
    add.add_argument("title", metavar="TITLE", help=t("cli.help.item_title"))
    add.add_argument("--minutes", metavar="N", required=True, help=t("cli.help.minutes"))
    add.add_argument("--at", metavar="POSITION", help=t("cli.help.at"))
    agenda_command("remove", cmd_agenda_remove)
    agenda_command("move", cmd_agenda_move).add_argument(
        "--to", metavar="POSITION", required=True, help=t("cli.help.to")
    )
    agenda_command("resize", cmd_agenda_resize).add_argument(
        "--minutes", metavar="N", required=True, help=t("cli.help.minutes")
    )
    agenda_command("rename", cmd_agenda_rename).add_argument(
        "--title", metavar="T", required=True, help=t("cli.help.new_title")
    )
    agenda_command("pin", cmd_agenda_pin).add_argument(
        "--time", metavar="HH:MM|none", required=True, help=t("cli.help.pin_time")
    )


def _no_handler(args: argparse.Namespace) -> int:  # pragma: no cover - a subcommand is required
    return EXIT_USAGE


def _cohort_flags(parser: Parser) -> None:
    parser.add_argument("--start", metavar="DATE", help=t("cli.help.cohort_start"))
    parser.add_argument(
        "--approach", metavar="territoriale|reseau|sectorielle", help=t("cli.help.approach")
    )
    parser.add_argument("--territory", metavar="T", help=t("cli.help.territory"))
    parser.add_argument("--thematic", metavar="T", help=t("cli.help.thematic"))
    parser.add_argument("--dla", metavar="D", action="append", help=t("cli.help.dla"))
    parser.add_argument("--cofinancer", metavar="F", action="append", help=t("cli.help.cofinancer"))
    parser.add_argument("--consultant", metavar="NAME", help=t("cli.help.consultant"))
    parser.add_argument("--days", metavar="N", help=t("cli.help.days"))
    parser.add_argument("--timezone", metavar="TZ", help=t("cli.help.timezone"))


def _structure_flags(parser: Parser) -> None:
    parser.add_argument("--created", metavar="DATE|YEAR", help=t("cli.help.created"))
    parser.add_argument("--employer", metavar="yes|no", help=t("cli.help.employer"))
    parser.add_argument("--general-interest", metavar="yes|no", help=t("cli.help.general_interest"))
    parser.add_argument("--sector", metavar="S", help=t("cli.help.sector"))
    parser.add_argument("--network", metavar="N", help=t("cli.help.network"))
    parser.add_argument("--das", metavar="D", action="append", help=t("cli.help.das"))


def _participant_flags(parser: Parser) -> None:
    parser.add_argument(
        "--structure",
        metavar="S",
        required=parser.prog.endswith(" add"),
        help=t("cli.help.participant_structure"),
    )
    parser.add_argument(
        "--role",
        metavar="dirigeant|president|tresorier|membre-ca|autre",
        help=t("cli.help.role"),
    )
    parser.add_argument("--governance", metavar="yes|no", help=t("cli.help.governance"))
    parser.add_argument("--email", metavar="E", help=t("cli.help.email"))
    parser.add_argument("--phone", metavar="P", help=t("cli.help.phone"))


# --- reading what was typed ----------------------------------------------------------

YES, NO = frozenset({"yes", "oui", "y", "o"}), frozenset({"no", "non", "n"})
NONE = frozenset({"none", "aucune", "aucun", "-"})


def _yes_no(text: str, flag: str) -> bool:
    word = fold(text)
    if word in YES:
        return True
    if word in NO:
        return False
    raise Fail(t("cli.error.bad_yes_no", flag=flag, value=text))


def _days(text: str, flag: str) -> float:
    """Days as people write them: ``10``, ``10,5`` or ``10.5``."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise Fail(t("cli.error.bad_days", flag=flag, value=text))
    return value


def _whole(text: str, key: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise Fail(t(key, value=text)) from None


def _position(text: str) -> int:
    """A 1-based position as typed, as the 0-based index the actions take."""
    return _whole(text, "cli.error.bad_position") - 1


def _minutes(text: str) -> int:
    return _whole(text, "cli.error.bad_minutes")


def _date(text: str, field: str) -> dt.date:
    from facilitator.domain import parse_date

    return parse_date(text, field)


def _time(text: str, field: str) -> dt.time:
    from facilitator.domain import parse_time

    return parse_time(text, field)


def _time_or_none(text: str, field: str) -> dt.time | None:
    return None if fold(text) in NONE else _time(text, field)


def _hhmm(time: dt.time | None) -> str:
    return time.strftime("%H:%M") if time is not None else ""


def _nothing_to_change(changes: object) -> None:
    if not changes:
        raise Fail(t("cli.error.nothing_to_change"))


# --- the cohort ----------------------------------------------------------------------


def _cohort_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given on the command line, as the actions take them (absent: unchanged)."""
    settings: dict[str, Any] = {}
    if args.start is not None:
        settings["start_date"] = _date(args.start, "start_date")
    if args.approach is not None:
        settings["approach"] = args.approach.strip().lower()
    for name in ("territory", "thematic", "timezone"):
        if getattr(args, name) is not None:
            settings[name] = getattr(args, name)
    if args.dla is not None:
        settings["dlas"] = args.dla
    if args.cofinancer is not None:
        settings["cofinancers"] = args.cofinancer
    return settings


def _refuse_taken_name(workspace: Workspace, name: str, editing: str | None = None) -> None:
    """Two cohorts of one name could no longer be told apart with --cohort."""
    wanted = fold(name)
    for entry in workspace.entries():
        if entry.cohort and entry.cohort.id != editing and wanted and fold(entry.name) == wanted:
            raise Fail(t("cli.error.cohort_exists", name=entry.name))


def cmd_cohort_new(args: argparse.Namespace) -> int:
    from facilitator import actions
    from facilitator.domain import Consultant

    workspace = _workspace(args)
    settings = _cohort_settings(args)
    if args.consultant is not None:
        days = _days(args.days, "--days") if args.days is not None else 0.0
        settings["consultants"] = [Consultant(name=args.consultant, days_budgeted=days)]
    elif args.days is not None:
        raise Fail(t("cli.error.days_need_consultant"))
    _refuse_taken_name(workspace, args.name)
    store = actions.create_cohort(workspace, now=arrow.utcnow(), name=args.name, **settings)
    _out(actions.cohort_of(store).id)
    return EXIT_OK


def cmd_cohort_set(args: argparse.Namespace) -> int:
    """Settings, and one consultant's days: all in one write, or nothing when one is refused."""
    from facilitator import actions

    workspace = _workspace(args)
    store = workspace.find(args.cohort)
    changes = _cohort_settings(args)
    if args.name is not None:
        _refuse_taken_name(workspace, args.name, actions.cohort_of(store).id)
        changes["name"] = args.name
    days = _days(args.days, "--days") if args.days is not None else None
    spent = _days(args.days_spent, "--days-spent") if args.days_spent is not None else None
    now = arrow.utcnow()
    if args.consultant is not None or days is not None or spent is not None:
        actions.set_consultant(
            store, now=now, name=args.consultant, days_budgeted=days, days_spent=spent, **changes
        )
        return EXIT_OK
    _nothing_to_change(changes)
    actions.update_cohort(store, now=now, **changes)
    return EXIT_OK


# --- structures and participants -------------------------------------------------------


def _structure_values(args: argparse.Namespace) -> dict[str, Any]:
    from facilitator.domain import parse_creation

    values: dict[str, Any] = {}
    if args.created is not None:
        values["created"] = None if fold(args.created) in NONE else parse_creation(args.created)
    if args.employer is not None:
        values["employer"] = _yes_no(args.employer, "--employer")
    if args.general_interest is not None:
        values["general_interest"] = _yes_no(args.general_interest, "--general-interest")
    for name in ("sector", "network", "das"):
        if getattr(args, name) is not None:
            values[name] = getattr(args, name)
    return values


def cmd_structure_add(args: argparse.Namespace) -> int:
    from facilitator import actions

    store = _workspace(args).find(args.cohort)
    values = _structure_values(args)
    structure = actions.add_structure(store, now=arrow.utcnow(), name=args.name, **values)
    _out(structure.id)
    return EXIT_OK


def cmd_structure_set(args: argparse.Namespace) -> int:
    from facilitator import actions

    store = _workspace(args).find(args.cohort)
    structure = _structure(store, args.which)
    changes = _structure_values(args)
    if args.name is not None:
        changes["name"] = args.name
    _nothing_to_change(changes)
    actions.update_structure(store, structure.id, now=arrow.utcnow(), **changes)
    return EXIT_OK


def _participant_values(args: argparse.Namespace, store: CohortStore) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if args.structure is not None:
        values["structure_id"] = _structure(store, args.structure).id
    if args.role is not None:
        values["role"] = args.role.strip().lower()
    if args.governance is not None:
        values["governance"] = _yes_no(args.governance, "--governance")
    for name in ("email", "phone"):
        if getattr(args, name) is not None:
            values[name] = getattr(args, name)
    return values


def cmd_participant_add(args: argparse.Namespace) -> int:
    from facilitator import actions

    store = _workspace(args).find(args.cohort)
    values = _participant_values(args, store)
    person = actions.add_participant(store, now=arrow.utcnow(), name=args.name, **values)
    _out(person.id)
    return EXIT_OK


def cmd_participant_set(args: argparse.Namespace) -> int:
    from facilitator import actions

    store = _workspace(args).find(args.cohort)
    person = _participant(store, args.which)
    changes = _participant_values(args, store)
    if args.name is not None:
        changes["name"] = args.name
    _nothing_to_change(changes)
    actions.update_participant(store, person.id, now=arrow.utcnow(), **changes)
    return EXIT_OK


# --- the programme and its sessions ----------------------------------------------------


def cmd_programme_propose(args: argparse.Namespace) -> int:
    """One line a session on stdout (for a script or a careful read), then on stderr what
    the programme asks of each participant and what the guidance would question."""
    from facilitator import actions
    from facilitator.programme import Change, session_plan

    store = _workspace(args).find(args.cohort)
    choice = {
        "start": _date(args.start, "start") if args.start else None,
        "intro": args.intro.strip().lower(),
        "collective": args.collective.strip().lower(),
        "redate": args.redate,
    }
    now = arrow.utcnow()
    write = actions.apply_programme if args.apply else actions.propose
    proposal = write(store, now=now, **choice)
    structures = store.records(Structure)
    names = {s.id: s.name for s in structures}
    for proposed in proposal.sessions:
        session = proposed.session
        timed = session_plan(session, structures)
        fields = (
            session.kind.value,
            session.date.isoformat() if session.date else "",
            _hhmm(timed.start),
            # The fixed end of day, else when the agenda ends.
            _hhmm(timed.end or (timed.planned[-1].end if timed.planned else None)),
            names.get(session.structure_id or "", ""),
            t(f"programme.change.{proposed.change.value}"),
        )
        _out(_fields(*fields))

    time = proposal.time
    _err(
        t(
            "cli.programme.time",
            days=day_count(time.total),
            sessions=day_count(round(time.in_sessions, 1)),
            preparation=day_count(time.preparation),
        )
    )
    for warning in proposal.warnings:
        _err(warning)
    if args.apply:
        count = {c: sum(p.change is c for p in proposal.sessions) for c in Change}
        _err(
            t(
                "cli.programme.applied",
                new=count[Change.NEW],
                moved=count[Change.MOVED],
                kept=count[Change.KEPT],
            )
        )
    return EXIT_OK


def _session_target(args: argparse.Namespace, store: CohortStore, kind: SessionKind) -> Session:
    structure = _structure(store, args.structure) if args.structure else None
    return _session(store, kind, structure)


def cmd_session_add(args: argparse.Namespace) -> int:
    from facilitator import actions

    kind = _session_kind(args.kind)
    store = _workspace(args).find(args.cohort)
    structure = _structure(store, args.structure) if args.structure else None
    if kind == SessionKind.BILAN and structure is None:
        raise Fail(t("cli.error.bilan_needs_structure"))
    session = actions.add_session(
        store,
        now=arrow.utcnow(),
        kind=kind,
        date=_date(args.date, "date"),
        structure_id=structure.id if structure else None,
        start_time=_time(args.start, "start_time") if args.start else None,
        end_time=_time(args.end, "end_time") if args.end else None,
        place=args.place or "",
        template=args.template,
    )
    _out(session.id)
    _calendar_warnings(store, session)
    return EXIT_OK


def _calendar_warnings(store: CohortStore, session: Session) -> None:
    """What the calendar now asks to weigh (a day off, sessions out of order), on stderr:
    the session is saved all the same."""
    from facilitator.programme import calendar_warnings

    view = CohortView.load(store)
    today = view.cohort.today(arrow.utcnow())
    for sentence in calendar_warnings(
        view.cohort, view.structures, view.participants, view.sessions, session, today=today
    ):
        _err(sentence)


def cmd_session_set(args: argparse.Namespace) -> int:
    """Move a session or say where it is; ``--end none`` takes its fixed end away."""
    from facilitator import actions

    kind = _session_kind(args.kind)
    store = _workspace(args).find(args.cohort)
    session = _session_target(args, store, kind)
    changes: dict[str, Any] = {}
    if args.date is not None:
        changes["date"] = _date(args.date, "date")
    if args.start is not None:
        changes["start_time"] = _time(args.start, "start_time")
    if args.end is not None:
        changes["end_time"] = _time_or_none(args.end, "end_time")
    if args.place is not None:
        changes["place"] = args.place
    _nothing_to_change(changes)
    moved = actions.update_session(store, session.id, now=arrow.utcnow(), **changes)
    _calendar_warnings(store, moved)
    return EXIT_OK


# --- a session's agenda ----------------------------------------------------------------


def cmd_agenda_show(args: argparse.Namespace) -> int:
    """One line an item (position, start, minutes, fixed time, title), then the end of day."""
    from facilitator.agenda import clock_time, item_title, minute_of_day
    from facilitator.programme import session_plan

    store = Workspace(data_dir(args.data), read_only=True).find(args.cohort)
    view = CohortView.load(store)
    session = _session_target(args, store, _session_kind(args.session))
    timed = session_plan(session, view.structures)
    names = view.structure_names()
    for planned in timed.planned:
        fields = (
            str(planned.index + 1),
            _hhmm(planned.start),
            str(planned.item.minutes),
            _hhmm(planned.item.fixed_time),
            item_title(planned.item, names),
        )
        _out(_fields(*fields))
    end = _hhmm(clock_time(minute_of_day(timed.start) + timed.planned_minutes))
    slack = timed.end_slack
    if slack is None:
        _out(t("cli.agenda.end", end=end))
    else:
        key = "cli.agenda.end_spare" if slack >= 0 else "cli.agenda.end_over"
        _out(t(key, end=end, minutes=abs(slack), day_end=_hhmm(timed.end)))
    return EXIT_OK


def _agenda_edit(
    args: argparse.Namespace, edit: Callable[[CohortStore, str, arrow.Arrow], object]
) -> int:
    store = _workspace(args).find(args.cohort)
    session = _session_target(args, store, _session_kind(args.session))
    edit(store, session.id, arrow.utcnow())
    return EXIT_OK


def cmd_agenda_add(args: argparse.Namespace) -> int:
    """A facilitator's own item, last or at ``--at``; its id on stdout."""
    from facilitator import actions

    minutes = _minutes(args.minutes)
    at = _position(args.at) if args.at is not None else None
    store = _workspace(args).find(args.cohort)
    session = _session_target(args, store, _session_kind(args.session))
    edit = actions.add_agenda_item(
        store, session.id, now=arrow.utcnow(), title=args.title, minutes=minutes, at=at
    )
    before = {item.id for item in edit.before.items}
    for item in edit.after.items:
        if item.id not in before:
            _out(item.id)
    return EXIT_OK


def cmd_agenda_remove(args: argparse.Namespace) -> int:
    from facilitator import actions

    index = _position(args.position)
    return _agenda_edit(
        args, lambda store, sid, now: actions.remove_agenda_item(store, sid, index, now=now)
    )


def cmd_agenda_move(args: argparse.Namespace) -> int:
    from facilitator import actions

    index, to = _position(args.position), _position(args.to)
    return _agenda_edit(
        args, lambda store, sid, now: actions.move_agenda_item(store, sid, index, to, now=now)
    )


def cmd_agenda_resize(args: argparse.Namespace) -> int:
    """New minutes; below the guidance's minimum is allowed, and said on stderr."""
    from facilitator import actions
    from facilitator.agenda import minimum_warnings

    index, minutes = _position(args.position), _minutes(args.minutes)
    store = _workspace(args).find(args.cohort)
    session = _session_target(args, store, _session_kind(args.session))
    edit = actions.resize_agenda_item(store, session.id, index, minutes, now=arrow.utcnow())
    names = {s.id: s.name for s in store.records(Structure)}
    for warning in minimum_warnings([edit.after.items[index]], names):
        _err(warning)
    return EXIT_OK


def cmd_agenda_rename(args: argparse.Namespace) -> int:
    """A title of one's own; an empty one gives the template's title back."""
    from facilitator import actions

    index = _position(args.position)
    return _agenda_edit(
        args,
        lambda store, sid, now: actions.rename_agenda_item(store, sid, index, args.title, now=now),
    )


def cmd_agenda_pin(args: argparse.Namespace) -> int:
    """Fix an item's start (lunch at 12:30), or free it with ``--time none``."""
    from facilitator import actions

    index = _position(args.position)
    time = _time_or_none(args.time, "time")
    return _agenda_edit(
        args, lambda store, sid, now: actions.pin_agenda_item(store, sid, index, time, now=now)
    )


SESSION_SUBCOMMANDS = ("add", "set")
VALUE_OPTIONS = frozenset({"--data", "--lang", "--cohort", "--structure"})


def _route(argv: list[str]) -> list[str]:
    """``session add K`` and ``session set K`` are commands of their own, while ``session K``
    opens the live screen: the two words become the one command name argparse knows.

    Only the first two words that are not options (nor their values) count, so
    ``facilitator --data D session add intro`` is routed and ``session bilan`` is not.
    """
    words: list[int] = []
    skip = False
    for index, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg == "--":
            break
        elif arg.startswith("-"):
            skip = arg in VALUE_OPTIONS
        else:
            words.append(index)
            if len(words) == 2:
                break
    if len(words) == 2 and argv[words[0]] == "session" and argv[words[1]] in SESSION_SUBCOMMANDS:
        first, second = words
        return [
            *argv[:first],
            f"session {argv[second]}",
            *argv[first + 1 : second],
            *argv[second + 1 :],
        ]
    return argv


# --- entry point -------------------------------------------------------------------


def _early_language(argv: Sequence[str]) -> str:
    """The language, read before parsing so argparse's errors are in it too."""
    explicit = None
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            explicit = argv[index + 1]
        elif arg.startswith("--lang="):
            explicit = arg.split("=", 1)[1]
    try:
        return resolve_language(explicit)
    except UnknownLanguage:
        return resolve_language(None) if explicit else "fr"


def _readable_argument(argv: Sequence[str]) -> None:
    """An argument that is not valid UTF-8 (Python keeps its bytes as lone surrogates)
    is bad input: said here, before it fails to be written anywhere."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise Fail(t("cli.error.bad_encoding", arg=shown)) from None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        set_language(_early_language(argv))
    except UnknownLanguage:
        set_language("fr")
    _translate_argparse(_early_language(argv))
    try:
        _readable_argument(argv)
        args = build_parser().parse_args(_route(argv))
        if args.lang:
            set_language(args.lang)
        handler = getattr(args, "handler", cmd_open)
        return handler(args)
    except Fail as fail:
        _err(fail.message)
        return fail.code
    except InvalidInput as error:
        _err(error.message)
        return EXIT_USAGE
    except DamagedFile as error:
        _err(error.message)
        return EXIT_PROBLEM
    except StoreError as error:
        _err(error.message)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed: not an error for the person.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:
        _err(t("cli.error.os", reason=error.strerror or str(error), path=str(error.filename or "")))
        return EXIT_PROBLEM
    except SystemExit as done:  # --help and --version
        return int(done.code or 0)
    except Exception as error:  # a bug: one sentence, the details only on request
        if os.environ.get("FACILITATOR_DEBUG"):
            raise
        _err(t("cli.error.unexpected", error=f"{type(error).__name__}: {error}"))
        return EXIT_PROBLEM


def _err(message: str) -> None:
    sys.stderr.write(f"facilitator: {visible(message)}\n")


__all__ = ["Path", "main"]
