"""Two executions of a chapter give byte-identical figures.

Chapter 1 has static matplotlib figures and a slider figure. It runs twice, each time
in a fresh kernel, as the book build runs it: in book/ (so book/matplotlibrc sets
svg.hashsalt), with SLIDERS_STATIC=1 (the slider's static HTML) and SOURCE_DATE_EPOCH.
Every image (PNG, SVG) and every HTML output must come out the same, byte for byte.
"""

from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]

CHAPTER = ROOT / "book" / "ch01_sequence_data.md"
COMPARED = ("image/png", "image/svg+xml", "text/html")


def _figures(monkeypatch):
    monkeypatch.setenv("SLIDERS_STATIC", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # as the Makefile exports
    nb = jupytext.read(CHAPTER)
    NotebookClient(
        nb,
        timeout=300,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(CHAPTER.parent)}},
    ).execute()
    return [
        (f"cell {i} output {j} {mime}", out["data"][mime])
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for j, out in enumerate(cell.get("outputs", []))
        for mime in COMPARED
        if mime in out.get("data", {})
    ]


@pytest.mark.slow
def test_chapter_figures_are_byte_identical_across_two_runs(monkeypatch):
    first, second = _figures(monkeypatch), _figures(monkeypatch)
    kinds = {name.rsplit(" ", 1)[1] for name, _ in first}
    assert {"image/png", "text/html"} <= kinds, f"{CHAPTER.name}: expected figures, got {kinds}"
    assert [name for name, _ in first] == [name for name, _ in second]
    differ = [a for (a, x), (_, y) in zip(first, second) if x != y]
    assert not differ, f"{CHAPTER.name}: outputs differ between two runs: {differ}"
