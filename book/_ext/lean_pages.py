"""Keep every page light: what the theme ships that the book does not use stays out.

**fontawesome.js.**
The theme loads ``_static/scripts/fontawesome.js`` (1.49 MB) on every page "so that
users can add custom icons": it swaps each ``<i class="fa-...">`` for an inline SVG.
The book adds no custom icons, and the theme's stylesheet already draws every Font
Awesome icon from its web font (``fa-solid-900.woff2``, 156 kB, which the pages load
anyway). Without the script the header icons look the same and the page is 1.49 MB
lighter.

The script tag sits in the theme's ``static/webpack-macros.html``. This extension
copies that file into a template folder that comes before the theme's, with the one
``<script>`` line removed, and stops the build if the line is not found (a theme
upgrade that moved it must be looked at, not silently ignored).

**The search index on every page.** pydata-sphinx-theme's ``layout.html`` loads
``searchtools.js``, ``language_data.js`` and ``searchindex.js`` (70 kB together) on every
page for its search-as-you-type, which the book leaves off (``search_as_you_type`` is
false, and the theme's script then never touches them). The copy of ``layout.html`` in
the same template folder loads them on the search page only, where Sphinx's own
``search.html`` does.

**sphinx-design.** Jupyter Book always loads it; the book uses none of its components,
so its 55 kB stylesheet and its tabs script are left out of every page's head.

**Icons.** The theme's stylesheet defines 1883 Font Awesome icon classes (72 kB) and
draws the dozen the pages use from the 156 kB ``fa-solid-900.woff2``. After the build,
the stylesheet keeps the classes some page uses, and the font is cut to the glyphs that
any stylesheet under ``_static`` names (those classes, the theme's admonition icons),
written as ``fa-solid-900.subset.woff`` (WOFF: fontTools writes it without brotli). The
same sources give the same bytes.
"""

import re
from pathlib import Path

import pydata_sphinx_theme
from sphinx.errors import ExtensionError

MACROS = "static/webpack-macros.html"
FONTAWESOME = re.compile(r"[ \t]*<script[^>]*scripts/fontawesome\.js[^>]*></script>\n")
LAYOUT = "layout.html"
# The else-branch of `{% if pagename == 'search' %}` in the theme's extrahead block.
SEARCH_TOOLS = re.compile(
    r"(\{% else %\}\n)(?:[ \t]*\{#.*?#\}\n)?((?:[ \t]*<script src=\"\{\{ pathto\('"
    r"(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)'[^\n]*\n){3})",
    re.S,
)
UNUSED_ASSETS = ("sphinx-design", "design-tabs")  # sphinx-design's CSS and JS
THEME_CSS = "_static/styles/pydata-sphinx-theme.css"
SOLID = "_static/vendor/fontawesome/webfonts/fa-solid-900"
SUBSET = SOLID + ".subset.woff"
# One icon rule: ".fa-a:before,.fa-b:before{content:"..."}"
ICON_RULE = re.compile(r"(?<=[}\n])((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:\"[^\"]*\"\}")
SOLID_FACE = re.compile(r"src:url\(\.\./vendor/fontawesome/webfonts/fa-solid-900\.woff2\)[^;}]*")
# Codepoints a stylesheet names: escapes such as \f0c9 or \e4ef, or the characters themselves.
GLYPH = re.compile(r"\\([ef][0-9a-f]{3})|([\ue000-\uf8ff])")


def theme_macros():
    """The text of the installed theme's webpack macros."""
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    return (theme / MACROS).read_text(encoding="utf8")


def without_fontawesome(text):
    """``text`` with its one fontawesome.js script tag removed."""
    lean, found = FONTAWESOME.subn("", text)
    if found != 1:
        raise ExtensionError(f"expected one fontawesome.js <script> in {MACROS}, found {found}")
    return lean


def search_tools_on_search_page_only(text):
    """``layout.html`` with the search scripts of its non-search branch removed."""
    lean, found = SEARCH_TOOLS.subn(r"\1", text)
    if found != 1:
        raise ExtensionError(f"expected the search scripts once in {LAYOUT}, found {found}")
    return lean


def _write_templates(app, config):
    templates = Path(app.outdir).parent / ".rnn_lean" / "templates"
    (templates / "static").mkdir(parents=True, exist_ok=True)
    (templates / MACROS).write_text(without_fontawesome(theme_macros()), encoding="utf8")
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    layout = search_tools_on_search_page_only((theme / LAYOUT).read_text(encoding="utf8"))
    # sphinx-book-theme's layout extends "pydata_sphinx_theme/layout.html": this one.
    (templates / "pydata_sphinx_theme").mkdir(exist_ok=True)
    (templates / "pydata_sphinx_theme" / LAYOUT).write_text(layout, encoding="utf8")
    config.templates_path = [str(templates), *config.templates_path]


def _drop_unused_assets(app, pagename, templatename, context, doctree):
    for key in ("css_files", "script_files"):
        if key in context:
            name = lambda f: str(getattr(f, "filename", f))  # noqa: E731
            context[key] = [f for f in context[key] if not any(n in name(f) for n in UNUSED_ASSETS)]


def used_icons(html_dir):
    """The ``fa-*`` class names that appear in the class attributes of the built pages."""
    used = set()
    for page in Path(html_dir).rglob("*.html"):
        for classes in re.findall(r'class="([^"]*)"', page.read_text(encoding="utf8")):
            used.update(c for c in classes.split() if c.startswith("fa-"))
    return used


def prune_icon_rules(css, used, at_least=100):
    r"""``css`` keeping only the icon rules one of whose classes is in ``used``; fewer than
    ``at_least`` icon rules found means the theme changed, and stops the build.

    >>> prune_icon_rules('x{}.fa-a:before,.fa-b:before{content:"\\f001"}.fa-c:before'
    ...                  '{content:"\\f002"}', {"fa-b"}, at_least=2)
    'x{}.fa-a:before,.fa-b:before{content:"\\f001"}'
    """

    def keep(match):
        names = re.findall(r"\.(fa-[a-z0-9-]+):", match.group(1))
        return match.group(0) if used.intersection(names) else ""

    lean, found = ICON_RULE.subn(keep, css)
    if found < at_least:
        raise ExtensionError(f"expected Font Awesome's icon rules in {THEME_CSS}, found {found}")
    return lean


def named_glyphs(css_texts):
    """Every private-use codepoint the stylesheets name, as a sorted list of ints."""
    cps = set()
    for text in css_texts:
        for escape, char in GLYPH.findall(text):
            cps.add(int(escape, 16) if escape else ord(char))
    return sorted(cps)


def _subset_icons(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from fontTools import subset

    out = Path(app.outdir)
    css_path = out / THEME_CSS
    css = prune_icon_rules(css_path.read_text(encoding="utf8"), used_icons(out))
    face = f'src:url(../{Path(SUBSET).relative_to("_static")}) format("woff")'
    css, found = SOLID_FACE.subn(face, css)
    if found != 1:
        raise ExtensionError(f"expected one fa-solid-900 @font-face in {THEME_CSS}, found {found}")
    css_path.write_text(css, encoding="utf8")
    sheets = (out / "_static").rglob("*.css")
    others = [p.read_text(encoding="utf8") for p in sheets if p != css_path]
    options = subset.Options()
    options.flavor, options.layout_features = "woff", []
    font = subset.load_font(str(out / (SOLID + ".ttf")), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=named_glyphs([css, *others]))
    subsetter.subset(font)
    subset.save_font(font, str(out / SUBSET), options)


def setup(app):
    app.connect("config-inited", _write_templates)
    app.connect("html-page-context", _drop_unused_assets)
    app.connect("build-finished", _subset_icons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
