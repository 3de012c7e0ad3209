"""Peewee models: the vCard is the record, the other contact columns are its index.

The tables themselves are created by the numbered migrations (netbook/data/migrations);
these classes must describe the schema the latest migration leaves behind.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Self, TypeVar

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    CompositeKey,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

if TYPE_CHECKING:
    from peewee import ModelDelete, ModelSelect

    _M = TypeVar("_M", bound=Model)

    class Rows(ModelSelect[_M]):
        """A model query as the type checker should see it.

        types-peewee says `.tuples()` and `.dicts()` still yield model instances; they
        yield plain rows, whose columns only the query knows (so: Any).
        """

        def tuples(self, as_tuple: bool = True) -> ModelSelect[Any]: ...  # type: ignore[override]
        def dicts(self, as_dict: bool = True) -> ModelSelect[Any]: ...  # type: ignore[override]

# The words some columns hold (the planner speaks them too, in plan/planner.py; kept here
# because data/ never imports the layers above it).
INTERACTION_KINDS = ("call", "email", "message", "coffee", "meal", "meeting", "event")
GIFT_KINDS = ("introduction", "referral", "advice", "event", "article", "favour")
EXCHANGES = ("gave", "asked", "")
CIRCLES = ("inner", "close", "network", "acquaintance")


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class BaseModel(Model):
    """Each model spells out its `id` and each foreign key's `*_id` column.

    peewee adds both at run time; declaring them (the same AutoField peewee would add,
    and plain annotations for the `*_id` accessors) lets the type checker see them.
    """

    class Meta:
        legacy_table_names = False

    if TYPE_CHECKING:
        @classmethod
        def select(cls, *fields: Any) -> Rows[Self]: ...

        # types-peewee types Model.delete as a Self-generic attribute, which mypy refuses
        # to read through the class ("ambiguous"); this is peewee's real signature.
        @classmethod
        def delete(cls) -> ModelDelete: ...


class Contact(BaseModel):
    id = AutoField()
    uid = CharField(unique=True)
    vcard = TextField()  # the record: full vCard text, the source of truth for card data
    revision = IntegerField(default=1)  # bumped on every save: two windows never lose an edit

    # -- derived from the vCard (rebuilt on every save) --
    display_name = TextField(default="")
    sort_key = TextField(default="")  # the list's orders have their own indexes (0012)
    organization = TextField(default="")
    org_key = TextField(default="")
    title = TextField(default="")
    search_text = TextField(default="")  # folded names, org, emails, notes, tags, phones
    phone_digits = TextField(default="")  # every phone's digits, space separated
    best_phone = TextField(default="")
    best_email = TextField(default="")
    birthday = CharField(null=True)  # ISO "1980-12-24" or year-less "--12-24"
    thumbnail = BlobField(null=True)  # small PNG for the list; the photo stays in the vCard
    has_photo = BooleanField(default=False)  # thumbnail IS NOT NULL, for the list's index
    content_hash = CharField(default="", index=True)  # normalised card content
    card_json = TextField(default="")  # `netbook list --format json`'s fields, but the id

    # -- import bookkeeping --
    imported_hash = CharField(default="")  # content_hash when last imported (or synced)
    edited_at = DateTimeField(null=True)  # last edit made in netbook
    created_at = DateTimeField(default=_now)
    updated_at = DateTimeField(default=_now)
    deleted_at = DateTimeField(null=True, index=True)  # in the trash (undo, restore)

    # -- networking (netbook's own; written to files as X-NETBOOK-*) --
    # kept in step with the interaction log, so listing and planning need no log scan
    last_contacted = DateField(null=True, index=True)
    gave_count = IntegerField(default=0)
    asked_count = IntegerField(default=0)
    last_note = TextField(default="")
    rhythm_days = IntegerField(null=True)
    circle = CharField(null=True)  # one of CIRCLES
    met_on = DateField(null=True)
    met_where = TextField(default="")
    introduced_by = ForeignKeyField("self", null=True, on_delete="SET NULL", backref="introduced")
    introduced_by_id: int | None
    does = TextField(default="")
    needs = TextField(default="")
    offers = TextField(default="")
    follow_up = DateField(null=True)
    follow_up_note = TextField(default="")
    snoozed_until = DateField(null=True)


class ContactKey(BaseModel):
    """Normalised phones and emails, for duplicate matching."""

    id = AutoField()
    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="keys")
    contact_id: int
    kind = CharField()  # "phone" | "email"
    value = CharField(index=True)


class Tag(BaseModel):
    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="tags")
    contact_id: int
    name = CharField(index=True)

    class Meta:
        primary_key = CompositeKey("contact", "name")


class Interaction(BaseModel):
    id = AutoField()
    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="interactions")
    contact_id: int
    on = DateField(index=True)
    kind = CharField()  # one of INTERACTION_KINDS
    note = TextField(default="")
    exchange = CharField(default="")  # one of EXCHANGES
    gift = CharField(default="")  # one of GIFT_KINDS, when exchange is "gave"
    created_at = DateTimeField(default=_now)


class Relation(BaseModel):
    """One RFC 6350 RELATED line of a contact's card: the other is named by UID, so a
    relation to a card not here yet is kept until it arrives (see migration 0009)."""

    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="relations")
    other_uid = CharField(index=True)
    type = CharField()  # one of data.relations.RELATION_TYPES

    class Meta:
        indexes = ((("contact", "other_uid", "type"), True),)


class Setting(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()  # JSON


class WeekSkip(BaseModel):
    contact = ForeignKeyField(Contact, on_delete="CASCADE")
    contact_id: int
    week_start = DateField()

    class Meta:
        primary_key = CompositeKey("contact", "week_start")


class WeekSnapshot(BaseModel):
    """What a week's plan held, for the streak of weeks with the block done."""

    week_start = DateField(primary_key=True)
    contact_ids = TextField(default="")  # space separated, in plan order
    # everyone the week's plan has shown, with its words (JSON list): they keep their
    # place all week (a plan that holds still); valid while `block` is the block's JSON
    held = TextField(default="")
    block = TextField(default="")


class DormantTurn(BaseModel):
    """The last week someone was suggested as a dormant reconnect: the rotation goes
    round the whole pool before anyone comes up a second time."""

    contact = ForeignKeyField(Contact, primary_key=True, on_delete="CASCADE")
    week_start = DateField()


class SyncAccount(BaseModel):
    """A CardDAV account; its password is in the system keyring, never here."""

    id = AutoField()
    name = CharField(unique=True)
    url = TextField()
    username = TextField()
    created_at = DateTimeField(default=_now)
    last_sync_at = DateTimeField(null=True)
    last_status = CharField(default="never")  # never | ok | conflicts | error | running
    last_message = TextField(default="")  # what happened, in words (and what to do)


class SyncCollection(BaseModel):
    """One address book of an account that the user chose to sync."""

    id = AutoField()
    account = ForeignKeyField(SyncAccount, on_delete="CASCADE", backref="collections")
    account_id: int
    url = TextField()
    display_name = TextField(default="")
    vcard_version = CharField(default="3.0")
    supports_sync = BooleanField(default=False)  # RFC 6578 sync-collection
    sync_token = TextField(null=True)  # saved only when a sync completed
    position = IntegerField(default=0)  # the first one receives new local contacts
    restore_props = TextField(default="")  # JSON: to put back after a whole-book write

    class Meta:
        indexes = ((("account", "url"), True),)


class SyncItem(BaseModel):
    """What both sides held when one card was last in sync."""

    id = AutoField()
    collection = ForeignKeyField(SyncCollection, on_delete="CASCADE", backref="items")
    collection_id: int
    href = TextField()
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL", index=True)
    contact_id: int | None
    uid = CharField(default="")
    etag = TextField(null=True)
    local_hash = CharField(default="")  # the local fingerprint at the last sync
    remote_hash = CharField(default="")  # the server card's fingerprint at the last sync
    base = TextField(default="")  # the last synced card text (card + X-NETBOOK-*)

    class Meta:
        indexes = ((("collection", "href"), True),)


class SyncConflict(BaseModel):
    """A card changed on both sides (or a UID twice on the server): the user decides."""

    id = AutoField()
    collection = ForeignKeyField(SyncCollection, on_delete="CASCADE", backref="conflicts")
    collection_id: int
    href = TextField()
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL", index=False)
    contact_id: int | None
    kind = CharField(default="edit")  # edit | duplicate_uid
    local_text = TextField(default="")
    remote_text = TextField(default="")
    remote_etag = TextField(null=True)
    created_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("collection", "href"), True),)


class MergedUid(BaseModel):
    """A UID merged into another contact (Find Duplicates): imports and syncs that bring
    it again map onto `contact` instead of bringing the merged-away card back."""

    uid = CharField(primary_key=True)
    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="merged_uids")
    merged_at = DateTimeField(default=_now)


MODELS = [Contact, ContactKey, Tag, Interaction, Relation, Setting, WeekSkip, WeekSnapshot,
          DormantTurn, SyncAccount, SyncCollection, SyncItem, SyncConflict, MergedUid]
