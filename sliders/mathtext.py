r"""The figures' small maths markup: ``$...$`` in chart text, as matplotlib's mathtext.

A title, axis label, legend label, text mark or slider description may hold formulas
between dollar signs, such as ``"$|w_H|^k$ (floor $10^{-12}$)"`` or ``"$\rho$ of
$W_{hh}$"``. matplotlib draws them natively (mathtext); the static SVG and the HTML
labels use the same text through :func:`runs`, a deliberately small subset:

- ``\name`` for a Greek letter (``\rho``, ``\sigma``, ``\Delta``, ...), an operator
  (``\cdot``, ``\times``, ``\leq``, ``\partial``, ``\|``, ...), or an upright function
  name (``\max``, ``\tanh``, ``\log``, ...); ``\,`` and ``\;`` are spaces;
- ``_x``, ``_{...}``, ``^x``, ``^{...}`` for a subscript or superscript (one level:
  ``h_{T-k}`` is fine, a superscript inside a subscript is drawn at the same level);
- ``{...}`` groups, ``\mathrm{...}`` is upright; ``-`` is a minus sign; Latin letters
  are italic.

Anything else is an error (ValueError naming the text), so a label that would look
different on the page and in matplotlib is caught when the figure is defined.

Examples
--------
>>> runs("$w_H$ = 0.9")
[['w', 0, 1], ['H', -1, 1], [' = 0.9', 0, 0]]
>>> plain(r"$|w_H|^k$ and $\rho^{k}$, $h_{T-k}$")
'|w sub H|ᵏ and ρᵏ, h sub T−k'
>>> html(r"$\sigma_{\max}$")
'<i>σ</i><sub>max</sub>'
"""

import html as _html
import re
import unicodedata

from .i18n import tr

__all__ = ["html", "plain", "runs"]

_GREEK_NAMES = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma "
    "tau upsilon phi chi psi omega"
)
SYMBOLS = {
    n: unicodedata.lookup("GREEK SMALL LETTER " + n.upper().replace("LAMBDA", "LAMDA"))
    for n in _GREEK_NAMES.split()
}
SYMBOLS.update(
    {
        n.capitalize(): unicodedata.lookup("GREEK CAPITAL LETTER " + n.upper())
        for n in ["gamma", "delta", "theta", "pi", "sigma", "phi", "psi", "omega"]
    }
)
SYMBOLS.update(
    {
        "cdot": "\u00b7",
        "times": "\u00d7",
        "leq": "\u2264",
        "le": "\u2264",
        "geq": "\u2265",
        "ge": "\u2265",
        "neq": "\u2260",
        "approx": "\u2248",
        "to": "\u2192",
        "infty": "\u221e",
        "partial": "\u2202",
        "nabla": "\u2207",
        "pm": "\u00b1",
        "ldots": "\u2026",
        "dots": "\u2026",
        "cdots": "\u22ef",
        "prod": "\u220f",
        "sum": "\u2211",
        "|": "\u2016",
        ",": "\u2009",
        ";": " ",
        " ": " ",
    }
)
FUNCTIONS = {"max", "min", "tanh", "log", "exp", "sin", "cos", "arg", "det"}
_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvx\u2212", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ₋"))
_SUP = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyz\u2212",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ⁻",
    )
)
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|([_^])|([{}])|(\s+)|(.)", re.S)


def _fail(text, why):
    raise ValueError(f"mathtext: {why} in {text!r}")


def _math_runs(tex, text):
    """Runs of one formula (the part between two dollar signs)."""
    out = []
    shift, upright = [0], [False]  # per open group
    pending = None  # the shift of a script waiting for its argument
    roman = False  # \mathrm or \text: the next group is upright

    def emit(s, italic):
        nonlocal pending
        level = shift[-1] if pending is None else pending
        pending = None
        out.append([s, level, int(italic)])

    for name, script, brace, space, char in _TOKEN.findall(tex):
        if script:
            if pending is not None:
                _fail(text, "two scripts in a row")
            pending = -1 if script == "_" else 1
        elif brace == "{":
            shift.append(shift[-1] if pending is None else pending)
            upright.append(upright[-1] or roman)
            pending, roman = None, False
        elif brace == "}":
            if len(shift) == 1:
                _fail(text, "unbalanced }")
            shift.pop()
            upright.pop()
        elif name in ("mathrm", "text"):
            roman = True
        elif name in FUNCTIONS:
            emit(name, False)
        elif name:
            if name not in SYMBOLS:
                _fail(text, f"unknown command \\{name}")
            greek = "\u03b1" <= SYMBOLS[name] <= "\u03c9"  # small Greek letters are italic
            emit(SYMBOLS[name], greek and not upright[-1])
        elif space:  # kept as one space: matplotlib spaces relations itself, SVG cannot
            emit(" ", False)
        else:
            emit("\u2212" if char == "-" else char, char.isalpha() and not upright[-1])
    if len(shift) > 1 or pending is not None or roman:
        _fail(text, "unbalanced { or a script or \\mathrm without its argument")
    return out


def runs(text):
    r"""``text`` as a list of ``[string, shift, italic]`` runs, merged where they agree.

    ``shift`` is -1 (subscript), 0 or 1 (superscript); ``italic`` is 1 or 0.

    Examples
    --------
    >>> runs(r"$\mathrm{d}h_{T-k}$")
    [['d', 0, 0], ['h', 0, 1], ['T', -1, 1], ['−', -1, 0], ['k', -1, 1]]
    """
    parts = text.split("$")
    if len(parts) % 2 == 0:
        _fail(text, "an odd number of $")
    out = []
    for i, part in enumerate(parts):
        for run in _math_runs(part, text) if i % 2 else ([[part, 0, 0]] if part else []):
            if out and out[-1][1:] == run[1:]:
                out[-1][0] += run[0]
            else:
                out.append(list(run))
    return out


def _by_shift(text):
    """Runs merged by shift alone: ``[[string, shift, [[piece, italic], ...]], ...]``."""
    out = []
    for s, shift, italic in runs(text):
        if out and out[-1][1] == shift:
            out[-1][0] += s
            out[-1][2].append([s, italic])
        else:
            out.append([s, shift, [[s, italic]]])
    return out


def plain(text):
    """``text`` for a screen reader or a ``<title>``: Greek and operators as Unicode,
    scripts as Unicode sub/superscripts where every character has one, else as words."""
    out = []
    for s, shift, _ in _by_shift(text):
        table = {-1: _SUB, 1: _SUP}.get(shift)
        if table is None:
            out.append(s)
        elif all(c in table for c in s.strip()):
            out.append("".join(table.get(c, c) for c in s.strip()))
        else:
            out.append((tr(" sub ") if shift < 0 else tr(" to the power ")) + s.strip() + "\0")
    text = "".join(out)
    # A spoken script is set off by a space only from a letter or digit after it.
    return re.sub(r"\0(?=\w)", " ", text).replace("\0", "").strip()


def html(text):
    """``text`` as inline HTML: ``<i>``, ``<sub>``, ``<sup>``, everything else escaped."""
    out = []
    for _, shift, pieces in _by_shift(text):
        inner = "".join(
            f"<i>{_html.escape(p)}</i>" if italic else _html.escape(p) for p, italic in pieces
        )
        out.append({-1: f"<sub>{inner}</sub>", 1: f"<sup>{inner}</sup>"}.get(shift, inner))
    return "".join(out)
