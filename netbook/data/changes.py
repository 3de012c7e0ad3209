"""What an operation changed, so each screen can decide for itself what to redraw.

Anki's `OpChanges` in small: every user action (`data/operations.py`, an import, the
demo, a restore) returns one `Changes`; the main window hands it to the contact list,
the week panel, the detail pane, the tag filter and the status bar, and each looks only
at the fields it shows. Nobody has to know who else needs a refresh.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, fields

__all__ = ["Changes"]


@dataclass(frozen=True)
class Changes:
    """A change to the store, as the screens see it. Empty (falsy) when nothing changed.

    `contacts` holds every contact whose row changed, including those in `added` (new,
    or back from the trash) and `removed` (moved to the trash). `everything` is for the
    changes nobody can list cheaply (an import, a restore, the demo): it sets the other
    flags too, and a screen reloads all it shows. The id sets may be given as any set;
    they are kept as frozensets.
    """

    contacts: Set[int] = frozenset()
    added: Set[int] = frozenset()
    removed: Set[int] = frozenset()
    interactions: bool = False  # an interaction log changed (whose: `contacts`)
    tags: bool = False  # the set of tags may be different
    plan: bool = False  # this week's plan may be different
    everything: bool = False

    def __post_init__(self) -> None:
        # frozen: set through object.__setattr__, once, while the value is being made
        for name in ("contacts", "added", "removed"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        object.__setattr__(self, "contacts", self.contacts | self.added | self.removed)
        if self.everything:
            for name in ("interactions", "tags", "plan"):
                object.__setattr__(self, name, True)

    @classmethod
    def all(cls) -> Changes:
        """Anything may have changed (an import, a restore, a sync, another window)."""
        return cls(everything=True)

    def __or__(self, other: Changes) -> Changes:
        """Both changes at once (an action made of two operations, an undo and a redo)."""
        if not isinstance(other, Changes):
            return NotImplemented
        return Changes(**{f.name: getattr(self, f.name) | getattr(other, f.name)
                          for f in fields(self)})

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def touches(self, contact_id: int) -> bool:
        """Whether what the screens show of this contact may have changed."""
        return self.everything or contact_id in self.contacts
