"""An import works out each card's row once, while it plans (issue 11): the content hash
and match keys that matched the card are the ones stored, with every other index column,
and the plan keeps its cards in a file rather than in memory. What ends up stored must
be exactly what saving that card would store."""

from __future__ import annotations

from pathlib import Path

from helpers import bench_module

from netbook.data.contacts import Store, content_hash, derived_columns, match_keys
from netbook.data.importing import apply_import, plan_import
from netbook.data.vcard.reader import parse_card_text

EXPORTS = Path(__file__).resolve().parent / "vcard" / "exports"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "vcard-corpus"
COLUMNS = ("display_name", "sort_key", "organization", "org_key", "title", "search_text",
           "phone_digits", "best_phone", "best_email", "birthday", "content_hash",
           "card_json")


def mixed_files(tmp_path: Path) -> list[Path]:
    phone = tmp_path / "phone.vcf"
    phone.write_bytes(bench_module("vcard_gen").generate_phone_export(300, seed=7))
    files = [phone, *sorted(EXPORTS.glob("*.vcf"))]
    return files + (sorted(CORPUS.rglob("*.vcf")) if CORPUS.is_dir() else [])


def test_imported_contacts_are_indexed_as_saving_their_card_would(store: Store, tmp_path):
    apply_import(store, plan_import(store, mixed_files(tmp_path)))
    rows = store.db.execute_sql(
        f"SELECT id, vcard, {', '.join(COLUMNS)} FROM contact").fetchall()
    assert len(rows) > 300
    keys: dict[int, set] = {}
    for cid, kind, value in store.db.execute_sql(
            "SELECT contact_id, kind, value FROM contact_key").fetchall():
        keys.setdefault(cid, set()).add((kind, value))
    for cid, vcard, *stored in rows:
        card = parse_card_text(vcard)
        fresh = derived_columns(card, store.region)
        assert dict(zip(COLUMNS, stored, strict=True)) == {c: fresh[c] for c in COLUMNS}, cid
        assert keys.get(cid, set()) == match_keys(card, store.region), cid


def test_a_planned_card_reads_back_as_it_was_read(store: Store, tmp_path):
    plan = plan_import(store, mixed_files(tmp_path))
    assert plan.items
    for item in plan.items:
        card = item.card  # from the plan's file for the cards it put away
        assert (card.uid, card.display_name) == (item.uid, item.name)
        assert content_hash(card) == item.content_hash


def test_importing_the_same_mixed_files_again_changes_nothing(store: Store, tmp_path):
    files = mixed_files(tmp_path)
    first = apply_import(store, plan_import(store, files))
    again = apply_import(store, plan_import(store, files))
    assert first.new > 300
    assert (again.new, again.updated, again.merged) == (0, 0, 0)
    assert again.unchanged == first.new + first.unchanged



def test_two_imports_overlapping_leave_the_collector_off_until_both_are_done(store, tmp_path):
    """The window plans one import on a worker while another runs: the first to finish
    must not switch the cycle collector back on under the other."""
    import gc
    import threading

    from netbook.data.importing import plan_import
    from netbook.data.vcard.reader import iter_vcards

    path = tmp_path / "a.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n")
    inside, first_done, seen = threading.Event(), threading.Event(), []

    def second_reader(source, filename):
        inside.set()
        first_done.wait(10)
        seen.append(gc.isenabled())
        yield from iter_vcards(source, filename)

    second = threading.Thread(target=plan_import, args=(store, [path]),
                              kwargs={"reader": second_reader})

    def first_reader(source, filename):
        second.start()
        inside.wait(10)
        yield from iter_vcards(source, filename)

    assert gc.isenabled()
    plan_import(store, [path], reader=first_reader)
    first_done.set()
    second.join(10)
    assert seen == [False]  # still paused while the second one read
    assert gc.isenabled()  # and on again once both were done
