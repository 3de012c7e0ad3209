"""The user's actions (netbook.data.operations): each writes all of itself or nothing, and
says what changed so the window redraws the right things."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import make_card

from netbook.data import networking, operations, settings
from netbook.data.changes import Changes
from netbook.data.contacts import ConflictError, NotFoundError, StoreError
from netbook.data.models import Contact, Interaction, WeekSkip
from netbook.data.vcard.card import Card, TypedValue

TODAY = dt.date.today()
WEEK = TODAY - dt.timedelta(days=TODAY.weekday())


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def ana(store) -> int:
    return store.add_contact(make_card("Ana Silva", tags=["design"]))


def snapshot(store, cid: int) -> tuple:
    """Everything a save could change about a contact."""
    c = Contact.get_by_id(cid)
    return (c.vcard, c.revision, c.rhythm_days, c.circle, c.met_on, c.needs,
            c.introduced_by_id, c.follow_up)


# -- Changes ------------------------------------------------------------------------


def test_changes_combine_and_say_whether_anything_changed():
    assert not Changes()
    logged = Changes(contacts={1}, interactions=True, plan=True)
    gone = Changes(removed={2}, tags=True)
    both = logged | gone
    assert both == Changes(contacts={1, 2}, removed={2}, interactions=True, tags=True,
                           plan=True)
    assert both.touches(2) and not both.touches(3)
    assert gone.contacts == {2}  # a removed (or added) contact is a changed one too


def test_everything_means_every_flag():
    everything = Changes.all()
    assert everything.plan and everything.tags and everything.interactions
    assert everything.touches(12345)
    assert Changes(plan=True) | everything == everything


# -- saving a contact ---------------------------------------------------------------


def test_a_new_contact_and_its_networking_fields_are_saved_together(store):
    card = make_card("Grace Hopper", phones=["+1 202 555 0199"], tags=["navy"])
    changes = operations.save_contact(store, card, fields={"circle": "close",
                                                           "needs": "a compiler"})
    (cid,) = changes.added
    assert changes == Changes(added={cid}, tags=True, plan=True)
    record = store.get_contact(cid)
    assert record.name == "Grace Hopper"
    assert (record.circle, record.rhythm_days, record.needs) == ("close", 30, "a compiler")


@pytest.mark.parametrize("card", [Card.new(), make_card(" ")], ids=["empty", "blank name"])
def test_a_contact_needs_something_to_be_called_by(store, card):
    with pytest.raises(StoreError, match="Give the contact a name, an organization, a phone "
                                         "or an email"):
        operations.save_contact(store, card)
    assert store.count() == 0


def test_an_email_alone_is_a_name_enough(store):
    card = Card.new()
    card.set_typed("EMAIL", [TypedValue("someone@example.com", ("work",))])
    (cid,) = operations.save_contact(store, card).added
    assert store.get_contact(cid).name == "someone@example.com"


def test_the_name_rule_holds_for_an_edit_too(store, ana):
    before = snapshot(store, ana)
    with pytest.raises(StoreError, match="Give the contact a name"):
        operations.save_contact(store, Card.new(), contact_id=ana,
                                revision=store.revision(ana))
    assert snapshot(store, ana) == before


def test_a_new_contact_whose_fields_are_refused_is_not_added(store):
    with pytest.raises(StoreError, match="future"):
        operations.save_contact(store, make_card("Tim Travel"),
                                fields={"met_on": TODAY + dt.timedelta(days=2)})
    assert store.count() == 0
    assert Contact.select().count() == 0  # not even in the trash


def test_an_edit_whose_fields_are_refused_leaves_the_card_as_it_was(store, ana):
    before = snapshot(store, ana)
    card = store.get_card(ana)
    card.set_text("TITLE", "Founder")
    with pytest.raises(StoreError, match="themselves"):
        operations.save_contact(store, card, contact_id=ana, revision=store.revision(ana),
                                fields={"introduced_by_name": "Ana Silva", "needs": "x"})
    assert snapshot(store, ana) == before
    assert store.get_card(ana).title == ""


def test_an_edit_made_elsewhere_meanwhile_is_never_overwritten(store, ana):
    revision = store.revision(ana)
    elsewhere = store.get_card(ana)
    elsewhere.set_text("TITLE", "Changed elsewhere")
    store.save_card(ana, elsewhere)
    before = snapshot(store, ana)
    mine = store.get_card(ana)
    mine.set_text("TITLE", "Mine")
    with pytest.raises(ConflictError):
        operations.save_contact(store, mine, contact_id=ana, revision=revision,
                                fields={"needs": "a designer"})
    assert snapshot(store, ana) == before


def test_a_forms_save_writes_only_what_the_form_changed(store, ana):
    """The form loaded Ana with a promise; the week's Done kept it and a sync retitled her
    card meanwhile. Saving the form's new "needs" keeps both."""
    networking.set_networking(store, ana, follow_up=days_ago(1), follow_up_note="deck")
    loaded = store.get_contact(ana)
    operations.log_interaction(store, ana, on=TODAY, kind="call", follow_up=None)
    synced = store.get_card(ana)
    synced.set_text("TITLE", "Synced title")
    store.save_card(ana, synced)
    form = {"follow_up": loaded.follow_up, "follow_up_note": "deck", "needs": "a designer",
            "circle": None, "rhythm_days": None}
    operations.save_contact(store, loaded.card.copy(), contact_id=ana,
                            revision=loaded.revision, fields=form, loaded=loaded)
    now = store.get_contact(ana)
    assert (now.follow_up, now.follow_up_note, now.needs) == (None, "", "a designer")
    assert now.card.title == "Synced title"


def test_a_forms_save_over_what_changed_elsewhere_is_refused(store, ana):
    loaded = store.get_contact(ana)
    networking.set_networking(store, ana, needs="an accountant")  # another window
    before = snapshot(store, ana)
    with pytest.raises(ConflictError, match="needs"):
        operations.save_contact(store, loaded.card.copy(), contact_id=ana,
                                revision=loaded.revision, fields={"needs": "a designer"},
                                loaded=loaded)
    assert snapshot(store, ana) == before
    loaded = store.get_contact(ana)
    synced = store.get_card(ana)
    synced.set_text("TITLE", "Synced title")
    store.save_card(ana, synced)  # a sync, while the form edits the card
    before = snapshot(store, ana)
    mine = loaded.card.copy()
    mine.set_text("TITLE", "Mine")
    with pytest.raises(ConflictError, match="the card"):
        operations.save_contact(store, mine, contact_id=ana, revision=loaded.revision,
                                loaded=loaded)
    assert snapshot(store, ana) == before


def test_an_edit_says_whether_the_tags_changed(store, ana):
    card = store.get_card(ana)
    card.set_text("TITLE", "Founder")
    same_tags = operations.save_contact(store, card, contact_id=ana,
                                        revision=store.revision(ana))
    assert same_tags == Changes(contacts={ana}, plan=True)
    card = store.get_card(ana)
    card.set_categories(["design", "lisbon"])
    assert operations.save_contact(store, card, contact_id=ana,
                                   revision=store.revision(ana)).tags


def test_a_circle_sets_the_rhythm_and_a_custom_rhythm_is_kept(store, ana):
    settings.set_circle_days(store, {"network": 60})
    card = store.get_card(ana)
    operations.save_contact(store, card, contact_id=ana, revision=store.revision(ana),
                            fields={"circle": "network", "rhythm_days": None})
    assert store.get_contact(ana).rhythm_days == 60
    operations.save_contact(store, card, contact_id=ana, revision=store.revision(ana),
                            fields={"circle": None, "rhythm_days": 10})
    assert (store.get_contact(ana).circle, store.get_contact(ana).rhythm_days) == (None, 10)


def test_the_introducer_is_named_as_typed(store, ana):
    ivy = store.add_contact(make_card("Ivy Introducer"))
    ben = store.add_contact(make_card("Ben Okafor"))

    def save(name: str) -> int | None:
        operations.save_contact(store, store.get_card(ben), contact_id=ben,
                                revision=store.revision(ben),
                                fields={"introduced_by_name": name})
        return store.get_contact(ben).introduced_by

    assert save("Ivy Introducer") == ivy
    store.add_contact(make_card("Ivy Introducer"))  # now the name is ambiguous …
    assert save("Ivy Introducer") == ivy  # … but it still names the one it named
    assert save("ana silva") == ana
    assert save("") is None
    with pytest.raises(NotFoundError, match="no contact matches"):
        save("Nobody Known")
    assert store.get_contact(ben).introduced_by is None


# -- the trash ------------------------------------------------------------------------


def test_delete_and_undelete_say_who_went_and_came_back(store, ana):
    ben = store.add_contact(make_card("Ben Okafor"))
    gone = operations.delete_contacts(store, [ana, ben])
    assert gone == Changes(removed={ana, ben}, tags=True, plan=True)
    assert store.count() == 0
    back = operations.undelete_contacts(store, [ana])
    assert back == Changes(added={ana}, tags=True, plan=True)
    assert store.exists(ana) and not store.exists(ben)


# -- the interaction log --------------------------------------------------------------


def test_logging_editing_and_deleting_a_touch_name_the_contact(store, ana):
    logged = operations.log_interaction(store, ana, on=days_ago(3), kind="call", note="hi")
    assert logged == Changes(contacts={ana}, interactions=True, plan=True)
    (row,) = networking.interactions(store, ana)
    assert operations.update_interaction(store, row.id, on=days_ago(2), kind="coffee",
                                         note="moved") == logged
    assert networking.interactions(store, ana)[0].kind == "coffee"
    assert store.get_contact(ana).last_contacted == days_ago(2)
    assert operations.delete_interaction(store, row.id) == logged
    assert store.get_contact(ana).last_contacted is None
    assert not operations.delete_interaction(store, row.id)  # gone already: no change


def test_a_refused_touch_changes_nothing(store, ana):
    with pytest.raises(StoreError, match="future"):
        operations.log_interaction(store, ana, on=TODAY + dt.timedelta(days=1), kind="call")
    assert Interaction.select().count() == 0


def test_editing_a_touch_deleted_elsewhere_says_so(store, ana):
    operations.log_interaction(store, ana, on=TODAY, kind="call")
    (row,) = networking.interactions(store, ana)
    networking.delete_interaction(store, row.id)
    with pytest.raises(StoreError, match="no longer exists"):
        operations.update_interaction(store, row.id, on=TODAY, kind="call")


def test_the_week_is_logged_all_at_once_or_not_at_all(store, ana):
    ben = store.add_contact(make_card("Ben Okafor"))
    entries = [{"contact_id": ana, "on": TODAY, "kind": "call"},
               {"contact_id": ben, "on": TODAY, "kind": "email", "note": "sent the deck"}]
    assert operations.log_week(store, entries) == Changes(contacts={ana, ben},
                                                          interactions=True, plan=True)
    assert Interaction.select().count() == 2
    store.delete_contacts([ben])
    with pytest.raises(NotFoundError):
        operations.log_week(store, entries)
    assert Interaction.select().count() == 2
    assert not operations.log_week(store, [])  # nobody reached: nothing changed


# -- the week ---------------------------------------------------------------------


def test_snooze_changes_the_contact_skip_only_the_plan(store, ana):
    until = TODAY + dt.timedelta(days=20)
    assert operations.snooze(store, ana, until) == Changes(contacts={ana}, plan=True)
    assert store.get_contact(ana).snoozed_until == until
    assert operations.skip_week(store, ana, WEEK) == Changes(plan=True)
    assert WeekSkip.select().count() == 1
    assert operations.unskip_week(store, ana, WEEK) == Changes(plan=True)
    assert WeekSkip.select().count() == 0


def test_snoozing_someone_deleted_elsewhere_is_refused(store, ana):
    store.delete_contacts([ana])
    with pytest.raises(NotFoundError):
        operations.snooze(store, ana, TODAY + dt.timedelta(days=7))


def test_the_block_settings_change_the_plan(store):
    assert operations.set_block(store, weekday=0, minutes=45) == Changes(plan=True)
    assert settings.block_settings(store).minutes == 45
    with pytest.raises(StoreError, match="longer than a day"):
        operations.set_block(store, minutes=24 * 60 + 1)
    assert settings.block_settings(store).minutes == 45


def test_setting_networking_fields_from_the_command_line(store, ana):
    assert operations.set_networking(store, ana, circle="inner",
                                     follow_up=TODAY) == Changes(contacts={ana}, plan=True)
    record = store.get_contact(ana)
    assert (record.circle, record.rhythm_days, record.follow_up) == ("inner", 14, TODAY)


def settings_form(store, **overrides):
    """The Settings dialog's book pages as they open (nothing changed), then `overrides`."""
    block = settings.block_settings(store)
    form = {"block": {"weekday": block.weekday, "start": block.start,
                      "minutes": block.minutes, "touch_minutes": dict(block.touch_minutes)},
            "circle_days": settings.circle_days(store),
            "first_weekday": settings.get_setting(store, "first_weekday"),
            "phone_region": settings.phone_region(store), "system_region": "US"}
    return {**form, **overrides}


def test_settings_ok_saves_all_of_the_book_pages_or_none(store):
    assert not operations.save_settings(store, **settings_form(store))  # nothing to re-plan
    form = settings_form(store, circle_days={**settings.circle_days(store), "inner": 10},
                         phone_region="not a region")
    form["block"]["minutes"] = 45
    with pytest.raises(StoreError, match="two-letter region"):
        operations.save_settings(store, **form)
    assert settings.block_settings(store).minutes != 45
    assert settings.circle_days(store)["inner"] != 10
    form["phone_region"] = "DE"
    assert operations.save_settings(store, **form).plan
    assert (settings.block_settings(store).minutes, settings.circle_days(store)["inner"],
            store.region) == (45, 10, "DE")


def test_a_forms_save_undoes_to_the_contact_as_it_was_just_before_it(store, ana):
    """The undo's snapshot is taken in the save's own transaction: what another window
    wrote after the form was opened is what Ctrl+Z comes back to, not the form's copy."""
    loaded = store.get_contact(ana)
    networking.set_networking(store, ana, needs="an accountant")  # elsewhere, meanwhile
    card = loaded.card.copy()
    card.set_text("TITLE", "Founder")
    result = operations.save_edit(store, card, contact_id=ana, revision=loaded.revision,
                                  fields={"needs": ""}, loaded=loaded)
    assert store.get_card(ana).title == "Founder" and result.changes.contacts == {ana}
    assert result.undo is not None
    result.undo()
    now = store.get_contact(ana)
    assert (now.card.title, now.needs) == ("", "an accountant")


def test_undoing_a_delete_brings_the_touch_back_when_its_id_went_to_a_newer_one(store):
    """SQLite hands the newest row's id to the next touch logged: delete Ana's call, log
    an email to Ben, Ctrl+Z — Ana's call is back, and Ben's email is still there."""
    ana = store.add_contact(make_card("Ana Lima"))
    ben = store.add_contact(make_card("Ben Okafor"))
    yesterday = dt.date.today() - dt.timedelta(days=1)
    operations.log_interaction(store, ana, on=yesterday, kind="call", note="about the oven")
    (call,) = networking.interactions(store, ana)
    operations.delete_interaction(store, call.id)
    operations.log_interaction(store, ben, on=dt.date.today(), kind="email")
    (email,) = networking.interactions(store, ben)
    assert email.id == call.id  # the id went to Ben's email

    changes = operations.undelete_interaction(store, call)

    (back,) = networking.interactions(store, ana)
    assert (back.on, back.kind, back.note) == (yesterday, "call", "about the oven")
    assert back.id != email.id
    assert networking.interactions(store, ben) == [email]
    assert changes.contacts == {ana} and changes.interactions
    assert store.get_contact(ana).last_contacted == yesterday
