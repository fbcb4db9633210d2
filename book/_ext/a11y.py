"""Small accessibility fixes to the theme's output, found by axe-core (tests/test_browser.py).

Each fix names the axe rule it answers:

- ``color-contrast`` (serious): sphinx-book-theme's light link colour #176de8 has a
  contrast of only 4.29 on the tinted background of notes and exercises (#ecf3ff);
  #135ecc has 5.4 there and 6.0 on white. Served as ``_static/rnn_a11y.css``.
- ``label-content-name-mismatch`` (serious), pydata-sphinx-theme's search field: its
  ``aria-label="Search"`` hides the visible "Ctrl+K". Without the aria-label the
  button's name is its visible text. Template override of ``search-button-field.html``.
- ``label-content-name-mismatch`` (serious), the colour-mode button: Font Awesome turns
  each icon's ``title`` ("Light", "Dark", ...) into visible SVG text that the button's
  ``aria-label="Color mode"`` does not contain. The icons are decorative here (the button
  is named by its aria-label), so they lose their titles and get ``aria-hidden``.
  Template override of ``theme-switcher.html``. (Since ``lean_pages.py`` removed
  fontawesome.js the icons are font glyphs, but decorative icons stay hidden.)
- ``aria-required-children`` (critical) on the references page: docutils writes a
  ``role="list"`` citation list whose entries have the deprecated role
  ``doc-biblioentry``, which is not a list item. They become ``role="listitem"``.

The templates are pydata-sphinx-theme 0.17.1's, with only the changes above; they and the
CSS are written into the build folder when the build starts, so nothing here needs a
source _static/ or _templates/ folder.
"""

import os
from pathlib import Path

CSS = """\
/* Written by book/_ext/a11y.py: links readable (WCAG AA, 4.5:1) on tinted admonitions. */
html:root[data-theme="light"] {
  --pst-color-link: #135ecc;
}
"""

TEMPLATES = {
    # No aria-label: it hid the visible "Ctrl+K".
    "search-button-field.html": """\
<button class="btn search-button-field search-button__button pst-js-only"
  title="{{ _('Search') }}" data-bs-placement="bottom" data-bs-toggle="tooltip">
 <i class="fa-solid fa-magnifying-glass" aria-hidden="true"></i>
 <span class="search-button__default-text">{{ _('Search') }}</span>
 <span class="search-button__kbd-shortcut"><kbd class="kbd-shortcut__modifier">Ctrl</kbd>+<kbd
   class="kbd-shortcut__modifier">K</kbd></span>
</button>
""",
    # Decorative icons: no title for Font Awesome to turn into text, aria-hidden.
    "theme-switcher.html": """\
<button class="btn btn-sm nav-link pst-navbar-icon theme-switch-button pst-js-only"
  aria-label="{{ _('Color mode') }}" data-bs-title="{{ _('Color mode') }}"
  data-bs-placement="bottom" data-bs-toggle="tooltip">
  <i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" aria-hidden="true"></i>
  <i class="theme-switch fa-solid fa-moon fa-lg" data-mode="dark" aria-hidden="true"></i>
  <i class="theme-switch fa-solid fa-circle-half-stroke fa-lg" data-mode="auto"
    aria-hidden="true"></i>
</button>
""",
}


def _generated(app):
    return Path(app.outdir).parent / ".rnn_a11y"


def _write_files(app, config):
    root = _generated(app)
    (root / "templates").mkdir(parents=True, exist_ok=True)
    (root / "static").mkdir(parents=True, exist_ok=True)
    for name, text in TEMPLATES.items():
        (root / "templates" / name).write_text(text, encoding="utf8")
    (root / "static" / "rnn_a11y.css").write_text(CSS, encoding="utf8")
    # Ours first, so these templates win over the theme's of the same name. Relative
    # to the config folder: the paths enter .buildinfo's hash, which must not depend
    # on where the book is checked out.
    where = Path(os.path.relpath(root, app.confdir))
    config.templates_path = [str(where / "templates"), *config.templates_path]
    config.html_static_path = [*config.html_static_path, str(where / "static")]


def _fix_body(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("config-inited", _write_files)
    app.add_css_file("rnn_a11y.css", priority=900)  # after the theme's
    app.connect("html-page-context", _fix_body)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
