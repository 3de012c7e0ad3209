"""Syncing every account at once (`carddav.sync_all`), against a real Radicale: what the
window's Sync Now and `netbook sync` both run."""

from __future__ import annotations

from netbook.data import carddav
from netbook.data.carddav import accounts
from netbook.data.models import Contact

from .conftest import PASSWORD, USER, Phone, vcard
from .test_accounts import make_book, server_book


def two_accounts(store, radicale, book) -> tuple[Phone, Phone]:
    """"phone" on this test's book and "tablet" on another one: a third client on each."""
    accounts.add_account(store, "phone", radicale, USER, PASSWORD, [server_book(radicale, book)])
    other = make_book(radicale, "Tablet")
    accounts.add_account(store, "tablet", radicale, USER, PASSWORD,
                         [server_book(radicale, other)])
    return Phone(radicale, book), Phone(radicale, other)


def statuses(store) -> dict[str, str]:
    return {a.name: a.last_status for a in accounts.list_accounts(store)}


def test_every_account_in_turn_each_with_its_result(store, radicale, book):
    phone, tablet = two_accounts(store, radicale, book)
    phone.put("ada.vcf", vcard("ada-1", "Ada Lovelace"))
    tablet.put("alan.vcf", vcard("alan-1", "Alan Turing"))
    seen: list[tuple[int, int]] = []

    done = list(carddav.sync_all(store, progress=lambda d, t, _what: seen.append((d, t))))

    assert [d.account for d in done] == ["phone", "tablet"]  # every account, by name
    assert all(d.error is None and d.result is not None for d in done)
    assert [(d.result.downloaded, d.result.uploaded) for d in done] == [(1, 0), (1, 1)]
    # what one account brought in goes up to the other (into its first book)
    assert "ada-1.vcf" in tablet.names() and "alan-1.vcf" not in phone.names()
    assert sorted(c.uid for c in Contact.select()) == ["ada-1", "alan-1"]
    assert statuses(store) == {"phone": "ok", "tablet": "ok"}
    assert seen == [(1, 1), (1, 1), (2, 2)]  # each account counts from 0: its cards
    phone.http.close()
    tablet.http.close()


def test_one_account_failing_does_not_stop_the_next(store, radicale, book, memory_keyring):
    phone, tablet = two_accounts(store, radicale, book)
    tablet.put("alan.vcf", vcard("alan-1", "Alan Turing"))
    memory_keyring.data[(accounts.KEYRING_SERVICE, "phone")] = "wrong"

    first, second = carddav.sync_all(store, ["phone", "tablet"])

    assert first.result is None and isinstance(first.error, carddav.SyncError)
    assert "refused the user name or password" in str(first.error) and not first.safety_stop
    assert second.error is None and second.result.downloaded == 1
    assert statuses(store) == {"phone": "error", "tablet": "ok"}
    (missing,) = carddav.sync_all(store, ["nope"])
    assert isinstance(missing.error, carddav.AccountError) and "no account" in str(missing.error)
    phone.http.close()
    tablet.http.close()


def test_a_safety_stop_is_told_apart_and_allow_empty_goes_on(store, radicale, book):
    phone, tablet = two_accounts(store, radicale, book)
    phone.put("ada.vcf", vcard("ada-1", "Ada Lovelace"))
    assert all(d.result for d in carddav.sync_all(store))
    for name in phone.names():
        phone.delete(name)

    stopped, fine = carddav.sync_all(store)

    assert stopped.safety_stop and "suddenly empty" in str(stopped.error)
    assert fine.result is not None and fine.result.clean
    assert Contact.get(Contact.uid == "ada-1").deleted_at is None  # nothing was changed
    (again,) = carddav.sync_all(store, ["phone"], allow_empty=True)
    assert again.result.deleted_local == 1
    phone.http.close()
    tablet.http.close()


def test_the_next_account_syncs_only_when_asked_for(store, radicale, book):
    phone, tablet = two_accounts(store, radicale, book)
    run = carddav.sync_all(store)
    assert statuses(store) == {"phone": "never", "tablet": "never"}  # nothing yet
    assert next(run).account == "phone"
    run.close()  # a caller that stops (the command line, at a failure) stops the rest
    assert statuses(store) == {"phone": "ok", "tablet": "never"}
    phone.http.close()
    tablet.http.close()
