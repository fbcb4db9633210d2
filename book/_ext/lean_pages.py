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

**Unused rules.** The theme's stylesheets (pydata-sphinx-theme's holds all of Bootstrap)
are then cut to the rules whose selectors need only classes that some built page uses
or some script under ``_static`` spells out (:func:`purge`; ``:not()``, ``:is()`` and
``:where()`` arguments count as optional, and Bootstrap's generated class names stay):
pydata-sphinx-theme.css goes from 311 kB to about 130 kB.
"""

import os
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
    # Relative to the config folder, so that .buildinfo's hash of the configuration
    # does not depend on where the book is checked out.
    config.templates_path = [os.path.relpath(templates, app.confdir), *config.templates_path]


def _unused(asset):
    return any(n in str(getattr(asset, "filename", asset)) for n in UNUSED_ASSETS)


def _drop_unused_assets(app, pagename, templatename, context, doctree):
    for key in ("css_files", "script_files"):
        if key in context:
            name = lambda f: str(getattr(f, "filename", f))  # noqa: E731
            # in place: extensions later in the event add files to this same list
            context[key][:] = [
                f for f in context[key] if not any(n in name(f) for n in UNUSED_ASSETS)
            ]


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


_TOKEN = re.compile(r"-?[A-Za-z_][\w-]*")
# A class may begin with a hyphen: myst-nb's ANSI colours are .-Color-Red and the like
# (2,100 rules, 35 kB, that only a coloured traceback would use).
_CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
# Classes that Bootstrap's script builds from parts ("bs-" + name + "-auto") or adds to
# elements it makes: their rules stay whatever the pages and scripts spell out.
KEEP_PREFIXES = (
    "bs-", "tooltip", "popover", "modal", "dropdown", "collaps", "offcanvas", "show", "fade",
    "active", "disabled",
)  # fmt: skip
_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _split_top(text, sep):
    """Split at ``sep`` outside parentheses and brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def _strip_optional(selector):
    """Drop :not(), :is(), :where() arguments: a class there is not required."""
    out, i = [], 0
    while i < len(selector):
        m = re.match(r":(not|is|where)\(", selector[i:])
        if m:
            depth, j = 1, i + len(m.group(0))
            while j < len(selector) and depth:
                depth += {"(": 1, ")": -1}.get(selector[j], 0)
                j += 1
            i = j
            continue
        out.append(selector[i])
        i += 1
    return "".join(out)


def needed(selector, known):
    """Whether every class a selector requires is known (or Bootstrap may make it)."""
    classes = _CLASS.findall(_strip_optional(selector))
    return all(c in known or c.startswith(KEEP_PREFIXES) for c in classes)


def blocks(css):
    """Top-level (prelude, body) pairs; body None for statements like @charset."""
    out, i, n = [], 0, len(css)
    while i < n:
        j = css.find("{", i)
        k = css.find(";", i)
        if j == -1:
            break
        if css[i:].lstrip().startswith("@") and k != -1 and k < j:
            out.append((css[i : k + 1], None))
            i = k + 1
            continue
        depth, e = 1, j + 1
        while e < n and depth:
            if css[e] == "{":
                depth += 1
            elif css[e] == "}":
                depth -= 1
            e += 1
        out.append((css[i:j], css[j + 1 : e - 1]))
        i = e
    return out


def purge(css, known):
    """``css`` without the selectors that need a class no page or script uses (comments
    dropped); ``@media`` and similar blocks are purged inside, other at-rules kept.

    >>> purge("/* c */a{x:1}.used,.unused b{y:2}.gone{z:3}@media print{.gone{z:4}}", {"used"})
    'a{x:1}.used{y:2}'
    >>> purge("div.highlight .-Color-Bold{font-weight:bold}.x{y:1}", {"highlight", "x"})
    '.x{y:1}'
    """
    return _purge(_COMMENT.sub("", css), known)


def _purge(css, known):
    out = []
    for prelude, body in blocks(css):
        p = prelude.strip()
        if body is None:
            out.append(prelude)
            continue
        if p.startswith(("@media", "@supports", "@layer", "@container")):
            inner = _purge(body, known)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
        elif p.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in _split_top(prelude, ",") if needed(s, known)]
            if kept:
                out.append(",".join(kept) + "{" + body + "}")
    return "".join(out)


def known_classes(html_dir):
    """Class names in the built pages, and every word in their scripts (which add some)."""
    html_dir = Path(html_dir)
    known = set()
    for page in html_dir.rglob("*.html"):
        for classes in re.findall(r'class="([^"]*)"', page.read_text(encoding="utf8")):
            known.update(classes.split())
    for js in (html_dir / "_static").rglob("*.js"):
        known.update(_TOKEN.findall(js.read_text(encoding="utf8", errors="replace")))
    return known


PURGED = (
    THEME_CSS,
    "_static/styles/sphinx-book-theme.css",
    "_static/basic.css",
)  # and myst-nb's _static/mystnb.<hash>.css


def _purge_stylesheets(out):
    known = known_classes(out)
    sheets = [out / p for p in PURGED] + sorted((out / "_static").glob("mystnb.*.css"))
    for path in sheets:
        if path.is_file():
            path.write_text(purge(path.read_text(encoding="utf8"), known), encoding="utf8")


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
    _purge_stylesheets(out)


def setup(app):
    app.connect("config-inited", _write_templates)
    app.connect("html-page-context", _drop_unused_assets)
    app.connect("build-finished", _subset_icons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
