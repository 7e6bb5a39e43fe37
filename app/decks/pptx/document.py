"""A PowerPoint file (16:9) of slides: one per view, each with its title in words, the comparability warning
and demo label, the presenter's caption, a native chart (app/decks/pptx/chart.py), a footer with the sources,
licence and the view's address, and the same in its speaker notes; then a closing slide with a QR code (the
deck's follow link, or the view's own address)."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from app.components.chart_model import MUTED, TEXT_COLOUR
from app.components.qr import qr_png
from app.components.slide import Slide, grid_words, reference_words
from app.decks.pptx.chart import add_chart
from app.i18n import fmt_ci, fmt_pct, t

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BLANK_LAYOUT = 6  # the default template's blank layout
WARNING_COLOUR = "#8A4600"
DEMO_COLOUR = "#6F42C1"
FOOTER_SIZE = 10


@dataclass(frozen=True)
class Closing:
    """The last slide: a QR code of ``url`` with its heading and caption."""

    heading: str
    caption: str
    url: str


def presentation_bytes(slides: Sequence[tuple[Slide, str]], *, base_url: str, closing: Closing) -> bytes:
    """The PPTX file of ``slides`` ((slide, presenter's caption) pairs, in order); links start with
    ``base_url``."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    for slide, caption in slides:
        _view_slide(deck, slide, caption, base_url.rstrip("/"))
    _closing_slide(deck, closing)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def view_address(slide: Slide, base_url: str) -> str:
    return base_url.rstrip("/") + slide.path


def footer_lines(slide: Slide, base_url: str) -> list[str]:
    """Sources, licence and the view's address, as the footer and the speaker notes carry them."""
    return [*slide.sources.splitlines(), t(slide.lang, "pptx_view_at", url=view_address(slide, base_url))]


def notes_text(slide: Slide, caption: str, base_url: str) -> str:
    """The speaker notes: what the slide says, every value in words, then its sources and address."""
    lang = slide.lang
    lines = [slide.title, slide.subtitle, caption, slide.warning and "⚠ " + slide.warning,
             slide.demo and "◆ " + slide.demo, slide.notice]
    for item in slide.items:
        if item.share is None:
            lines.append(f"{item.full_label}: {item.note}")
            continue
        interval = (f" ({t(lang, 'ci95')} {fmt_ci(item.ci_low, item.ci_high, lang)})"
                    if item.ci_low is not None and item.ci_high is not None else "")
        count = f", n = {item.n_text}" if item.n_text else ""
        lines.append(f"{item.full_label}: {item.value_text or fmt_pct(item.share, lang)}{interval}{count}")
    if slide.reference is not None:
        lines.append(reference_words(slide.reference, lang))
    if slide.grid is not None:
        lines += grid_words(slide.grid, lang, "(n = {n})")
    lines.append(t(lang, "slide_grid_note" if slide.grid is not None else "slide_ci_note"))
    lines += footer_lines(slide, base_url)
    return "\n".join(line for line in lines if line)


def text_height(text: str, size: float, *, bold: bool = False) -> int:
    """The height (EMU) of ``text`` wrapped across the slide at font ``size``: an estimate of about half an em
    per character (a text box has no layout until it is shown)."""
    chars = max(20, int((WIDTH - 2 * MARGIN) / Pt(size) / (0.6 if bold else 0.55)))
    count = sum(len(textwrap.wrap(part, chars)) or 1 for part in text.splitlines())
    return int(Pt(size) * 1.25 * count + Pt(6))


class _Column:
    """Text boxes stacked top to bottom on a slide; ``y`` is where the next one goes (EMU)."""

    def __init__(self, shapes, top: int) -> None:
        self.shapes = shapes
        self.y = top

    def text(self, text: str, *, size: float, colour: str = TEXT_COLOUR, bold: bool = False,
             italic: bool = False) -> None:
        if not text:
            return
        height = text_height(text, size, bold=bold)
        box = self.shapes.add_textbox(MARGIN, Emu(self.y), WIDTH - 2 * MARGIN, Emu(height))
        frame = box.text_frame
        frame.word_wrap = True
        frame.margin_top = frame.margin_bottom = 0
        for index, part in enumerate(text.splitlines()):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = part
            _style(run.font, size, colour, bold=bold, italic=italic)
        self.y += height


def _style(font, size: float, colour: str, *, bold: bool = False, italic: bool = False) -> None:
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())


def _view_slide(deck, slide: Slide, caption: str, base_url: str) -> None:
    page = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    column = _Column(page.shapes, Inches(0.3))
    column.text(slide.title, size=26, bold=True)
    column.text(slide.subtitle, size=14, colour=MUTED)
    column.text(slide.warning and "⚠ " + slide.warning, size=14, colour=WARNING_COLOUR)
    column.text(slide.demo and "◆ " + slide.demo, size=14, colour=DEMO_COLOUR, bold=True)
    column.text(caption, size=16, italic=True)
    lines = footer_lines(slide, base_url)
    keys = [(colour, name) for colour, name in slide.legend]
    note = t(slide.lang, "slide_grid_note" if slide.grid is not None else "slide_ci_note")
    key_line = int(Pt(14) * 1.3)
    footer_top = int(HEIGHT - Inches(0.2) - text_height("\n".join(lines), FOOTER_SIZE)
                     - text_height(note, 12) - key_line * len(keys))
    chart_top = column.y + Inches(0.1)
    if slide.notice:
        column.text(slide.notice, size=20, colour=MUTED)
    else:
        add_chart(page.shapes, slide, MARGIN, chart_top, WIDTH - 2 * MARGIN, footer_top - chart_top)
    column.y = footer_top
    if keys:  # the wave each colour stands for
        legend = page.shapes.add_textbox(MARGIN, Emu(column.y), WIDTH - 2 * MARGIN, Emu(key_line * len(keys)))
        for index, (colour, name) in enumerate(keys):
            paragraph = legend.text_frame.paragraphs[0] if index == 0 else legend.text_frame.add_paragraph()
            square, words = paragraph.add_run(), paragraph.add_run()
            square.text, words.text = "■ ", name
            _style(square.font, 14, colour)
            _style(words.font, 14, TEXT_COLOUR)
        column.y += key_line * len(keys)
    column.text(note, size=12, colour=MUTED)
    column.text("\n".join(lines), size=FOOTER_SIZE, colour=MUTED)
    page.notes_slide.notes_text_frame.text = notes_text(slide, caption, base_url)


def _closing_slide(deck, closing: Closing) -> None:
    page = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    column = _Column(page.shapes, Inches(0.6))
    column.text(closing.heading, size=32, bold=True)
    side = Inches(4)
    page.shapes.add_picture(io.BytesIO(qr_png(closing.url)), int((WIDTH - side) / 2), Inches(1.7), side, side)
    column.y = Inches(5.9)
    column.text(closing.caption, size=20)
    column.text(closing.url, size=18, colour=MUTED)
    for shape in page.shapes:
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                paragraph.alignment = PP_ALIGN.CENTER
    page.notes_slide.notes_text_frame.text = f"{closing.caption}\n{closing.url}"
