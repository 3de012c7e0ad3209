"""Photos: a thumbnail for the list, a phone-sized picture from a file, and a refusal in
words for anything that is not a picture netbook can take."""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from helpers import make_card
from PIL import Image

from netbook.data.photos import (
    PHOTO_MAX_SIDE,
    THUMB_SIZE,
    PhotoError,
    make_thumbnail,
    photo_from_file_bytes,
    thumbnail_or_none,
)


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims to be width×height: a few dozen bytes, no real pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def picture(width: int, height: int, fmt: str = "JPEG", mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "red").save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("convert", [make_thumbnail, photo_from_file_bytes])
@pytest.mark.parametrize("data, words", [
    (png_header(30000, 30000), "too large (900 megapixels)"),
    (png_header(9000, 8000), "too large (9000×8000 pixels)"),
    (os.urandom(4096), "not an image"),
    (b"", "not an image"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an image"),
    (png_header(100, 100), "damaged"),
    (picture(50, 50)[:200], "damaged"),
], ids=["30000x30000", "72-megapixels", "random-bytes", "empty", "svg", "no-pixels",
        "truncated"])
def test_what_cannot_be_a_photo_is_refused_in_words(convert, data, words):
    with pytest.raises(PhotoError) as err:
        convert(data)
    message = str(err.value)
    assert words in message
    assert "Traceback" not in message and "\n" not in message


def test_a_thumbnail_is_small_whatever_the_picture(tmp_path):
    for data in (picture(3000, 1000), picture(10, 20, "PNG", "RGBA"), picture(40, 40, "GIF",
                                                                               "P")):
        thumb = Image.open(io.BytesIO(make_thumbnail(data)))
        assert thumb.format == "PNG"
        assert max(thumb.size) <= THUMB_SIZE


def test_a_chosen_picture_becomes_a_phone_sized_jpeg():
    data, mime = photo_from_file_bytes(picture(4000, 2000, "PNG", "RGBA"))
    assert mime == "image/jpeg"
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG" and max(img.size) == PHOTO_MAX_SIDE


def test_an_unreadable_photo_in_a_card_is_no_reason_to_refuse_the_contact():
    assert thumbnail_or_none(os.urandom(100)) is None
    assert thumbnail_or_none(png_header(30000, 30000)) is None
    assert thumbnail_or_none(None) is None


def test_a_contact_with_a_photo_shows_a_thumbnail_and_loses_it_with_the_photo(store):
    card = make_card("Pic Pam")
    card.set_photo(*photo_from_file_bytes(picture(800, 600)))
    cid = store.add_contact(card)
    [row] = store.list_rows()
    assert row.has_photo
    thumb = store.thumbnails([cid])[cid]
    assert max(Image.open(io.BytesIO(thumb)).size) <= THUMB_SIZE

    card = store.get_card(cid)
    card.set_text("TITLE", "still the same photo")
    store.save_card(cid, card)
    assert store.thumbnails([cid])[cid] == thumb

    card.set_photo(None)
    store.save_card(cid, card)
    assert store.list_rows()[0].has_photo is False
    assert store.thumbnails([cid]) == {}
