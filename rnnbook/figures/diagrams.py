"""Computation-graph diagrams for the chapters on the latent autoregressive model and
the RNN cell, drawn in code.

Each public function returns a :class:`matplotlib.figure.Figure` built directly
(not through pyplot, so a notebook never shows it twice and nothing leaks), 7.2
inches wide at 100 dpi like the book's other figures. Every panel is drawn in
data units with an equal aspect ratio, so a box is the same size in every panel
and the figure's height follows from the content.

Nodes are rounded boxes whose ``gid`` names their role (``"input"``,
``"hidden"``, ``"output"``, ``"delay"``), so tests and readers can count them;
arrows are clipped to the boxes they join, so they start and end at borders (an
arrow to or from a step not drawn ends beside the dots that stand for it).
"""

import math
from typing import NamedTuple

from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from rnn_core._checks import as_int
from sliders.i18n import language, matplotlib_fonts
from sliders.style import BLUE, GREEN, INK, NEUTRAL, VERMILLION

from .strings import tr

__all__ = ["architectures", "chain_vs_tree", "latent_ar", "unrolled_graph"]

# The charts' palette (sliders.style): inputs blue, hidden states green, outputs vermillion.
INPUT, HIDDEN, OUTPUT = BLUE, GREEN, VERMILLION
DECODER = "#00664A"  # a darker green: the decoder is a second RNN, not more encoder steps
COLORS = {"input": INPUT, "hidden": HIDDEN, "output": OUTPUT, "delay": NEUTRAL}
WIDTH = 7.2  # inches; 720 px at 100 dpi
BOX_W, BOX_H = 0.62, 0.46  # data units; one unit is the spacing scale of every panel
# Sans-serif like the browser's default; mathtext pinned so a user's rcParams can't change it.
FONT = {"family": "sans-serif", "math_fontfamily": "dejavusans"}


class Node(NamedTuple):
    """A drawn node: its centre and its box, which arrows are clipped to."""

    x: float
    y: float
    patch: FancyBboxPatch


def _text(ax, x, y, s, size=11, color=INK, **kw):
    """Write ``s`` centred at (x, y) unless ``kw`` says otherwise."""
    kw = {"ha": "center", "va": "center", **kw}
    return ax.text(x, y, s, fontsize=size, color=color, zorder=3, **FONT, **kw)


def _node(ax, x, y, label, kind, color=None, width=BOX_W, height=BOX_H, size=11):
    """A rounded box with a light fill and coloured edge, labelled in its centre."""
    color = color or COLORS[kind]
    patch = FancyBboxPatch(
        (x - width / 2, y - height / 2),
        width,
        height,
        boxstyle="round,pad=0,rounding_size=0.08",
        facecolor=to_rgba(color, 0.15),
        edgecolor=color,
        linewidth=1.5,
        gid=kind,
        zorder=2,
    )
    ax.add_patch(patch)
    if label:
        _text(ax, x, y, label, size=size)
    return Node(x, y, patch)


def _arrow(ax, a, b, rad=0.0):
    """An arrow from node ``a`` to node ``b``; ``rad`` bends it (arc3 convention)."""
    ax.add_patch(
        FancyArrowPatch(
            (a.x, a.y),
            (b.x, b.y),
            patchA=a.patch,
            patchB=b.patch,
            arrowstyle="-|>",
            mutation_scale=12,
            color=NEUTRAL,
            linewidth=1.3,
            shrinkA=2,
            shrinkB=2,
            connectionstyle=f"arc3,rad={rad}",
            zorder=1,
        )
    )


def _weight(ax, a, b, label, side):
    """Write a weight beside the straight arrow ``a -> b``, halfway along it."""
    _label(ax, (a.x + b.x) / 2, (a.y + b.y) / 2, label, side, size=10)


def _label(ax, x, y, s, side, size=9, gap=4):
    """Write ``s`` on one side of (x, y), ``gap`` points away at any figure scale."""
    dx, dy, ha, va = {
        "left": (-gap, 0, "right", "center"),
        "right": (gap, 0, "left", "center"),
        "above": (0, gap, "center", "bottom"),
        "below": (0, -gap, "center", "top"),
    }[side]
    ax.annotate(
        s,
        (x, y),
        xytext=(dx, dy),
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=size,
        color=NEUTRAL,
        zorder=3,
        **FONT,
    )


def _figure(extents, ncols, max_scale=0.8):
    """A figure whose panels show ``extents`` (x0, x1, y0, y1) at one common scale.

    The panels are placed by hand rather than by a layout engine: constrained
    layout re-solves on every draw with equal-aspect axes and drifts, so two
    saves of one figure would differ. Knowing the extents, the exact positions
    follow: a data unit has the same length in every panel, the height fits the
    content, and little content is not blown up past ``max_scale`` inches per
    unit (the panels get wider margins instead).
    """
    matplotlib_fonts()  # Korean labels need a CJK font (sliders.i18n)
    margin, gap, title = 0.1, 0.2, 0.32  # inches: edges, between panels, title band
    widths = [x1 - x0 for x0, x1, _, _ in extents[:ncols]]
    room = WIDTH - 2 * margin - (ncols - 1) * gap
    scale = min(room / sum(widths), max_scale)  # inches per data unit
    grow = room / scale / sum(widths)  # >= 1; each panel widens about its centre
    rows = len(extents) // ncols
    row_h = max(y1 - y0 for _, _, y0, y1 in extents) * scale + title
    height = rows * row_h + margin
    fig = Figure(figsize=(WIDTH, height), dpi=100, facecolor="white")
    axes, left = [], margin
    for i, (x0, x1, y0, y1) in enumerate(extents):
        w, pad = (x1 - x0) * grow * scale, (x1 - x0) * (grow - 1) / 2
        bottom = height - (i // ncols + 1) * row_h
        ax = fig.add_axes((left / WIDTH, bottom / height, w / WIDTH, (row_h - title) / height))
        ax.set(xlim=(x0 - pad, x1 + pad), ylim=(y0, y1), aspect="equal")
        ax.set_axis_off()
        axes.append(ax)
        left = margin if (i + 1) % ncols == 0 else left + w + gap
    return fig, axes


def _title(ax, s):
    """The panel's title, in the same type as its labels."""
    ax.set_title(s, fontsize=11, color=INK, **FONT)


# --- 1. the loop and its unrolling ------------------------------------------

ROW_X, ROW_H, ROW_Y = 0.0, 1.3, 2.6  # heights of the input, hidden and output rows
STEP = 1.3  # column spacing of the unrolled view: room for W_hh between the boxes
Y_EXTENT = (-0.65, 3.0)  # below the inputs: the line on weight sharing
EVERY_STEP = 5  # up to this T the weights fit on every step's arrows


def _loop_view(ax):
    """x_t -> h_t -> y_t, with h_t fed back to itself through a one-step delay."""
    x = _node(ax, 0, ROW_X, r"$x_t$", "input")
    h = _node(ax, 0, ROW_H, r"$h_t$", "hidden")
    y = _node(ax, 0, ROW_Y, r"$y_t$", "output")
    delay = _node(ax, 1.0, ROW_H, "", "delay", width=0.24, height=0.24)
    _arrow(ax, x, h)
    _arrow(ax, h, y)
    _arrow(ax, h, delay, rad=-0.7)  # out over the top ...
    _arrow(ax, delay, h, rad=-0.7)  # ... and back underneath: h_{t-1} feeds h_t
    _weight(ax, x, h, r"$W_{xh}$", "left")
    _weight(ax, h, y, r"$W_{hy}$", "left")
    _label(ax, 0.5, ROW_H + 0.38, r"$W_{hh}$", "above", size=10)  # over the arc's top
    _label(ax, 1.12, ROW_H, tr("delay"), "right")
    _title(ax, tr("loop view"))


def _unrolled_x(T):
    """The unrolled panel's x range: the unroll arrow, then columns 0 to T."""
    return -1.35, T * STEP + 0.45


def _unrolled_view(ax, T):
    """h_0 .. h_T in a row, each step drawn with the same three weight matrices."""
    prev = _node(ax, 0, ROW_H, r"$h_0$", "hidden")
    for t in range(1, T + 1):
        x = _node(ax, t * STEP, ROW_X, rf"$x_{t}$", "input")
        h = _node(ax, t * STEP, ROW_H, rf"$h_{t}$", "hidden")
        y = _node(ax, t * STEP, ROW_Y, rf"$y_{t}$", "output")
        for a, b, w, side in [
            (x, h, r"$W_{xh}$", "left"),
            (prev, h, r"$W_{hh}$", "above"),
            (h, y, r"$W_{hy}$", "left"),
        ]:
            _arrow(ax, a, b)
            if t == 1 or T <= EVERY_STEP:  # on every step, room permitting: they are shared
                _weight(ax, a, b, w, side)
        prev = h
    _label(
        ax,
        sum(_unrolled_x(T)) / 2,
        ROW_X - BOX_H / 2,  # centred in the panel
        tr(r"the same $W_{xh}$, $W_{hh}$, $W_{hy}$ at every step"),
        "below",
    )
    # The unroll arrow stands in for "=": the right panel is the left one, written out.
    ax.add_patch(
        FancyArrowPatch(
            (-1.25, ROW_H),
            (-0.5, ROW_H),
            arrowstyle="simple",
            mutation_scale=18,
            color=to_rgba(NEUTRAL, 0.5),
            lw=0,
        )
    )
    _label(ax, -0.875, ROW_H + 0.1, tr("unroll"), "above")
    _title(ax, tr("unrolled view (T = {T})", T=T))


def unrolled_graph(T=4):
    """The RNN as a loop and, unrolled, as a chain of T steps sharing its weights.

    Parameters
    ----------
    T : int
        Number of unrolled steps, 1 to 8.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels: the loop view (``fig.axes[0]``) and the unrolled view
        (``fig.axes[1]``), whose boxes have gids ``"input"``, ``"hidden"``
        (``h_0`` to ``h_T``) and ``"output"``.

    Raises
    ------
    ValueError
        If ``T`` is not an integer in [1, 8].

    Examples
    --------
    >>> sum(p.get_gid() == "hidden" for p in unrolled_graph(T=3).axes[1].patches)
    4
    """
    T = as_int("T", T, 1, 8)
    fig, (loop, unrolled) = _figure(
        [(-0.75, 1.95, *Y_EXTENT), (*_unrolled_x(T), *Y_EXTENT)], ncols=2
    )
    _loop_view(loop)
    _unrolled_view(unrolled, T)
    return fig


# --- 2. input/output architectures ------------------------------------------

ARCH_STEP = 1.2
ENCODER = [0, ARCH_STEP, 2 * ARCH_STEP]
DECODER_X = [c + 3.25 * ARCH_STEP for c in ENCODER]  # after a gap: a second network
ARCH_X = (-0.5, DECODER_X[-1] + 0.5)
ARCH_Y = (-0.4, 2.6)
ARCH_TITLES = (
    "one to many (captioning)",
    "many to one (sentiment)",
    "many to many (tagging)",
    "encoder-decoder (translation)",
)


def _chain(ax, xs, inputs, outputs, label="h", color=HIDDEN, prev=None):
    """Hidden states at columns ``xs``, each with an input/output where flagged.

    ``prev`` is a hidden node feeding the first state (the encoder's last state
    for a decoder); returns the last hidden node.
    """
    for i, (c, has_x, has_y) in enumerate(zip(xs, inputs, outputs), start=1):
        h = _node(ax, c, 1.1, rf"${label}_{i}$", "hidden", color=color, size=10)
        if has_x:
            _arrow(ax, _node(ax, c, 0, rf"$x_{i}$", "input", size=10), h)
        if has_y:
            _arrow(ax, h, _node(ax, c, 2.2, rf"$y_{i}$", "output", size=10))
        if prev is not None:
            _arrow(ax, prev, h)
        prev = h
    return prev


def architectures():
    """Four ways to wire inputs and outputs to the same recurrent chain.

    Returns
    -------
    matplotlib.figure.Figure
        A 2x2 grid titled one to many, many to one, many to many and
        encoder-decoder; boxes have gids ``"input"``, ``"hidden"``, ``"output"``.

    Examples
    --------
    >>> [ax.get_title() for ax in architectures().axes][1]
    'many to one (sentiment)'
    """
    fig, axes = _figure([(*ARCH_X, *ARCH_Y)] * 4, ncols=2)
    xs = [sum(ARCH_X) / 2 + (i - 1.5) * ARCH_STEP for i in range(4)]  # centred in the panel
    _chain(axes[0], xs, [True, False, False, False], [True] * 4)
    _chain(axes[1], xs, [True] * 4, [False, False, False, True])
    _chain(axes[2], xs, [True] * 4, [True] * 4)
    last = _chain(axes[3], ENCODER, [True] * 3, [False] * 3)
    # The decoder is a second chain (state s), started from the encoder's summary.
    _chain(axes[3], DECODER_X, [False] * 3, [True] * 3, "s", DECODER, prev=last)
    # Each name goes where that network has no boxes: no outputs above the encoder,
    # no inputs below the decoder.
    style = "italic" if language() == "en" else "normal"  # Hangul is not set in italics
    _text(axes[3], ENCODER[1], 2.2, tr("encoder"), size=10, color=HIDDEN, style=style)
    _text(axes[3], DECODER_X[1], 0, tr("decoder"), size=10, color=DECODER, style=style)
    for ax, title in zip(axes, ARCH_TITLES):
        _title(ax, tr(title))
    return fig


# --- 3. recurrent chain versus recursive tree -------------------------------

SENTENCE = "the dog bit Cheolsu"  # four leaves: a noun phrase, then a verb phrase
TREE_Y = (-0.4, 3.2)
LEVEL = 1.4  # height between tree levels: room for W between a node's two inputs


def _merge(ax, left, right, x, y, label):
    """A tree node combining two children with the one shared matrix W."""
    p = _node(ax, x, y, label, "hidden")
    _arrow(ax, left, p)
    _arrow(ax, right, p)
    _text(ax, x, y - 0.85, r"$W$", size=10, color=NEUTRAL)  # between its two inputs
    return p


def chain_vs_tree():
    """A recurrent net's chain over a sentence beside a recursive net's tree over it.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels: the chain h_1 -> ... -> h_4 over x_1..x_4, and the binary
        tree ((the dog) (bit Cheolsu)) whose internal nodes all use the same W.

    Examples
    --------
    >>> fig = chain_vs_tree()
    >>> "Cheolsu" in [t.get_text() for t in fig.axes[1].texts]
    True
    """
    fig, (chain, tree) = _figure([(-0.45, 3.95, *TREE_Y), (-0.7, 5.2, *TREE_Y)], ncols=2)
    prev = None
    for t in range(1, 5):  # the chain: one new input per step, always the same W
        h = _node(chain, (t - 1) * 1.15, LEVEL, rf"$h_{t}$", "hidden")
        _arrow(chain, _node(chain, h.x, 0, rf"$x_{t}$", "input"), h)
        if prev is not None:
            _arrow(chain, prev, h)
            _weight(chain, prev, h, r"$W$", "above")
        prev = h
    words = tr(SENTENCE).split()  # Korean: the same two phrases, in Korean order
    leaves = [_node(tree, 1.5 * i, 0, w, "input", width=1.15, size=10) for i, w in enumerate(words)]
    left = _merge(tree, *leaves[:2], 0.75, LEVEL, r"$p_1$")
    right = _merge(tree, *leaves[2:], 3.75, LEVEL, r"$p_2$")
    _merge(tree, left, right, 2.25, 2 * LEVEL, r"$p_3$")
    _title(chain, tr("recurrent: chain-shaped"))
    _title(tree, tr("recursive: tree-shaped"))
    return fig


# --- 4. the latent autoregressive model (chapter 2) --------------------------

LATENT_T = ("t-1", "t", "t+1")  # the columns drawn; dots stand for the steps around them
LATENT_ROWS = ((ROW_X, "observed values"), (ROW_H, "latent states"), (ROW_Y, "predictions"))
NAMES_X = -1.5  # the row names end here, left of the dots before the first column
LATENT_X = (NAMES_X - 1.05, len(LATENT_T) * STEP + 0.3)  # room for the names
LATENT_Y = (-0.4, 3.0)
LATENT_TITLE = "$h_t$ has read $x_1, \\dots, x_{t-1}$ and predicts $x_t$"


def _latent_column(ax, c, t, prev, x_prev):
    """Column ``c`` (time ``t``): h_t = U(h_{t-1}, x_{t-1}) below its prediction of x_t.

    Returns the column's state and input, which feed the next column.
    """
    h = _node(ax, c * STEP, ROW_H, rf"$h_{{{t}}}$", "hidden")
    _arrow(ax, h, _node(ax, h.x, ROW_Y, rf"$\hat{{x}}_{{{t}}}$", "output"))
    x = _node(ax, h.x, ROW_X, rf"$x_{{{t}}}$", "input")  # read by h_{t+1}, not by h_t
    _arrow(ax, x_prev, h)
    _arrow(ax, prev, h)
    return h, x


def _off_grid(ax, c, y, dx, dy):
    """Dots in place of the box column ``c`` would hold at height ``y``; returns the point
    of that box's border, ``(dx, dy)`` from its centre, where its arrow would start or end."""
    _text(ax, c * STEP + math.copysign(0.05, dx), y, r"$\cdots$", size=14, color=NEUTRAL)
    return Node(c * STEP + dx, y + dy, None)


def latent_ar():
    """The latent autoregressive model of chapter 2, unrolled over three steps.

    In the chapter's indexing (eq-latent-ar) the state ``h_t = U(h_{t-1}, x_{t-1})``
    has read ``x_1, ..., x_{t-1}`` and predicts ``x_t``: each column holds
    ``x-hat_t`` over ``h_t`` over ``x_t``, and ``x_t`` feeds the next state.

    Returns
    -------
    matplotlib.figure.Figure
        One panel whose boxes have gids ``"input"`` (``x_{t-1}`` to ``x_{t+1}``),
        ``"hidden"`` (``h_{t-1}`` to ``h_{t+1}``) and ``"output"`` (their
        predictions); dots stand for the steps before and after.

    Examples
    --------
    >>> fig = latent_ar()
    >>> sorted(t.get_text() for t in fig.axes[0].texts if "h_" in t.get_text())
    ['$h_{t+1}$', '$h_{t-1}$', '$h_{t}$']
    """
    fig, (ax,) = _figure([(*LATENT_X, *LATENT_Y)], ncols=1)
    n, half, corner = len(LATENT_T), BOX_W / 2, BOX_H / 2
    x, prev = _off_grid(ax, -1, ROW_X, corner, corner), _off_grid(ax, -1, ROW_H, half, 0)
    for c, t in enumerate(LATENT_T):
        prev, x = _latent_column(ax, c, t, prev, x)
    _arrow(ax, x, _off_grid(ax, n, ROW_H, -corner, -corner))  # x_{t+1} feeds h_{t+2} ...
    _arrow(ax, prev, Node(n * STEP - half, ROW_H, None))  # ... as h_{t+1} does
    for c in range(n + 1):  # U on every state-to-state arrow, halfway between the columns
        _label(ax, (c - 0.5) * STEP, ROW_H, r"$U$", "above", size=10)
    for y, name in LATENT_ROWS:
        _label(ax, NAMES_X, y, tr(name), "left", size=10)
    _title(ax, tr(LATENT_TITLE))
    return fig
