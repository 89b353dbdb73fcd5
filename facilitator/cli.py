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
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import arrow

from facilitator import __version__, actions
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
    language,
    resolve_language,
    set_language,
    t,
)
from facilitator.store import CohortStore, DamagedFile, StoreError
from facilitator.view import CohortView
from facilitator.workspace import Workspace, data_dir, match_one

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

    def command(name: str, handler: Callable[[argparse.Namespace], int]) -> Parser:
        sub: Parser = commands.add_parser(
            name, help=t(f"cli.command.{name}"), description=t(f"cli.command.{name}")
        )
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

    serve = command("serve", cmd_serve)
    serve.add_argument("--host", default="127.0.0.1", help=t("cli.help.serve_host"))
    serve.add_argument("--port", type=int, default=8000, help=t("cli.help.serve_port"))

    _export_commands(command("export", cmd_export_agenda))
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
    sys.stdout.write(text + "\n")


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
            today = now.to(view.cohort.timezone).date()
            held = sessions_on(view, today, structure.id if structure else None)
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

    return run(store.path, session.id)


def cmd_demo(args: argparse.Namespace) -> int:
    from facilitator.demo import build_demo

    workspace = _workspace(args)
    records = build_demo(dt.date.today())
    name = next(r for r in records if isinstance(r, Cohort)).name
    existing = [e for e in workspace.entries() if e.cohort is not None and e.name == name]
    store = workspace.open(existing[0].path) if existing else workspace.create(records)
    if args.no_open:
        _out(name)
        return EXIT_OK
    from screens.app import run

    return run(workspace, cohort=store.path)


def cmd_capture(args: argparse.Namespace) -> int:
    from facilitator.capture import parse_capture

    store = _workspace(args).find(args.cohort)
    structures = store.records(Structure)
    default_kind = _note_kind(args.kind) if args.kind else NoteKind.CONSTAT
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
    workspace = _workspace(args)
    if args.what == "cohorts":
        for entry in workspace.entries():
            name = (
                entry.name
                if entry.problem is None
                else t("cli.list.unreadable", path=entry.path.name)
            )
            _out(f"{entry.id}\t{name}")
        return EXIT_OK
    store = workspace.find(args.cohort)
    structures = {s.id: s for s in store.records(Structure)}
    if args.what == "structures":
        for one in sorted(structures.values(), key=lambda s: s.name):
            _out(f"{one.id}\t{one.name}")
    elif args.what == "participants":
        for p in sorted(store.records(Participant), key=lambda p: p.name):
            structure = structures.get(p.structure_id)
            _out(f"{p.id}\t{p.name}, {label(p.role)}, {structure.name if structure else '-'}")
    else:
        order = {k: i for i, k in enumerate(SESSION_ORDER)}
        sessions = sorted(
            store.records(Session), key=lambda s: (s.date or dt.date.max, order[s.kind])
        )
        for session in sessions:
            when = session.date.isoformat() if session.date else t("cli.list.no_date")
            structure = structures.get(session.structure_id or "")
            owner = f", {structure.name}" if structure else ""
            _out(f"{session.id}\t{label(session.kind)}, {when}{owner}")
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
    """The export on stdout, or in ``output``: atomic and private (0600) like all we write.

    Everything is built before this is called, so a failed export writes nothing.
    """
    if output is None or output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from facilitator.files import write_atomic

    target = Path(output).expanduser()
    try:
        write_atomic(target, data)
    except OSError as error:  # name the file asked for, not the temporary one beside it
        raise OSError(error.errno, error.strerror, str(target)) from error


def cmd_export_agenda(args: argparse.Namespace) -> int:
    from facilitator.exports import export_agenda

    kind = _session_kind(args.session)
    store = _workspace(args).find(args.cohort)
    structure = _structure(store, args.structure) if args.structure else None
    session = _session(store, kind, structure)
    cohort = store.records(Cohort)[0]
    structures = store.records(Structure)
    data = export_agenda(cohort, session, structures, fmt=args.format, lang=language())
    _emit(data, args.output)
    return EXIT_OK


def cmd_export_calendar(args: argparse.Namespace) -> int:

    from facilitator.exports import export_calendar

    store = _workspace(args).find(args.cohort)
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

    from facilitator.bilan_export import cohort_today
    from facilitator.view import CohortView

    store = Workspace(data_dir(args.data), read_only=True).find(args.cohort)
    view = CohortView.load(store)
    return store, view, cohort_today(view.cohort, arrow.utcnow())


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
    """Erase one person's personal data everywhere, backups included."""
    store = _workspace(args).find(args.cohort)
    person = _participant(store, args.participant)
    report = actions.forget_participant(store, person.id, now=arrow.utcnow())
    _out(
        t(
            "cli.forget.done",
            name=person.name,
            notes=report.notes_changed,
            backups=report.backups_rewritten,
        )
    )
    for note in report.first_name_notes:
        _out(t("cli.forget.reread", text=note.text))
    return EXIT_OK


def cmd_export_person(args: argparse.Namespace) -> int:
    from facilitator.privacy import person_json

    store = Workspace(data_dir(args.data), read_only=True).find(args.cohort)
    _emit(person_json(store, _participant(store, args.participant).id), args.output)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Without BACKUP, list the cohort's backups; with it, bring it back (the current
    state is kept as a backup first)."""
    store = _workspace(args).find(args.cohort)
    backups = store.backups()
    if args.backup is None:
        if not backups:
            _out(t("cli.restore.none", path=str(store.backup_dir)))
        for backup in backups:
            taken = backup.taken.to("local").format("YYYY-MM-DD HH:mm:ss")
            size = t("cli.restore.size", kib=backup.path.stat().st_size // 1024)
            _out(f"{backup.path.name}\t{taken}\t{size}")
        return EXIT_OK
    chosen = next((b.path for b in backups if b.path.name.startswith(args.backup)), None)
    if chosen is None and Path(args.backup).is_file():
        chosen = Path(args.backup)
    if chosen is None:
        raise Fail(t("cli.restore.unknown", backup=args.backup))
    kept = actions.restore_backup(store, chosen, now=arrow.utcnow())
    _out(t("cli.restore.done", backup=chosen.name, kept=kept.name))
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


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        set_language(_early_language(argv))
    except UnknownLanguage:
        set_language("fr")
    _translate_argparse(_early_language(argv))
    try:
        args = build_parser().parse_args(argv)
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
    sys.stderr.write(f"facilitator: {message}\n")


__all__ = ["Path", "main"]
