"""Report fonts: bundled, registered once, picked per run of text, shaped where a script asks."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

__all__ = [
    "ARABIC_FONT",
    "BENGALI_FONT",
    "BOLD_FONT",
    "DEFAULT_FONT",
    "ELLIPSIS",
    "ETHIOPIC_FONT",
    "ITALIC_FONT",
    "ensure_fonts",
    "fit_text",
    "font_runs",
    "fonts_dir",
    "in_default_font",
    "markup",
    "needs_shaping",
    "shaping_available",
    "text_width",
]


# --- fonts ---------------------------------------------------------------------------------

DEFAULT_FONT = "DejaVuSans"
"""Latin (Polish, Turkish, Vietnamese, Somali...), Greek, Cyrillic and symbols."""
BOLD_FONT = "DejaVuSans-Bold"
ITALIC_FONT = "DejaVuSans-Oblique"
ETHIOPIC_FONT = "NotoSansEthiopic"
BENGALI_FONT = "NotoSansBengali"
ARABIC_FONT = "NotoSansArabic"

_FONT_FILES: dict[str, str] = {
    DEFAULT_FONT: "DejaVuSans.ttf",
    BOLD_FONT: "DejaVuSans-Bold.ttf",
    ITALIC_FONT: "DejaVuSans-Oblique.ttf",
    ETHIOPIC_FONT: "NotoSansEthiopic-Regular.ttf",
    f"{ETHIOPIC_FONT}-Bold": "NotoSansEthiopic-Bold.ttf",
    BENGALI_FONT: "NotoSansBengali-Regular.ttf",
    f"{BENGALI_FONT}-Bold": "NotoSansBengali-Bold.ttf",
    ARABIC_FONT: "NotoSansArabic-Regular.ttf",
    f"{ARABIC_FONT}-Bold": "NotoSansArabic-Bold.ttf",
}

# family -> (normal, bold, italic, bold italic); the Noto fonts have no italic: upright is used.
_FAMILIES: dict[str, tuple[str, str, str, str]] = {
    DEFAULT_FONT: (DEFAULT_FONT, BOLD_FONT, ITALIC_FONT, BOLD_FONT),
    **{
        name: (name, f"{name}-Bold", name, f"{name}-Bold")
        for name in (ETHIOPIC_FONT, BENGALI_FONT, ARABIC_FONT)
    },
}

# Scripts that need shaping (conjuncts, vowel signs, joining forms); uharfbuzz does it.
_SHAPED_FAMILIES = frozenset({BENGALI_FONT, ARABIC_FONT})

# Unicode blocks of the scripts DejaVu Sans lacks, and the font that covers each.
_SCRIPT_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0600, 0x06FF, ARABIC_FONT),
    (0x0750, 0x077F, ARABIC_FONT),  # Arabic Supplement
    (0x0870, 0x08FF, ARABIC_FONT),  # Arabic Extended-A/B
    (0x0980, 0x09FF, BENGALI_FONT),
    (0x1200, 0x139F, ETHIOPIC_FONT),  # Ethiopic + Supplement
    (0x2D80, 0x2DDF, ETHIOPIC_FONT),  # Ethiopic Extended
    (0xAB00, 0xAB2F, ETHIOPIC_FONT),  # Ethiopic Extended-A
    (0xFB50, 0xFDFF, ARABIC_FONT),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFE, ARABIC_FONT),  # Arabic Presentation Forms-B
    (0x1E7E0, 0x1E7FF, ETHIOPIC_FONT),  # Ethiopic Extended-B
)


def _char_class(fonts: Iterable[str]) -> re.Pattern[str]:
    wanted = set(fonts)
    ranges = "".join(
        f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        for lo, hi, font in _SCRIPT_BLOCKS
        if font in wanted
    )
    return re.compile(f"[{ranges}]")


_OTHER_SCRIPT = _char_class(_FAMILIES)
_SHAPED_SCRIPT = _char_class(_SHAPED_FAMILIES)
_ARABIC_SCRIPT = _char_class({ARABIC_FONT})

_lock = threading.Lock()
_registered = False
_cmaps: dict[str, dict[int, int]] = {}


def _assets_dir() -> Path:
    """The folder holding `fonts/`: desta_tui.paths when it is there, else next to the package."""
    try:
        from desta_tui.paths import assets_dir
    except ImportError:
        here = Path(__file__).resolve()
        for candidate in (here.parents[2] / "assets", here.parents[1] / "assets"):
            if (candidate / "fonts").is_dir():
                return candidate
        return here.parents[2] / "assets"
    return assets_dir()


def fonts_dir() -> Path:
    """The folder of the bundled TrueType fonts."""
    return _assets_dir() / "fonts"


def ensure_fonts() -> None:
    """Register the bundled fonts and their families with reportlab, once per process.

    Cheap after the first call. Every font is a TrueType font embedded as a subset. All are
    registered as shapable; a paragraph is shaped only when its style says `shaping=1`
    (see `style_for_text`), so Latin-only paragraphs skip HarfBuzz and stay fast.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        folder = fonts_dir()
        for name, filename in _FONT_FILES.items():
            path = folder / filename
            if not path.is_file():
                raise FileNotFoundError(f"report font missing: {path}")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        for family, (normal, bold, italic, bold_italic) in _FAMILIES.items():
            pdfmetrics.registerFontFamily(
                family, normal=normal, bold=bold, italic=italic, boldItalic=bold_italic
            )
        for family in _FAMILIES:
            _cmaps[family] = pdfmetrics.getFont(family).face.charToGlyph
        _install_shaping_fix()
        _registered = True


_SHAPING_FEATURES = {"kern": True, "liga": True}
"""HarfBuzz features: kerning and standard ligatures. reportlab's default also turns on `dlig`
(discretionary ligatures), which made DejaVu print "Trust" with an `st` ligature."""


_UNSHAPED_NAMES = frozenset(
    name for name in _FONT_FILES if name.removesuffix("-Bold") not in _SHAPED_FAMILIES
)
"""Our fonts that need no shaping (DejaVu Sans, Noto Sans Ethiopic): left to reportlab's
plain drawing even inside a shaped paragraph."""


def _install_shaping_fix() -> None:
    """Shape only the Bengali and Arabic pieces of a word, each with its own font.

    reportlab 5.1's `shapeFragWord` hands a whole word to HarfBuzz with the font of its first
    fragment, so in a shaped paragraph `বাংলাদেশ-UK` printed `UK` as empty boxes (Latin glyph
    ids looked up in the Bengali font), and it shapes Latin words too, with discretionary
    ligatures on. The wrapper put in its place in `reportlab.platypus.paragraph` splits a
    word into same-font pieces, shapes the Bengali/Arabic pieces with reportlab's own
    function, leaves DejaVu and Ethiopic pieces as they are, and shapes pieces in any font
    not ours exactly as reportlab would.
    """
    from reportlab.platypus import paragraph

    original = ttfonts.shapeFragWord
    if getattr(paragraph.shapeFragWord, "_desta_by_font", False) or ttfonts.uharfbuzz is None:
        return

    def shape_by_font(word, features=None, force=False):
        if isinstance(word, ttfonts.ShapedFragWord):
            return word

        def shape(name, piece):
            if name in _UNSHAPED_NAMES:
                return piece
            if name in _FONT_FILES:
                return original(piece, features=features or _SHAPING_FEATURES, force=force)
            return (
                original(piece, force=force)
                if features is None
                else original(piece, features=features, force=force)
            )

        groups: list[list] = []
        for piece in word[1:]:
            frag = piece[0]
            name = None if hasattr(frag, "cbDefn") else frag.fontName
            if groups and (name is None or groups[-1][0] == name):
                groups[-1][1].append(piece)
            else:
                groups.append([name, [piece]])
        if len(groups) == 1:
            return shape(groups[0][0], word)
        width = 0.0
        joined: list = []
        changed = False
        for name, group in groups:
            group_width = sum(
                getattr(f, "width", 0)
                if hasattr(f, "cbDefn")
                else pdfmetrics.stringWidth(text, f.fontName, f.fontSize)
                for f, text in group
            )
            sub = [group_width, *group]
            shaped = shape(name, sub)
            changed = changed or shaped is not sub
            width += shaped[0]
            joined.extend(shaped[1:])
        if not changed:
            return word
        return ttfonts.makeShapedFragWord(word)([width, *joined])

    shape_by_font._desta_by_font = True  # type: ignore[attr-defined]
    paragraph.shapeFragWord = shape_by_font


def shaping_available() -> bool:
    """True when reportlab can shape text (uharfbuzz is installed)."""
    return ttfonts.uharfbuzz is not None


def needs_shaping(text: str) -> bool:
    """True when `text` holds Bengali or Arabic and shaping can be done."""
    return bool(_SHAPED_SCRIPT.search(text)) and shaping_available()


def _strong_font(ch: str) -> str | None:
    """The font a character's script demands, or None for spaces, punctuation, digits, marks."""
    code = ord(ch)
    if code >= 0x0600:
        for lo, hi, font in _SCRIPT_BLOCKS:
            if lo <= code <= hi:
                return font
    if unicodedata.category(ch)[0] == "L":
        return DEFAULT_FONT
    return None


def font_runs(text: str) -> list[tuple[str, str]]:
    """Split `text` into (font name, chunk) runs: each chunk printable in its font.

    DejaVu Sans for Latin, Greek, Cyrillic and everything else; Noto Sans Ethiopic, Bengali
    and Arabic for their scripts. Spaces, punctuation, digits and combining marks stay with the
    script of their word (so `(বাংলা)` is one run), when that font has the glyph.
    """
    if not text:
        return []
    if not _OTHER_SCRIPT.search(text):
        return [(DEFAULT_FONT, text)]
    ensure_fonts()
    strong = [_strong_font(ch) for ch in text]
    n = len(text)
    # the nearest strong font before/after each position, and whether a space lies between
    prev: list[tuple[str | None, bool]] = [(None, False)] * n
    last: str | None = None
    spaced = False
    for i, ch in enumerate(text):
        prev[i] = (last, spaced)
        if strong[i]:
            last, spaced = strong[i], False
        elif ch.isspace():
            spaced = True
    nxt: list[tuple[str | None, bool]] = [(None, False)] * n
    last, spaced = None, False
    for i in range(n - 1, -1, -1):
        nxt[i] = (last, spaced)
        if strong[i]:
            last, spaced = strong[i], False
        elif text[i].isspace():
            spaced = True

    def covers(font: str | None, code: int) -> bool:
        return font is not None and code in _cmaps[font]

    fonts: list[str] = []
    for i, ch in enumerate(text):
        font = strong[i]
        if font is None:
            code = ord(ch)
            (before, gap_before), (after, gap_after) = prev[i], nxt[i]
            if ch.isspace():
                order = (before, after)
            else:
                # prefer a strong neighbour inside the same word: keeps words in one font
                order = (
                    before if not gap_before else None,
                    after if not gap_after else None,
                    before,
                    after,
                )
            font = next((f for f in order if covers(f, code)), DEFAULT_FONT)
            if font == ARABIC_FONT and before != after:
                # right-to-left: a neutral joins an Arabic run only between Arabic letters (or
                # at the text's edge), else `abc-عربي` would move its hyphen into the Arabic
                other = after if before == ARABIC_FONT else before
                if other is not None and covers(other, code):
                    font = other
        fonts.append(font)
    runs: list[tuple[str, str]] = []
    start = 0
    for i in range(1, n + 1):
        if i == n or fonts[i] != fonts[start]:
            runs.append((fonts[start], text[start:i]))
            start = i
    return runs


def _visual_arabic(chunk: str) -> str:
    """Put the words of an Arabic run in right-to-left order.

    reportlab's own bidi support needs `rlbidi`, which is not on PyPI; HarfBuzz shapes each word
    (joining forms, right-to-left glyph order) but the words would still run left to right.
    Reversing the words of a run gives the right reading for names and short phrases; a run
    that wraps over several lines reads its lines bottom-up, a known limit.
    """
    parts = re.split(r"(\s+)", chunk)
    return "".join(reversed(parts))


def markup(text: str, bold: bool = False) -> str:
    """Paragraph markup for plain `text`: escaped, each non-DejaVu run in its own font.

    `R&D`, `a<b` and `<b>x</b>` print exactly as typed. A newline becomes a line break.
    With `bold`, the whole text is bold (the Noto runs use their bold fonts: reportlab's
    `<font name=...>` would otherwise drop the bold of an enclosing `<b>` or bold style).
    """
    if text is None:
        return ""
    text = str(text)
    shaping = needs_shaping(text)
    parts: list[str] = []
    for font, chunk in font_runs(text):
        if font == ARABIC_FONT and shaping:
            chunk = _visual_arabic(chunk)
        escaped = escape(chunk).replace("\r\n", "\n").replace("\n", "<br/>")
        if font == DEFAULT_FONT:
            parts.append(escaped)
        else:
            name = f"{font}-Bold" if bold else font
            parts.append(f'<font name="{name}">{escaped}</font>')
    body = "".join(parts)
    return f"<b>{body}</b>" if bold and body else body


def in_default_font(text: str) -> bool:
    """True when DejaVu Sans prints all of `text` (no Ethiopic, Bengali or Arabic in it)."""
    return not _OTHER_SCRIPT.search(text)


@functools.lru_cache(maxsize=16384)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of `text` printed in `size`, summed over its font runs (unshaped).

    Remembered: table columns repeat the same words, dates and figures row after row.
    """
    ensure_fonts()
    width = 0.0
    for font, chunk in font_runs(text):
        name = _FAMILIES[font][1] if bold else font
        width += pdfmetrics.stringWidth(chunk, name, size)
    return width


ELLIPSIS = "…"


def fit_text(text: str, width: float, size: float, bold: bool = False) -> str:
    """`text` as it fits on one line `width` points wide: whole, or cut at a word's end where
    one is near (else mid-word) and ended with an ellipsis. Lines become spaces."""
    text = " ".join(str(text).split())
    if text_width(text, size, bold) <= width:
        return text
    room = width - text_width(ELLIPSIS, size, bold)
    low, high = 0, len(text)
    while low < high:  # the longest start that fits
        middle = (low + high + 1) // 2
        if text_width(text[:middle], size, bold) <= room:
            low = middle
        else:
            high = middle - 1
    cut = text[:low]
    head = cut.rsplit(" ", 1)[0]
    if " " in cut and len(head) >= low * 3 // 4:
        cut = head
    return cut.rstrip(" ,;:-") + ELLIPSIS
