"""Offer every notebook page of the book as an .ipynb download.

sphinx-book-theme links a page's .ipynb only when a launch provider (Binder,
JupyterHub, Colab, ...) is configured, and the book has none. So, for every page
whose source is a MyST Markdown notebook (front matter with a kernelspec, the
rule tests/book_toc.py applies too), this extension

- converts the source .md to .ipynb without outputs, its prose in plain Jupyter
  Markdown (tools/plain_notebook.py, as `make notebooks` does), into
  ``_build/html/_notebooks/<page>.ipynb``;
- puts a visible link to it under the page title, with the text in LINK_TEXT (the Korean
  edition's, ``language: ko``, in LINK_TEXTS["ko"]);
- adds the same file to the theme's download menu in the page header.

The conversion reads only the source, so it needs no executed outputs and stays
the same whether or not the build cache is used.
"""

import html
import importlib.util
import json
from pathlib import Path, PurePosixPath

import nbformat
from docutils import nodes


def _load_converter():
    """tools/plain_notebook.py, the converter `make notebooks` runs, loaded from its file."""
    path = Path(__file__).resolve().parents[2] / "tools" / "plain_notebook.py"
    spec = importlib.util.spec_from_file_location("plain_notebook", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


plain_notebook = _load_converter()

LINK_TEXT = "Download this chapter as a Jupyter notebook (.ipynb)"
LINK_TEXTS = {"en": LINK_TEXT, "ko": "이 쪽을 Jupyter 노트북(.ipynb)으로 내려받기"}


def link_text(config):
    """The link's words in the build's language."""
    return LINK_TEXTS["ko" if (config.language or "").startswith("ko") else "en"]


FOLDER = "_notebooks"  # inside the HTML output


def notebook_source(app, pagename):
    """The page's source if it is a MyST Markdown notebook, else None."""
    if pagename not in app.env.all_docs:
        return None  # genindex, search and other generated pages
    source = Path(app.env.doc2path(pagename))
    return source if plain_notebook.is_notebook(source) else None


def glued_texts(source, doctree):
    """Each glue role of ``source`` -> the text the page shows for it.

    myst-nb renders every ``{glue:text}`` role as an inline node of class
    ``pasted-text``; the page's roles and those nodes come in the same order.
    """
    roles = plain_notebook.glue_roles(Path(source).read_text(encoding="utf8"))
    texts = [n.astext() for n in doctree.findall(nodes.inline) if "pasted-text" in n["classes"]]
    if len(roles) != len(texts):
        raise ValueError(f"{source}: {len(roles)} glue roles but {len(texts)} glued texts")
    return dict(zip(roles, texts))


def _write_notebook(app, pagename, context, source, doctree):
    relative = PurePosixPath(FOLDER, pagename + ".ipynb")
    target = Path(app.outdir, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    glued = glued_texts(source, doctree)
    # The values, for `make notebooks` too (tools/plain_notebook.py reads this file).
    target.with_name(Path(source).stem + ".glue.json").write_text(
        json.dumps(glued, indent=1, sort_keys=True) + "\n", encoding="utf8"
    )
    nbformat.write(plain_notebook.convert(source, Path(app.srcdir), glued), target)
    return context["pathto"](relative.as_posix(), 1)


def _link_html(url, filename, text=LINK_TEXT):
    # The theme draws a download icon before every a.download (pydata-sphinx-theme).
    return (
        '<p class="rnn-notebook-download">'
        f'<a class="reference download" href="{html.escape(url)}" '
        f'download="{html.escape(filename)}">'
        f"{html.escape(text)}</a></p>"
    )


def add_download(app, pagename, templatename, context, doctree):
    if app.builder.format != "html" or doctree is None:
        return
    source = notebook_source(app, pagename)
    if source is None:
        return
    url = _write_notebook(app, pagename, context, source, doctree)
    filename = PurePosixPath(pagename).name + ".ipynb"

    # 1. The visible link, just below the page's <h1> (or at the top of the body).
    body = context.get("body", "")
    text = link_text(app.config)
    link = _link_html(url, filename, text)
    end = body.find("</h1>")
    context["body"] = body[: end + 5] + link + body[end + 5 :] if end >= 0 else link + body

    # 2. The theme's download menu (built by sphinx-book-theme at priority 501).
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"].insert(
                0,
                {
                    "type": "link",
                    "url": url,
                    "text": ".ipynb",
                    "tooltip": text,
                    "icon": "fas fa-code",
                    "label": "download-notebook-button",
                },
            )


def setup(app):
    # After sphinx-book-theme's header buttons (priority 501), so its menu exists.
    app.connect("html-page-context", add_download, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
