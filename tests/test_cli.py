import functools
import json
from pathlib import Path

import pytest

from tracker.care_team.access import LOCAL
from tracker.care_team.accounts import actor_for, sign_up
from tracker.care_team.outcomes import record_outcome
from tracker.care_team.sharing import accept_invitation, create_invitation
from tracker.cli import build_parser, main, parse_symptom
from tracker.diary.entries import store_check_in
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.errors import ValidationError
from tracker.storage.engine import create_db_engine, session_factory
from tracker.storage.tables import utcnow
from tracker.triage import classifier


@pytest.mark.parametrize(
    ("argument", "expected"),
    [("Chest pain=4", ("Chest pain", 4)), ("Fever:2", ("Fever", 2)), (" tummy ache = 3", ("tummy ache", 3))],
)
def test_symptom_arguments_are_parsed(argument, expected):
    assert parse_symptom(argument) == expected


@pytest.mark.parametrize("argument", ["Fever", "Fever=9", "Fever=two", "=3", "Fever=2.5"])
def test_bad_symptom_arguments_are_refused(argument):
    with pytest.raises(ValidationError):
        parse_symptom(argument)


def test_every_command_has_help_text():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"assess", "train", "evaluate", "demo"} <= set(commands)
    for name, command in commands.items():
        assert command.description, f"{name} has no description"
        assert command.format_help().strip()


def test_assess_prints_json_with_level_advice_and_reasons(capsys):
    assert main(["assess", "Chest pain=4", "Fever=2", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["level"] == "emergency"
    assert payload["matched"] == {"Chest pain": "Chest pain", "Fever": "Fever"}
    assert payload["advice"] and payload["reasons"]
    assert 0 <= payload["confidence"] <= 1


def test_assess_with_bad_input_exits_2_with_a_plain_message(capsys):
    assert main(["assess", "Fever=7"]) == 2
    assert "whole number from 1" in capsys.readouterr().err


@pytest.mark.slow  # builds a demo year of entries
def test_demo_fills_the_configured_database(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert main(["demo", "--patients", "2", "--entries", "300", "--database-url", url]) == 0
    assert "300 entries" in capsys.readouterr().out


def test_export_then_import_round_trips_without_duplicates(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert main(["demo", "--patients", "1", "--entries", "50", "--database-url", url]) == 0
    out = tmp_path / "entries.csv"
    assert main(write_command("export", out, url)) == 0
    assert out.read_bytes().startswith(b"occurred_at,")
    assert main(["import", str(out), "--patient", "Demo patient 1", "--database-url", url]) == 0
    assert "Imported 0 entries" in capsys.readouterr().out


@pytest.mark.slow  # a demo database, then the PDF with its charts
@pytest.mark.parametrize("fmt", ["xlsx", "fhir", "pdf"])
def test_every_export_format_writes_a_file(tmp_path, fmt):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    main(["demo", "--patients", "1", "--entries", "20", "--database-url", url])
    out = tmp_path / f"out.{fmt}"
    assert (
        main(
            [
                "export",
                "--patient",
                "Demo patient 1",
                "--format",
                fmt,
                "--out",
                str(out),
                "--database-url",
                url,
                "--tz",
                "Europe/London",
            ]
        )
        == 0
    )
    assert out.stat().st_size > 100


def test_importing_a_bad_file_names_each_bad_row_and_changes_nothing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    main(["demo", "--patients", "1", "--entries", "10", "--database-url", url])
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "occurred_at,symptom,severity\n2026-01-01T10:00:00+00:00,Cough,2\n2026-01-02T10:00:00+00:00,,9\n"
    )
    assert main(["import", str(bad), "--patient", "Demo patient 1", "--database-url", url]) == 2
    assert "row 3" in capsys.readouterr().err
    out = tmp_path / "after.csv"
    export = [
        "export",
        "--patient",
        "Demo patient 1",
        "--format",
        "csv",
        "--out",
        str(out),
        "--database-url",
        url,
    ]
    main([*export, "--sections", "entries"])  # the entry rows only (demo profiles keep measures too)
    assert len(out.read_text().splitlines()) == 11


def test_remind_runs_on_an_empty_database_and_sends_nothing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert main(["remind", "--database-url", url, "--tz", "Europe/London"]) == 0
    assert "Sent 0 reminders" in capsys.readouterr().out


def test_export_acts_for_an_account_and_sees_only_its_profiles(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'accounts.sqlite3'}"
    with session_factory(create_db_engine(url)).begin() as session:
        ada = actor_for(sign_up(session, "ada@example.org", "Ada", "a long password", "caregiver", utcnow()))
        add_patient(session, ada, "Sam")
        add_patient(session, LOCAL, "Me")
    out = tmp_path / "sam.csv"
    args = ["export", "--patient", "Sam", "--format", "csv", "--out", str(out), "--database-url", url]
    assert main(args) == 2, "the local user cannot see Ada's Sam"
    assert "no patient called 'Sam'" in capsys.readouterr().err
    assert main([*args, "--user", "ADA@example.org"]) == 0
    assert out.exists()
    assert main(["demo", "--entries", "5", "--database-url", url, "--user", "nobody@example.org"]) == 2


@pytest.mark.slow  # trains the model
def test_train_with_outcomes_learns_from_what_clinicians_recorded(tmp_path, capsys, now, monkeypatch):
    # One quick candidate: the comparison of them all is tests/test_model.py's full training.
    quick = functools.partial(classifier.train, candidates=("logistic_regression",))
    monkeypatch.setattr(classifier, "train", quick)
    url = f"sqlite:///{tmp_path / 'outcomes.sqlite3'}"
    with session_factory(create_db_engine(url)).begin() as session:
        ada = actor_for(sign_up(session, "ada@example.org", "Ada", "a long password", "caregiver", now))
        lee = actor_for(sign_up(session, "lee@example.org", "Lee", "a long password", "clinician", now))
        sam = add_patient(session, ada, "Sam").id
        accept_invitation(session, lee, create_invitation(session, ada, sam, now), now)
        check_in = store_check_in(session, ada, sam, [EntryInput("Dizziness", 3, now)], now=now)
        record_outcome(session, lee, sam, check_in.entries[0].id, "urgent", "fainted later", now)
    out = tmp_path / "model"
    assert main(["train", "--with-outcomes", "--database-url", url, "--out", str(out)]) == 0
    assert "Adding 1 check-in(s) labelled by clinicians" in capsys.readouterr().out
    metadata = json.loads((out / "triage_model.json").read_text())
    assert metadata["outcome_rows"] == 1 and metadata["model_version"].endswith("+1outcomes")


@pytest.fixture
def demo_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'files.sqlite3'}"
    assert main(["demo", "--patients", "1", "--entries", "5", "--database-url", url]) == 0
    return url


def write_command(name, out, url):
    if name == "export":
        return [
            "export",
            "--patient",
            "Demo patient 1",
            "--format",
            "csv",
            "--out",
            str(out),
            "--database-url",
            url,
        ]
    return ["backup", "--out", str(out), "--database-url", url]


@pytest.mark.parametrize("command", ["export", "backup"])
def test_writing_into_a_missing_folder_is_a_plain_error_that_creates_nothing(
    tmp_path, demo_url, capsys, command
):
    out = tmp_path / "missing" / "dir" / "file.out"
    capsys.readouterr()
    assert main(write_command(command, out, demo_url)) == 2
    error = capsys.readouterr().err
    assert "does not exist" in error and "Traceback" not in error
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("command", ["export", "backup"])
def test_an_existing_file_is_replaced_only_with_force(tmp_path, demo_url, capsys, command):
    out = tmp_path / "precious.out"
    out.write_text("precious")
    assert main(write_command(command, out, demo_url)) == 2
    assert "add --force to replace it" in capsys.readouterr().err
    assert out.read_text() == "precious"
    assert main([*write_command(command, out, demo_url), "--force"]) == 0
    assert out.read_bytes() != b"precious"
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []  # no leftovers


def test_train_into_a_missing_folder_is_refused(tmp_path, capsys):
    assert main(["train", "--out", str(tmp_path / "no" / "model")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_demo_summary_masks_the_database_password(monkeypatch, capsys):
    import tracker.diary.demo
    import tracker.storage.engine

    monkeypatch.setattr(tracker.storage.engine, "create_db_engine", lambda url: create_db_engine("sqlite://"))
    monkeypatch.setattr(tracker.diary.demo, "fill_demo", lambda *args, **kwargs: (1, 5))
    url = "postgresql://tracker:s3cret-pass@db.example.org:5432/tracker"
    assert main(["demo", "--entries", "5", "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert "s3cret-pass" not in out
    assert "postgresql://tracker:***@db.example.org:5432/tracker" in out


def test_the_readme_example_cases_ship_with_the_repository(capsys):
    cases = Path(__file__).resolve().parent.parent / "examples" / "cases.csv"
    assert main(["evaluate", str(cases)]) == 0
    assert "Cases: 10" in capsys.readouterr().out
