"""The vCard codec: a tolerant byte-level reader and a strict writer around the Card model.

    read_vcards(data_or_stream, filename)  → ReadResult(cards, errors, file_error)
    iter_vcards(data_or_stream, filename)  → ParsedCard | CardError, streaming
    parse_card_text(text)                  → Card (the store's own clean records)
    write_vcards(cards, version="3.0")     → bytes; write_vcards_to(stream, cards, version)
    card_to_text(card, version=None)       → str
"""

from netbook.data.vcard.card import (
    Address,
    Card,
    NameParts,
    PartialDate,
    Property,
    TypedValue,
    display_label,
    escape_text,
    inline_binary,
    join_structured,
    split_unescaped,
    structured,
    unescape_text,
)
from netbook.data.vcard.reader import (
    CardError,
    ParsedCard,
    ReadResult,
    group_members,
    iter_vcards,
    parse_card_text,
    read_vcards,
)
from netbook.data.vcard.writer import card_to_bytes, card_to_text, write_vcards, write_vcards_to

__all__ = [
    "Address",
    "Card",
    "CardError",
    "NameParts",
    "ParsedCard",
    "PartialDate",
    "Property",
    "ReadResult",
    "TypedValue",
    "card_to_bytes",
    "card_to_text",
    "display_label",
    "escape_text",
    "group_members",
    "inline_binary",
    "iter_vcards",
    "join_structured",
    "parse_card_text",
    "read_vcards",
    "split_unescaped",
    "structured",
    "unescape_text",
    "write_vcards",
    "write_vcards_to",
]
