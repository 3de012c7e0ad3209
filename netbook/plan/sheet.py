"""The printable weekly call list: the sheet people keep beside the phone and tick off.

Laid out with QPainter and QTextLayout rather than a QTextDocument, for three reasons:
a row (one person) is measured first and never split across pages; every page gets a
footer with "1 / 2"; and names and notes are plain text, never HTML, so `<b>Bob</b>` or
an `<img src=…>` in a note prints literally and loads nothing — there is no markup
to escape because nothing is ever parsed as markup.

Two passes: `_Document` lays every paragraph out once (measure) and paginates; then each
page is painted from those same layouts. The same `render()` paints the PDF (QPdfWriter,
also headless from `netbook week --pdf`) and the window's print preview (QPrinter, in
netbook.ui.call_list). QtGui only, never QtWidgets: the command line draws it too.

The store is only asked for details (the user's region for phone numbers, the kind of
the best phone); `render()` itself takes a `WeekPlan` and a plain `Details`, so the bench
and the tests need no database.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import phonenumbers
from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)

from .. import locale
from ..data.text import isolate
from .planner import PlanItem, WeekPlan
from .wording import (
    OUTCOME_BOXES,
    day_label,
    gift_phrase,
    one_line,
    paper_action,
    week_heading,
    week_range,
)

if TYPE_CHECKING:
    from ..data.contacts import Store

__all__ = [
    "Details",
    "details_for",
    "dial_format",
    "page_layout",
    "page_size_for",
    "render",
    "render_pdf",
    "write_pdf",
]

MARGIN_MM = 15.0
# CLDR's Letter countries; everyone else prints on A4.
LETTER_REGIONS = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "CR", "GT", "NI", "PA", "PR",
                            "SV", "VE", "BZ"})
# Latin, Greek and Cyrillic first, then a CJK font. Noto Sans CJK is last on purpose: it
# maps the Kangxi radicals (U+2F00…) to the same glyphs as 山, 田, 子…, and Qt's PDF
# ToUnicode map then gives back ⼭ for 山, so a copied or searched name would not match.
LATIN_FAMILIES = ("DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Helvetica Neue",
                  "Helvetica", "Segoe UI")
CJK_FAMILIES = ("Droid Sans Fallback", "WenQuanYi Micro Hei", "IPAPGothic", "IPAGothic",
                "Hiragino Sans", "Yu Gothic", "Microsoft YaHei", "Malgun Gothic",
                "Noto Sans CJK JP", "Source Han Sans")
# What the PDF needs on Debian: `apt-get install fonts-dejavu-core fonts-droid-fallback`.
FONT_PACKAGES = ("fonts-dejavu-core", "fonts-droid-fallback")

_INK = QColor(0, 0, 0)
_GREY = QColor(85, 85, 85)
_RULE = QColor(175, 175, 175)


# -- plain helpers ------------------------------------------------------------------


def dial_format(number: str, region: str) -> str:
    """A phone number as you would dial it from `region`: national format for a number
    of the user's own country, international otherwise; as typed when unparsable."""
    typed = " ".join(number.split())
    if not typed:
        return ""
    try:
        parsed = phonenumbers.parse(typed, region or None)
    except phonenumbers.NumberParseException:
        return typed
    if not phonenumbers.is_valid_number(parsed):
        return typed
    own = phonenumbers.region_code_for_number(parsed) == (region or "").upper()
    fmt = phonenumbers.PhoneNumberFormat.NATIONAL if own else \
        phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(parsed, fmt)


def page_size_for(region: str) -> QPageSize.PageSizeId:
    """Letter where people buy Letter paper (US, CA, MX, PH…), else A4."""
    return (QPageSize.PageSizeId.Letter if region.upper() in LETTER_REGIONS
            else QPageSize.PageSizeId.A4)


def page_layout(region: str) -> QPageLayout:
    """Portrait, locale paper, 15 mm margins."""
    return QPageLayout(QPageSize(page_size_for(region)), QPageLayout.Orientation.Portrait,
                       QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                       QPageLayout.Unit.Millimeter)


@dataclass(frozen=True)
class Details:
    """What the sheet needs beyond the plan: the user's country (phone formatting and,
    with no locale country, the paper) and each contact's best-phone kind ('mobile')."""

    region: str = field(default_factory=locale.region)
    phone_labels: Mapping[int, str] = field(default_factory=dict)
    paper_region: str = ""  # '' → the user's region

    @property
    def paper(self) -> str:
        return self.paper_region or self.region


def _phone_label(card, phone: str) -> str:
    for tv in card.phones:
        if tv.value == phone:
            text = tv.type_text.replace("cell", "mobile")
            return " ".join(text.split())
    return ""


def details_for(store: Store | None, plan: WeekPlan) -> Details:
    """Look up the details once, on the caller's (GUI) thread; render needs no store."""
    if store is None:
        return Details(region=locale.region())
    labels: dict[int, str] = {}
    for item in plan.items:
        if not item.phone:
            continue
        try:
            label = _phone_label(store.get_card(item.contact_id), item.phone)
        except Exception:  # a card that no longer parses must not stop the print
            label = ""
        if label:
            labels[item.contact_id] = label
    return Details(region=store.region or locale.region(), phone_labels=labels)


# -- fonts ----------------------------------------------------------------------------


@cache
def font_families() -> tuple[str, ...]:
    """The installed families to try in order, so every script prints as text."""
    installed = set(QFontDatabase.families())
    chosen = [f for f in (*LATIN_FAMILIES, *CJK_FAMILIES) if f in installed]
    if not chosen:
        chosen = [QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()]
    return tuple(chosen)


def _font(points: float, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(list(font_families()))
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setItalic(italic)
    # the same metrics on screen (preview) and in the PDF
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # no ligatures: Qt maps a ligature glyph back to one code point, so "offer" would be
    # copied (and searched) as "oﬀer"
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


@cache
def _bold_covers(text: str) -> bool:
    """Whether the main family's real bold face has every character of `text`.

    A fallback font without a bold face (most CJK fonts) gets a synthetic bold, which
    Qt's PDF engine draws twice, and text extraction then reads the name twice.
    """
    if text.isascii():
        return True
    font = QFont(font_families()[0])
    font.setBold(True)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
    metrics = QFontMetricsF(font)
    return all(ch.isspace() or metrics.inFontUcs4(ord(ch)) for ch in text)


@dataclass(frozen=True)
class _Fonts:
    heading: QFont
    heading_bold: QFont
    name: QFont
    body: QFont
    body_bold: QFont
    small: QFont
    small_bold: QFont
    phone: QFont
    note: QFont

    @classmethod
    def make(cls) -> _Fonts:
        return cls(heading=_font(11.5), heading_bold=_font(11.5, True), name=_font(11, True),
                   body=_font(9.2), body_bold=_font(9.2, True), small=_font(8.2),
                   small_bold=_font(8.2, True), phone=_font(10.5), note=_font(8.2, italic=True))


# -- layout -----------------------------------------------------------------------------


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _Para:
    """One wrapped paragraph, laid out once and drawn later at (x, y) in row coordinates.

    Wraps at word boundaries, or anywhere when a word (a URL, a long name) is wider than
    the column: nothing overflows and nothing is cut.
    """

    __slots__ = ("color", "height", "layout", "lines", "x", "y")

    def __init__(self, device: QPagedPaintDevice, text: str, font: QFont, width: float,
                 x: float, y: float, color: QColor = _INK,
                 spans: Sequence[tuple[int, int, QFont | None, QColor | None]] = ()) -> None:
        if font.bold() and not _bold_covers(text):
            font = QFont(font)
            font.setBold(False)
        layout = QTextLayout(text, font, device)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        if spans:
            ranges = []
            for start, length, span_font, span_color in spans:
                # Qt counts UTF-16 code units: an emoji before a span would shift it
                start, length = _u16(text[:start]), _u16(text[start:start + length])
                fmt = QTextCharFormat()
                if span_font is not None:
                    fmt.setFont(span_font)
                if span_color is not None:
                    fmt.setForeground(span_color)
                rng = QTextLayout.FormatRange()
                rng.start, rng.length, rng.format = start, length, fmt
                ranges.append(rng)
            layout.setFormats(ranges)
        layout.setCacheEnabled(True)
        layout.beginLayout()
        top = 0.0
        lines: list[tuple[float, float]] = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(width, 1.0))
            line.setPosition(QPointF(0.0, top))
            lines.append((y + top, y + top + line.height()))
            top += line.height()
        layout.endLayout()
        self.layout, self.x, self.y, self.height = layout, x, y, top
        self.color, self.lines = color, lines

    def paint(self, painter: QPainter, dx: float, dy: float,
              window: tuple[float, float] | None = None) -> None:
        """Draw at (x + dx, y + dy); with a window (block coordinates), only the lines
        inside it, so a sliced block puts each line in the PDF exactly once."""
        painter.setPen(self.color)
        origin = QPointF(self.x + dx, self.y + dy)
        if window is None:
            self.layout.draw(painter, origin)
            return
        lo, hi = window
        for n, (top, bottom) in enumerate(self.lines):
            if lo - 1e-6 <= top and bottom <= hi + 1e-6:
                self.layout.lineAt(n).draw(painter, origin)


@dataclass
class _Block:
    """A unit the paginator never splits unless it is taller than a whole page: one
    person's row, the empty-week message, or the birthdays footer."""

    height: float
    paras: list[_Para]
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # y, x0, x1
    bullets: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, radius
    boxes: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, size
    tick: tuple[float, float, float] | None = None  # x, y, size
    done: bool = False
    separator: bool = True
    top_rule: bool = False
    pen: float = 1.0

    def cuts(self) -> list[float]:
        """Where an oversized block may be cut: between lines, never through one."""
        spans = sorted(line for p in self.paras for line in p.lines)
        ends = sorted({b for _, b in spans} | {y for y, _, _ in self.rules} | {self.height})
        return [e for e in ends if not any(a < e < b - 1e-6 for a, b in spans)]

    def paint(self, painter: QPainter, width: float, dy: float,
              window: tuple[float, float] | None = None) -> None:
        """Draw with the block's top at `dy`; `window` limits the text to one slice (the
        graphics are clipped by the caller)."""
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.top_rule:
            painter.setPen(QPen(_GREY, self.pen * 0.8))
            painter.drawLine(QPointF(0, dy), QPointF(width, dy))
        if self.tick is not None:
            x, y, size = self.tick
            painter.setPen(QPen(_INK, self.pen))
            painter.drawRect(QRectF(x, y + dy, size, size))
            if self.done:
                painter.setPen(QPen(_INK, self.pen * 1.6))
                painter.drawPolyline([QPointF(x + size * 0.2, y + dy + size * 0.55),
                                      QPointF(x + size * 0.42, y + dy + size * 0.8),
                                      QPointF(x + size * 0.82, y + dy + size * 0.2)])
        for para in self.paras:
            para.paint(painter, 0.0, dy, window)
        if self.boxes:  # the outcome boxes: ticked by hand, read back by Log this week
            painter.setPen(QPen(_GREY, self.pen * 0.8))
            for x, y, size in self.boxes:
                painter.drawRect(QRectF(x, y + dy, size, size))
        if self.bullets:  # drawn, not typed: copied text stays clean
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_GREY)
            for x, y, r in self.bullets:
                painter.drawEllipse(QPointF(x, y + dy), r, r)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.rules:
            painter.setPen(QPen(_RULE, self.pen * 0.7))
            for y, x0, x1 in self.rules:
                painter.drawLine(QPointF(x0, y + dy), QPointF(x1, y + dy))
        if self.separator:
            painter.setPen(QPen(_GREY, self.pen * 0.6))
            painter.drawLine(QPointF(0, self.height + dy), QPointF(width, self.height + dy))


@dataclass
class _Placed:
    block: _Block
    y: float  # on the page, in the body
    start: float = 0.0  # the slice of the block shown (for blocks taller than a page)
    end: float | None = None


class _Document:
    """The whole sheet, measured and paginated for one page size and resolution."""

    def __init__(self, device: QPagedPaintDevice, plan: WeekPlan, details: Details) -> None:
        self.device = device
        self.plan = plan
        self.details = details
        self.mm = device.logicalDpiY() / 25.4
        rect = device.pageLayout().paintRectPixels(device.logicalDpiY())
        self.width = float(rect.width())
        self.height = float(rect.height())
        self.fonts = _Fonts.make()
        mm = self.mm
        self.pen = 0.25 * mm
        self.split = max(55 * mm, self.width * 0.36)
        self.footer_h = 7 * mm
        self.first_header, self.first_header_h = self._header(first=True)
        self.next_header, self.next_header_h = self._header(first=False)
        self.pages: list[list[_Placed]] = []
        self._paginate([self._row(item) for item in plan.items] or [self._empty()])

    # the parts

    def _header(self, first: bool) -> tuple[list[_Para], float]:
        mm, f, w = self.mm, self.fonts, self.width
        heading = week_heading(self.plan)
        if first:
            bold = len("Networking block")
            top = _Para(self.device, heading, f.heading, w, 0, 0,
                        spans=[(0, bold, f.heading_bold, None)])
            done = self.plan.done_count
            hint = ("Tick each person off, mark what happened and the next step, jot down "
                    "what you learn, then log it back in netbook (Log this week).")
            if done:
                hint = f"{done} of {self.plan.planned_count} already done. " + hint
            sub = _Para(self.device, hint, f.small, w, 0, top.height + 0.8 * mm, _GREY)
            return [top, sub], sub.y + sub.height + 3.5 * mm
        text = (f"Networking block · week of "
                f"{week_range(self.plan.week_start, self.plan.week_end)} (continued)")
        line = _Para(self.device, text, f.small, w, 0, 0, _GREY)
        return [line], line.height + 2.5 * mm

    def _row(self, item: PlanItem) -> _Block:
        mm, f, dev = self.mm, self.fonts, self.device
        pad, gap = 2.1 * mm, 0.6 * mm
        tick = 4.2 * mm
        lx = tick + 2.4 * mm
        lw = self.split - lx
        rx = self.split + 4 * mm
        rw = self.width - rx

        left: list[_Para] = []
        y = pad

        def add(col: list[_Para], text: str, font: QFont, x: float, width: float,
                color: QColor = _INK, spans: Sequence = (), before: float = gap) -> _Para:
            nonlocal y
            if col:
                y += before
            para = _Para(dev, text, font, width, x, y, color, spans)
            col.append(para)
            y += para.height
            return para

        # a name's direction characters stay inside it (UAX #9 isolates): "Evil\u202eexe"
        # can't flip the rest of its line
        name = isolate(" ".join(item.name.split())) or "(no name)"
        add(left, name, f.name, lx, lw)
        org = isolate(" ".join(item.organization.split()))
        if org:
            add(left, org, f.small, lx, lw, _GREY, before=0.3 * mm)
        phone = dial_format(item.phone, self.details.region)
        if phone:
            label = self.details.phone_labels.get(item.contact_id, "")
            text = f"{phone}  {label}" if label else phone
            spans = [(len(phone) + 2, len(label), f.small, _GREY)] if label else ()
            add(left, text, f.phone, lx, lw, spans=spans, before=1.2 * mm)
        email = isolate(item.email.strip())
        if email:
            add(left, email, f.small, lx, lw, before=0.5 * mm if phone else 1.2 * mm)
        if not phone and not email:
            add(left, "no phone or email on file", f.note, lx, lw, _GREY, before=1.2 * mm)
        left_h = y

        right: list[_Para] = []
        y = pad
        action = paper_action(item)  # "On Tue 1 Dec: …" for a birthday before the block
        head = f"{action} · {item.minutes} min" if action else f"{item.minutes} min"
        if item.done:
            head += " · done"
        add(right, head, f.body_bold, rx, rw)
        why = isolate(" ".join(item.why.split()))
        if why:
            add(right, f"Why now: {why}", f.body, rx, rw,
                spans=[(0, len("Why now:"), f.body_bold, None)], before=0.5 * mm)
        bullet = 3 * mm
        bullets: list[tuple[float, float, float]] = []
        for point in item.talking_points:
            text = " ".join(point.split())
            if not text:
                continue
            label_end = text.find(": ")
            label_span = [(0, label_end + 1, None, _GREY)] if 0 < label_end < 24 else ()
            start = label_end + 2 if label_span else 0
            text = text[:start] + isolate(text[start:])
            para = add(right, text, f.body, rx + bullet, rw - bullet, spans=label_span,
                       before=0.5 * mm)
            first_line = para.layout.lineAt(0)
            bullets.append((rx + 0.9 * mm, para.y + first_line.ascent() * 0.62, 0.45 * mm))
        if item.gift:
            offer = gift_phrase(item.gift)
            add(right, f"Offer: {offer}", f.body, rx, rw,
                spans=[(0, len("Offer:"), f.body_bold, None)], before=0.5 * mm)
        if item.introduce is not None:  # the week's introduction (issue 13)
            add(right, f"Introduce: {isolate(' '.join(item.introduce.why.split()))}", f.body,
                rx, rw, spans=[(0, len("Introduce:"), f.body_bold, None)], before=0.5 * mm)
        # what happened: boxes to tick (Log this week reads them back in this order) and
        # the next step, on a line with its day
        box = 3.0 * mm
        y += 2.0 * mm
        boxes: list[tuple[float, float, float]] = []
        x = rx
        rules: list[tuple[float, float, float]] = []
        line_h = 0.0
        for label in OUTCOME_BOXES:
            para = _Para(dev, label, f.small, rw, x + box + 1.2 * mm, y, _GREY)
            right.append(para)
            line = para.layout.lineAt(0)
            boxes.append((x, y + (line.height() - box) / 2, box))
            x += box + 1.2 * mm + line.naturalTextWidth() + 4.5 * mm
            line_h = max(line_h, para.height)
        y += line_h + 2.2 * mm  # the next step on a line of its own: room to write it
        step_label = _Para(dev, "Next step:", f.small, rw, rx, y, _GREY)
        right.append(step_label)
        step_x = rx + step_label.layout.lineAt(0).naturalTextWidth() + 1.5 * mm
        by_w = 18 * mm
        by_label = _Para(dev, "by", f.small, rw, self.width - by_w - 5 * mm, y, _GREY)
        right.append(by_label)
        baseline = y + line_h - 0.4 * mm
        if step_x < by_label.x - 3 * mm:
            rules.append((baseline, step_x, by_label.x - 1.5 * mm))
        rules.append((baseline, self.width - by_w, self.width))
        y += line_h
        right_h = y

        # ruled lines for notes beside the left column, and at least three under the text
        step = 5.8 * mm
        first = right_h + step
        count = max(3, math.ceil((left_h + 1.2 * mm - first) / step) + 1)
        rules += [(first + k * step, rx, self.width) for k in range(count)]
        height = max(left_h, rules[-1][0]) + pad
        return _Block(height=height, paras=[*left, *right], rules=rules, bullets=bullets,
                      boxes=boxes, tick=(0.0, pad + 0.4 * mm, tick), done=item.done,
                      pen=self.pen)

    def _empty(self) -> _Block:
        mm = self.mm
        para = _Para(self.device, "Nobody is due this week. Enjoy the hour, or reach out to "
                     "someone you miss.", self.fonts.body, self.width, 0, 3 * mm, _GREY)
        return _Block(height=para.height + 6 * mm, paras=[para], pen=self.pen)

    def _birthdays(self) -> _Block | None:
        if not self.plan.also_birthdays:
            return None
        who = ", ".join(f"{isolate(one_line(name))} ({day_label(on)})"
                        for name, on in self.plan.also_birthdays)
        label = "Also this week: birthdays"
        para = _Para(self.device, f"{label} — {who}", self.fonts.body, self.width, 0,
                     1.8 * self.mm, spans=[(0, len(label), self.fonts.body_bold, None)])
        return _Block(height=para.y + para.height + 0.5 * self.mm, paras=[para],
                      separator=False, top_rule=True, pen=self.pen)

    # pagination

    def _body(self, page: int) -> float:
        header = self.first_header_h if page == 0 else self.next_header_h
        return self.height - header - self.footer_h

    def _paginate(self, blocks: list[_Block]) -> None:
        pages: list[list[_Placed]] = [[]]
        y = 0.0
        for block in blocks:
            if y + block.height <= self._body(len(pages) - 1):
                pages[-1].append(_Placed(block, y))
                y += block.height
                continue
            if pages[-1]:  # a row never splits: it starts the next page
                pages.append([])
                y = 0.0
            if block.height <= self._body(len(pages) - 1):
                pages[-1].append(_Placed(block, 0.0))
                y = block.height
                continue
            # taller than a whole page (a huge name or note): sliced between its lines
            start, cuts = 0.0, block.cuts()
            while True:
                body = self._body(len(pages) - 1)
                fits = [c for c in cuts if start < c <= start + body]
                end = max(fits) if fits else min(start + body, block.height)
                pages[-1].append(_Placed(block, 0.0, start, end))
                y = end - start
                start = end
                if start >= block.height - 1e-6:
                    break
                pages.append([])
        footer = self._birthdays()
        if footer is not None:
            if y + footer.height > self._body(len(pages) - 1):
                pages.append([])
            body = self._body(len(pages) - 1)
            pages[-1].append(_Placed(footer, body - footer.height))
        self.pages = pages

    # painting

    def paint_page(self, painter: QPainter, index: int) -> None:
        header = self.first_header if index == 0 else self.next_header
        header_h = self.first_header_h if index == 0 else self.next_header_h
        for para in header:
            para.paint(painter, 0.0, 0.0)
        if index == 0:
            painter.setPen(QPen(_INK, self.pen * 1.6))
            rule_y = header_h - 1.6 * self.mm
            painter.drawLine(QPointF(0, rule_y), QPointF(self.width, rule_y))
        for placed in self.pages[index]:
            top = header_h + placed.y
            if placed.end is None:
                placed.block.paint(painter, self.width, top)
                continue
            painter.save()
            painter.setClipRect(QRectF(-self.mm, top - self.mm, self.width + 2 * self.mm,
                                       placed.end - placed.start + 2 * self.mm))
            placed.block.paint(painter, self.width, top - placed.start,
                               (placed.start, placed.end))
            painter.restore()
        self._footer(painter, index)

    def _footer(self, painter: QPainter, index: int) -> None:
        f = self.fonts.small
        y = self.height - self.footer_h + 2.5 * self.mm
        number = _Para(self.device, f"{index + 1} / {len(self.pages)}", f, self.width / 3,
                       0, 0, _GREY)
        line = number.layout.lineAt(0)
        number.paint(painter, self.width - line.naturalTextWidth(), y)
        brand = _Para(self.device, "netbook", f, self.width / 3, 0, 0, _GREY)
        brand.paint(painter, 0.0, y)


def render(device: QPagedPaintDevice, plan: WeekPlan, details: Details | None = None,
           painter: QPainter | None = None) -> int:
    """Paint the call list on a PDF writer or printer; returns the number of pages."""
    doc = _Document(device, plan, details or Details())
    own = painter is None
    if own:
        painter = QPainter()
        if not painter.begin(device):
            raise OSError("could not start the PDF or the printer")
    assert painter is not None
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    try:
        for index in range(len(doc.pages)):
            if index:
                device.newPage()
            doc.paint_page(painter, index)
    finally:
        if own:
            painter.end()
    return len(doc.pages)


# -- PDF -----------------------------------------------------------------------------

_APP: QGuiApplication | None = None


def ensure_gui_app() -> None:
    """Fonts need a QGuiApplication; headless (no display), use the offscreen platform."""
    global _APP
    app = QGuiApplication.instance()
    if app is not None:
        if not isinstance(app, QGuiApplication):
            raise RuntimeError("the call list needs a QGuiApplication, not a QCoreApplication")
        return
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _APP = QGuiApplication([sys.argv[0] if sys.argv else "netbook"])


def render_pdf(plan: WeekPlan, path: Path, details: Details | None = None) -> int:
    """Write the PDF (atomically: a failed render leaves no half file); returns pages.

    Needs no store and no GUI thread: `save_pdf` runs it on a worker thread.
    """
    ensure_gui_app()
    details = details or Details()
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".netbook-", suffix=".pdf", dir=path.parent)
    os.close(fd)
    try:
        writer = QPdfWriter(tmp)
        writer.setCreator("netbook")
        writer.setTitle(week_heading(plan))
        writer.setResolution(600)
        writer.setPageLayout(page_layout(details.paper))
        pages = render(writer, plan, details)
        del writer  # flushes and closes the file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return pages


def write_pdf(store: Store | None, plan: WeekPlan, path: Path,
              details: Details | None = None) -> int:
    """`netbook week --pdf FILE`: the call list as PDF, headless; returns the page count."""
    ensure_gui_app()
    return render_pdf(plan, path, details or details_for(store, plan))


