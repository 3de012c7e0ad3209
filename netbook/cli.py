"""`netbook`: no sub-command opens the window; the sub-commands work headless;
`netbook FILE...` (a file manager's "Open with netbook") opens the window with the files
in the import preview.

The sub-commands, options, JSON keys and exit codes are a contract other tools rely on:
0 done, 1 done in part (some cards skipped, conflicts), 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import BinaryIO

import peewee

from .data.text import terminal_lines

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A message for stderr and an exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date (YYYY-MM-DD)") from None


def _date_or_none(text: str) -> dt.date | str:
    """A date, or "none" (kept as the word: argparse's own None means "not given")."""
    if text.strip().lower() == "none":
        return "none"
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a date (YYYY-MM-DD), nor none to clear it") from None


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number") from None


def _positive_int(text: str) -> int:
    n = _whole_number(text)
    if n <= 0:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {n})")
    return n


def _stats_weeks(text: str) -> int:
    """`stats --weeks`: 1 to ten years of weeks, refused in words beyond (it was cut to
    520 without a word)."""
    from .plan.stats import MAX_WEEKS

    n = _positive_int(text)
    if n > MAX_WEEKS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_WEEKS}, ten years (got {n})")
    return n


def open_store(path: str | None, *, writes: bool = True, says_damage: bool = True):
    """The book, for one command. One that `writes` runs the whole-file check first
    when it is due (at most daily, or after an unclean close: data/checkup.py); one that
    only reads leaves it: a damaged page it meets makes it say so all the same.
    `says_damage=False`: the command's own refusal of a damaged book says it, once."""
    from . import locale
    from .data.contacts import Store
    from .data.db import DatabaseError

    try:
        store = Store.open(path, region=locale.region(), language=locale.language(),
                           check="now" if writes else "later")
    except DatabaseError as exc:
        raise CliError(str(exc)) from None
    if store.db.damage and says_damage:  # opened read-only: reading goes on, writes fail
        echo(f"netbook: {store.db.damage}", err=True)
    elif store.db.check_failed:  # a passing error: the command goes on, checked next time
        echo(f"netbook: {store.db.check_failed}", err=True)
    return store


# -- sub-commands -----------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from .data.contacts import ListQuery

    with open_store(args.db, writes=False) as store:
        query = ListQuery(search=args.search or "")
        if args.format == "json":  # one query, streamed: 100,000 contacts in a second
            sys.stdout.writelines(store.list_json(query))
            sys.stdout.write("\n")
            return EXIT_OK
        for r in store.list_rows(query):
            org = f" — {_one_line(r.organization)}" if r.organization else ""
            echo(f"{r.id}\t{_one_line(r.name)}{org}")
    return EXIT_OK


def _one_line(text: str) -> str:
    """A card's value on one line (its line breaks and tabs folded); `echo`, which every
    line goes through, makes it harmless."""
    return " ".join(text.split())


def echo(text: str = "", *, err: bool = False) -> None:
    """Print one message: every line the command prints goes through here, through the
    one sanitiser (data/text.py), so nothing a card, a file or a server says can move
    the cursor, retitle the terminal or write the clipboard. JSON and exported vCards
    are written exactly, elsewhere: JSON escapes what it must."""
    print(terminal_lines(str(text)), file=sys.stderr if err else sys.stdout)


def cmd_demo(args: argparse.Namespace) -> int:
    from .data.demo import load_demo

    with open_store(args.db) as store:

        n = len(load_demo(store, first_weekday=_first_weekday(store)).added)
        if n:
            echo(f"Added {n} demo contacts to {store.path}")
        else:
            echo(f"The demo contacts are in {store.path} already; nothing was added")
    return EXIT_OK


MAX_PROBLEMS_SHOWN = 20  # per file on the terminal; `--report FILE` writes them all
REPORT_COLUMNS = ("file", "card", "line", "kind", "reason", "first line")


def _import_problems(plan, files: Sequence[str]) -> list[tuple[str, ...]]:
    """Every problem of an import, file by file and card by card: REPORT_COLUMNS + the
    line the terminal shows."""
    rows: list[tuple[str, ...]] = [
        (path, "", "", "file not read", message, "", f"{path}: {message}")
        for path, message in plan.file_errors]
    rows += [(e.file, str(e.card_number), str(e.line), "card not imported", e.reason,
              e.first_line, str(e)) for e in plan.errors]
    rows += [(w.file, str(w.card), "" if w.line is None else str(w.line), "warning", w.text,
              "", str(w)) for w in plan.warnings]
    order = {f: i for i, f in enumerate(files)}
    rows.sort(key=lambda r: (order.get(r[0], len(order)), int(r[1]) if r[1].isdigit() else 0))
    return rows


def _write_import_report(target: str, rows: list[tuple[str, ...]]) -> None:
    """The report as a CSV like an export: 0600 (it quotes cards) and no cell a
    spreadsheet would run as a formula."""
    import csv
    import io

    from .data.csv.export import neutralise
    from .data.exporting import write_atomically

    def write(stream: BinaryIO) -> int:
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        try:
            out = csv.writer(text)
            out.writerow(REPORT_COLUMNS)
            out.writerows([neutralise(cell) for cell in row[:-1]] for row in rows)
            text.flush()
        finally:
            text.detach()
        return len(rows)

    path = Path(target).expanduser()
    try:
        write_atomically(path, write, suffix=".csv")
    except OSError as exc:
        raise CliError(f"{path}: can't be written ({exc.strerror or exc})") from None


def _print_import_problems(rows: list[tuple[str, ...]], report: str | None) -> None:
    """At most MAX_PROBLEMS_SHOWN lines per file: a hostile file can't flood the terminal."""

    by_file: dict[str, list[str]] = {}
    for row in rows:
        by_file.setdefault(row[0], []).append(row[-1])
    for lines in by_file.values():
        for line in lines[:MAX_PROBLEMS_SHOWN]:
            echo(_one_line(line), err=True)
        more = len(lines) - MAX_PROBLEMS_SHOWN
        if more > 0:
            where = (f"all of them are in {_one_line(report)}" if report
                     else "netbook import --report FILE writes them all")
            echo(f"… and {more} more ({where})", err=True)


def cmd_import(args: argparse.Namespace) -> int:
    from .data.csv import detect, generic
    from .data.importing import ImportPolicy, apply_import, plan_import

    mapping = None
    if args.map:
        try:
            mapping = generic.parse_mapping(",".join(args.map))
        except generic.MappingError as exc:
            raise CliError(f"--map: {exc}") from None
        if args.format not in (None, "csv"):
            raise CliError(f"--map is for --format csv (a CSV netbook doesn't recognise), "
                           f"not --format {args.format}")
    if args.met and args.met > dt.date.today():
        raise CliError("--met: the day you met can't be in the future")
    event = generic.EventStamp(tags=list(args.tag or []), met_on=args.met,
                               met_where=args.met_where or "")
    # a damaged book is refused by plan_import before a file is read, in the damage's words
    with open_store(args.db, says_damage=False) as store:
        files = [Path(f) for f in args.files]
        # the format by content (vCard, LinkedIn, Google, Outlook, a mapped CSV) or forced
        reader = detect.ContactsReader(
            forced="csv" if mapping is not None else args.format, mapping=mapping,
            remembered=lambda header: generic.remembered_mapping(store, header), event=event)
        plan = plan_import(store, files, reader=reader)
        for path, fmt in reader.formats.items():
            if fmt != "vcard":
                echo(f"{_one_line(path)}: read as {detect.TITLES[fmt]}", err=True)
        problems = _import_problems(plan, [str(f) for f in files])
        if args.report:
            _write_import_report(args.report, problems)
        if plan.file_errors:  # a file that can't be read: nothing at all is written
            _print_import_problems(problems, args.report)
            echo("Nothing was imported.", err=True)
            return EXIT_USAGE
        if mapping is not None:  # the columns are known now: next time without --map
            plan.settings.update(generic.mapping_setting(header, mapping)
                                 for header in reader.headers.values())
        summary = apply_import(store, plan, ImportPolicy(merge_duplicates=args.merge))
        echo(summary.line())
        for item in plan.items:  # a reason to get in touch, on stdout with the result
            if item.job_change and item.decision != "skip":
                echo(f"{_one_line(item.name)}: {_one_line(item.job_change)} "
                      "(a reason to get in touch: a follow-up is in the plan)")
        _print_import_problems(problems, args.report)
        kept = summary.duplicates_kept
        for name, other in kept[:MAX_PROBLEMS_SHOWN]:
            echo(f"probable duplicate kept separately: {_one_line(name)} ~ "
                  f"{_one_line(other)} "
                  "(use --merge to merge)", err=True)
        if len(kept) > MAX_PROBLEMS_SHOWN:
            echo(f"… and {len(kept) - MAX_PROBLEMS_SHOWN} more probable duplicates kept "
                  "separately (use --merge to merge)", err=True)
        return EXIT_PARTIAL if plan.errors else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .data.csv.export import export_csv
    from .data.exporting import export_vcards

    def export(target: Path | BinaryIO) -> int:
        if args.format == "csv":  # card fields only: never netbook's private notes
            return export_csv(store, target, tag=args.tag)
        return export_vcards(store, target, version=args.vcard_version, tag=args.tag,
                             shareable=args.shareable)

    with open_store(args.db, writes=False) as store:
        if args.tag and args.tag not in store.all_tags():
            raise CliError(f"no contact has the tag “{args.tag}”")
        if args.output:
            target = Path(args.output).expanduser()
            if target.is_dir():
                raise CliError(f"{target}: is a folder; give a file name to export to")
            try:
                count = export(target)
            except OSError as exc:
                raise CliError(f"{target}: can't be written ({exc.strerror or exc})") from None
            echo(f"Exported {count} contacts to {target}", err=True)
        else:
            export(sys.stdout.buffer)
            sys.stdout.buffer.flush()
    return EXIT_OK


def cmd_duplicates(args: argparse.Namespace) -> int:
    from .data.duplicates import find_duplicates

    with open_store(args.db, writes=False) as store:
        groups = find_duplicates(store)
        if args.format == "json":
            json.dump([g.to_json() for g in groups], sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
            return EXIT_OK
        if not groups:
            echo("No probable duplicates.")
        for n, group in enumerate(groups, 1):
            people = ", ".join(f"{_one_line(name)} ({cid})" for cid, name in group.contacts)
            echo(f"{n}. {people}")
            for reason in group.reasons:
                echo(f"   {_one_line(reason)}")
        if groups:
            echo("Merge a group with: netbook merge KEEP OTHER...", err=True)
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    from .data import operations
    from .data.contacts import StoreError

    with open_store(args.db) as store:
        keep = _resolve(store, args.keep)
        others = [_resolve(store, text) for text in args.others]
        try:
            if args.dry_run:
                plan = operations.plan_merge(store, keep, others)
            else:
                plan = operations.merge_contacts(store, keep, others).plan
        except StoreError as exc:
            raise CliError(str(exc)) from None
        for line in plan.lines():
            echo(_one_line(line) if not line.startswith("  ") else "  " + _one_line(line))
        if args.dry_run:
            echo("Nothing was changed (--dry-run).", err=True)
        else:
            echo(f"Merged {len(others) + 1} contacts into {_one_line(plan.names[keep])} "
                  f"({keep}); the others are in the trash.", err=True)
    return EXIT_OK


def cmd_tag(args: argparse.Namespace) -> int:
    from .data import operations
    from .data.contacts import StoreError

    with open_store(args.db) as store:
        ids = list(dict.fromkeys(_resolve(store, text) for text in args.contacts))
        try:
            if args.add is not None:
                changes = operations.tag_contacts(store, ids, add=[args.add])
            else:
                changes = operations.tag_contacts(store, ids, remove=[args.remove])
        except StoreError as exc:
            raise CliError(str(exc)) from None
        n = len(changes.contacts)
        people = f"{n} contact" + ("" if n == 1 else "s")
        if args.add is not None:
            echo(f"Tagged {people} “{_one_line(args.add)}”")
        else:
            echo(f"Took “{_one_line(args.remove)}” off {people}")
    return EXIT_OK


def cmd_tags(args: argparse.Namespace) -> int:
    from .data import operations
    from .data.contacts import StoreError
    from .data.tags import tag_counts

    with open_store(args.db, writes=bool(args.rename or args.delete is not None)) as store:
        try:
            if args.rename:
                old, new = args.rename
                changes = operations.rename_tag(store, old, new)
                echo(f"Renamed “{_one_line(old)}” to “{_one_line(new)}” on "
                      f"{len(changes.contacts)} contacts", err=True)
            elif args.delete is not None:
                changes = operations.delete_tag(store, args.delete)
                echo(f"Took “{_one_line(args.delete)}” off {len(changes.contacts)} contacts",
                      err=True)
        except StoreError as exc:
            raise CliError(str(exc)) from None
        counts = tag_counts(store)
        if args.format == "json":
            json.dump([{"name": name, "count": n} for name, n in counts], sys.stdout,
                      ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            if not counts:
                echo("No tags yet (netbook tag CONTACT --add TAG)")
            for name, n in counts:
                echo(f"{n}\t{_one_line(name)}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """The file-level restore, without opening the database first: the file to put back
    may be one netbook can't open any more, and no plan is remembered in this process."""
    from .data import db as dbmod

    path = Path(args.db).expanduser() if args.db else dbmod.default_db_path()
    backups = dbmod.list_backups(path)
    if args.list or not args.backup:
        if not backups:
            echo(f"No backups of {path} yet (one is made before every import).")
        for i, b in enumerate(backups, 1):
            problem = dbmod.backup_problem(b)
            echo(f"{i}\t{b.name}" + (f"\tDAMAGED: {problem}" if problem else ""))
        return EXIT_OK
    chosen = None
    if args.backup.isdigit() and 1 <= int(args.backup) <= len(backups):
        chosen = backups[int(args.backup) - 1]
    elif Path(args.backup).is_file():
        chosen = Path(args.backup)
    if chosen is None:
        raise CliError(f"no backup “{args.backup}” (see `netbook restore --list`)")
    try:
        dbmod.restore_backup(path, chosen)
    except dbmod.DatabaseError as exc:
        raise CliError(str(exc)) from None
    echo(f"Restored {path} from {chosen.name} (the state before was backed up too)")
    return EXIT_OK


def _write_to(target: str, write: Callable[[Path], object], done_before: bool = False) -> None:
    """`write` the file at `target` and say so; a path that can't be written is a
    message, exit 2 (1 when a file was written before it: done in part)."""
    try:
        write(Path(target))
    except OSError as exc:
        raise CliError(f"{target}: can't be written ({exc.strerror or exc})",
                       EXIT_PARTIAL if done_before else EXIT_USAGE) from None
    echo(f"Wrote {target}", err=True)


def cmd_week(args: argparse.Namespace) -> int:
    from .plan.service import load_plan, plan_to_json

    day = args.date or dt.date.today()
    with open_store(args.db, writes=args.date is None) as store:  # remembers its plan
        plan = load_plan(store, day, _first_weekday(store), remember=args.date is None)
        if args.pdf:
            from .plan.sheet import write_pdf

            _write_to(args.pdf, lambda path: write_pdf(store, plan, path))
        if args.ics:
            from .plan.ics import write_ics

            _write_to(args.ics, lambda path: write_ics(plan, path), done_before=bool(args.pdf))
        if args.format == "json":
            json.dump(plan_to_json(plan), sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        if args.format == "json" or args.pdf or args.ics:
            return EXIT_OK
        from .plan.wording import act_lead, block_title

        echo(f"This week's networking block — {block_title(plan)}")
        if not plan.items:
            echo("  Nobody is due this week.")
        for n, item in enumerate(plan.items, 1):
            tick = "x" if item.done else " "
            lead = act_lead(item.on, dt.date.today())
            action = f"{lead}: {item.action}" if lead else item.action
            echo(f"{n:2}. [{tick}] {_one_line(item.name)} — {action} ({item.minutes} min)")
            echo(f"       {_one_line(item.why)}")
            for point in item.talking_points:
                echo(f"       · {_one_line(point)}")
            if item.introduce is not None:
                echo(f"       → Introduce: {_one_line(item.introduce.why)}")
    return EXIT_OK


def cmd_log(args: argparse.Namespace) -> int:
    from .data import operations
    from .data.contacts import StoreError
    from .plan.wording import day_label

    exchange = "gave" if args.gave else "asked" if args.asked else ""
    follow_up = operations.KEEP if args.follow_up is None else (
        None if args.follow_up == "none" else args.follow_up)
    if args.follow_up_note is not None and follow_up is operations.KEEP:
        raise CliError("--follow-up-note goes with --follow-up DATE (the day to follow up)")
    if args.follow_up_note is not None and follow_up is None:
        raise CliError("--follow-up none clears the follow-up; it takes no note")
    with open_store(args.db) as store:
        cid = _resolve(store, args.contact)
        try:
            if follow_up is not operations.KEEP:  # a closed promise must not reshuffle
                from .plan.service import pin_week

                pin_week(store, dt.date.today(), _first_weekday(store))
            operations.log_interaction(store, cid, on=args.date or dt.date.today(),
                                       kind=args.kind, note=args.note or "",
                                       exchange=exchange, gift=args.gave or "",
                                       follow_up=follow_up,
                                       follow_up_note=args.follow_up_note)
        except StoreError as exc:
            raise CliError(str(exc)) from None
        name = store.display_names([cid])[cid]
        echo(f"Logged a {args.kind} with {name}")
        if follow_up is None:
            echo("The follow-up is done and cleared")
        elif follow_up is not operations.KEEP:
            echo(f"Follow up on {day_label(follow_up)}")
    return EXIT_OK


def cmd_skip(args: argparse.Namespace) -> int:
    from .data.contacts import StoreError
    from .plan import service
    from .plan.planner import week_bounds
    from .plan.wording import week_range

    day = args.date or dt.date.today()
    with open_store(args.db) as store:
        first = _first_weekday(store)
        cid = _resolve(store, args.contact)
        name = store.display_names([cid])[cid]
        when = week_range(*week_bounds(day, first))
        try:
            if args.undo:
                service.unskip(store, cid, day, first)
                echo(f"{name} is back in the block of the week of {when}")
            else:
                service.skip(store, cid, day, first)
                echo(f"Not this week: {name} is out of the block of the week of {when} "
                      "and comes back the week after")
        except StoreError as exc:
            raise CliError(str(exc)) from None
    return EXIT_OK


def cmd_snooze(args: argparse.Namespace) -> int:
    from .data.contacts import StoreError
    from .plan import service
    from .plan.wording import day_label

    today = dt.date.today()
    with open_store(args.db) as store:
        first = _first_weekday(store)
        cid = _resolve(store, args.contact)
        name = store.display_names([cid])[cid]
        try:
            if args.undo:
                service.unsnooze(store, cid)
                echo(f"{name} is no longer snoozed: back in the plan from this week")
                return EXIT_OK
            planned = service.is_planned(store, cid, today, first)
            service.snooze_until(store, cid, args.until, today, first)
        except StoreError as exc:
            raise CliError(str(exc)) from None
        echo(f"Remind me on {day_label(args.until)}: {name} is out of the plan until then")
        if not planned:
            echo(f"({name} was not in this week's block)")
    return EXIT_OK


def cmd_met(args: argparse.Namespace) -> int:
    from .data import operations
    from .data.contacts import StoreError

    with open_store(args.db) as store:
        try:
            changes = operations.add_acquaintance(
                store, args.name, met_on=args.date or dt.date.today(), where=args.where or "",
                does=args.does or "", needs=args.needs or "", reach=args.reach or "")
        except StoreError as exc:
            raise CliError(str(exc)) from None
        [cid] = changes.added
        echo(f"{cid}\tAdded {_one_line(args.name)}, met "
              f"{(args.date or dt.date.today()).isoformat()}: a new acquaintance for your "
              "next block")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from .plan.stats import stats_lines, stats_to_json, week_stats

    with open_store(args.db, writes=False) as store:
        stats = week_stats(store, dt.date.today(), args.weeks, _first_weekday(store))
    if args.format == "json":
        json.dump(stats_to_json(stats), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for line in stats_lines(stats):
            echo(line)
    return EXIT_OK


def cmd_set(args: argparse.Namespace) -> int:
    from .data import networking, operations

    with open_store(args.db) as store:
        cid = _resolve(store, args.contact)
        fields: dict = {}
        try:
            if args.rhythm is not None:
                fields["rhythm_days"], fields["circle"] = networking.resolve_rhythm(store,
                                                                                     args.rhythm)
            if args.met is not None:
                fields["met_on"] = args.met
            if args.met_where is not None:
                fields["met_where"] = args.met_where
            if args.introduced_by is not None:
                fields["introduced_by"] = (None if args.introduced_by.lower() == "none"
                                           else _resolve(store, args.introduced_by))
            for key in ("does", "needs", "offers"):
                if getattr(args, key) is not None:
                    fields[key] = getattr(args, key)
            if args.follow_up is not None:
                fields["follow_up"] = args.follow_up
            if args.follow_up_note is not None:
                fields["follow_up_note"] = args.follow_up_note
            if not fields:
                raise CliError("nothing to set: give at least one option (see --help)")
            operations.set_networking(store, cid, **fields)
        except networking.StoreError as exc:
            raise CliError(str(exc)) from None
        name = store.display_names([cid])[cid]
        echo(f"Updated {name}: {', '.join(sorted(fields))}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from .plan.connector import contact_document

    with open_store(args.db, writes=False) as store:
        cid = _resolve(store, args.contact)
        doc = contact_document(store, cid, dt.date.today())
    if args.format == "json":
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return EXIT_OK
    for line in _show_lines(doc):
        echo(line)
    return EXIT_OK


def _show_lines(doc: dict) -> list[str]:
    """`netbook show` as text: the card, then what netbook knows, then the log."""
    work = " · ".join(_one_line(x) for x in (doc["title"], doc["organization"]) if x)
    lines = [_one_line(doc["name"]) + (f" — {work}" if work else ""),
             f"  id {doc['id']} · uid {_one_line(doc['uid'])}"]
    for key in ("phones", "emails"):
        for v in doc[key]:
            kind = f" ({_one_line(v['label'] or v['type'])})" if v["label"] or v["type"] else ""
            lines.append(f"  {key[:-1]}: {_one_line(v['value'])}{kind}")
    if doc["birthday"]:
        lines.append(f"  birthday: {doc['birthday']}")
    if doc["tags"]:
        lines.append(f"  tags: {', '.join(_one_line(t) for t in doc['tags'])}")
    if doc["rhythm_days"]:
        circle = f" ({doc['circle']} circle)" if doc["circle"] else ""
        lines.append(f"  rhythm: every {doc['rhythm_days']} days{circle} · next due "
                     f"{doc['next_due']}")
    if doc["met_on"] or doc["met_where"]:
        where = f" at {_one_line(doc['met_where'])}" if doc["met_where"] else ""
        lines.append(f"  met: {doc['met_on'] or 'on a day not noted'}{where}")
    for key in ("does", "needs", "offers"):
        if doc[key]:
            lines.append(f"  {key}: {_one_line(doc[key])}")
    if doc["follow_up"]:
        note = f" — {_one_line(doc['follow_up_note'])}" if doc["follow_up_note"] else ""
        lines.append(f"  follow-up: {doc['follow_up']}{note}")
    lines.append(f"  asked {doc['asked_count']}×, gave {doc['gave_count']}×")
    if doc["related"]:
        from .data.relations import LABELS

        lines.append("  related:")
        lines += [f"    {LABELS.get(r['type'], r['type'])}: {_one_line(r['name'])} "
                  f"({r['contact_id']})" for r in doc["related"]]
    if doc["interactions"]:
        lines.append("  interactions:")
        for r in doc["interactions"]:
            give = f" [gave {r['gave']}]" if r["gave"] else " [asked]" if r["asked"] else ""
            note = f" — {_one_line(r['note'])}" if r["note"] else ""
            lines.append(f"    {r['date']} {r['kind']}{give}{note}")
    return lines


def cmd_relate(args: argparse.Namespace) -> int:
    from .data import operations
    from .data.contacts import StoreError
    from .data.relations import LABELS
    if not args.remove and not args.kind:
        raise CliError("say how they are related (--as TYPE) or --remove")
    with open_store(args.db) as store:
        cid, other = _resolve(store, args.contact), _resolve(store, args.other)
        names = store.display_names([cid, other])
        who, whom = _one_line(names[cid]), _one_line(names[other])
        try:
            if args.remove:
                operations.unrelate(store, cid, other, args.kind)
                echo(f"{who} and {whom} are no longer related"
                      + (f" as {LABELS.get(args.kind, args.kind).lower()}" if args.kind
                         else ""))
                return EXIT_OK
            changed = operations.relate(store, cid, other, args.kind)
        except StoreError as exc:
            raise CliError(str(exc)) from None
        label = LABELS.get(args.kind.strip().lower(), args.kind).lower()
        if args.kind.strip().lower() == "introduced-by":
            line = f"{who} was introduced by {whom}"
        else:
            line = f"{whom} is {who}'s {label}"
        echo(line if changed else f"{line} already; nothing changed")
    return EXIT_OK


def cmd_who_can_help(args: argparse.Namespace) -> int:
    from .data.contacts import StoreError
    from .data.relations import LABELS
    from .plan.connector import who_can_help

    with open_store(args.db, writes=False) as store:
        try:
            helpers = who_can_help(store, args.text)
        except StoreError as exc:
            raise CliError(str(exc)) from None
    if args.format == "json":
        json.dump([h.to_json() for h in helpers], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return EXIT_OK
    if not helpers:
        echo(f"Nobody's work in the book matches “{_one_line(args.text)}”.")
    for n, h in enumerate(helpers, 1):
        org = f" ({_one_line(h.organization)})" if h.organization else ""
        echo(f"{n:2}. {_one_line(h.name)}{org} — {_one_line(h.matched)}")
        if h.known_through:
            echo("      known through " + ", ".join(
                f"{_one_line(r.name)} ({LABELS.get(r.type, r.type).lower()})"
                for r in h.known_through))
    return EXIT_OK


def cmd_introduce(args: argparse.Namespace) -> int:
    from .data import operations
    from .data.contacts import StoreError
    from .plan.connector import introduction_draft, needer_of

    on = args.date or dt.date.today()
    with open_store(args.db) as store:
        cid, other = _resolve(store, args.contact), _resolve(store, args.other)
        try:
            if cid == other:
                raise StoreError("a contact can't be introduced to themselves")
            needer, helper = needer_of(store, cid, other)
            draft = introduction_draft(store, needer, helper, args.note or "")
            operations.introduce(store, needer, helper, on=on, note=args.note or "")
        except StoreError as exc:
            raise CliError(str(exc)) from None
        names = store.display_names([needer, helper])
    if args.format == "json":
        json.dump(draft.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return EXIT_OK
    echo(f"Introduced {_one_line(names[needer])} to {_one_line(names[helper])}: "
          "“gave: introduction” logged with both, a follow-up set with "
          f"{_one_line(names[needer])}.")
    echo(f"To: {', '.join(_one_line(a) for a in draft.to)}")
    echo(f"Subject: {_one_line(draft.subject)}")
    echo()
    for line in draft.body.splitlines():
        echo(_one_line(line))
    return EXIT_OK


def cmd_block(args: argparse.Namespace) -> int:
    from .data import operations, settings
    from .data.contacts import StoreError

    changing = (args.day is not None or args.start is not None or args.minutes is not None
                or args.alarm is not None)
    with open_store(args.db, writes=changing) as store:
        try:
            if changing:
                operations.set_block(
                    store,
                    weekday=settings.parse_weekday(args.day) if args.day else None,
                    start=args.start, minutes=args.minutes, alarm_minutes=args.alarm,
                )
        except StoreError as exc:
            raise CliError(str(exc)) from None
        block = settings.block_settings(store)
        day = settings.WEEKDAY_NAMES[block.weekday].capitalize()
        echo(f"day: {day}\nstart: {block.start:%H:%M}\nminutes: {block.minutes}")
        kinds = ", ".join(f"{k} {v}" for k, v in block.touch_minutes.items())
        echo(f"minutes per touch: {kinds}")
        alarm = f"{block.alarm_minutes} min before" if block.alarm_minutes else "none"
        echo(f"calendar reminder: {alarm}")
    return EXIT_OK


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif os.environ.get("NETBOOK_PASSWORD"):
        password = os.environ["NETBOOK_PASSWORD"]
    elif sys.stdin.isatty():
        import getpass

        password = getpass.getpass(f"Password for {args.user} at {args.url}: ")
    else:
        raise CliError("no password: use --password-stdin, set NETBOOK_PASSWORD, or run "
                       "in a terminal to be asked")
    if not password:
        raise CliError("the password is empty")
    return password


def cmd_account(args: argparse.Namespace) -> int:
    from .data.carddav import accounts

    with open_store(args.db, writes=args.account_command != "list") as store:
        try:
            if args.account_command == "add":
                password = _read_password(args)
                books = accounts.test_connection(args.url, args.user, password)
                chosen = books
                if args.addressbook:
                    wanted = set(args.addressbook)
                    chosen = [b for b in books if b.url in wanted or b.display_name in wanted
                              or b.url.rstrip("/").rsplit("/", 1)[-1] in wanted]
                    if not chosen:
                        listing = "\n".join(f"  {b.url}  {b.display_name}" for b in books)
                        raise CliError(f"no address book matches; the server has:\n{listing}")
                else:
                    chosen = books[:1]
                # NETBOOK_PASSWORD is for this shell only: it is not put in the keyring
                from_env = not args.password_stdin and bool(os.environ.get("NETBOOK_PASSWORD"))
                accounts.add_account(store, args.name, args.url, args.user, password, chosen,
                                     save_password=not from_env)
                echo(f"Added account {args.name}: syncs "
                      + ", ".join(b.display_name or b.url for b in chosen))
                others = [b for b in books if b not in chosen]
                if others:
                    echo("Other address books on the server (add with --addressbook): "
                          + ", ".join(b.display_name or b.url for b in others))
            elif args.account_command == "remove":
                accounts.remove_account(store, args.name)
                echo(f"Removed account {args.name} (its contacts stay here)")
            else:
                rows = accounts.list_accounts(store)
                if not rows:
                    echo("No accounts yet (netbook account add NAME --url URL --user USER)")
                for a in rows:
                    when = a.last_sync_at.isoformat(sep=" ") if a.last_sync_at else "never"
                    echo(f"{a.name}\t{a.username}@{a.url}\tlast sync: {when} ({a.last_status})")
                    for url, name in a.address_books:
                        echo(f"\t{name or url}\t{url}")
                    if a.last_message:
                        echo(f"\t{a.last_message}")
        except accounts.AccountError as exc:
            raise CliError(str(exc)) from None
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from .data import carddav

    code = EXIT_OK
    with open_store(args.db) as store:
        names = [args.account] if args.account else [a.name for a in
                                                     carddav.list_accounts(store)]
        if not names:
            raise CliError("no account to sync: add one with `netbook account add`")
        synced = False
        for done in carddav.sync_all(store, names, prefer=args.prefer,
                                     allow_empty=args.allow_empty):
            result = done.result
            if result is None:  # the first account that stops stops the command
                if not synced:
                    raise CliError(f"{done.account}: {done.error}")
                echo(f"{done.account}: {done.error}", err=True)
                return EXIT_PARTIAL  # the accounts before it were synced: done in part
            synced = True
            echo(result.line())
            for text in result.conflicts:
                echo(f"conflict: {text} changed on both sides; run again with "
                      "--prefer local or --prefer remote, or resolve it in the window",
                      err=True)
            for text in result.duplicates + result.errors:
                echo(text, err=True)
            if not result.clean:
                code = EXIT_PARTIAL
        if not args.prefer:
            left = carddav.list_conflicts(store, args.account)
            if left and code == EXIT_OK:
                for c in left:
                    echo(f"conflict (unresolved): {c.name}", err=True)
                code = EXIT_PARTIAL
    return code


def _first_weekday(store) -> int:
    """The week's first day: the book's setting, else the locale's."""
    from . import locale
    from .data.settings import first_weekday

    return first_weekday(store, locale.first_weekday())


def _resolve(store, text: str) -> int:
    from .data.contacts import StoreError

    try:
        return store.resolve(text)
    except StoreError as exc:
        raise CliError(str(exc)) from None


# -- the parser -------------------------------------------------------------


class Parser(argparse.ArgumentParser):
    """netbook's parser, knowing its sub-commands' names (`netbook FILE` needs them)."""

    commands: frozenset[str] = frozenset()


def build_parser() -> Parser:
    # the lists the data layer owns (every command opens the store, so this costs nothing)
    from .data.models import CIRCLES, GIFT_KINDS, INTERACTION_KINDS
    from .data.relations import INTRODUCED_BY, RELATION_TYPES

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="the database file (default: $NETBOOK_DB, else your data folder)")
    parser = Parser(
        prog="netbook", parents=[common],
        description="An address book that keeps your network alive. "
                    "Without a command, opens the window; `netbook FILE...` opens it with "
                    "the files in the import preview.")
    parser.add_argument("--hidden", action="store_true",
                        help="open in the system tray with the window hidden (for login)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                parser_class=argparse.ArgumentParser)

    def add(name: str, func: Callable, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = add("list", cmd_list, "list contacts")
    p.add_argument("--search", metavar="TEXT", help="only contacts that match TEXT")
    p.add_argument("--format", choices=("text", "json"), default="text")

    add("demo", cmd_demo, "fill the database with about 50 invented contacts")

    p = add("import", cmd_import, "import vCard, LinkedIn, Google or Outlook CSV files "
                                  "(recognised by content)")
    p.add_argument("--merge", action="store_true",
                   help="merge probable duplicates instead of keeping them separate")
    p.add_argument("--format", choices=("vcard", "linkedin", "google", "outlook", "csv"),
                   help="read the files as this format instead of recognising it "
                        "(csv: any other CSV, through --map or the mapping remembered "
                        "for its columns)")
    p.add_argument("--map", action="append", metavar="COLUMN=FIELD,…",
                   help="which column of a CSV holds what, e.g. \"Full name=name,Mail=email\" "
                        "(remembered for files with the same columns)")
    p.add_argument("--tag", action="append", metavar="TAG",
                   help="tag every imported contact (an event's name)")
    p.add_argument("--met", type=_date, metavar="DATE",
                   help="the day you met everyone imported (an event's date)")
    p.add_argument("--met-where", metavar="TEXT", help="where you met them")
    p.add_argument("--report", metavar="FILE",
                   help="write every problem (file, card, line, reason) to FILE as CSV; "
                        f"the terminal shows {MAX_PROBLEMS_SHOWN} per file")
    p.add_argument("files", nargs="+", metavar="FILE")

    p = add("export", cmd_export, "export contacts as vCards or CSV (to stdout without -o)")
    p.add_argument("--format", choices=("vcard", "csv"), default="vcard",
                   help="csv: Google Contacts' layout, UTF-8 with BOM, for spreadsheets")
    p.add_argument("--vcard-version", choices=("3.0", "4.0"), default="3.0")
    p.add_argument("--tag", metavar="TAG", help="only contacts with this tag")
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument("--shareable", action="store_true",
                   help="leave out your private notes: no X-NETBOOK-* fields (interaction "
                        "log, gave/asked, needs, offers, follow-ups)")

    p = add("duplicates", cmd_duplicates, "list probable duplicates across the whole book")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = add("merge", cmd_merge, "merge contacts into one (the others go to the trash)")
    p.add_argument("keep", metavar="KEEP", help="the contact that stays")
    p.add_argument("others", nargs="+", metavar="OTHER", help="contacts merged into it")
    p.add_argument("--dry-run", action="store_true", help="show the merge; change nothing")

    p = add("tag", cmd_tag, "add a tag to contacts, or take one off")
    p.add_argument("contacts", nargs="+", metavar="CONTACT")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--add", metavar="TAG")
    which.add_argument("--remove", metavar="TAG")

    p = add("tags", cmd_tags, "list tags with their counts; rename or delete one")
    change = p.add_mutually_exclusive_group()
    change.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"),
                        help="rename a tag (into an existing one: the two merge)")
    change.add_argument("--delete", metavar="TAG", help="take a tag off every contact")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = add("restore", cmd_restore, "restore the database from a backup")
    p.add_argument("--list", action="store_true", help="list the backups, newest first")
    p.add_argument("backup", nargs="?", help="a number from --list, or a backup file")

    p = add("week", cmd_week, "this week's networking block")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="a day in the week")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--pdf", metavar="FILE", help="write the printable call list as PDF")
    p.add_argument("--ics", metavar="FILE", help="write the block as an iCalendar event")

    p = add("log", cmd_log, "log an interaction with a contact")
    p.add_argument("contact", metavar="CONTACT", help="an id, a uid, or text that finds one")
    p.add_argument("--kind", required=True, choices=INTERACTION_KINDS)
    p.add_argument("--date", type=_date, metavar="D")
    p.add_argument("--note", metavar="TEXT")
    give = p.add_mutually_exclusive_group()
    give.add_argument("--gave", metavar="WHAT", choices=GIFT_KINDS)
    give.add_argument("--asked", action="store_true")
    p.add_argument("--follow-up", type=_date_or_none, metavar="DATE|none",
                   help="move the follow-up to DATE (or set one), or none: the promise is done")
    p.add_argument("--follow-up-note", metavar="TEXT",
                   help="with --follow-up DATE: what to follow up on")

    p = add("skip", cmd_skip, "leave someone out of one week's block (not this week)")
    p.add_argument("contact", metavar="CONTACT", help="an id, a uid, or text that finds one")
    p.add_argument("--date", type=_date, metavar="D",
                   help="a day in the week to skip (default: today)")
    p.add_argument("--undo", action="store_true", help="take the skip back")

    p = add("snooze", cmd_snooze, "leave someone out of the plan until a day (remind me on …)")
    p.add_argument("contact", metavar="CONTACT", help="an id, a uid, or text that finds one")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--until", type=_date, metavar="DATE",
                      help="back in the plan in the week of DATE (after this week)")
    when.add_argument("--undo", action="store_true", help="back in the plan at once")

    p = add("stats", cmd_stats, "the last weeks in numbers: is the habit working?")
    p.add_argument("--weeks", type=_stats_weeks, default=26, metavar="N",
                   help="how many weeks, ending with this one (default 26, at most 520)")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = add("met", cmd_met, "add someone you just met (a new acquaintance for the block)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--where", metavar="TEXT", help="where you met")
    p.add_argument("--does", metavar="TEXT", help="what they do")
    p.add_argument("--needs", metavar="TEXT", help="what they need")
    p.add_argument("--reach", metavar="PHONE|EMAIL", help="a phone number or an email address")
    p.add_argument("--date", type=_date, metavar="D", help="the day you met (default: today)")

    p = add("set", cmd_set, "set a contact's networking fields")
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("--rhythm", metavar="|".join(("DAYS", *CIRCLES, "none")))
    p.add_argument("--met", type=_date, metavar="DATE")
    p.add_argument("--met-where", metavar="TEXT")
    p.add_argument("--introduced-by", metavar="CONTACT")
    p.add_argument("--does", metavar="TEXT")
    p.add_argument("--needs", metavar="TEXT")
    p.add_argument("--offers", metavar="TEXT")
    p.add_argument("--follow-up", type=_date, metavar="DATE")
    p.add_argument("--follow-up-note", metavar="TEXT")

    p = add("show", cmd_show, "one contact with everything netbook knows of them")
    p.add_argument("contact", metavar="CONTACT", help="an id, a uid, or text that finds one")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = add("relate", cmd_relate,
            "relate two contacts: OTHER is CONTACT's TYPE (relate Tom Anna --as parent: "
            "Anna is Tom's parent); symmetric types go on both")
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("other", metavar="OTHER")
    p.add_argument("--as", dest="kind", metavar="TYPE",
                   help=", ".join((*RELATION_TYPES, INTRODUCED_BY)))
    p.add_argument("--remove", action="store_true",
                   help="take the relationship away (every one between them without --as)")

    p = add("who-can-help", cmd_who_can_help,
            "who could help with a need, ranked by what they do, title, organisation, tags")
    p.add_argument("text", metavar="TEXT", help="the need, e.g. “a web designer”")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = add("introduce", cmd_introduce,
            "introduce two contacts: logs the gift with both, sets a follow-up with the one "
            "who needed it, prints the message")
    p.add_argument("contact", metavar="CONTACT")
    p.add_argument("other", metavar="OTHER")
    p.add_argument("--note", metavar="TEXT", help="a line for the message (and the log)")
    p.add_argument("--date", type=_date, metavar="D", help="the day it was made (default today)")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = add("sync", cmd_sync, "sync with CardDAV address books (both ways)")
    p.add_argument("--account", metavar="NAME", help="only this account (default: all)")
    p.add_argument("--prefer", choices=("local", "remote"),
                   help="who wins a card changed on both sides (default: list them, exit 1)")
    p.add_argument("--allow-empty", action="store_true",
                   help="go on when one side is suddenly empty (its deletions are copied)")

    p = add("account", cmd_account, "add, list or remove CardDAV accounts")
    acc = p.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    q = acc.add_parser("add", parents=[common], help="add an account (tests the connection)")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--url", required=True, metavar="URL", help="the server (a bare URL will do)")
    q.add_argument("--user", required=True, metavar="USER")
    q.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of stdin")
    q.add_argument("--addressbook", action="append", metavar="URL|NAME",
                   help="the address book(s) to sync (default: the first found)")
    acc.add_parser("list", parents=[common], help="list accounts and their last sync")
    q = acc.add_parser("remove", parents=[common], help="remove an account (not its contacts)")
    q.add_argument("name", metavar="NAME")

    p = add("block", cmd_block, "show or set the weekly networking block")
    p.add_argument("--day", metavar="DAY", help="friday, fri, …")
    p.add_argument("--start", metavar="HH:MM")
    p.add_argument("--minutes", type=_positive_int, metavar="N")
    p.add_argument("--alarm", type=_whole_number, metavar="MINUTES",
                   help="the calendar event's reminder, minutes before the block (0: none)")
    parser.commands = frozenset(sub.choices)
    return parser


def files_to_open(argv: Sequence[str], commands: Collection[str]
                  ) -> tuple[list[str], list[str]] | None:
    """`netbook [--db PATH] FILE...`: (the options, the files) when the first word that
    isn't an option names no command; None for everything argparse reads as usual.

    A word that names a command is the command even when a file of that name exists
    (`netbook ./list` or `netbook -- list` opens that file); any other option (`--help`)
    leaves it all to argparse.
    """
    options: list[str] = []
    words: list[str] = []
    args = iter(argv)
    only_files = False
    for arg in args:
        if only_files:
            words.append(arg)
        elif arg == "--":
            only_files = True
        elif arg == "--db":
            options += [arg, next(args, "")]
        elif arg.startswith("--db=") or arg == "--hidden":
            options.append(arg)
        elif arg.startswith("-") or (not words and arg in commands):
            return None
        else:
            words.append(arg)
    return (options, words) if words else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    opening = files_to_open(argv, parser.commands)
    files: list[Path] = []
    if opening is not None:
        argv, names = opening
        missing = [n for n in names if not Path(n).exists()]
        if missing:
            from .data.text import terminal_text

            print(f"netbook: {terminal_text(missing[0])}: no such file, and no command of "
                  "that name (see netbook --help)", file=sys.stderr)
            return EXIT_USAGE
        files = [Path(n).absolute() for n in names]
    args = parser.parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    if args.command is None:
        from .ui.app import run_app

        return run_app(args.db, hidden=args.hidden, paths=files)
    from .data.db import DatabaseError, default_db_path, describe_error

    try:
        return args.func(args)
    except CliError as exc:
        echo(f"netbook {args.command}: {exc}", err=True)
        return exc.code
    except BrokenPipeError:  # `netbook list | head`: the reader has all it wanted
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (sqlite3.Error, peewee.DatabaseError, DatabaseError) as exc:
        # locked, full disk, damaged page, a damaged file opened read-only
        path = Path(args.db).expanduser() if args.db else default_db_path()
        echo(f"netbook {args.command}: {describe_error(exc, path)}", err=True)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
