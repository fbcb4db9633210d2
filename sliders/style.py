"""The one palette of the book's figures: chart marks, reference lines, diagrams.

Okabe-Ito colours (distinguishable under colour blindness) without its yellow, which
is unreadable on white. Every renderer (matplotlib, the static SVG) and every diagram
reads its colours from here.
"""

#: Mark colours in cycle order: a mark with no colour takes the next one.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
BLUE, VERMILLION, GREEN = PALETTE[:3]
NEUTRAL = "#555555"  # reference lines and annotations
INK = "#222222"  # text
MISSING = "#a0a0a0"  # heat-map cells that have no value: grey, outside every colour map
#: Colour maps as evenly spaced stops, interpolated linearly in RGB by both renderers.
CMAPS = {
    "RdBu": ("#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7",
             "#d1e5f0", "#92c5de", "#4393c3", "#2166ac", "#053061"),
    "viridis": ("#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89",
                "#35b779", "#6ece58", "#b5de2b", "#fde725"),
}  # fmt: skip
WIDTH = 720  # px; the SVG scales to the page, matplotlib uses WIDTH / 100 inches at 100 dpi
