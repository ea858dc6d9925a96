"""Command line: `python -m tracker assess|train|evaluate|demo` (thin wrappers over the library)."""

import argparse
import contextlib
import json
import os
import signal
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.diary.validation import severity_error, symptom_error, zone_error
from tracker.errors import TrackerError, ValidationError, raise_if_any

if TYPE_CHECKING:
    from tracker.triage.engine import Assessment
    from tracker.triage.patient import PatientFacts

FORCE_HELP = "replace the file if it already exists"
DESCRIPTION = "Patient Symptom Tracker: log symptoms, see them over time, get safe advice."


def parse_symptom(argument: str) -> tuple[str, int]:
    """Return (symptom, severity) from "Chest pain=4" (or "Chest pain:4"). Raises ValidationError."""
    name, separator, value = argument.rpartition("=") if "=" in argument else argument.rpartition(":")
    if not separator:
        raise ValidationError(
            {"symptom": f'Write each symptom as NAME=SEVERITY, e.g. "Fever=3" (got {argument!r}).'}
        )
    try:
        severity: object = int(value.strip())
    except ValueError:
        severity = value
    raise_if_any({"symptom": symptom_error(name), "severity": severity_error(severity)})
    return name.strip(), int(severity)  # type: ignore[call-overload]


def cmd_assess(args: argparse.Namespace) -> int:
    from tracker.triage.engine import assess

    symptoms: dict[str, int] = {}
    for argument in args.symptoms:
        name, severity = parse_symptom(argument)
        symptoms[name] = max(severity, symptoms.get(name, 0))
    patient = _patient_facts(args)
    answers = dict(_parse_answer(text) for text in args.answer or ())
    result = assess(symptoms, note=args.note or "", patient=patient, answers=answers)
    if args.ask:
        result = _ask(symptoms, args.note or "", patient, answers, result)
    payload = {
        "level": str(result.level),
        "label": result.level.label,
        "advice": result.advice,
        "confidence": round(result.confidence, 3),
        "reasons": list(result.reasons),
        "matched": result.matched,
        "crisis": result.crisis,
        "model_version": result.model_version,
        "answers": result.details.get("answers", {}),
        "questions": [question.as_dict() for question in result.questions],
        "safety_net": list(result.safety_net),
    }
    if args.json:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    print(f"{result.level.label} ({result.level}, confidence {result.confidence:.0%})")
    print(result.advice)
    for reason in result.reasons:
        print(f"- {reason}")
    for line in result.safety_net:
        print(line)
    if result.questions and not args.ask:
        print("Questions that could change this advice (answer with --answer ID=yes|no|not-sure):")
        for question in result.questions:
            print(f"  {question.id}: {question.text}")
    print("This is not a medical device. In an emergency call your local emergency number.")
    return 0


def _parse_answer(text: str) -> tuple[str, str]:
    """Return (question id, answer) from "sudden-onset=yes". Raises ValidationError."""
    key, separator, answer = text.partition("=")
    if not separator or not key.strip():
        raise ValidationError({"answer": f"Write each answer as ID=yes, no or not-sure (got {text!r})."})
    return key.strip(), answer.replace("-", " ").strip()


def _ask(
    symptoms: dict[str, int],
    note: str,
    patient: "PatientFacts | None",
    answers: dict[str, str],
    result: "Assessment",
) -> "Assessment":
    """Ask the follow-up questions one at a time on the terminal (stdin), most urgent first.

    A screen's "which of these?" is asked as one numbered list: the numbers of all that apply, 0 for
    none of them, "?" (or nothing) to leave it unanswered.
    """
    from tracker.triage.engine import assess
    from tracker.triage.follow_up import which_answers, which_groups

    skipped: set[str] = set()  # "which of these?" left unanswered: not asked again
    while open_now := [question for question in result.questions if question.part_of not in skipped]:
        question = open_now[0]
        if question.part_of:
            group = which_groups(open_now)[question.part_of]
            print(
                "Which of these? Type the numbers of all that apply (0: none of these, ?: not sure):",
                file=sys.stderr,
            )
            for number, item in enumerate(group, start=1):
                print(f"  {number}. {item.text}", file=sys.stderr)
        else:
            print(f"{question.text} [{' / '.join(question.choices)}]", file=sys.stderr)
        reply = sys.stdin.readline()
        if not reply:  # end of input: the rest stay unanswered (the advice says so)
            break
        try:
            if question.part_of:
                picked = _picked(reply, len(group))
                if picked is None:
                    skipped.add(question.part_of)
                    continue
                chosen = which_answers(
                    [item.id for item in group], {group[i - 1].id for i in picked}, not picked
                )
                answers.update({key: str(answer) for key, answer in chosen.items()})
            else:
                answers[question.id] = str(question.answer_of(reply.strip()))
        except ValidationError as error:
            print(f"  {'; '.join(error.errors.values())}", file=sys.stderr)
            continue
        result = assess(symptoms, note=note, patient=patient, answers=answers)
    return result


def _picked(reply: str, count: int) -> set[int] | None:
    """Return the numbers picked from a list of `count` ("1, 3"; "0": none), None for "?" or nothing.

    Raises ValidationError for anything else.
    """
    words = reply.replace(",", " ").split()
    if not words or words == ["?"]:
        return None
    if not all(word.isdigit() and int(word) <= count for word in words):
        raise ValidationError(
            {"answer": f"Type numbers from 1 to {count}, 0 for none of these, or ? if not sure."}
        )
    return {int(word) for word in words} - {0}


def _patient_facts(args: argparse.Namespace) -> "PatientFacts | None":
    from tracker.triage.patient import PatientFacts

    if args.age is None and args.sex is None and not args.pregnant and not args.condition:
        return None
    return PatientFacts(args.age, args.sex, True if args.pregnant else None, frozenset(args.condition or ()))


def cmd_knowledge(args: argparse.Namespace) -> int:
    from tracker.triage.knowledge import KNOWLEDGE_DIR, export_workbook, load_knowledge, validate_knowledge

    folder = args.tables or KNOWLEDGE_DIR
    if args.action == "check":
        knowledge = load_knowledge(folder)  # raises KnowledgeError listing every bad row
        validate_knowledge(knowledge)
        questions = ""
        if Path(folder).is_dir():  # the follow-up questions live beside the tables, not in the workbook
            from tracker.triage.follow_up import read_question_book

            questions = f", {len(read_question_book(Path(folder)).rows)} questions"
        rules = len(knowledge.combinations)
        print(
            f"{folder}: {len(knowledge.symptoms)} symptoms, {rules} combination rules, "
            f"{len(knowledge.phrases)} phrases{questions}: all rows valid."
        )
        return 0
    if args.action == "export":
        if args.out is None:
            raise TrackerError("knowledge export needs --out FILE.xlsx")
        knowledge = export_workbook(args.out, folder)
        print(
            f"Wrote {args.out} ({len(knowledge.symptoms)} symptoms, {len(knowledge.training)} training rows)."
        )
        return 0
    from tracker.triage.knowledge_diff import diff_predictions, format_diff

    if args.cases is None:
        raise TrackerError("knowledge diff needs --cases CASES.csv")
    changes = diff_predictions(args.cases, args.before, folder)
    print(format_diff(changes))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from tracker.storage.files import check_output
    from tracker.triage.classifier import META_FILE, MODEL_FILE, MODELS_DIR, train

    # The app's own model folder is retrained in place; a chosen --out folder follows the file rule:
    # its parent must exist (the folder itself is created) and model files in it are kept unless --force.
    if args.out is not None and args.out.is_dir():
        check_output(args.out / MODEL_FILE, args.force)
        check_output(args.out / META_FILE, args.force)
    elif args.out is not None:
        check_output(args.out, args.force)
    extra = _outcome_rows(args.database_url) if args.with_outcomes else None
    result = train(out_dir=args.out or MODELS_DIR, extra=extra)
    print(result.summary() if hasattr(result, "summary") else result)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from tracker.triage.engine import default_triager
    from tracker.triage.evaluation import evaluate_cases, format_report
    from tracker.triage.model_card import card_report, save_evaluation

    triager = default_triager()
    if args.tables_only:
        from tracker.triage.engine import Triager
        from tracker.triage.knowledge import load_knowledge

        triager = Triager.tables_only(load_knowledge())
        triager.calibration = default_triager().calibration
    if args.calibrate:
        from tracker.triage.confidence import fit_calibration, save_calibration

        triager.calibration = None  # learn from the raw decisions, not from an older calibration
        raw = evaluate_cases(args.cases, triager)
        outcomes = [(f"{c.basis}/{c.predicted}", c.exact) for c in raw.cases]
        calibration = fit_calibration(outcomes, str(args.cases))
        print(f"Saved the confidence calibration to {save_calibration(calibration)}", file=sys.stderr)
        triager.calibration = calibration
    report = evaluate_cases(args.cases, triager)
    print(json.dumps(report.to_dict(), indent=2) if args.json else format_report(report))
    if args.save:
        saved = save_evaluation(args.save, card_report(report))
        print(f"Saved the summary as {args.save!r} in {saved}", file=sys.stderr)
    return 0


def cmd_evaluate_phrases(args: argparse.Namespace) -> int:
    from tracker.triage.engine import default_triager
    from tracker.triage.phrase_evaluation import evaluate_phrasings, phrase_summary

    summary = phrase_summary(evaluate_phrasings(args.phrases, default_triager().vocabulary))
    print(json.dumps(summary, indent=2))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from tracker.config import database_url, display_url
    from tracker.diary.demo import demo_patients, fill_demo
    from tracker.storage.engine import create_db_engine, session_factory
    from tracker.triage.engine import default_triager

    triager = default_triager()

    def advise(symptoms: dict[str, int]) -> tuple[str, str, float, str]:
        result = triager.assess(symptoms)
        return str(result.level), result.advice, result.confidence, result.model_version

    url = args.database_url or database_url()
    engine = create_db_engine(url)
    with session_factory(engine).begin() as session:
        actor = _actor(session, args.user)
    count = args.patients or demo_patients(args.entries)
    patients, entries = fill_demo(engine, actor, count, args.entries, advise, seed=args.seed)
    print(f"Added {patients} demo patient(s) with {entries:,} entries to {display_url(url)}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from tracker.config import database_url
    from tracker.storage.backup import backup_database
    from tracker.storage.engine import create_db_engine
    from tracker.storage.files import check_output

    check_output(args.out, args.force)  # before connecting: a wrong path fails fast
    target = backup_database(create_db_engine(args.database_url or database_url()), args.out, args.force)
    print(f"Backed up to {target} ({target.stat().st_size:,} bytes)")
    return 0


def _outcome_rows(url: str | None) -> Any:
    from tracker.care_team.access import SYSTEM
    from tracker.care_team.outcomes import training_rows
    from tracker.config import database_url
    from tracker.storage.engine import create_db_engine, session_factory
    from tracker.triage.vocabulary import load_vocabulary

    with session_factory(create_db_engine(url or database_url())).begin() as session:
        rows = training_rows(session, SYSTEM, load_vocabulary())
    print(f"Adding {len(rows):,} check-in(s) labelled by clinicians to the training table.")
    return rows


def _actor(session: object, email: str | None) -> Any:
    """Return the account acted for (--user), or the single local user."""
    from tracker.care_team.access import LOCAL
    from tracker.care_team.accounts import actor_for_email

    return actor_for_email(session, email) if email else LOCAL  # type: ignore[arg-type]


def _patient(session: object, actor: Any, name: str) -> Any:
    from tracker.diary.patients import find_patient_by_name

    return find_patient_by_name(session, actor, name)  # type: ignore[arg-type]


def cmd_export(args: argparse.Namespace) -> int:
    from tracker.config import database_url
    from tracker.storage.engine import create_db_engine, session_factory
    from tracker.storage.files import check_output, write_bytes
    from tracker.storage.tables import utcnow
    from tracker.transfer.report import export_report
    from tracker.transfer.sections import ALL_SECTIONS, ReportContents, parse_sections

    check_output(args.out, args.force)  # before the work: a wrong path fails fast
    sections = parse_sections(args.sections) if args.sections else ALL_SECTIONS
    contents = ReportContents(args.start, args.end, sections)
    with session_factory(create_db_engine(args.database_url or database_url())).begin() as session:
        actor = _actor(session, args.user)
        patient = _patient(session, actor, args.patient)
        report = export_report(session, actor, patient.id, args.format, args.tz, utcnow(), contents)
    write_bytes(args.out, report.data, args.force)
    measured = f" and {report.measure_values:,} measure values" if report.measure_values else ""
    size = f"{len(report.data):,} bytes"
    print(f"Wrote {report.entries:,} entries{measured} of {patient.name} to {args.out} ({size})")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from tracker.config import database_url
    from tracker.storage.engine import create_db_engine, session_factory
    from tracker.storage.tables import utcnow
    from tracker.transfer.import_runs import import_upload, needs_care_lines
    from tracker.transfer.import_writes import read_import_file
    from tracker.triage.engine import default_triager

    default_time = datetime.fromisoformat(args.default_time) if args.default_time else None
    data = read_import_file(args.file)
    factory = session_factory(create_db_engine(args.database_url or database_url()))
    with factory.begin() as session:
        actor = _actor(session, args.user)
        patient = _patient(session, actor, args.patient)
    now = utcnow()
    result = import_upload(
        factory, actor, patient.id, data, args.file.name, default_triager(), args.tz, now, default_time
    )
    print(
        f"Imported {result.added:,} entries for {patient.name}; {result.skipped_duplicates:,} already there."
    )
    for line in needs_care_lines(result, args.tz):
        print(line)
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    from tracker.alerts.reminders import run_reminders
    from tracker.config import database_url
    from tracker.notify.transport import notify_settings
    from tracker.storage.tables import utcnow

    sent = run_reminders(args.database_url or database_url(), notify_settings(), utcnow(), args.tz)
    print(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
    return 0


def cmd_notify(args: argparse.Namespace) -> int:
    from tracker.config import database_url
    from tracker.notify.transport import notify_settings
    from tracker.notify.worker import BackgroundSender, send_now
    from tracker.storage.engine import create_db_engine, session_factory
    from tracker.storage.tables import utcnow

    url, settings = args.database_url or database_url(), notify_settings()
    if not args.loop:
        report = send_now(url, settings, utcnow())
        print(f"Sent {report.sent}, failed {report.failed}.")
        return 0
    print(
        f"Sending alert notifications every {settings.interval_seconds:g} s; Ctrl-C stops.", file=sys.stderr
    )
    sender = BackgroundSender(session_factory(create_db_engine(url)), settings)

    # Ctrl-C or a service manager's SIGTERM ends the loop after the round in progress, so a delivery is
    # never left sent but unrecorded (a KeyboardInterrupt could land anywhere in it); a second Ctrl-C quits.
    def stop(signum: int, frame: object) -> None:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sender.stop_soon()

    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        with contextlib.suppress(KeyboardInterrupt):
            sender.run()  # in this thread
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser; every command has help text."""
    parser = argparse.ArgumentParser(prog="python -m tracker", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    assess = commands.add_parser(
        "assess",
        help="recommend what to do for a check-in",
        description=(
            'Recommend what to do next for one or more symptoms, e.g. assess "Chest pain=4" "Fever=2".'
        ),
    )
    assess.add_argument("symptoms", nargs="+", metavar="SYMPTOM=SEVERITY", help="severity 1 (very mild) to 5")
    assess.add_argument("--note", help="free text, checked for emergency wording")
    assess.add_argument("--json", action="store_true", help="print JSON instead of text")
    assess.add_argument("--age", type=float, help="age in years (0.25 for 3 months)")
    assess.add_argument("--sex", choices=("F", "M"), help="sex (F or M)")
    assess.add_argument("--pregnant", action="store_true", help="the person is pregnant")
    assess.add_argument(
        "--condition", action="append", metavar="NAME", help="a long-term condition, e.g. asthma (repeatable)"
    )
    assess.add_argument(
        "--ask", action="store_true", help="ask the follow-up questions one at a time on the terminal"
    )
    assess.add_argument(
        "--answer",
        action="append",
        metavar="ID=ANSWER",
        help="answer a follow-up question: yes, no or not-sure, e.g. sudden-onset=yes (repeatable)",
    )
    assess.set_defaults(handler=cmd_assess)

    knowledge = commands.add_parser(
        "knowledge",
        help="check, export or compare the triage knowledge tables",
        description=(
            "check: validate every row of data/knowledge/*.csv (each bad row is named with its file and "
            "line). export: write them as one Excel workbook. diff: show which predictions on a cases "
            "file an edit of the tables moves (before -> after)."
        ),
    )
    knowledge.add_argument("action", choices=("check", "export", "diff"))
    knowledge.add_argument("--tables", type=Path, help="the tables folder (default: data/knowledge)")
    knowledge.add_argument("--out", type=Path, help="export: the workbook to write")
    knowledge.add_argument("--cases", type=Path, help="diff: the cases to predict")
    knowledge.add_argument(
        "--before", help="diff: the tables to compare with: a folder, or a git revision (default HEAD)"
    )
    knowledge.set_defaults(handler=cmd_knowledge)

    train = commands.add_parser(
        "train",
        help="retrain the triage model from data/",
        description=(
            "Retrain the triage model from data/knowledge/ (deterministic) and save it with its metadata."
        ),
    )
    train.add_argument("--out", type=Path, help="folder for the model files (default: models/)")
    train.add_argument(
        "--with-outcomes",
        action="store_true",
        help="also learn from the outcomes clinicians recorded in the database",
    )
    train.add_argument("--database-url", help="database with the outcomes (default: the configured one)")
    train.add_argument("--force", action="store_true", help=FORCE_HELP)
    train.set_defaults(handler=cmd_train)

    evaluate = commands.add_parser(
        "evaluate",
        help="score the recommender on labelled cases",
        description=("Score the recommender on a CSV of cases (case_id,symptoms,gold,acceptable,...)."),
    )
    evaluate.add_argument("cases", type=Path, metavar="CASES.csv")
    evaluate.add_argument("--json", action="store_true", help="print JSON instead of text")
    evaluate.add_argument(
        "--save", metavar="NAME", help="keep the summary under NAME beside the model, for the model card"
    )
    evaluate.add_argument(
        "--tables-only", action="store_true", help="score the knowledge tables alone, without the level model"
    )
    evaluate.add_argument(
        "--calibrate",
        action="store_true",
        help="learn what confidence each kind of decision deserves from these cases, and save it",
    )
    evaluate.set_defaults(handler=cmd_evaluate)

    phrases = commands.add_parser(
        "evaluate-phrases",
        help="score how well lay phrasings of symptoms are read",
        description="Score how well the app reads lay phrasings (phrase_id,phrase,concept,language,kind).",
    )
    phrases.add_argument("phrases", type=Path, metavar="PHRASES.csv")
    phrases.set_defaults(handler=cmd_evaluate_phrases)

    demo = commands.add_parser(
        "demo",
        help="fill the database with realistic demo data",
        description=(
            "Add demo patients whose symptoms come and go in episodes over the last year "
            "(big demos: over years, and over several patients)."
        ),
    )
    demo.add_argument(
        "--patients", type=int, help="how many patients (default: one per 10,000 entries, at least one)"
    )
    demo.add_argument("--entries", type=int, default=1000, help="entries in total (default 1000)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument("--database-url", help="database (default: the configured one)")
    demo.add_argument("--user", help="act for the account with this e-mail (default: the single local user)")
    demo.set_defaults(handler=cmd_demo)

    backup = commands.add_parser(
        "backup",
        help="write a consistent copy of the database",
        description=(
            "Write a consistent single-file SQLite copy of the configured database (SQLite or PostgreSQL)."
        ),
    )
    backup.add_argument("--out", type=Path, required=True, help="the new backup file (its folder must exist)")
    backup.add_argument("--force", action="store_true", help=FORCE_HELP)
    backup.add_argument("--database-url", help="database (default: the configured one)")
    backup.set_defaults(handler=cmd_backup)

    export = commands.add_parser(
        "export",
        help="export a patient's entries",
        description=(
            "Export a patient's entries as CSV, Excel, a FHIR R4 bundle or a PDF report for a doctor, "
            "limited to the days (--from, --to) and sections (--sections) you choose."
        ),
    )
    export.add_argument("--patient", required=True, help="the patient's name")
    export.add_argument("--format", choices=["csv", "xlsx", "fhir", "pdf"], required=True)
    export.add_argument("--out", type=Path, required=True, help="the file to write (its folder must exist)")
    export.add_argument("--force", action="store_true", help=FORCE_HELP)
    export.add_argument(
        "--tz", default="UTC", type=time_zone, help="show times in this IANA zone (default UTC)"
    )
    export.add_argument(
        "--from", dest="start", type=day_argument, help="the first day to include, YYYY-MM-DD (default: all)"
    )
    export.add_argument("--to", dest="end", type=day_argument, help="the last day to include, YYYY-MM-DD")
    export.add_argument(
        "--sections",
        nargs="+",
        help=(
            "what the report holds (default: everything): summary, timeline, calendar, trends, medicines, "
            "measures, factors, alerts, entries, answers; a CSV holds entries and measures, an Excel "
            "workbook entries, measures and summary"
        ),
    )
    export.add_argument("--database-url", help="database (default: the configured one)")
    export.add_argument(
        "--user", help="act for the account with this e-mail (default: the single local user)"
    )
    export.set_defaults(handler=cmd_export)

    load = commands.add_parser(
        "import",
        help="import entries from a file",
        description=(
            "Import entries from our CSV or Excel export, or the original app's table. Every row is checked; "
            "a file with any bad row changes nothing. Re-importing the same file adds nothing."
        ),
    )
    load.add_argument("file", type=Path, metavar="FILE")
    load.add_argument("--patient", required=True, help="the patient's name")
    load.add_argument("--tz", default="UTC", type=time_zone, help="zone of times written without one")
    load.add_argument("--default-time", help="ISO time for rows of a table that has no time column")
    load.add_argument("--database-url", help="database (default: the configured one)")
    load.add_argument("--user", help="act for the account with this e-mail (default: the single local user)")
    load.set_defaults(handler=cmd_import)

    remind = commands.add_parser(
        "remind",
        help="send today's check-in reminders, dose reminders and due alerts (for cron)",
        description=(
            "E-mail (or message) everyone who asked for a daily reminder and has not checked in today, "
            "remind of planned doses not logged yet (in each profile's own time zone), raise "
            "no-check-in alerts, and send alert notifications still due. Safe to run often: every "
            "15 minutes suits dose reminders."
        ),
    )
    remind.add_argument(
        "--tz",
        default="UTC",
        type=time_zone,
        help="the zone whose 'today' counts, and of profiles without their own (default UTC)",
    )
    remind.add_argument("--database-url", help="database (default: the configured one)")
    remind.set_defaults(handler=cmd_remind)

    notify = commands.add_parser(
        "notify",
        help="send alert notifications that are due (once, or --loop)",
        description=(
            "Send every alert notification that is due, once (for cron), or keep sending every 30 s "
            "with --loop (a worker beside the app, e.g. where the app process sleeps). Safe beside the "
            "app's own sender: each message is claimed before it is sent."
        ),
    )
    notify.add_argument("--loop", action="store_true", help="keep running, sending every 30 s")
    notify.add_argument("--database-url", help="database (default: the configured one)")
    notify.set_defaults(handler=cmd_notify)
    return parser


def time_zone(name: str) -> str:
    """Return `name` if it is an IANA time zone (argparse type)."""
    if message := zone_error(name):
        raise argparse.ArgumentTypeError(message)
    return name


def day_argument(text: str) -> date:
    """Return the day `text` names (YYYY-MM-DD) (argparse type)."""
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day: write it as YYYY-MM-DD.") from error


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; bad input prints a plain message and exits with status 2."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except ValidationError as error:
        for field, message in error.errors.items():
            print(f"error: {field}: {message}", file=sys.stderr)
        return 2
    except TrackerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ValueError as error:  # a --default-time that is not an ISO time
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
