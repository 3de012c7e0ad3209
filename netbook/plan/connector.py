"""The connector's views of the store: one contact whole (`netbook show`), who could help
with a need, and the week's introductions, read once and handed to the pure matcher.

Qt-free like service.py; the language of the word matching comes from the caller (the
window and the command line ask the locale).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..data import networking, relations
from ..data.contacts import Store, contact_json
from . import planner

__all__ = ["contact_document"]


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def contact_document(store: Store, contact_id: int, today: dt.date) -> dict[str, Any]:
    """`netbook show --format json`: the keys of `list --format json` plus everything
    netbook knows of the person (a contract: keep the keys). Dates ISO, absent null."""
    record = store.get_contact(contact_id)
    log = networking.interactions(store, contact_id)
    doc = contact_json(contact_id, record.card)
    due = planner.rhythm_due(planner.PlanContact(
        id=contact_id, name=record.name, rhythm_days=record.rhythm_days,
        last_contacted=record.last_contacted, met_on=record.met_on,
        created=record.created_at.date()), today)
    doc.update({
        "rhythm_days": record.rhythm_days,
        "circle": record.circle,
        "met_on": _iso(record.met_on),
        "met_where": record.met_where or None,
        "introduced_by": ({"contact_id": record.introduced_by,
                           "name": record.introduced_by_name}
                          if record.introduced_by else None),
        "does": record.does or None,
        "needs": record.needs or None,
        "offers": record.offers or None,
        "follow_up": _iso(record.follow_up),
        "follow_up_note": record.follow_up_note or None,
        "asked_count": sum(1 for r in log if r.exchange == "asked"),
        "gave_count": sum(1 for r in log if r.exchange == "gave"),
        "next_due": _iso(due),
        "interactions": [{"date": r.on.isoformat(), "kind": r.kind, "note": r.note or None,
                          "gave": r.gift or ("something" if r.exchange == "gave" else None),
                          "asked": r.exchange == "asked"} for r in log],
        "related": [{"contact_id": r.contact_id, "name": r.name, "type": r.type}
                    for r in relations.related(store, contact_id)],
    })
    return doc
