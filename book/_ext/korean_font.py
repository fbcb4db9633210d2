"""A Korean font served with the Korean edition, for readers whose system has none.

The pages name the reader's own fonts, and a system without a Korean font would show
Korean as boxes, offline with no way to fetch one. So the Korean build serves a font of
its own: when the build has finished, Noto Sans CJK KR (Debian's fonts-noto-cjk, which
`make book` installs; SIL Open Font License) is cut to the Hangul and CJK characters that
some built page holds (prose, captions, alt text, the slider figures' data) and written
as ``_static/rnn-korean.woff`` with its license beside it.

``_static/rnn_korean_font.css`` declares it as the family "RNN Korean", for those
characters only (``unicode-range``), and tries installed fonts first (``local()``): a
reader who has Noto Sans CJK KR, Malgun Gothic, Apple SD Gothic Neo or Nanum Gothic
downloads nothing. The family comes before the theme's generic ``sans-serif`` in the
page text and in the slider figures' SVG text, so Latin letters keep the theme's font.
The same pages give the same characters, and so the same file.
"""

from pathlib import Path

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FACE = "Noto Sans CJK KR"  # the collection's face used (its Hangul and Han glyphs)
LICENSE = Path("/usr/share/doc/fonts-noto-cjk/copyright")
FONT, SHEET = "rnn-korean.woff", "rnn_korean_font.css"  # in _static
# Hangul syllables and jamo, CJK punctuation and symbols, Han, full-width forms.
RANGES = ((0x1100, 0x11FF), (0x3000, 0x303F), (0x3130, 0x318F), (0x4E00, 0x9FFF),
          (0xAC00, 0xD7A3), (0xFF00, 0xFFEF))  # fmt: skip
LOCAL = ("Noto Sans CJK KR", "NotoSansCJKkr-Regular", "Noto Sans KR", "Malgun Gothic",
         "Apple SD Gothic Neo", "NanumGothic", "Nanum Gothic")  # fmt: skip

CSS = """\
/* Written by book/_ext/korean_font.py: a Korean font for systems that have none. */
@font-face {{
  font-family: "RNN Korean";
  src: {sources};
  font-display: swap;
  unicode-range: {ranges};
}}
html[lang="ko"] {{
  --pst-font-family-base: "RNN Korean", var(--pst-font-family-base-system);
  --pst-font-family-heading: "RNN Korean", var(--pst-font-family-base-system);
}}
html[lang="ko"] .rnnfig svg {{ font-family: "RNN Korean", sans-serif; }}
"""


def korean_characters(html_dir):
    """The sorted code points, in :data:`RANGES`, of every built page under ``html_dir``."""
    found = set()
    for page in Path(html_dir).rglob("*.html"):
        found.update(ord(c) for c in page.read_text(encoding="utf8") if ord(c) >= 0x1100)
    return sorted(c for c in found if any(lo <= c <= hi for lo, hi in RANGES))


def unicode_range():
    """The CSS ``unicode-range`` of :data:`RANGES`.

    >>> unicode_range().split(", ")[:2]
    ['U+1100-11FF', 'U+3000-303F']
    """
    return ", ".join(f"U+{lo:04X}-{hi:04X}" for lo, hi in RANGES)


def _face_number(path):
    from fontTools.ttLib import TTCollection

    names = [f["name"].getDebugName(1) for f in TTCollection(str(path), lazy=True).fonts]
    return names.index(FACE)


def write_font(codepoints, target, source=SOURCE):
    """Noto Sans CJK KR cut to ``codepoints``, as WOFF (zlib; no brotli here), at ``target``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), fontNumber=_face_number(source), lazy=True)
    options = subset.Options()
    options.flavor, options.layout_features, options.hinting = "woff", ["*"], False
    options.desubroutinize = True  # smaller once compressed
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    font.flavor = "woff"
    font.save(str(target), reorderTables=True)


def _write(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir, "_static")
    codepoints = korean_characters(app.outdir)
    write_font(codepoints, static / FONT)
    if LICENSE.is_file():
        (static / "rnn-korean-font-LICENSE.txt").write_bytes(LICENSE.read_bytes())
    sources = ", ".join([*(f'local("{name}")' for name in LOCAL), f'url("{FONT}") format("woff")'])
    (static / SHEET).write_text(CSS.format(sources=sources, ranges=unicode_range()), "utf8")


def _check_source(app, config):
    if not SOURCE.is_file():
        from sphinx.errors import ExtensionError

        raise ExtensionError(f"{SOURCE} is missing: install fonts-noto-cjk (make fonts)")


def setup(app):
    app.connect("config-inited", _check_source)
    app.add_css_file(SHEET, priority=960)  # after the theme's, reader.css and editions.py's
    app.connect("build-finished", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
