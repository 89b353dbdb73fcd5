"""Setting up a cohort from the command line (shared/CLI.md « Setting up a cohort »).

Each command runs in-process through ``facilitator.cli.main`` on a real workspace in
``tmp_path``; bad input is one sentence on stderr, exit 2, and not one byte changed.
One test drives the real program, as subprocesses, from an empty folder to the
exported agenda and calendar.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from facilitator.cli import _route, main
from facilitator.domain import Cohort, Participant, Role, Session, SessionKind, Structure
from facilitator.store import CohortStore
from facilitator.workspace import Workspace
from tests.conftest import run_cli

START = "2027-01-11"  # a Monday; never the machine's today
Run = tuple[int, str, str]


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACILITATOR_LANG", raising=False)
    monkeypatch.delenv("FACILITATOR_DATA", raising=False)


class Cli:
    """``facilitator --data <folder> ...`` in this process, with what it printed."""

    def __init__(self, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.data = data
        self.capsys = capsys

    def __call__(self, *args: str) -> Run:
        self.capsys.readouterr()
        code = main(["--data", str(self.data), *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        assert "Traceback" not in err
        return out

    def store(self) -> CohortStore:
        return Workspace(self.data).find(None)

    def files(self) -> dict[Path, bytes]:
        if not self.data.exists():
            return {}
        return {p: p.read_bytes() for p in self.data.rglob("*") if p.is_file()}

    def refused(self, *args: str) -> str:
        """The command fails as bad input, in one sentence, and writes nothing."""
        before = self.files()
        code, out, err = self(*args)
        assert code == 2, (out, err)
        assert "Traceback" not in err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("facilitator: "), err
        assert self.files() == before
        return lines[0]


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "ws", capsys)


@pytest.fixture
def cohort(cli: Cli) -> Cli:
    """Three associations, one person each, and the default programme written."""
    cli.ok("cohort", "new", "Collectif Drôme", "--start", START, "--consultant", "Claire")
    for name in ("Les Jardins du Lien", "Vélo-École", "Théâtre du Fil"):
        cli.ok("structure", "add", name, "--created", "2015")
    cli.ok("participant", "add", "Amina Diallo", "--structure", "jardins")
    cli.ok("participant", "add", "Paul Morel", "--structure", "velo", "--role", "president")
    cli.ok("participant", "add", "Léa Bonnet", "--structure", "theatre")
    cli.ok("programme", "propose", "--apply")
    return cli


def session(store: CohortStore, kind: SessionKind, structure: str | None = None) -> Session:
    names = {s.name: s.id for s in store.records(Structure)}
    return next(
        s
        for s in store.records(Session)
        if s.kind == kind and (structure is None or s.structure_id == names[structure])
    )


def agenda_lines(cli: Cli, *args: str) -> list[list[str]]:
    out = cli.ok("agenda", "show", *args).splitlines()
    return [line.split("\t") for line in out[:-1]]


# --- the cohort ----------------------------------------------------------------------


def test_cohort_new_prints_the_id_of_the_cohort_it_writes(cli: Cli) -> None:
    out = cli.ok(
        "cohort",
        "new",
        "Collectif Drôme",
        "--start",
        START,
        "--approach",
        "Reseau",
        "--territory",
        "Drôme",
        "--dla",
        "DLA 26",
        "--dla",
        "DLA 07",
        "--cofinancer",
        "Région",
        "--consultant",
        "Claire Martin",
        "--days",
        "10,5",
        "--timezone",
        "America/Cayenne",
    )
    (cohort,) = cli.store().records(Cohort)
    assert out == f"{cohort.id}\n"
    assert cohort.name == "Collectif Drôme"
    assert cohort.start_date == dt.date(2027, 1, 11)
    assert cohort.approach == "reseau" and cohort.territory == "Drôme"
    assert cohort.dlas == ["DLA 26", "DLA 07"] and cohort.cofinancers == ["Région"]
    assert [(c.name, c.days_budgeted) for c in cohort.consultants] == [("Claire Martin", 10.5)]
    assert cohort.timezone == "America/Cayenne"


def test_an_empty_workspace_says_how_to_create_a_cohort(cli: Cli) -> None:
    assert "facilitator cohort new" in cli.refused("structure", "add", "Les Jardins")
    assert "facilitator cohort new" in cli.refused("list", "structures")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--start", "2027-02-30"), "2027-02-30"),
        (("--start", "2270-01-01"), "2270"),
        (("--days", "3"), "--consultant"),
        (("--consultant", "Claire", "--days", "dix"), "dix"),
        (("--consultant", "Claire", "--days", "-1"), "-1"),
        (("--consultant", "Claire", "--days", "100,5"), "100"),
        (("--approach", "regionale"), "regionale"),
        (("--timezone", "Europe/Drome"), "Europe/Drome"),
    ],
)
def test_cohort_new_refuses_bad_settings(cli: Cli, args: tuple[str, ...], said: str) -> None:
    assert said in cli.refused("cohort", "new", "Collectif", *args)
    assert not list(cli.data.glob("*.json"))


def test_cohort_new_refuses_an_empty_or_taken_name(cli: Cli) -> None:
    cli.refused("cohort", "new", "  ")
    cli.ok("cohort", "new", "Collectif Drôme")
    assert "Collectif Drôme" in cli.refused("cohort", "new", "collectif drome")
    assert len(list(cli.data.glob("*.json"))) == 1


def test_cohort_set_changes_only_what_is_given(cli: Cli) -> None:
    cli.ok("cohort", "new", "Collectif", "--dla", "A", "--consultant", "Claire", "--days", "10")
    assert cli.ok("cohort", "set", "--name", "Collectif Drôme", "--dla", "B", "--dla", "C") == ""
    cli.ok("cohort", "set", "--days", "11.5", "--days-spent", "2,5")
    (cohort,) = cli.store().records(Cohort)
    assert cohort.name == "Collectif Drôme" and cohort.dlas == ["B", "C"]
    assert [(c.name, c.days_budgeted, c.days_spent) for c in cohort.consultants] == [
        ("Claire", 11.5, 2.5)
    ]
    cli.ok("cohort", "set", "--cohort", "drome", "--consultant", "Bob", "--days", "2")
    cli.ok("cohort", "set", "--consultant", "claire", "--days-spent", "3")
    (cohort,) = cli.store().records(Cohort)
    assert [(c.name, c.days_budgeted, c.days_spent) for c in cohort.consultants] == [
        ("Claire", 11.5, 3.0),
        ("Bob", 2.0, 0.0),
    ]


def test_cohort_set_refuses_everything_when_one_part_is_wrong(cli: Cli) -> None:
    cli.ok("cohort", "new", "Collectif", "--consultant", "Claire")
    cli.ok("cohort", "set", "--consultant", "Bob")
    # Two consultants: --days alone does not say whose, so the territory is not written either.
    assert "2" in cli.refused("cohort", "set", "--territory", "Drôme", "--days", "4")
    cli.refused("cohort", "set", "--consultant", "Bob", "--days", "3", "--approach", "x")
    cli.refused("cohort", "set", "--consultant", "Bob", "--days", "3", "--start", "2027-13-01")
    cli.refused("cohort", "set")
    (cohort,) = cli.store().records(Cohort)
    assert cohort.territory == "" and cohort.approach == "territoriale"
    assert [c.days_budgeted for c in cohort.consultants] == [0.0, 0.0]


def test_cohort_set_refuses_the_name_of_another_cohort(cli: Cli) -> None:
    cli.ok("cohort", "new", "Collectif Drôme")
    cli.ok("cohort", "new", "Collectif Ardèche")
    cli.refused("cohort", "set", "--cohort", "ardeche", "--name", "Collectif Drome")
    cli.ok("cohort", "set", "--cohort", "ardeche", "--name", "Collectif Ardèche 2027")


# --- structures and participants --------------------------------------------------------


def test_structure_add_and_set(cli: Cli) -> None:
    cli.ok("cohort", "new", "Collectif")
    out = cli.ok(
        "structure",
        "add",
        "Les Jardins du Lien",
        "--created",
        "2015",
        "--employer",
        "NON",
        "--general-interest",
        "oui",
        "--sector",
        "maraîchage",
        "--network",
        "Cocagne",
        "--das",
        "maraîchage",
        "--das",
        "insertion",
    )
    (jardins,) = cli.store().records(Structure)
    assert out == f"{jardins.id}\n"
    assert jardins.created == dt.date(2015, 1, 1)
    assert (jardins.employer, jardins.general_interest) == (False, True)
    assert (jardins.sector, jardins.network) == ("maraîchage", "Cocagne")
    assert jardins.das == ["maraîchage", "insertion"]
    cli.ok("structure", "set", "jardins", "--das", "paniers", "--created", "2014-09-01")
    cli.ok("structure", "set", jardins.id[:6], "--employer", "yes", "--name", "Jardins de Crest")
    (jardins,) = cli.store().records(Structure)
    assert jardins.das == ["paniers"] and jardins.created == dt.date(2014, 9, 1)
    assert jardins.employer is True and jardins.name == "Jardins de Crest"


@pytest.mark.parametrize(
    "args",
    [
        ("structure", "add", "Vélo-École"),  # a name already taken (accents and case aside)
        ("structure", "add", " "),
        ("structure", "add", "Nouvelle", "--created", "2015-02-30"),
        ("structure", "add", "Nouvelle", "--created", "2090"),
        ("structure", "add", "Nouvelle", "--employer", "peut-être"),
        ("structure", "set", "inconnue", "--sector", "culture"),
        ("structure", "set", "velo", "--name", "les jardins du lien"),
        ("structure", "set", "velo"),
        ("participant", "add", "Zoé", "--structure", "inconnue"),
        ("participant", "add", "Zoé", "--structure", "velo", "--role", "chef"),
        ("participant", "add", "Zoé", "--structure", "velo", "--email", "zoe@"),
        ("participant", "add", "Zoé", "--structure", "velo", "--phone", "abc"),
        ("participant", "add", "Zoé", "--structure", "velo", "--governance", "peut-être"),
        ("participant", "add", "Zoé"),  # --structure is required
        ("participant", "set", "amina", "--structure", "inconnue"),
        ("participant", "set", "personne", "--role", "autre"),
        ("participant", "set", "amina"),
    ],
)
def test_bad_structures_and_participants_are_refused(cohort: Cli, args: tuple[str, ...]) -> None:
    cohort.refused(*args)


def test_participant_add_and_set(cohort: Cli) -> None:
    store = cohort.store()
    people = {p.name: p for p in store.records(Participant)}
    structures = {s.name: s.id for s in store.records(Structure)}
    assert people["Paul Morel"].role == Role.PRESIDENT and people["Paul Morel"].governance
    assert people["Amina Diallo"].role == Role.OTHER and not people["Amina Diallo"].governance
    out = cohort.ok(
        "participant",
        "add",
        "Zoé Martin",
        "--structure",
        "Théâtre",
        "--role",
        "tresorier",
        "--governance",
        "non",
        "--email",
        "zoe@theatre.fr",
        "--phone",
        "04 75 00 00 00",
    )
    zoe = cohort.store().get(Participant, out.strip())
    assert zoe is not None
    assert (zoe.role, zoe.governance, zoe.structure_id) == (
        Role.TREASURER,
        False,
        structures["Théâtre du Fil"],
    )
    assert (zoe.email, zoe.phone) == ("zoe@theatre.fr", "04 75 00 00 00")
    cohort.ok("participant", "set", "amina", "--structure", "velo", "--role", "dirigeant")
    cohort.ok("participant", "set", "zoe", "--name", "Zoé Martin-Roux", "--governance", "yes")
    people = {p.name: p for p in cohort.store().records(Participant)}
    assert people["Amina Diallo"].structure_id == structures["Vélo-École"]
    assert people["Amina Diallo"].role == Role.DIRECTOR
    assert people["Zoé Martin-Roux"].governance is True


# --- the programme -----------------------------------------------------------------------


def test_programme_propose_prints_a_line_a_session_and_writes_nothing(cli: Cli) -> None:
    cli.ok("cohort", "new", "Collectif", "--start", START)
    for name in ("Les Jardins du Lien", "Vélo-École", "Théâtre du Fil"):
        cli.ok("structure", "add", name)
    before = cli.files()
    code, out, err = cli("programme", "propose", "--collective", "journee")
    assert code == 0, err
    assert cli.files() == before
    lines = [line.split("\t") for line in out.splitlines()]
    assert [line[0] for line in lines] == [
        "intro",
        "etat-des-lieux",
        "evolution",
        "bilan",
        "bilan",
        "bilan",
    ]
    assert all(len(line) == 6 for line in lines)
    assert lines[0][1:4] == ["2027-01-11", "09:30", "11:00"]  # no fixed end: the agenda's
    assert lines[1][1:4] == ["2027-02-22", "09:00", "17:00"]
    assert sorted(line[4] for line in lines[3:]) == [
        "Les Jardins du Lien",
        "Théâtre du Fil",
        "Vélo-École",
    ]
    assert {line[5] for line in lines} == {"nouvelle"}
    assert "jours de travaux préparatoires" in err
    assert not cli.store().records(Session)


def test_programme_apply_writes_it_and_says_so(cohort: Cli) -> None:
    sessions = cohort.store().records(Session)
    assert len(sessions) == 6 and all(s.agenda for s in sessions)
    assert cohort.store().records(Cohort)[0].start_date == dt.date(2027, 1, 11)
    code, out, err = cohort("programme", "propose", "--apply")
    assert code == 0
    assert {line.split("\t")[5] for line in out.splitlines()} == {"inchangée"}
    assert "Programme écrit : 0 session(s) ajoutée(s), 0 déplacée(s)" in err
    assert len(cohort.store().records(Session)) == 6


def test_programme_apply_never_moves_a_session_that_holds_a_note(cohort: Cli) -> None:
    cohort.ok("capture", "constat: peu de bénévoles", "--session", "etat-des-lieux")
    held = session(cohort.store(), SessionKind.STATE_OF_PLAY)
    args = ("programme", "propose", "--apply", "--redate", "--start", "2027-03-01", "--lang", "en")
    out = cohort.ok(*args)
    lines = {tuple(line.split("\t")[:1] + line.split("\t")[4:5]): line for line in out.splitlines()}
    assert lines[("etat-des-lieux", "")].endswith("\tkept")
    assert lines[("intro", "")].split("\t")[1:2] == ["2027-03-01"]
    assert lines[("intro", "")].endswith("\tmoved")
    store = cohort.store()
    assert session(store, SessionKind.STATE_OF_PLAY) == held
    assert session(store, SessionKind.INTRO).date == dt.date(2027, 3, 1)
    assert len(store.records(Session)) == 6


@pytest.mark.parametrize(
    "args",
    [
        ("--start", "2027-02-29"),
        ("--intro", "moyen"),
        ("--collective", "soiree"),
        ("--apply", "--collective", "soiree"),
    ],
)
def test_programme_propose_refuses_bad_choices(cohort: Cli, args: tuple[str, ...]) -> None:
    cohort.refused("programme", "propose", *args)


def test_a_read_only_workspace_proposes_but_does_not_apply(cohort: Cli) -> None:
    before = cohort.files()
    code, out, _ = cohort(
        "--read-only", "programme", "propose", "--redate", "--start", "2027-03-01"
    )
    assert code == 0 and "déplacée" in out
    code, _, err = cohort("--read-only", "programme", "propose", "--apply", "--start", "2027-03-01")
    assert code == 1 and "lecture seule" in err
    code, _, _ = cohort("structure", "add", "Nouvelle", "--read-only")
    assert code == 1
    assert cohort.files() == before


# --- sessions ----------------------------------------------------------------------------


def test_session_add_lays_out_a_session_and_prints_its_id(cli: Cli) -> None:
    cli.ok("cohort", "new", "Collectif")
    cli.ok("structure", "add", "Les Jardins du Lien")
    out = cli.ok(
        "session",
        "add",
        "etat-des-lieux",
        "--date",
        "2027-02-22",
        "--template",
        "etat-des-lieux-journee",
        "--place",
        "Salle des fêtes",
    )
    added = cli.store().get(Session, out.strip())
    assert added is not None
    assert (added.kind, added.date, added.place) == (
        SessionKind.STATE_OF_PLAY,
        dt.date(2027, 2, 22),
        "Salle des fêtes",
    )
    assert (added.start_time, added.end_time) == (dt.time(9, 0), dt.time(17, 0))
    assert added.agenda
    out = cli.ok(
        "session",
        "add",
        "bilan",
        "--structure",
        "jardins",
        "--date",
        "2027-05-03",
        "--start",
        "14h",
    )
    bilan = cli.store().get(Session, out.strip())
    assert bilan is not None and bilan.start_time == dt.time(14, 0) and bilan.structure_id


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("bilan", "--date", "2027-05-03"), "--structure"),
        (("bilan", "--structure", "velo", "--date", "2027-05-03"), "Vélo-École"),  # has one
        (("intro", "--structure", "velo", "--date", "2027-05-03"), "aucune"),
        (("intro", "--date", "2027-02-30"), "2027-02-30"),
        (("intro", "--date", "2027-02-01", "--start", "25:00"), "25:00"),
        (("intro", "--date", "2027-02-01", "--start", "10:00", "--end", "09:00"), "09:00"),
        (("intro", "--date", "2027-02-01", "--template", "bilan"), "bilan"),
        (("intro", "--date", "2027-02-01", "--template", "inconnu"), "inconnu"),
        (("atelier", "--date", "2027-02-01"), "atelier"),
        (("intro",), "--date"),
    ],
)
def test_session_add_refuses_bad_input(cohort: Cli, args: tuple[str, ...], said: str) -> None:
    assert said in cohort.refused("session", "add", *args)


def test_session_set_moves_a_session(cohort: Cli) -> None:
    cohort.ok("session", "set", "intro", "--date", "2027-01-13", "--start", "10:00")
    cohort.ok("session", "set", "bilan", "--structure", "theatre", "--place", "Au théâtre")
    cohort.ok("session", "set", "etat-des-lieux", "--end", "13:00")
    store = cohort.store()
    intro = session(store, SessionKind.INTRO)
    assert (intro.date, intro.start_time) == (dt.date(2027, 1, 13), dt.time(10, 0))
    assert session(store, SessionKind.BILAN, "Théâtre du Fil").place == "Au théâtre"
    assert session(store, SessionKind.STATE_OF_PLAY).end_time == dt.time(13, 0)
    cohort.ok("session", "set", "etat-des-lieux", "--end", "none")
    assert session(cohort.store(), SessionKind.STATE_OF_PLAY).end_time is None


@pytest.mark.parametrize(
    "args",
    [
        ("intro", "--date", "2027-02-30"),
        ("intro", "--start", "9h75"),
        ("intro", "--start", "11:00", "--end", "10:00"),
        ("etat-des-lieux", "--end", "10:00"),  # the agenda runs to 11:51
        ("bilan", "--date", "2027-05-03"),
        ("bilan", "--structure", "inconnue", "--date", "2027-05-03"),
        ("intro",),
    ],
)
def test_session_set_refuses_bad_input(cohort: Cli, args: tuple[str, ...]) -> None:
    cohort.refused("session", "set", *args)


def test_session_k_alone_still_opens_the_live_screen(
    cohort: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import screens.app

    opened: dict[str, object] = {}

    def run(workspace: Workspace, **where: object) -> int:
        opened.update(where)
        return 0

    monkeypatch.setattr(screens.app, "run", run)
    cohort.ok("session", "bilan", "--structure", "velo")
    assert opened["session"] == session(cohort.store(), SessionKind.BILAN, "Vélo-École").id
    cohort.ok("session", "--cohort", "drome", "intro")
    assert opened["session"] == session(cohort.store(), SessionKind.INTRO).id


def test_session_add_and_set_are_routed_wherever_the_options_are() -> None:
    assert _route(["session", "add", "intro"]) == ["session add", "intro"]
    assert _route(["--data", "add", "session", "set", "intro"]) == [
        "--data",
        "add",
        "session set",
        "intro",
    ]
    assert _route(["session", "--cohort", "C", "add", "x"]) == ["session add", "--cohort", "C", "x"]
    assert _route(["session", "bilan", "--structure", "add"]) == [
        "session",
        "bilan",
        "--structure",
        "add",
    ]
    assert _route(["capture", "add"]) == ["capture", "add"]


# --- agendas -----------------------------------------------------------------------------


def test_agenda_show_prints_each_item_and_the_end(cohort: Cli) -> None:
    lines = agenda_lines(cohort, "--session", "etat-des-lieux")
    assert lines[0] == ["1", "09:00", "15", "", "Accueil et ouverture"]
    assert [line[0] for line in lines] == [str(i) for i in range(1, len(lines) + 1)]
    assert any(line[4].endswith("Vélo-École") for line in lines)
    out = cohort.ok("agenda", "show", "--session", "etat-des-lieux").splitlines()
    assert out[-1] == "Fin prévue à 11:51."
    cohort.ok("session", "set", "etat-des-lieux", "--end", "12:00")
    out = cohort.ok("agenda", "show", "--session", "etat-des-lieux").splitlines()
    assert out[-1] == "Fin prévue à 11:51, 9 min avant la fin de journée (12:00)."
    bilan = agenda_lines(cohort, "--session", "bilan", "--structure", "jardins")
    assert bilan[0][:3] == ["1", "10:00", "10"]


def test_agenda_add_prints_the_id_of_the_new_item(cohort: Cli) -> None:
    out = cohort.ok(
        "agenda", "add", "--session", "etat-des-lieux", "Repas partagé", "--minutes", "60"
    )
    last = session(cohort.store(), SessionKind.STATE_OF_PLAY).agenda[-1]
    assert out == f"{last.id}\n" and last.title == "Repas partagé" and last.minutes == 60
    cohort.ok(
        "agenda", "add", "--session", "etat-des-lieux", "Visite", "--minutes", "20", "--at", "1"
    )
    lines = agenda_lines(cohort, "--session", "etat-des-lieux")
    assert lines[0] == ["1", "09:00", "20", "", "Visite"]
    assert lines[1][:2] == ["2", "09:20"]


def test_agenda_edits_by_position(cohort: Cli) -> None:
    where = ("--session", "etat-des-lieux")
    cohort.ok("agenda", "add", *where, "Repas partagé", "--minutes", "60")
    count = len(agenda_lines(cohort, *where))
    assert cohort.ok("agenda", "pin", *where, str(count), "--time", "12:30") == ""
    assert agenda_lines(cohort, *where)[-1] == [str(count), "12:30", "60", "12:30", "Repas partagé"]
    cohort.ok("agenda", "pin", *where, str(count), "--time", "none")
    assert agenda_lines(cohort, *where)[-1][3] == ""
    cohort.ok("agenda", "rename", *where, "1", "--title", "Café d'accueil")
    cohort.ok("agenda", "resize", *where, "1", "--minutes", "25")
    assert agenda_lines(cohort, *where)[0] == ["1", "09:00", "25", "", "Café d'accueil"]
    cohort.ok("agenda", "move", *where, "1", "--to", "2")
    lines = agenda_lines(cohort, *where)
    assert lines[1][4] == "Café d'accueil" and lines[0][4].startswith("Partage")
    cohort.ok("agenda", "rename", *where, "2", "--title", "")
    assert agenda_lines(cohort, *where)[1][4] == "Accueil et ouverture"
    cohort.ok("agenda", "remove", *where, "2")
    lines = agenda_lines(cohort, *where)
    assert len(lines) == count - 1 and "Accueil et ouverture" not in {line[4] for line in lines}


def test_agenda_resize_below_the_minimum_is_allowed_and_said(cohort: Cli) -> None:
    code, _, err = cohort(
        "agenda", "resize", "--session", "bilan", "--structure", "velo", "2", "--minutes", "5"
    )
    assert code == 0 and "minimum" in err
    bilan = session(cohort.store(), SessionKind.BILAN, "Vélo-École")
    assert bilan.agenda[1].minutes == 5


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("add", "Visite", "--minutes", "0"), "1 minute"),
        (("add", "Visite", "--minutes", "-5"), "-5"),
        (("add", "Visite", "--minutes", "1,5"), "1,5"),
        (("add", "Visite", "--minutes", "600"), "600"),
        (("add", " ", "--minutes", "10"), "titre"),
        (("add", "Visite", "--minutes", "10", "--at", "0"), "position 0"),
        (("add", "Visite", "--minutes", "10", "--at", "99"), "99"),
        (("add", "Visite"), "--minutes"),
        (("pin", "9", "--time", "23:55"), "minuit"),
        (("remove", "0"), "position 0"),
        (("remove", "99"), "99"),
        (("remove", "deux"), "deux"),
        (("move", "1", "--to", "99"), "99"),
        (("move", "-1", "--to", "2"), "-1"),
        (("move", "1"), "--to"),
        (("resize", "1", "--minutes", "0"), "1 minute"),
        (("resize", "99", "--minutes", "10"), "99"),
        (("rename", "99", "--title", "X"), "99"),
        (("pin", "3", "--time", "25:00"), "25:00"),
        (("pin", "3", "--time", "08:00"), "08:00"),  # before the session starts
        (("pin", "99", "--time", "12:00"), "99"),
    ],
)
def test_bad_agenda_edits_are_refused(cohort: Cli, args: tuple[str, ...], said: str) -> None:
    assert said in cohort.refused("agenda", args[0], "--session", "etat-des-lieux", *args[1:])


def test_an_agenda_longer_than_its_day_is_refused(cohort: Cli) -> None:
    cohort.ok("session", "set", "etat-des-lieux", "--end", "12:00")
    assert "12:00" in cohort.refused(
        "agenda", "add", "--session", "etat-des-lieux", "Visite", "--minutes", "10"
    )
    assert "12:00" in cohort.refused(
        "agenda", "resize", "--session", "etat-des-lieux", "1", "--minutes", "30"
    )
    assert "12:00" in cohort.refused(
        "agenda", "pin", "--session", "etat-des-lieux", "7", "--time", "11:30"
    )


def test_a_bilan_agenda_needs_its_structure(cohort: Cli) -> None:
    assert "--structure" in cohort.refused("agenda", "show", "--session", "bilan")
    assert "--structure" in cohort.refused("agenda", "remove", "--session", "bilan", "1")


def test_english_words_and_errors(cohort: Cli) -> None:
    code, out, err = cohort("--lang", "en", "programme", "propose")
    assert code == 0 and {line.split("\t")[5] for line in out.splitlines()} == {"unchanged"}
    assert "preparatory work" in err
    said = cohort.refused("agenda", "move", "--session", "intro", "x", "--to", "1", "--lang", "en")
    assert "is not a position" in said


def test_every_new_command_has_help_in_both_languages(cli: Cli) -> None:
    commands = [
        ("cohort", "new"),
        ("cohort", "set"),
        ("structure", "add"),
        ("structure", "set"),
        ("participant", "add"),
        ("participant", "set"),
        ("programme", "propose"),
        ("session", "add"),
        ("session", "set"),
        ("agenda", "show"),
        ("agenda", "add"),
        ("agenda", "pin"),
    ]
    for lang, word in (("fr", "options"), ("en", "options")):
        for command in commands:
            code, out, _ = cli("--lang", lang, *command, "--help")
            assert code == 0 and word in out, command
    _, french, _ = cli("agenda", "pin", "--help")
    assert "l'heure fixe" in french
    _, english, _ = cli("--lang", "en", "cohort", "new", "--help")
    assert "decimal comma" in english


# --- the whole path, as a facilitator's script runs it ----------------------------------


def test_from_an_empty_workspace_to_the_exported_agenda_and_calendar(tmp_path: Path) -> None:
    data = tmp_path / "ws"

    def run(*args: str) -> str:
        done = run_cli(*args, data=data)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr
        return done.stdout

    cohort_id = run(
        "cohort",
        "new",
        "Collectif Drôme 2027",
        "--start",
        START,
        "--consultant",
        "Claire Martin",
        "--days",
        "10,5",
        "--dla",
        "DLA Drôme",
    ).strip()
    assert (data / f"{cohort_id}.json").is_file()
    names = ("Les Jardins du Lien", "Vélo-École de Crest", "Théâtre du Fil")
    ids = [run("structure", "add", name, "--created", "2012").strip() for name in names]
    assert len(set(ids)) == 3
    for person, structure in zip(
        ("Amina", "Paul", "Léa"), ("jardins", "velo", "theatre"), strict=True
    ):
        assert run("participant", "add", person, "--structure", structure).strip()

    proposed = run("programme", "propose")
    assert len(proposed.splitlines()) == 6
    assert not Workspace(data).find(None).records(Session)
    applied = run_cli("programme", "propose", "--apply", data=data)
    assert applied.returncode == 0 and applied.stdout == proposed
    assert "Programme écrit : 6 session(s) ajoutée(s)" in applied.stderr

    item = run("agenda", "add", "--session", "etat-des-lieux", "Repas partagé", "--minutes", "60")
    assert item.strip()
    shown = run("agenda", "show", "--session", "etat-des-lieux").splitlines()
    lunch = next(line.split("\t")[0] for line in shown if line.endswith("\tRepas partagé"))
    run("agenda", "pin", "--session", "etat-des-lieux", lunch, "--time", "12:30")
    shown = run("agenda", "show", "--session", "etat-des-lieux").splitlines()
    assert f"{lunch}\t12:30\t60\t12:30\tRepas partagé" in shown
    assert shown[-1] == "Fin prévue à 13:30."

    exported = run("export", "agenda", "--session", "etat-des-lieux")
    assert "Repas partagé" in exported and "12:30" in exported

    ics = tmp_path / "programme.ics"
    run("export", "calendar", "-o", str(ics))
    events = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    days = sorted(event.decoded("dtstart").date() for event in events)
    proposed_days = sorted(
        dt.date.fromisoformat(line.split("\t")[1]) for line in proposed.splitlines()
    )
    assert days == proposed_days
    assert days[:3] == [dt.date(2027, 1, 11), dt.date(2027, 2, 22), dt.date(2027, 4, 12)]
    summaries = [str(event.get("summary")) for event in events]
    assert sum("Bilan" in s for s in summaries) == 3
    assert sum(name in " ".join(summaries) for name in names) == 3


def test_a_session_moved_onto_a_saturday_is_saved_and_the_calendar_says_so(cohort: Cli) -> None:
    code, _, err = cohort("session", "set", "evolution", "--date", "2027-02-20")
    assert code == 0
    assert session(cohort.store(), SessionKind.EVOLUTION).date == dt.date(2027, 2, 20)
    assert "samedi 20 février 2027 n'est pas un jour ouvré" in err
    assert "avant la 1re session collective" in err
