"""A row's values → one netbook card: what every CSV layout's reader shares.

A layout reader says what a column means (a given name, a work phone, a tag); the
builder turns that into the card model's properties the way a phone would have written
them (N and FN, typed TEL/EMAIL lines, labels as item groups with X-ABLabel, ADR parts);
netbook's own fields (met on, does, …) go beside the card as texts (ParsedCard.network),
which importing reads into its tables (data/vcard/netbook_props.network_from_texts).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

from ..vcard.card import (
    Address,
    Card,
    NameParts,
    PartialDate,
    Property,
    TypedValue,
    escape_text,
    join_structured,
)
from .table import unneutralise

__all__ = ["CardBuilder", "DayOrder", "clean", "parse_numeric_date", "parse_text_date",
           "split_multi"]

MULTI_SEPARATOR = " ::: "  # Google's several-values-in-one-cell
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_TEXT_DATE = re.compile(r"^(\d{1,2})[ \-./]+([A-Za-z]{3,})\.?[ \-./,]+(\d{2,4})$")
_TEXT_DATE_US = re.compile(r"^([A-Za-z]{3,})\.? +(\d{1,2}),? +(\d{4})$")
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(cell: str) -> str:
    """A cell as text for a card: neutralising quote removed, control characters and
    surrounding space dropped, line ends kept as LF."""
    text = unneutralise(cell)
    if text.isprintable():  # most cells: no control character, no line end to change
        return text.strip()
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def split_multi(cell: str) -> list[str]:
    """Google's `a ::: b` cells → ["a", "b"]; an ordinary cell → [cell]."""
    text = clean(cell)
    if ":::" not in text:
        return [text] if text else []
    return [part.strip() for part in text.split(":::") if part.strip()]


def _year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:  # '80 → 1980, '07 → 2007: a two-digit year is never in the future
        this = dt.date.today().year
        year += 2000 if 2000 + year <= this else 1900
    return year


def parse_text_date(text: str) -> dt.date | None:
    """`12 Mar 2024` (LinkedIn), `12-Mar-24`, `March 12, 2024`, `2024-03-12`."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10]) if re.match(r"^\d{4}-\d\d-\d\d", text) \
            else _text_date(text)
    except ValueError:
        return None


def _text_date(text: str) -> dt.date | None:
    m = _TEXT_DATE.match(text)
    if m:
        day, month, year = m.group(1), m.group(2), m.group(3)
    else:
        m = _TEXT_DATE_US.match(text)
        if not m:
            return None
        month, day, year = m.group(1), m.group(2), m.group(3)
    number = _MONTHS.get(month[:3].lower())
    if number is None:
        return None
    return dt.date(_year(year), number, int(day))


@dataclass
class DayOrder:
    """Whether a file's numeric dates are day first (31/12) or month first (12/31).

    Decided from the data: a first number over 12 means day first, a second one over
    12 month first; until a date says, `day_first` is None (the caller may wait).
    """

    day_first: bool | None = None

    def observe(self, text: str) -> None:
        if self.day_first is not None:
            return
        m = _NUMERIC_DATE.match(text.strip())
        if not m or len(m.group(1)) == 4:
            return
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            self.day_first = True
        elif b > 12 >= a:
            self.day_first = False


def parse_numeric_date(text: str, day_first: bool) -> PartialDate | None:
    """`3/25/1980`, `25.03.80`, `1980-03-25`; `0/0/00` and `00.00.0000` mean no date.

    A date that can only be read one way (a day over 12) is read that way whatever the
    file's order; the others follow `day_first`.
    """
    text = text.strip()
    if not text:
        return None
    m = _NUMERIC_DATE.match(text)
    if not m:
        parsed = PartialDate.parse(text)
        if parsed is not None:
            return parsed
        when = parse_text_date(text)
        return PartialDate(when.month, when.day, when.year) if when else None
    a, b, c = m.group(1), m.group(2), m.group(3)
    if int(a) == 0 or int(b) == 0:
        return None  # Outlook's "0/0/00": no date
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    else:
        first, second = int(a), int(b)
        if first > 12:
            day, month = first, second
        elif second > 12:
            month, day = first, second
        elif day_first:
            day, month = first, second
        else:
            month, day = first, second
        year = _year(c)
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    if year < 1800:
        return PartialDate(month, day, None)
    return PartialDate(month, day, year)


# phone labels as exporters write them → vCard TYPE values (or None: keep as a label)
PHONE_TYPES: dict[str, tuple[str, ...]] = {
    "mobile": ("cell",), "cell": ("cell",), "home": ("home", "voice"),
    "work": ("work", "voice"), "business": ("work", "voice"), "work fax": ("work", "fax"),
    "business fax": ("work", "fax"), "home fax": ("home", "fax"), "fax": ("fax",),
    "pager": ("pager",), "car": ("car",), "isdn": ("isdn",), "other": ("voice",),
    "main": ("voice",), "voice": ("voice",),
}
EMAIL_TYPES: dict[str, tuple[str, ...]] = {
    "home": ("home",), "work": ("work",), "business": ("work",), "other": (),
    "internet": (), "personal": ("home",),
}
ADDRESS_TYPES: dict[str, tuple[str, ...]] = {
    "home": ("home",), "work": ("work",), "business": ("work",), "other": (),
}
_LABELS_KEPT = {"main": "Main", "other": "Other"}


def typed_from_label(value: str, raw_label: str, types: dict[str, tuple[str, ...]]
                     ) -> TypedValue:
    """A value with its exporter's label: `* Work` (Google's primary) → work, pref;
    a label vCard has a TYPE for becomes that TYPE, any other stays a custom label."""
    label = raw_label.strip()
    pref = label.startswith("*")
    label = label.lstrip("* ").strip()
    key = label.lower()
    if key in types:
        return TypedValue(value, types[key], _LABELS_KEPT.get(key, ""), pref)
    return TypedValue(value, (), label, pref)


@dataclass
class CardBuilder:
    """Collects one row's values, then `build()` makes the card."""

    full_name: str = ""
    name: NameParts = field(default_factory=NameParts)
    phonetic: NameParts = field(default_factory=NameParts)
    nickname: str = ""
    organization: str = ""
    department: str = ""
    title: str = ""
    emails: list[TypedValue] = field(default_factory=list)
    phones: list[TypedValue] = field(default_factory=list)
    urls: list[TypedValue] = field(default_factory=list)
    impps: list[TypedValue] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    birthday: PartialDate | None = None
    anniversary: PartialDate | None = None
    dates: list[tuple[str, PartialDate]] = field(default_factory=list)  # other labelled dates
    related: list[tuple[str, str]] = field(default_factory=list)  # (label, name)
    notes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    network: dict[str, str] = field(default_factory=dict)  # networking field → text
    warnings: list[str] = field(default_factory=list)

    def add_email(self, value: str, label: str = "", types: tuple[str, ...] = ()) -> None:
        for n, part in enumerate(split_multi(value)):
            if "@" not in part:
                self.warnings.append(f"“{part[:60]}” is not an email address; kept as one")
            self.emails.append(_labelled(part, label, EMAIL_TYPES, types, first=n == 0))

    def add_phone(self, value: str, label: str = "", types: tuple[str, ...] = ()) -> None:
        for n, part in enumerate(split_multi(value)):
            self.phones.append(_labelled(part, label, PHONE_TYPES, types, first=n == 0))

    def add_url(self, value: str, label: str = "") -> None:
        for n, part in enumerate(split_multi(value)):
            self.urls.append(_labelled(part, label, {"work": ("work",), "home": ("home",)},
                                       (), first=n == 0))

    def add_note(self, text: str) -> None:
        text = clean(text)
        if text:
            self.notes.append(text)

    def add_tags(self, tags: list[str]) -> None:
        for tag in tags:
            tag = " ".join(tag.split())
            if tag and tag not in self.tags:
                self.tags.append(tag)

    def is_empty(self) -> bool:
        return not (self.full_name or not self.name.is_empty() or self.organization
                    or self.emails or self.phones or self.nickname)

    def build(self) -> Card:
        """The card, written straight as content lines (a 30,000-row export is built
        in well under a second; the card model's editing API is for one edit at a time)."""
        props: list[Property] = [Property("UID", str(uuid.uuid4()))]
        add = props.append
        given = self.name
        if given.is_empty() and self.full_name:
            given = _split_full_name(self.full_name)
        full = " ".join((self.full_name or given.joined()).split())
        if full:
            add(Property("FN", escape_text(full)))
        if not given.is_empty():
            add(Property("N", join_structured(
                [given.family, given.given, given.additional, given.prefix, given.suffix])))
        if self.nickname:
            add(Property("NICKNAME", escape_text(self.nickname)))
        for name, text in (("X-PHONETIC-FIRST-NAME", self.phonetic.given),
                           ("X-PHONETIC-MIDDLE-NAME", self.phonetic.additional),
                           ("X-PHONETIC-LAST-NAME", self.phonetic.family)):
            if text:
                add(Property(name, escape_text(text)))
        if self.organization or self.department:
            add(Property("ORG", join_structured(
                [self.organization] + ([self.department] if self.department else []))))
        if self.title:
            add(Property("TITLE", escape_text(self.title)))
        groups = _Groups()
        for name, items in (("TEL", self.phones), ("EMAIL", self.emails),
                            ("URL", self.urls), ("IMPP", self.impps)):
            for item in _unique(items):
                value = item.value if name == "URL" else escape_text(item.value)
                types = [*item.types, "pref"] if item.pref else list(item.types)
                params = [("TYPE", ",".join(types))] if types else []
                if item.label:
                    group = groups.next("item")
                    add(Property(name, value, params, group))
                    add(Property("X-ABLABEL", escape_text(item.label), [], group))
                else:
                    add(Property(name, value, params))
        for a in self.addresses:
            if any(a.parts()):
                add(Property("ADR", join_structured(a.parts()),
                             [("TYPE", ",".join(a.types))] if a.types else []))
        if self.birthday is not None:
            add(Property("BDAY", self.birthday.iso()))
        if self.anniversary is not None:
            add(Property("X-ANNIVERSARY", self.anniversary.iso()))
        for label, when in self.dates:
            group = groups.next("date")
            add(Property("X-ABDATE", when.iso(), [], group))
            add(Property("X-ABLABEL", escape_text(label), [], group))
        for label, name in self.related:
            group = groups.next("related")
            add(Property("X-ABRELATEDNAMES", escape_text(name), [], group))
            if label:
                add(Property("X-ABLABEL", escape_text(label), [], group))
        if self.notes:
            add(Property("NOTE", escape_text("\n\n".join(self.notes))))
        if self.tags:
            add(Property("CATEGORIES", ",".join(escape_text(t) for t in self.tags)))
        return Card(version="3.0", properties=props)


class _Groups:
    """item1, item2, … (and date1, related1, …) for labelled lines."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def next(self, prefix: str) -> str:
        self.counts[prefix] = self.counts.get(prefix, 0) + 1
        return f"{prefix}{self.counts[prefix]}"


def _labelled(value: str, label: str, names: dict[str, tuple[str, ...]],
              types: tuple[str, ...], first: bool) -> TypedValue:
    """One of a cell's values: the label's primary mark (`* Work`) goes to the first."""
    if not label:
        return TypedValue(value, types)
    item = typed_from_label(value, label, names)
    return item if first or not item.pref else TypedValue(item.value, item.types, item.label)


def _unique(items: list[TypedValue]) -> list[TypedValue]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.value.strip().casefold()
        if key and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _split_full_name(full: str) -> NameParts:
    """"Ada King Lovelace" → given Ada, additional King, family Lovelace;
    "Lovelace, Ada" → family first."""
    full = " ".join(full.split())
    if "," in full:
        family, _, given = full.partition(",")
        return NameParts(family=family.strip(), given=given.strip())
    words = full.split(" ")
    if len(words) == 1:
        return NameParts(given=words[0])
    if len(words) == 2:
        return NameParts(given=words[0], family=words[1])
    return NameParts(given=words[0], additional=" ".join(words[1:-1]), family=words[-1])
