"""The words a figure shows, in the reader's language: English, or Korean for the Korean book.

Figure code writes every word in English, through a :class:`Table` (``tr("lag $k$")``, or
with fields, ``tr("AR({tau}), {k} steps ahead", tau=3, k=8)``), and the table gives the
words of the current language: the environment variable ``RNNBOOK_LANG`` (``"ko"``, or
English when it is unset), read at each lookup. The Korean edition's build sets it for the
kernels it starts (book/_ext/editions.py), as book/_ext/sliders_static.py sets
SLIDERS_STATIC, so the code cells of both editions are the same, byte for byte, and only
the kernel's language differs.

The English text is the key. A Korean table that lacks a key is an error naming it, not
English on a Korean page; ``tests/sliders_tests/test_i18n.py`` checks that every key the code
spells has its translation, with the same fields.

This module also holds the framework's own words (the Reset button, the text of a figure's
still image, the spoken form of sub- and superscripts) and, for a language written in
another script, the font matplotlib needs for it (:func:`matplotlib_fonts`).
"""

import os
import re
import string

__all__ = ["LANGUAGES", "Table", "language", "matplotlib_fonts", "tr"]

LANGUAGES = ("en", "ko")
VARIABLE = "RNNBOOK_LANG"


def language(environ=os.environ):
    """The language figures are drawn in: ``RNNBOOK_LANG``, or ``"en"`` when it is unset.

    >>> language({}), language({"RNNBOOK_LANG": "ko"})
    ('en', 'ko')
    >>> language({"RNNBOOK_LANG": "fr"})
    Traceback (most recent call last):
    ...
    ValueError: RNNBOOK_LANG: expected one of ('en', 'ko'), got 'fr'
    """
    lang = environ.get(VARIABLE, "") or "en"
    if lang not in LANGUAGES:
        raise ValueError(f"{VARIABLE}: expected one of {LANGUAGES}, got {lang!r}")
    return lang


def fields(template):
    """The ``{name:spec}`` fields of a format template, as a sorted list of strings
    (ValueError if ``template`` is not one, such as ``"$A_{x_{t-1}}$"``).

    >>> fields("AR({tau}), {k} steps: MSE {mse:.3f}; $h_{{T}}$")
    ['k', 'mse:.3f', 'tau']
    """
    found = string.Formatter().parse(template)
    return sorted(f"{name}:{spec}" if spec else name for _, name, spec, _ in found if name)


_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")


def placeholders(text):
    """The ``{name}`` placeholders of a text used without fields (an alt text's slider
    names, which :class:`sliders.Interactive` fills in later), as a sorted list.

    >>> placeholders("fraction {f} of the series, $W_{hh}$")
    ['f', 'hh']
    """
    return sorted(_PLACEHOLDER.findall(text))


class Table:
    """English text -> its translation, per language; calling it translates.

    Parameters
    ----------
    **translations : dict of str to str
        One dict per language other than English, e.g. ``ko={"lag": "시차"}``.

    Examples
    --------
    >>> tr = Table(ko={"lag {k}": "시차 {k}", "step": "단계"})
    >>> tr("lag {k}", k=3), tr("step")
    ('lag 3', 'step')
    >>> tr("step", lang="ko"), tr("lag {k}", lang="ko", k=3)
    ('단계', '시차 3')
    >>> tr("epoch", lang="ko")
    Traceback (most recent call last):
    ...
    KeyError: "no ko text for 'epoch' in the figures' string table"
    """

    def __init__(self, **translations):
        unknown = set(translations) - set(LANGUAGES[1:])
        if unknown:
            raise ValueError(
                f"translations: expected languages among {LANGUAGES[1:]}, got {unknown}"
            )
        self.translations = {lang: dict(table) for lang, table in translations.items()}

    def __call__(self, text, lang=None, **values):
        """``text`` in ``lang`` (default: :func:`language`), its fields filled with ``values``.

        Without ``values`` the text is returned as it is, braces and all (a slider figure's
        alt text keeps its ``{name}`` placeholders for later).
        """
        lang = lang or language()
        template = text
        if lang != "en":
            try:
                template = self.translations[lang][text]
            except KeyError:
                raise KeyError(
                    f"no {lang} text for {text!r} in the figures' string table"
                ) from None
        return template.format(**values) if values else template

    def words(self, texts, lang=None):
        """Each of ``texts`` translated (a list of labels handed in by a caller)."""
        return [self(t, lang) for t in texts]


#: The framework's own words.
KO = {
    "Reset": "처음 값으로",
    "Reset to the defaults, {defaults}": "처음 값으로 되돌리기, {defaults}",
    "{alt} Shown at {labels}.": "{alt} 보인 설정: {labels}.",
    " sub ": " 아래첨자 ",
    " to the power ": " 위첨자 ",
}

tr = Table(ko=KO)

#: matplotlib fonts per language: the families to put first, and the files to add when
#: matplotlib's font cache was built before the font was installed (Debian fonts-noto-cjk).
FONTS = {"ko": (["Noto Sans CJK KR"], "NotoSansCJK-")}


def matplotlib_fonts(lang=None):
    """Make matplotlib draw ``lang`` (default: :func:`language`): for Korean, Noto Sans CJK
    KR first among the sans-serif fonts (it has Latin letters too, and a text mixed with
    ``$...$`` maths is drawn with one font outside the maths). English changes nothing.

    Raises
    ------
    RuntimeError
        If the language needs a font that is not installed.
    """
    lang = lang or language()
    if lang not in FONTS:
        return
    import matplotlib
    from matplotlib import font_manager

    families, prefix = FONTS[lang]
    known = {f.name for f in font_manager.fontManager.ttflist}
    if not set(families) <= known:  # a font cache older than the font: add its files
        for path in font_manager.findSystemFonts():
            if os.path.basename(path).startswith(prefix):
                font_manager.fontManager.addfont(path)
        known = {f.name for f in font_manager.fontManager.ttflist}
    if not set(families) <= known:
        raise RuntimeError(
            f"figures in {lang!r} need the fonts {families}: install Debian's fonts-noto-cjk"
        )
    current = matplotlib.rcParams["font.sans-serif"]
    if current[: len(families)] != families:
        matplotlib.rcParams["font.sans-serif"] = [*families, *current]
