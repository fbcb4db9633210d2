"""Tests of rnnbook.figures.diagrams: the computation graphs hold the nodes, labels and
geometry the chapter's text refers to, and render cleanly and reproducibly."""

import io
import itertools
from collections import Counter

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.text import Annotation

from rnnbook.figures import diagrams

BUILDERS = {
    "unrolled_graph": diagrams.unrolled_graph,
    "unrolled_graph_T1": lambda: diagrams.unrolled_graph(T=1),
    "unrolled_graph_T8": lambda: diagrams.unrolled_graph(T=8),
    "architectures": diagrams.architectures,
    "chain_vs_tree": diagrams.chain_vs_tree,
    "latent_ar": diagrams.latent_ar,
}
builders = pytest.mark.parametrize("build", BUILDERS.values(), ids=BUILDERS.keys())
# The layout tests run in both editions' languages: Korean labels are wider (sliders.i18n).
languages = pytest.mark.parametrize("lang", ["en", "ko"])


def texts(fig_or_ax):
    """Every string written on a figure (or one axes), titles included."""
    if isinstance(fig_or_ax, Figure):
        return [t.get_text() for t in fig_or_ax.texts] + [
            s for ax in fig_or_ax.axes for s in texts(ax)
        ]
    return [fig_or_ax.get_title()] + [t.get_text() for t in fig_or_ax.texts]


def count(ax, gid):
    return sum(p.get_gid() == gid for p in ax.patches)


def nodes(fig):
    return [p for ax in fig.axes for p in ax.patches if isinstance(p, FancyBboxPatch)]


def png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def overlap(a, b, tol=0.5):
    """Whether two display boxes overlap by more than ``tol`` pixels both ways."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tol and min(a.y1, b.y1) - max(a.y0, b.y0) > tol


# --- every figure ------------------------------------------------------------


@builders
def test_returns_a_figure_unknown_to_pyplot(build):
    before = plt.get_fignums()
    fig = build()
    assert isinstance(fig, Figure) and plt.get_fignums() == before
    assert fig.get_figwidth() == pytest.approx(7.2) and fig.dpi == 100
    assert 1.5 < fig.get_figheight() < 6
    assert fig.get_facecolor() == (1.0, 1.0, 1.0, 1.0)


@builders
def test_png_rendering_is_deterministic(build):
    fig = build()
    a, b = png(fig), png(fig)
    assert a.startswith(b"\x89PNG") and a == b
    assert png(build()) == a


@languages
@builders
def test_text_is_readable_and_inside_the_figure(build, lang, monkeypatch):
    monkeypatch.setenv("RNNBOOK_LANG", lang)
    fig = build()
    fig.draw_without_rendering()
    frame = fig.bbox
    for t in [t for ax in fig.axes for t in (*ax.texts, ax.title)]:
        assert t.get_fontsize() >= 9, t.get_text()
        box = t.get_window_extent()
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, t.get_text()
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, t.get_text()


@languages
@builders
def test_labels_overlap_neither_each_other_nor_foreign_boxes(build, lang, monkeypatch):
    monkeypatch.setenv("RNNBOOK_LANG", lang)
    fig = build()
    fig.draw_without_rendering()
    for ax in fig.axes:
        labels = [t for t in (*ax.texts, ax.title) if t.get_text()]
        boxes = [p.get_window_extent() for p in ax.patches if isinstance(p, FancyBboxPatch)]
        for s, t in itertools.combinations(labels, 2):
            assert not overlap(s.get_window_extent(), t.get_window_extent()), (s, t)
        # A node's own label sits inside it; weight and side labels must stay outside all.
        for t in [t for t in ax.texts if isinstance(t, Annotation)]:
            assert not any(overlap(t.get_window_extent(), b) for b in boxes), t.get_text()


@builders
def test_arrows_end_at_box_borders_not_centres(build):
    fig = build()
    fig.draw_without_rendering()
    boxes = [p.get_window_extent() for p in nodes(fig)]
    for ax in fig.axes:
        for arrow in [p for p in ax.patches if isinstance(p, FancyArrowPatch)]:
            path = arrow.get_transform().transform_path(arrow.get_path())
            for x, y in path.vertices:
                assert not any(b.x0 + 1 < x < b.x1 - 1 and b.y0 + 1 < y < b.y1 - 1 for b in boxes)


@builders
def test_nodes_use_the_books_palette(build):
    palette = [diagrams.INPUT, diagrams.HIDDEN, diagrams.OUTPUT, diagrams.NEUTRAL, diagrams.DECODER]
    allowed = {to_rgba(c) for c in palette}
    for p in nodes(build()):
        assert p.get_edgecolor() in allowed
        assert p.get_facecolor() == to_rgba(p.get_edgecolor(), 0.15)  # light fill, same hue


# --- unrolled_graph ------------------------------------------------------------


@pytest.mark.parametrize("T", range(1, 9))
def test_unrolled_view_has_one_column_per_step(T):
    loop, unrolled = diagrams.unrolled_graph(T=T).axes
    assert (count(unrolled, "hidden"), count(unrolled, "input"), count(unrolled, "output")) == (
        T + 1,
        T,
        T,
    )
    assert [count(loop, k) for k in ("input", "hidden", "output", "delay")] == [1, 1, 1, 1]
    assert f"$h_{T}$" in texts(unrolled) and f"$h_{T + 1}$" not in texts(unrolled)


def test_unrolled_graph_labels_nodes_and_weights():
    loop, unrolled = diagrams.unrolled_graph(T=4).axes
    for label in ["$h_0$", "$h_4$", "$x_1$", "$x_4$", "$y_1$", "$y_4$", "unroll"]:
        assert label in texts(unrolled)
    for label in ["$x_t$", "$h_t$", "$y_t$", "delay", "$W_{xh}$", "$W_{hh}$", "$W_{hy}$"]:
        assert label in texts(loop)


@pytest.mark.parametrize("T", range(1, diagrams.EVERY_STEP + 1))
def test_short_unrolling_names_the_shared_weights_on_every_step(T):
    unrolled = diagrams.unrolled_graph(T=T).axes[1]
    for w in ["$W_{xh}$", "$W_{hh}$", "$W_{hy}$"]:
        assert texts(unrolled).count(w) == T


def test_long_unrolling_still_names_each_weight():
    unrolled = diagrams.unrolled_graph(T=8).axes[1]
    for w in ["$W_{xh}$", "$W_{hh}$", "$W_{hy}$"]:
        assert texts(unrolled).count(w) >= 1
    assert any("every step" in s for s in texts(unrolled))


def test_node_count_follows_T():
    def total(T):
        return len(nodes(diagrams.unrolled_graph(T=T)))

    assert total(5) - total(2) == 3 * 3


@pytest.mark.parametrize("T", [0, 9, -1, 2.0, 4.5, "4", None, True])
def test_bad_T_is_rejected_by_name(T):
    with pytest.raises(ValueError, match=r"^T: expected an integer in \[1, 8\]"):
        diagrams.unrolled_graph(T=T)


# --- architectures -------------------------------------------------------------


def test_architectures_has_the_four_titled_panels():
    fig = diagrams.architectures()
    assert [ax.get_title() for ax in fig.axes] == [
        "one to many (captioning)",
        "many to one (sentiment)",
        "many to many (tagging)",
        "encoder-decoder (translation)",
    ]


def test_architectures_wire_inputs_and_outputs_as_named():
    counts = [
        {k: count(ax, k) for k in ("input", "hidden", "output")}
        for ax in diagrams.architectures().axes
    ]
    one_to_many, many_to_one, many_to_many, enc_dec = counts
    assert one_to_many["input"] == 1 and one_to_many["output"] == one_to_many["hidden"]
    assert many_to_one["output"] == 1 and many_to_one["input"] == many_to_one["hidden"]
    assert many_to_many["input"] == many_to_many["output"] == many_to_many["hidden"]
    assert enc_dec["hidden"] == enc_dec["input"] + enc_dec["output"]
    assert all(c["hidden"] >= 3 for c in counts)


def test_encoder_feeds_decoder_and_both_are_named():
    ax = diagrams.architectures().axes[3]
    assert {"encoder", "decoder", "$h_3$", "$s_1$", "$y_1$"} <= set(texts(ax))
    hidden = {p.get_edgecolor() for p in ax.patches if p.get_gid() == "hidden"}
    assert len(hidden) == 2  # two greens: two RNNs
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    # Each of the 6 hidden states has one incoming arrow but the first encoder state:
    # 3 inputs + 3 outputs + 5 hidden-to-hidden, including encoder -> decoder.
    assert len(arrows) == 3 + 3 + 5


# --- chain_vs_tree ---------------------------------------------------------------


def test_chain_vs_tree_panels_and_leaves():
    chain, tree = diagrams.chain_vs_tree().axes
    assert chain.get_title() == "recurrent: chain-shaped"
    assert tree.get_title() == "recursive: tree-shaped"
    assert {"the", "dog", "bit", "Cheolsu"} <= set(texts(tree))
    assert {"$h_1$", "$h_4$", "$x_1$", "$x_4$"} <= set(texts(chain))
    assert (count(chain, "input"), count(chain, "hidden")) == (4, 4)
    # A binary tree over 4 leaves has 3 internal nodes, each applying the same W.
    assert (count(tree, "input"), count(tree, "hidden")) == (4, 3)
    assert texts(tree).count("$W$") == 3


# --- latent_ar -------------------------------------------------------------------


def edges(ax):
    """(tail label, head label) of every arrow of ``ax``; None for an end at the dots."""
    label = {}
    for p in ax.patches:
        if isinstance(p, FancyBboxPatch):
            centre = (p.get_x() + p.get_width() / 2, p.get_y() + p.get_height() / 2)
            label[p] = next(t.get_text() for t in ax.texts if t.get_position() == centre)
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    return [(label.get(a.patchA), label.get(a.patchB)) for a in arrows]


def test_latent_ar_draws_three_steps_of_the_chapters_model():
    (ax,) = diagrams.latent_ar().axes
    assert [count(ax, k) for k in ("input", "hidden", "output")] == [3, 3, 3]
    for t in ("t-1", "t", "t+1"):
        assert {f"$x_{{{t}}}$", f"$h_{{{t}}}$", f"$\\hat{{x}}_{{{t}}}$"} <= set(texts(ax))
    assert {"observed values", "latent states", "predictions"} <= set(texts(ax))
    assert ax.get_title() == "$h_t$ has read $x_1, \\dots, x_{t-1}$ and predicts $x_t$"
    # U on the four state-to-state arrows: h_{t-2} -> h_{t-1}, ..., h_{t+1} -> h_{t+2}.
    assert texts(ax).count("$U$") == 4
    assert texts(ax).count("$\\cdots$") == 3  # x_{t-2} and h_{t-2}; h_{t+2}


def test_latent_ar_follows_the_chapters_indexing():
    # eq-latent-ar: h_t = U(h_{t-1}, x_{t-1}) and x-hat_t is read off h_t, so h_t has
    # read x_{t-1} but not x_t, the value it predicts.
    arrows = edges(diagrams.latent_ar().axes[0])
    drawn = {e for e in arrows if None not in e}
    assert drawn == {
        ("$x_{t-1}$", "$h_{t}$"),
        ("$x_{t}$", "$h_{t+1}$"),
        ("$h_{t-1}$", "$h_{t}$"),
        ("$h_{t}$", "$h_{t+1}$"),
        ("$h_{t-1}$", "$\\hat{x}_{t-1}$"),
        ("$h_{t}$", "$\\hat{x}_{t}$"),
        ("$h_{t+1}$", "$\\hat{x}_{t+1}$"),
    }
    # Four more to or from the steps not drawn: h_{t-1} reads h_{t-2} and x_{t-2}, and
    # x_{t+1} and h_{t+1} feed h_{t+2}.
    stubs = [e for e in arrows if None in e]
    assert len(stubs) == 4 and len(arrows) == len(drawn) + 4
    assert Counter(stubs) == {
        (None, "$h_{t-1}$"): 2,
        ("$x_{t+1}$", None): 1,
        ("$h_{t+1}$", None): 1,
    }
    assert not any(a.replace("x", "h") == b for a, b in drawn)  # no x_s -> h_s
