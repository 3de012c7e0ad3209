r"""Every property in a form strict readers accept, losing nothing that carried information.

The reader applies `normalise_properties` to each card it reads (files, the store's own
records, CardDAV downloads), so the card model only ever holds valid properties; the
writer applies it again to whatever it is given, so no export is refused by a strict
reader (vobject, servers, phones) because of one line. Applied twice it changes nothing,
so import → export → import gives the same fields.

The rules:

1. **Names outside the vCard grammar** (RFC 6350 §3.3, RFC 2425 §5.8.2:
   name = 1*(ALPHA / DIGIT / "-")).
   KDE's KAddressBook kept instant-messaging addresses as custom fields named
   `X-messaging/<service>-<context>` (`X-messaging/aim-All`, `X-MESSAGING/TWITTER-ALL`),
   several addresses of a service in one value separated by U+E000. Each address becomes
   one IMPP line (RFC 4770 in 3.0, RFC 6350 in 4.0) in the form today's clients read:

       IMPP;X-SERVICE-TYPE=AIM:aim:johnny5@aol.com

   The URI scheme is the one KDE's own library (kcontacts) writes and reads back (aim,
   icq, xmpp, msn, ymsgr, gg, skype, twitter…); Apple's and Google's address books take
   the service from X-SERVICE-TYPE; a Home or Work context becomes TYPE=home/work.
   Android's built-in importer reads only X-AIM-style lines (and sip: IMPP): an X-AIM
   line a card already has stays as it is.

   Any other name outside the grammar (`X-Foo/Bar`, `X-FOO_BAR`) is kept under a valid
   X- name — upper case, each run of other characters made one '-', `X-` put in front
   when missing — with the name as it was written in an X-NETBOOK-RAW-NAME parameter:

       X-FOO-BAR;X-NETBOOK-RAW-NAME=X-Foo/Bar:value

   A group outside the grammar (`item_1.TEL`) has each run of other characters made '-'.
2. **Escaped colons in URIs.** Apple and programs that copy it write
   `URL:http\://www.example.com`, also in item groups; every client reads it as
   `http://…`. In URI values (URL, SOURCE, FBURL, CALURI, CAPURI, CALADRURI, IMPP,
   MEMBER, X-SOCIALPROFILE) `\:`, `\,` and `\;` become the character itself, which is
   how netbook keeps URLs (Card.set_typed writes them unescaped). The writer puts `\,`
   back for a comma, where readers that take every value as text (vobject) would cut.
3. **What carries no information.** `PROFILE:VCARD` (RFC 2425 §6.1; Lotus Notes writes
   it, and vobject refuses `PROFILE:VCard`) only says that a vCard is a vCard: dropped.
   An empty NAME or SOURCE says nothing: dropped. With a value, both are kept.
"""

from __future__ import annotations

import re

from netbook.data.vcard.card import Property

__all__ = ["RAW_NAME_PARAM", "URI_NAMES", "needs_normalising", "normalise_properties",
           "valid_name"]

RAW_NAME_PARAM = "X-NETBOOK-RAW-NAME"
URI_NAMES = frozenset({"URL", "SOURCE", "FBURL", "CALURI", "CAPURI", "CALADRURI", "IMPP",
                       "MEMBER", "X-SOCIALPROFILE"})
_META = frozenset({"NAME", "SOURCE"})  # dropped when empty

_NAME_OK = re.compile(r"[A-Za-z0-9-]+")
_OTHER = re.compile(r"[^A-Za-z0-9-]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_URI_ESCAPE = re.compile(r"\\([:,;])")
_URI_UNSAFE = re.compile(r'[\x00-\x20"%,;<>\\]')
_KDE_IM_PREFIX = "X-MESSAGING/"
_KDE_SEPARATOR = "\ue000"  # KDE joined several addresses of one service with it

# KDE's service word → (URI scheme as kcontacts writes it, X-SERVICE-TYPE as Apple writes it)
IM_SERVICES = {
    "aim": ("aim", "AIM"),
    "icq": ("icq", "ICQ"),
    "xmpp": ("xmpp", "Jabber"),
    "jabber": ("xmpp", "Jabber"),
    "msn": ("msn", "MSN"),
    "yahoo": ("ymsgr", "Yahoo"),
    "gadu": ("gg", "GaduGadu"),
    "gadugadu": ("gg", "GaduGadu"),
    "skype": ("skype", "Skype"),
    "groupwise": ("groupwise", "GroupWise"),
    "sms": ("sms", "SMS"),
    "meanwhile": ("meanwhile", "Sametime"),
    "irc": ("irc", "IRC"),
    "googletalk": ("googletalk", "GoogleTalk"),
    "gtalk": ("googletalk", "GoogleTalk"),
    "twitter": ("twitter", "Twitter"),
    "facebook": ("facebook", "Facebook"),
    "qq": ("qq", "QQ"),
}

# what a property's name says about the work it may need
_OK, _BAD, _URI, _PROFILE, _EMPTY_META = range(5)
_NAME_KIND: dict[str, int] = {}
_GROUP_OK: dict[str, bool] = {}


def _name_kind(name: str) -> int:
    try:
        return _NAME_KIND[name]
    except KeyError:
        pass
    up = name.upper()
    if not _NAME_OK.fullmatch(name):
        kind = _BAD
    elif up == "PROFILE":
        kind = _PROFILE
    elif up in _META:
        kind = _EMPTY_META if up != "SOURCE" else _URI
    elif up in URI_NAMES:
        kind = _URI
    else:
        kind = _OK
    if len(_NAME_KIND) < 4096:
        _NAME_KIND[name] = kind
    return kind


def _group_ok(group: str) -> bool:
    try:
        return _GROUP_OK[group]
    except KeyError:
        pass
    ok = bool(_NAME_OK.fullmatch(group))
    if len(_GROUP_OK) < 4096:
        _GROUP_OK[group] = ok
    return ok


def needs_normalising(prop: Property) -> bool:
    """Whether `normalise_properties` would change this property (cheap: a dict lookup)."""
    kind = _name_kind(prop.name)
    if kind == _OK:
        return bool(prop.group) and not _group_ok(prop.group)
    if kind == _URI:
        if "\\" in prop.value or (prop.name == "SOURCE" and not prop.value.strip()):
            return True
        return bool(prop.group) and not _group_ok(prop.group)
    if kind == _EMPTY_META:
        return not prop.value.strip() or (bool(prop.group) and not _group_ok(prop.group))
    return True  # _BAD, _PROFILE


def normalise_properties(props: list[Property]) -> list[Property]:
    """The properties in valid form (the module's rules); `props` itself when all are."""
    if not any(needs_normalising(p) for p in props):
        return props
    out: list[Property] = []
    for prop in props:
        if needs_normalising(prop):
            out.extend(_normalised(prop))
        else:
            out.append(prop)
    return out


def valid_name(name: str) -> str:
    """A name in the vCard grammar for one outside it: `X-Foo/Bar` → `X-FOO-BAR`."""
    up = _OTHER.sub("-", name.upper()).strip("-")
    if up in ("", "X"):
        return "X-UNNAMED"
    return up if up.startswith("X-") else "X-" + up


def _normalised(prop: Property) -> list[Property]:
    kind = _name_kind(prop.name)
    if kind == _PROFILE:
        return []
    if prop.name.upper() in _META and not prop.value.strip():
        return []
    group = prop.group if not prop.group or _group_ok(prop.group) else (
        _OTHER.sub("-", prop.group).strip("-") or "item")
    value = prop.value
    if kind == _URI and "\\" in value:
        value = _URI_ESCAPE.sub(r"\1", value)
    if kind != _BAD:
        return [Property(prop.name.upper(), value, list(prop.params), group)]
    impp = _kde_im(prop, group)
    if impp is not None:
        return impp
    params = [(k, v) for k, v in prop.params if k != RAW_NAME_PARAM]
    params.append((RAW_NAME_PARAM, prop.name))
    return [Property(valid_name(prop.name), value, params, group)]


def _kde_im(prop: Property, group: str) -> list[Property] | None:
    """`X-messaging/aim-All:a@b` → [IMPP;X-SERVICE-TYPE=AIM:aim:a@b]; None if not KDE's."""
    if not prop.name.upper().startswith(_KDE_IM_PREFIX):
        return None
    rest = prop.name[len(_KDE_IM_PREFIX):]
    service, dash, context = rest.rpartition("-")
    if not dash:
        service, context = rest, ""
    service = service.lower()
    scheme, service_type = IM_SERVICES.get(service, (service, service))
    if not _SCHEME.fullmatch(scheme):
        return None
    params = [(k, v) for k, v in prop.params if k != "X-SERVICE-TYPE"]
    params.insert(0, ("X-SERVICE-TYPE", service_type))
    context = context.lower()
    if context in ("home", "work") and context not in prop.types():
        params.append(("TYPE", context))
    out = []
    for handle in prop.text.split(_KDE_SEPARATOR):
        handle = handle.strip()
        if not handle:
            continue
        if not handle.lower().startswith(scheme + ":"):
            handle = f"{scheme}:{_URI_UNSAFE.sub(_percent, handle)}"
        out.append(Property("IMPP", handle, list(params), group))
    return out


def _percent(m: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in m.group().encode("utf-8"))
