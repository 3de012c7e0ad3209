"""One vCard as an ordered list of content lines, with typed views over it.

The card is the record (ARCHITECTURE.md): whatever a phone wrote — unknown and X-
properties, groups, labels, parameters — stays in `properties` untouched unless the user
edits that very field. Values are kept in their escaped vCard 3.0/4.0 form (the reader
converts 2.1 quoted-printable/charset values into that form), so writing a card back out
is a re-emission, not a reconstruction.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

# ---------------------------------------------------------------------------
# escaping (RFC 6350 §3.4 / RFC 2426 §4)

_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPE_MAP = {"n": "\n", "N": "\n"}


def unescape_text(value: str) -> str:
    r"""`\n` → newline, `\,` `\;` `\:` `\\` → the character; a lone backslash stays."""
    if "\\" not in value:
        return value
    return _UNESCAPE.sub(lambda m: _UNESCAPE_MAP.get(m.group(1), m.group(1)), value)


def escape_text(text: str) -> str:
    if not ("\\" in text or ";" in text or "," in text or "\n" in text or "\r" in text):
        return text  # most values: nothing to escape, and six replaces cost more than this
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def split_unescaped(value: str, sep: str) -> list[str]:
    """Split on `sep` where it is not escaped by a backslash."""
    if "\\" not in value:
        return value.split(sep)
    parts: list[str] = []
    current: list[str] = []
    i = 0
    n = len(value)
    while i < n:
        ch = value[i]
        if ch == "\\" and i + 1 < n:
            current.append(value[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def structured(value: str) -> list[str]:
    """Components of a structured value (N, ADR, ORG, GENDER), unescaped."""
    return [unescape_text(part) for part in split_unescaped(value, ";")]


def join_structured(parts: Iterable[str]) -> str:
    return ";".join(escape_text(p) for p in parts)


# ---------------------------------------------------------------------------
# the content line


@dataclass(slots=True)
class Property:
    """One content line: `group.NAME;PARAM=v1,v2:value`.

    `name` is upper-case; `group` keeps its case; `params` keeps order and repeats,
    each value already unquoted; `value` is the escaped 3.0/4.0 value text.
    """

    name: str
    value: str = ""
    params: list[tuple[str, str]] = field(default_factory=list)
    group: str = ""

    def param_values(self, name: str) -> list[str]:
        name = name.upper()
        out: list[str] = []
        for key, val in self.params:
            if key == name:
                if name == "TYPE":
                    out.extend(v for v in split_unescaped(val, ",") if v)
                else:
                    out.append(val)
        return out

    def types(self) -> list[str]:
        """TYPE values, lower-case, without `pref` (which is a flag, not a kind)."""
        return [t.lower() for t in self.param_values("TYPE") if t.lower() != "pref"]

    def is_pref(self) -> bool:
        if any(t.lower() == "pref" for t in self.param_values("TYPE")):
            return True
        return bool(self.param_values("PREF"))

    def set_param(self, name: str, values: Iterable[str]) -> None:
        name = name.upper()
        values = list(values)
        kept = [(k, v) for k, v in self.params if k != name]
        self.params = kept + [(name, v) for v in values]

    @property
    def text(self) -> str:
        return unescape_text(self.value)


# ---------------------------------------------------------------------------
# typed views


@dataclass(frozen=True)
class NameParts:
    family: str = ""
    given: str = ""
    additional: str = ""
    prefix: str = ""
    suffix: str = ""

    def is_empty(self) -> bool:
        return not any((self.family, self.given, self.additional, self.prefix, self.suffix))

    def joined(self) -> str:
        parts = (self.prefix, self.given, self.additional, self.family, self.suffix)
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class PartialDate:
    """A date that may lack its year (a birthday typed as --12-24)."""

    month: int
    day: int
    year: int | None = None

    def iso(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def as_date(self) -> date | None:
        if self.year is None:
            return None
        return date(self.year, self.month, self.day)

    @classmethod
    def parse(cls, text: str) -> PartialDate | None:
        """Read the forms phones write: 1980-12-24, 19801224, --1224, --12-24, 1980-12-24T…Z."""
        text = text.strip()
        if not text:
            return None
        m = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$", text)
        year: int | None
        if m:
            year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if year < 1800 or year == 1604:  # Apple writes 1604 for "no year"
                year = None
        else:
            m = re.match(r"^--(\d{2})-?(\d{2})$", text)
            if not m:
                return None
            year, month, day = None, int(m.group(1)), int(m.group(2))
        try:
            date(year if year is not None else 2000, month, day)  # 2000 is leap: 29 Feb ok
        except ValueError:
            return None
        return cls(month=month, day=day, year=year)


_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# Apple's built-in words that splitting the CamelCase alone gets wrong
_APPLE_WORDS = {"HomeFAX": "Home fax", "WorkFAX": "Work fax", "OtherFAX": "Other fax",
                "HomePage": "Home page", "iPhone": "iPhone", "AppleWatch": "Apple Watch",
                "AssistantPhone": "Assistant", "CompanyMain": "Company main",
                "RadioPhone": "Radio", "CarPhone": "Car", "CallbackPhone": "Callback",
                "MainPhone": "Main", "Mobile": "Mobile", "School": "School"}


def display_label(raw: str) -> str:
    """A label in words: Apple's built-in `_$!<AssistantPhone>!$_` → "Assistant",
    `_$!<HomeFAX>!$_` → "Home fax", `_$!<DomesticPartner>!$_` → "Domestic partner";
    custom labels (X-ABLabel:Gym) as they are."""
    m = _APPLE_LABEL.match(raw.strip())
    if not m:
        return raw.strip()
    word = m.group(1).strip()
    if word in _APPLE_WORDS:
        return _APPLE_WORDS[word]
    parts = [p for p in _CAMEL.split(word) if p]
    if len(parts) > 1 and parts[-1] == "Phone":
        parts = parts[:-1]
    text = " ".join(p.lower() for p in parts)
    return text[:1].upper() + text[1:] if text else word


@dataclass(frozen=True)
class TypedValue:
    """A phone, email, URL or IM handle with its kinds and custom label.

    `index` is the position among the card's properties of that name when read from a
    card, or None for a new one: `Card.set_typed` uses it to keep the original line's
    group, label and unknown parameters when only the value or kinds changed.
    """

    value: str
    types: tuple[str, ...] = ()
    label: str = ""
    pref: bool = False
    index: int | None = None

    @property
    def type_text(self) -> str:
        if self.label:
            return display_label(self.label)
        kinds = [t for t in self.types if t not in ("voice", "internet", "x400")]
        return ", ".join(kinds)


@dataclass(frozen=True)
class Address:
    po_box: str = ""
    extended: str = ""
    street: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    types: tuple[str, ...] = ()
    label: str = ""
    index: int | None = None

    def parts(self) -> list[str]:
        return [self.po_box, self.extended, self.street, self.locality, self.region,
                self.postal_code, self.country]

    def one_line(self) -> str:
        return ", ".join(p for p in (self.street, self.extended, self.po_box, self.locality,
                                     self.region, self.postal_code, self.country) if p)


TYPED_NAMES = ("TEL", "EMAIL", "URL", "IMPP", "X-SOCIALPROFILE")
# URIs are kept as they are, not text-escaped (a `\:` in one is undone on reading)
_URI_VALUED = frozenset({"URL", "IMPP", "X-SOCIALPROFILE"})
_LABEL_PROPS = ("X-ABLABEL",)


# ---------------------------------------------------------------------------
# the card


@dataclass
class Card:
    version: str = "3.0"
    properties: list[Property] = field(default_factory=list)

    # -- construction -------------------------------------------------------
    @classmethod
    def new(cls, version: str = "3.0") -> Card:
        card = cls(version=version)
        card.set_text("UID", str(uuid.uuid4()))
        return card

    def copy(self) -> Card:
        return Card(
            version=self.version,
            properties=[Property(p.name, p.value, list(p.params), p.group)
                        for p in self.properties],
        )

    # -- raw access ---------------------------------------------------------
    def get(self, name: str) -> list[Property]:
        name = name.upper()
        return [p for p in self.properties if p.name == name]

    def first(self, name: str) -> Property | None:
        name = name.upper()
        for p in self.properties:
            if p.name == name:
                return p
        return None

    def text(self, name: str) -> str:
        prop = self.first(name)
        return prop.text if prop else ""

    def remove(self, name: str) -> None:
        name = name.upper()
        self.properties = [p for p in self.properties if p.name != name]

    def remove_prefixed(self, prefix: str) -> list[Property]:
        """Take out every property whose name starts with `prefix` (X-NETBOOK-…)."""
        prefix = prefix.upper()
        taken: list[Property] = []
        kept: list[Property] = []
        for p in self.properties:  # one walk: an import takes them out of every card
            (taken if p.name.startswith(prefix) else kept).append(p)
        self.properties = kept
        return taken

    def add(self, prop: Property) -> None:
        self.properties.append(prop)

    def set_raw(self, name: str, value: str, params: list[tuple[str, str]] | None = None) -> None:
        """Set the first `name` to an already-escaped value (kept where it stood), or add it."""
        prop = self.first(name)
        if prop is None:
            self.properties.append(Property(name.upper(), value, list(params or [])))
        else:
            prop.value = value
            if params is not None:
                prop.params = list(params)

    def set_text(self, name: str, text: str) -> None:
        """Set a single text property; empty text removes it."""
        if text:
            self.set_raw(name, escape_text(text))
        else:
            self.remove(name)

    def group_label(self, group: str) -> str:
        if not group:
            return ""
        g = group.lower()
        for p in self.properties:
            if p.group.lower() == g and p.name in _LABEL_PROPS:
                return p.text
        return ""

    # -- identity and names -------------------------------------------------
    @property
    def uid(self) -> str:
        return self.text("UID").strip()

    @property
    def kind(self) -> str:
        """"group" for group cards (KIND:group, Apple's X-ADDRESSBOOKSERVER-KIND)."""
        kind = (self.text("KIND") or self.text("X-ADDRESSBOOKSERVER-KIND")).strip().lower()
        return kind or "individual"

    @property
    def formatted_name(self) -> str:
        return self.text("FN").strip()

    @property
    def name_parts(self) -> NameParts:
        prop = self.first("N")
        if prop is None:
            return NameParts()
        parts = (structured(prop.value) + [""] * 5)[:5]
        return NameParts(*(p.strip() for p in parts))

    def set_name_parts(self, parts: NameParts) -> None:
        if parts.is_empty():
            self.remove("N")
            return
        self.set_raw("N", join_structured(
            [parts.family, parts.given, parts.additional, parts.prefix, parts.suffix]))

    def rename(self, parts: NameParts) -> None:
        """New name parts; the shown name (FN) follows them when it was built from the old
        ones, and stays when it is one of its own ("Dr Ana", a shop's name)."""
        automatic = self.formatted_name == self.name_parts.joined()
        self.set_name_parts(parts)
        if automatic:
            self.set_text("FN", parts.joined())

    @property
    def display_name(self) -> str:
        """What to call this contact: FN, else N, else organisation, email or phone."""
        # each looked at only when the one before is empty: indexing asks several times
        # a card, and most cards have an FN
        for candidate in (
            lambda: self.formatted_name,
            lambda: self.name_parts.joined(),
            lambda: self.text("NICKNAME"),
            lambda: self.organization,
        ):
            text = candidate().strip()
            if text:
                return text
        for name in ("EMAIL", "TEL"):
            prop = self.first(name)
            if prop and prop.text.strip():
                return prop.text.strip()
        return "(no name)"

    @property
    def nickname(self) -> str:
        return self.text("NICKNAME")

    @property
    def phonetic(self) -> NameParts:
        """Phonetic names (X-PHONETIC-*, Apple/Google; 4.0 SORT-AS is not a phonetic)."""
        return NameParts(
            family=self.text("X-PHONETIC-LAST-NAME"),
            given=self.text("X-PHONETIC-FIRST-NAME"),
            additional=self.text("X-PHONETIC-MIDDLE-NAME"),
        )

    def set_phonetic(self, parts: NameParts) -> None:
        self.set_text("X-PHONETIC-LAST-NAME", parts.family)
        self.set_text("X-PHONETIC-FIRST-NAME", parts.given)
        self.set_text("X-PHONETIC-MIDDLE-NAME", parts.additional)

    # -- work ---------------------------------------------------------------
    @property
    def org_parts(self) -> list[str]:
        prop = self.first("ORG")
        return [p.strip() for p in structured(prop.value)] if prop else []

    @property
    def organization(self) -> str:
        parts = self.org_parts
        return parts[0] if parts else ""

    @property
    def department(self) -> str:
        parts = self.org_parts
        return "; ".join(p for p in parts[1:] if p)

    def set_organization(self, organization: str, department: str = "") -> None:
        if not organization and not department:
            self.remove("ORG")
            return
        parts = [organization] + ([department] if department else [])
        self.set_raw("ORG", join_structured(parts))

    @property
    def title(self) -> str:
        return self.text("TITLE")

    @property
    def note(self) -> str:
        return "\n".join(p.text for p in self.get("NOTE"))

    # -- dates --------------------------------------------------------------
    @property
    def birthday(self) -> PartialDate | None:
        return PartialDate.parse(self.text("BDAY"))

    @property
    def anniversary(self) -> PartialDate | None:
        return PartialDate.parse(self.text("ANNIVERSARY") or self.text("X-ANNIVERSARY"))

    def set_date(self, name: str, value: PartialDate | None) -> None:
        if value is None:
            self.remove(name)
            return
        # 3.0 has no year-less form; "--MM-DD" is what Apple, Android and 4.0 read.
        self.set_raw(name, value.iso())

    # -- tags ---------------------------------------------------------------
    @property
    def categories(self) -> list[str]:
        seen: list[str] = []
        for prop in self.get("CATEGORIES"):
            for part in split_unescaped(prop.value, ","):
                tag = unescape_text(part).strip()
                if tag and tag not in seen:
                    seen.append(tag)
        return seen

    def set_categories(self, tags: Iterable[str]) -> None:
        tags = [t.strip() for t in tags if t.strip()]
        self.remove("CATEGORIES")
        if tags:
            self.properties.append(Property("CATEGORIES", ",".join(escape_text(t) for t in tags)))

    # -- phones, emails, urls, IM ------------------------------------------
    def typed(self, name: str) -> list[TypedValue]:
        """Every `name` line as a TypedValue: the same as its types(), is_pref() and
        label, read in one pass over its parameters (an import reads every card's
        phones and emails, and the three walks were a twentieth of its time)."""
        name = name.upper()
        out = []
        i = 0
        for prop in self.properties:
            if prop.name != name:
                continue
            types: list[str] = []
            pref = False
            label_param: str | None = None
            for key, val in prop.params:
                if key == "TYPE":
                    for kind in split_unescaped(val, ","):
                        if kind:
                            kind = kind.lower()
                            if kind == "pref":
                                pref = True
                            else:
                                types.append(kind)
                elif key == "PREF":
                    pref = True
                elif key == "LABEL" and label_param is None:
                    label_param = val
            label = self.group_label(prop.group) if prop.group else ""
            if not label:
                label = label_param or ""
            out.append(TypedValue(prop.text.strip(), tuple(types), label, pref, i))
            i += 1
        return out

    @property
    def phones(self) -> list[TypedValue]:
        return self.typed("TEL")

    @property
    def emails(self) -> list[TypedValue]:
        return self.typed("EMAIL")

    @property
    def urls(self) -> list[TypedValue]:
        return self.typed("URL")

    @property
    def impps(self) -> list[TypedValue]:
        """IM and social handles: IMPP, X-SOCIALPROFILE and the old X-AIM/X-JABBER/… lines."""
        out = self.typed("IMPP") + self.typed("X-SOCIALPROFILE")
        for legacy in ("X-AIM", "X-JABBER", "X-SKYPE", "X-SKYPE-USERNAME", "X-ICQ", "X-MSN",
                       "X-YAHOO", "X-GOOGLE-TALK", "X-TWITTER", "X-QQ"):
            for prop in self.get(legacy):
                out.append(TypedValue(prop.text.strip(), (legacy[2:].lower(),), "", False, None))
        return out

    def handles(self) -> list[TypedValue]:
        """The IMPP and X-SOCIALPROFILE lines as one list, for one editor: an index counts
        across both (IMPP's first), so `set_handles` puts each back on the line it came
        from. (Each list's own indexes, mixed in one editor, sent a social profile onto
        an IMPP line.) The old X-AIM/X-JABBER/… lines are shown, not edited."""
        out = self.typed("IMPP")
        offset = len(out)
        out += [replace(v, index=(v.index or 0) + offset) for v in self.typed("X-SOCIALPROFILE")]
        return out

    def set_handles(self, items: Iterable[TypedValue]) -> None:
        """Write an editor's handles back (see `handles`): each to its own IMPP or
        X-SOCIALPROFILE line, a new one as IMPP; a list left as it was is not touched."""
        offset = len(self.get("IMPP"))
        impp: list[TypedValue] = []
        social: list[TypedValue] = []
        for it in items:
            if it.index is not None and it.index >= offset:
                social.append(replace(it, index=it.index - offset))
            else:
                impp.append(it)
        if impp != self.typed("IMPP"):
            self.set_typed("IMPP", impp)
        if social != self.typed("X-SOCIALPROFILE"):
            self.set_typed("X-SOCIALPROFILE", social)

    def set_typed(self, name: str, items: Iterable[TypedValue]) -> None:
        """Replace all `name` lines by `items`, keeping each surviving line's group and extras.

        A line whose TypedValue came back (same index) keeps its group, X-ABLabel and
        unknown parameters; only what the user changed is rewritten. Removed lines take
        their group's label with them.
        """
        name = name.upper()
        old = self.get(name)
        items = [it for it in items if it.value.strip()]
        kept_ids = {id(old[it.index]) for it in items
                    if it.index is not None and it.index < len(old)}
        dropped_groups = {p.group.lower() for p in old if id(p) not in kept_ids and p.group}
        new_props: list[Property] = []
        for it in items:
            if it.index is not None and it.index < len(old):
                prop = old[it.index]
                prop = Property(prop.name, prop.value, list(prop.params), prop.group)
                if unescape_text(prop.value).strip() != it.value.strip():
                    new_value = it.value.strip()
                    prop.value = new_value if name in _URI_VALUED else escape_text(new_value)
                if tuple(prop.types()) != tuple(it.types) or prop.is_pref() != it.pref:
                    prop.set_param("TYPE", _type_params(it, self.version))
                    prop.params = [(k, v) for k, v in prop.params if k != "PREF"]
                    if it.pref and self.version == "4.0":
                        prop.params.append(("PREF", "1"))
                if self.group_label(prop.group) != it.label and prop.group:
                    self._set_group_label(prop.group, it.label)
                elif not prop.group and it.label:
                    prop.group = self._free_group()
                    self._set_group_label(prop.group, it.label)
            else:
                value = it.value.strip()
                if name not in _URI_VALUED:
                    value = escape_text(value)
                prop = Property(name, value)
                types = _type_params(it, self.version)
                if types:
                    prop.params.append(("TYPE", ",".join(types)))
                if it.pref and self.version == "4.0":
                    prop.params.append(("PREF", "1"))
                if it.label:
                    prop.group = self._free_group()
                    self._set_group_label(prop.group, it.label)
            new_props.append(prop)
        # put the new list where the first old line stood (or at the end)
        def stays(p: Property) -> bool:
            return p.name != name and not (
                p.name in _LABEL_PROPS and p.group.lower() in dropped_groups)

        first_pos = next((i for i, p in enumerate(self.properties) if p.name == name), None)
        rest = [p for p in self.properties if stays(p)]
        pos = len(rest) if first_pos is None else sum(
            1 for p in self.properties[:first_pos] if stays(p))
        self.properties = rest[:pos] + new_props + rest[pos:]

    def _free_group(self) -> str:
        used = {p.group.lower() for p in self.properties if p.group}
        n = 1
        while f"item{n}" in used:
            n += 1
        # reserve it so two new lines in one call don't share a group
        self.properties.append(Property("X-ABLABEL", "", [], f"item{n}"))
        return f"item{n}"

    def _set_group_label(self, group: str, label: str) -> None:
        g = group.lower()
        for p in self.properties:
            if p.group.lower() == g and p.name in _LABEL_PROPS:
                if label:
                    p.value = escape_text(label)
                else:
                    self.properties.remove(p)
                return
        if label:
            self.properties.append(Property("X-ABLABEL", escape_text(label), [], group))

    # -- addresses ----------------------------------------------------------
    @property
    def addresses(self) -> list[Address]:
        out = []
        for i, prop in enumerate(self.get("ADR")):
            parts = (structured(prop.value) + [""] * 7)[:7]
            label = self.group_label(prop.group)
            box, extended, street, locality, region, code, country = (p.strip() for p in parts)
            out.append(Address(box, extended, street, locality, region, code, country,
                               types=tuple(prop.types()), label=label, index=i))
        return out

    def set_addresses(self, items: Iterable[Address]) -> None:
        old = self.get("ADR")
        new_props: list[Property] = []
        for it in items:
            if not any(it.parts()):
                continue
            value = join_structured(it.parts())
            if it.index is not None and it.index < len(old):
                src = old[it.index]
                prop = Property("ADR", src.value, list(src.params), src.group)
                if structured(src.value)[:7] != it.parts():
                    prop.value = value
                if tuple(prop.types()) != tuple(it.types):
                    prop.set_param("TYPE", list(it.types))
            else:
                prop = Property("ADR", value, [("TYPE", ",".join(it.types))] if it.types else [])
            new_props.append(prop)
        first_pos = next((i for i, p in enumerate(self.properties) if p.name == "ADR"), None)
        rest = [p for p in self.properties if p.name != "ADR"]
        pos = len(rest) if first_pos is None else sum(
            1 for p in self.properties[:first_pos] if p.name != "ADR")
        self.properties = rest[:pos] + new_props + rest[pos:]

    # -- photo --------------------------------------------------------------
    @property
    def photo_bytes(self) -> bytes | None:
        """The inline photo, decoded; None for none, a URL, or undecodable data."""
        prop = self.first("PHOTO")
        return inline_binary(prop) if prop else None

    def set_photo(self, data: bytes | None, mime: str = "image/jpeg") -> None:
        self.remove("PHOTO")
        if not data:
            return
        b64 = base64.b64encode(data).decode("ascii")
        subtype = mime.split("/")[-1].upper()
        if self.version == "4.0":
            self.properties.append(Property("PHOTO", f"data:{mime};base64,{b64}"))
        else:
            self.properties.append(Property("PHOTO", b64, [("ENCODING", "b"), ("TYPE", subtype)]))


def _type_params(it: TypedValue, version: str) -> list[str]:
    types = list(it.types)
    if it.pref and version != "4.0" and "pref" not in types:
        types.append("pref")
    return types


def inline_binary(prop: Property) -> bytes | None:
    """Decode PHOTO/LOGO/KEY/SOUND whether written as ENCODING=b, BASE64 or a data: URI."""
    value = prop.value.strip()
    if value.startswith("data:"):
        head, _, payload = value.partition(",")
        if ";base64" not in head.lower():
            return None
        value = payload
    else:
        enc = [e.lower() for e in prop.param_values("ENCODING")]
        if not any(e in ("b", "base64") for e in enc):
            kinds = prop.param_values("VALUE")
            if kinds and kinds[0].lower() in ("uri", "url"):
                return None
            if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.IGNORECASE):
                return None  # a URL
    value = "".join(value.split())  # the whitespace a folded base64 value holds, at C speed
    if not value:
        return None
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
