"""Photos: a small thumbnail for the list, and a sane size for a photo set from a file.

Pillow reads only the header before we decide, and JPEG "draft" mode decodes straight to
a reduced scale, so a huge photo costs bounded memory and time or is refused in words.
"""

from __future__ import annotations

import io
import re
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow itself is imported by the first photo (13 ms a command)
    from PIL import Image

THUMB_SIZE = 64
PHOTO_MAX_SIDE = 720
MAX_PIXELS = 60_000_000


class PhotoError(ValueError):
    """A file that can't be a contact's photo; the message says why, in words."""


def _too_large(width: int, height: int) -> PhotoError:
    return PhotoError(
        f"the image is too large ({width}×{height} pixels); "
        f"choose one under {MAX_PIXELS // 1_000_000} megapixels"
    )


def _open(data: bytes, box: int) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img: Image.Image = Image.open(io.BytesIO(data))
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise _too_large(width, height)
            if img.format == "JPEG":
                img.draft("RGB", (box, box))  # decode straight at a reduced scale
            img.load()
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow refuses before it tells the size; its message says how many pixels
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f" ({int(found.group(1)) // 1_000_000} megapixels)" if found else ""
        raise PhotoError(f"the image is too large{size}; choose one under "
                         f"{MAX_PIXELS // 1_000_000} megapixels") from None
    except UnidentifiedImageError:
        raise PhotoError("the file is not an image netbook can read") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise PhotoError(f"the image is damaged ({exc})") from None
    if img.mode not in ("RGB", "RGBA"):
        img = img.convert("RGBA" if "A" in img.getbands() or img.mode == "P" else "RGB")
    return img


def make_thumbnail(data: bytes) -> bytes:
    img = _open(data, THUMB_SIZE * 2)
    img.thumbnail((THUMB_SIZE, THUMB_SIZE))
    out = io.BytesIO()
    img.save(out, "PNG", optimize=False)
    return out.getvalue()


def thumbnail_or_none(data: bytes | None) -> bytes | None:
    """For imports: a photo we can't read is no reason to refuse the contact."""
    if not data:
        return None
    try:
        return make_thumbnail(data)
    except PhotoError:
        return None


def photo_from_file_bytes(data: bytes) -> tuple[bytes, str]:
    """Scale a chosen picture to a phone-sized JPEG for the vCard; (bytes, mime)."""
    from PIL import Image

    img = _open(data, PHOTO_MAX_SIDE)
    img.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    if img.mode == "RGBA":
        background = Image.new("RGB", img.size, "white")
        background.paste(img, mask=img.getchannel("A"))
        img = background
    out = io.BytesIO()
    img.save(out, "JPEG", quality=88)
    return out.getvalue(), "image/jpeg"
