"""Maths typeset when the book is built: KaTeX in node, no typesetting script in the page.

Every ``math`` and ``math_block`` node (the chapters' ``$...$``, ``{math}`` blocks, and the
``text/latex`` outputs of code cells, which myst-nb turns into math blocks: sympy's
``IPython.display.Math``) is rendered by KaTeX (npm ``katex``, vendored by ``make vendor``
into ``_vendor/katex-node/``) through sphinxcontrib-katex's node render server. The page
then ships HTML and a stylesheet with its fonts, and no script: nothing is typeset in the
reader's browser, and the maths reads the same with JavaScript off.

KaTeX writes each formula twice: as HTML for the eye and as MathML for screen readers
(``output: "htmlAndMathml"``; the HTML is ``aria-hidden``). Three cuts keep pages light:
the MathML loses its ``xmlns`` (an HTML parser puts ``<math>`` in the MathML namespace
anyway) and its TeX ``<annotation>`` (raw TeX that search snippets and copied text would
otherwise show), and the HTML's inline ``style`` attributes (a third of its bytes, from a
few hundred distinct values per page) become classes defined once in a ``<style>``
element at the top of the page's body (``!important``, so they win as inline styles do).

The HTML's class names are shortened too: each class KaTeX's stylesheet names becomes
``q`` and a short number (the stylesheet, rewritten after the build, says the same), and
classes it does not name are dropped (they style nothing); the ``katex*`` classes stay,
as other stylesheets, scripts and tests use them.

Numbers, ``{eq}`` references and permalinks are Sphinx's, written as
``sphinx.ext.mathjax`` writes them. A formula KaTeX cannot parse is a build warning
naming the page and line (``-W`` makes it an error), shown as its TeX source.
"""

import hashlib
import re
from pathlib import Path

from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
KATEX_JS = ROOT / "_vendor" / "katex-node" / "katex.js"  # used by node at build time only
KATEX_CSS = "vendor/katex/katex.min.css"  # inside _static, from html_extra_path
OPTIONS = {"throwOnError": True, "strict": "error", "output": "htmlAndMathml"}

_XMLNS = ' xmlns="http://www.w3.org/1998/Math/MathML"'
_ANNOTATION = re.compile(
    r"<semantics>(.*)<annotation encoding=\"application/x-tex\">.*?</annotation></semantics>",
    re.S,
)


_SPAN_STYLE = re.compile(r'<span(?: class="([^"]*)")? style="([^"]*)"')
STYLES = set()  # every style attribute replaced in this build
_STYLE_CLASS = re.compile(r"k[0-9a-f]{7}")
SHEET = "katex-compact.css"  # in _static: the classes of those styles
_RULE = re.compile(r"\.katex \.(k[0-9a-f]{7})\{([^}]*)\}")


_CLASS_ATTR = re.compile(r' class="([^"]*)"')
_SELECTOR = re.compile(r"([^{}]+)(\{)")
_CLASS_IN_SELECTOR = re.compile(r"\.([A-Za-z_][\w-]*)")
CLASSES = {}  # KaTeX's class -> short name, from its stylesheet (builder-inited)
KATEX_CSS_FILE = ROOT / "_vendor" / "extra" / "_static" / KATEX_CSS


def _base36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = digits[n % 36]
    while n >= 36:
        n //= 36
        out = digits[n % 36] + out
    return out


def class_table(css):
    """Short names for the classes a stylesheet's selectors name, ``katex*`` excepted.

    >>> class_table(".katex .mord{a:b}@font-face{src:url(f.woff2)}.katex .vlist>span{c:d}")
    {'mord': 'q0', 'vlist': 'q1'}
    """
    names = set()
    for selector, _brace in _SELECTOR.findall(css):
        if not selector.strip().startswith("@"):
            names.update(_CLASS_IN_SELECTOR.findall(selector))
    keep = sorted(n for n in names if not n.startswith("katex"))
    return {n: f"q{_base36(i)}" for i, n in enumerate(keep)}


def rename_selectors(css, table):
    """``css`` with the classes of its selectors renamed by ``table`` (not inside url())."""

    def selector(match):
        if match.group(1).strip().startswith("@"):
            return match.group(0)
        renamed = _CLASS_IN_SELECTOR.sub(lambda m: "." + table.get(m[1], m[1]), match.group(1))
        return renamed + match.group(2)

    return _SELECTOR.sub(selector, css)


def short_classes(markup, table):
    """KaTeX markup with its classes renamed by ``table``; unknown ones dropped.

    >>> short_classes('<span class="katex"><span class="mord mathnormal x">', {"mord": "q0"})
    '<span class="katex"><span class="q0">'
    """

    def attr(match):
        tokens = [
            t if t.startswith("katex") or _STYLE_CLASS.fullmatch(t) else table[t]
            for t in match.group(1).split()
            if t.startswith("katex") or _STYLE_CLASS.fullmatch(t) or t in table
        ]
        return f' class="{" ".join(tokens)}"' if tokens else ""

    return _CLASS_ATTR.sub(attr, markup)


def style_class(style):
    """A class name for an inline style, from its hash: the same style, the same name.

    >>> style_class("top:1em;")
    'kb4a5861'
    """
    return "k" + hashlib.sha256(style.encode()).hexdigest()[:7]


def compact_styles(markup, styles):
    """Replace each ``<span>``'s style attribute by a class; add the styles to ``styles``.

    >>> seen = set()
    >>> compact_styles('<span class="a" style="top:1em;"></span><span style="top:1em;">', seen)
    '<span class="a kb4a5861"></span><span class="kb4a5861">'
    >>> seen
    {'top:1em;'}
    """

    def swap(match):
        styles.add(match.group(2))
        classes = match.group(1) + " " if match.group(1) else ""
        return f'<span class="{classes}{style_class(match.group(2))}"'

    return _SPAN_STYLE.sub(swap, markup)


def style_sheet(styles):
    """The rules that define the classes of :func:`compact_styles`, sorted.

    >>> style_sheet({"top:1em;margin-left:0em;"})
    '.katex .k2e5b0e3{top:1em!important;margin-left:0em!important}\\n'
    """
    rules = []
    for style in styles:
        decls = ";".join(d.strip() + "!important" for d in style.split(";") if d.strip())
        rules.append(f".katex .{style_class(style)}{{{decls}}}\n")
    return "".join(sorted(rules))


def lean(markup):
    """KaTeX's markup without the MathML namespace attribute and the TeX annotation.

    >>> lean('<math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mi>x</mi>'
    ...      '<annotation encoding="application/x-tex">x</annotation></semantics></math>')
    '<math><mi>x</mi></math>'
    """
    return _ANNOTATION.sub(r"\1", markup.replace(_XMLNS, ""))


def display_tex(node):
    r"""The TeX KaTeX gets for a math block, split and aligned as sphinx.ext.mathjax does.

    >>> display_tex(nodes.math_block("", "a = 1\n\nb = 2", nowrap=False))
    '\\begin{aligned}a = 1\\\\b = 2\\end{aligned}'
    """
    if node.get("nowrap"):
        return node.astext()
    parts = [p for p in node.astext().split("\n\n") if p.strip()]
    parts = [rf"\begin{{split}}{p}\end{{split}}" if r"\\" in p else p for p in parts]
    body = r"\\".join(parts)
    return rf"\begin{{aligned}}{body}\end{{aligned}}" if len(parts) > 1 else body


def _start_server(timeout=20.0):
    """Start sphinxcontrib-katex's node render server, waiting until it listens.

    Its own start connects once the socket file exists, which can be before node
    listens on it (ConnectionRefusedError on a busy machine): here the connection is
    retried, and a server that never comes up is stopped, not left running.
    """
    import atexit
    import socket
    import subprocess
    import tempfile
    import time

    from sphinxcontrib.katex import KaTeXServer

    rundir = Path(tempfile.mkdtemp(prefix="rnn_katex"))
    path = rundir / "katex.sock"
    process = subprocess.Popen(
        KaTeXServer.build_command(socket=path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=rundir,
    )
    deadline = time.monotonic() + timeout
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(path))
            break
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"the KaTeX server did not start within {timeout} s") from None
            time.sleep(0.05)
    server = KaTeXServer(rundir, process, sock)
    atexit.register(KaTeXServer.terminate, server)
    KaTeXServer.katex_server = server


def _render(translator, node, tex, display):
    from sphinxcontrib.katex import KaTeXError, KaTeXServer, render_latex

    if KaTeXServer.katex_server is None:
        _start_server()
    try:
        markup = lean(render_latex(tex, {**OPTIONS, "displayMode": display}))
        return short_classes(compact_styles(markup, STYLES), CLASSES)
    except KaTeXError as exc:
        logger.warning("KaTeX cannot typeset %r: %s", tex, exc, location=node)
        return f'<span class="katex-error">{translator.encode(tex)}</span>'


def visit_math(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_render(self, node, node.astext(), display=False) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node):
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(_render(self, node, display_tex(node), display=True) + "</div>\n")
    raise nodes.SkipNode


def _write_style_sheet(app, exception):
    """All styles of this build, and those of pages an incremental build did not rewrite."""
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir, "_static", SHEET)
    old = path.read_text(encoding="utf8") if path.is_file() else ""
    known = {m.group(1): m.group(0) + "\n" for m in _RULE.finditer(old)}
    fresh = {style_class(s): style_sheet({s}) for s in STYLES}
    path.write_text("".join(sorted({**known, **fresh}.values())), encoding="utf8")


def _configure(app, config):
    config.html_math_renderer = "katex_static"
    config.katex_prerender = True
    config.katex_js_path = str(KATEX_JS)
    config.katex_css_path = KATEX_CSS
    # sphinx.ext.mathjax (which Jupyter Book loads) must not add its script or config.
    config.mathjax3_config = None
    config.mathjax2_config = None


def _check_vendored(app):
    if app.builder.format != "html":
        return
    if not KATEX_JS.is_file() or not KATEX_CSS_FILE.is_file():
        from sphinx.errors import ExtensionError

        raise ExtensionError(f"{KATEX_JS} or {KATEX_CSS_FILE} is missing: run `make vendor`")
    CLASSES.update(class_table(KATEX_CSS_FILE.read_text(encoding="utf8")))


def _rename_stylesheet(app, exception):
    """The book's copy of KaTeX's stylesheet, with the short class names."""
    if exception is not None or app.builder.format != "html":
        return
    css = KATEX_CSS_FILE.read_text(encoding="utf8")
    Path(app.outdir, "_static", KATEX_CSS).write_text(
        rename_selectors(css, class_table(css)), encoding="utf8"
    )


def setup(app):
    app.setup_extension("sphinxcontrib.katex")
    app.add_html_math_renderer(
        "katex_static",
        inline_renderers=(visit_math, None),
        block_renderers=(visit_displaymath, None),
    )
    app.connect("config-inited", _configure, priority=900)
    app.connect("builder-inited", _check_vendored, priority=100)
    app.connect("build-finished", _write_style_sheet)
    app.connect("build-finished", _rename_stylesheet)
    app.add_css_file(SHEET)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
