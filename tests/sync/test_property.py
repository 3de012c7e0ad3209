"""Property: random edits, adds and deletes on both sides between syncs always converge,
with no duplicates and nothing lost (each card ends as the rules say it must)."""

from __future__ import annotations

import itertools
import uuid

import httpx
import pytest
from helpers import make_card
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netbook.data.carddav import accounts, engine
from netbook.data.contacts import Store
from netbook.data.models import Contact
from netbook.data.vcard.reader import read_vcards

from .conftest import MKCOL, PASSWORD, USER, Phone, vcard

OPS = st.lists(st.tuples(st.sampled_from(["local_add", "local_edit", "local_del", "phone_add",
                                          "phone_edit", "phone_del"]),
                         st.integers(0, 20)), max_size=7)
ROUNDS = st.lists(st.tuples(OPS, st.sampled_from(["local", "remote"])), min_size=1, max_size=3)
_counter = itertools.count()


def local_state(store) -> dict[str, str]:
    out = {}
    for c in Contact.select().where(Contact.deleted_at.is_null()):
        out[c.uid] = store.get_card(c.id).note
    return out


def remote_state(phone) -> tuple[dict[str, str], dict[str, str]]:
    """(uid → note, uid → name on the server); a UID twice fails the test."""
    notes, names = {}, {}
    for name, text in phone.cards().items():
        card = read_vcards(text.encode()).cards[0].card
        assert card.uid not in notes, f"UID {card.uid} twice on the server"
        notes[card.uid] = card.note
        names[card.uid] = name
    return notes, names


def expected(base: dict, local: dict, remote: dict, prefer: str) -> dict:
    out = {}
    for uid in set(base) | set(local) | set(remote):
        if uid not in base:
            value = local.get(uid, remote.get(uid))
        else:
            l_changed = local.get(uid) != base[uid]
            r_changed = remote.get(uid) != base[uid]
            if l_changed and r_changed:
                if uid not in local:
                    value = remote.get(uid)
                elif uid not in remote or local[uid] == remote[uid]:
                    value = local[uid]
                else:
                    value = local[uid] if prefer == "local" else remote[uid]
            elif l_changed:
                value = local.get(uid)
            elif r_changed:
                value = remote.get(uid)
            else:
                value = base[uid]
        if value is not None:
            out[uid] = value
    return out


@pytest.mark.slow  # 25 random histories against a real server: ~20 s
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rounds=ROUNDS)
def test_random_changes_on_both_sides_converge(radicale, tmp_path, rounds):
    n = next(_counter)
    book = f"/{USER}/prop-{uuid.uuid4().hex[:8]}/"
    httpx.request("MKCOL", radicale.rstrip("/") + book, auth=(USER, PASSWORD),
                  content=MKCOL.format(name="p").encode(), timeout=10).raise_for_status()
    phone = Phone(radicale, book)
    store = Store.open(tmp_path / f"p{n}.sqlite3")
    try:
        books = [b for b in accounts.test_connection(radicale, USER, PASSWORD)
                 if b.url.endswith(book)]
        accounts.add_account(store, "phone", radicale, USER, PASSWORD, books)
        base: dict[str, str] = {}
        serial = itertools.count()
        for ops, prefer in rounds:
            for op, i in ops:
                text = f"v{next(serial)}"
                local = sorted(local_state(store))
                remote, names = remote_state(phone)
                if op == "local_add":
                    store.add_contact(make_card(f"Local {text}", note=text))
                elif op == "local_edit" and local:
                    cid = store.find_by_uid(local[i % len(local)])
                    card = store.get_card(cid)
                    card.set_text("NOTE", text)
                    store.save_card(cid, card)
                elif op == "local_del" and local:
                    store.delete_contacts([store.find_by_uid(local[i % len(local)])])
                elif op == "phone_add":
                    uid = f"ph-{n}-{text}"
                    phone.put(f"{uid}-x.vcf", vcard(uid, f"Phone {text}", f"NOTE:{text}"))
                elif op == "phone_edit" and remote:
                    uid = sorted(remote)[i % len(remote)]
                    phone.put(names[uid], vcard(uid, f"Phone {text}", f"NOTE:{text}"))
                elif op == "phone_del" and remote:
                    phone.delete(names[sorted(remote)[i % len(remote)]])
            want = expected(base, local_state(store), remote_state(phone)[0], prefer)
            result = engine.sync_account(store, "phone", prefer=prefer, allow_empty=True)
            assert result.clean, result
            got_local, got_remote = local_state(store), remote_state(phone)[0]
            assert got_local == want
            assert got_remote == want
            again = engine.sync_account(store, "phone")
            assert (again.uploaded, again.downloaded, again.deleted_local,
                    again.deleted_remote) == (0, 0, 0, 0) and again.clean
            base = want
    finally:
        store.close()
        phone.http.close()
