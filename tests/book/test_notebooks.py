"""The chapters as readers get them from `make notebooks`, run top to bottom in a clean kernel.

Each chapter is converted by the Makefile's own rule (`make NB_DIR=... <dir>/<name>.ipynb`,
the recipe `make notebooks` runs for every chapter) and the resulting .ipynb is executed
with nbclient as JupyterLab would run it: in the notebook's folder and without
SLIDERS_STATIC, so every slider figure takes its live ipywidgets path. The code of the
chapter's exercise solutions runs after the chapter. One execution per chapter covers
both "the chapter runs" and "the notebook readers download runs, with working widgets".
"""

import json
import os
import re
import subprocess
from pathlib import Path

import jupytext
import nbformat
import pytest
from book_toc import is_notebook, toc_pages
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

CHAPTERS = [p for p in toc_pages() if p.suffix == ".md" and p.is_file() and is_notebook(p)]

# A python code block (``` or ~~~ fenced) inside a {solution} directive.
_SOLUTION = re.compile(r"^(`{3,}|~{3,})\{solution\}.*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE = re.compile(r"^(`{3,}|~{3,})python[ \t]*\n(.*?)^\1[ \t]*$", re.MULTILINE | re.DOTALL)

# Appended after the chapter: move every live slider of every figure the chapter showed
# and check that its figure was redrawn as an image. Prints one JSON line for the test.
_MOVE_SLIDERS = """\
import gc as _gc, json as _json
from sliders import Interactive as _Interactive
_report = []
for _fig in [o for o in _gc.get_objects() if isinstance(o, _Interactive)]:
    if _fig._view is None:  # never displayed live
        continue
    for _name, _control in _fig.controls.items():
        _before = _fig.output.outputs
        _control.value = _control.max if _control.value != _control.max else _control.min
        _after = _fig.output.outputs
        _report.append({
            "model_id": _fig.widget.model_id, "slider": _name,
            "redrawn": _after != _before,
            "png": bool(_after) and "image/png" in _after[0].get("data", {}),
            "error": "".join(o.get("text", "") for o in _after if o.get("output_type") == "stream"),
        })
print("SLIDERS " + _json.dumps(_report))
"""


def solution_code(text):
    """The python blocks shown in the chapter's exercise solutions, in order."""
    return [
        code.group(2)
        for block in _SOLUTION.finditer(text)
        for code in _CODE.finditer(block.group(0))
    ]


def make_notebook(path, out_dir):
    """Convert one chapter with the Makefile's `make notebooks` rule; return the .ipynb path."""
    target = Path(out_dir) / (path.stem + ".ipynb")
    subprocess.run(
        # -o: do not rebuild .venv from here; `make test` has set it up.
        [
            "make",
            "--no-print-directory",
            "-s",
            "-o",
            ".venv/.stamp",
            f"NB_DIR={out_dir}",
            str(target),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return target


def test_there_are_notebook_chapters():
    assert CHAPTERS, "no page in _toc.yml is a MyST notebook"


def test_solution_code_is_found():
    text = "```{solution} ex\n:class: dropdown\n\n~~~python\nx = 1\n~~~\n```\n"
    assert solution_code(text) == ["x = 1\n"]


def test_make_notebooks_writes_every_chapter_with_its_code(tmp_path):
    out = tmp_path / "notebooks"
    subprocess.run(
        ["make", "--no-print-directory", "-s", "-o", ".venv/.stamp", "notebooks", f"NB_DIR={out}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    files = sorted(p.name for p in out.iterdir() if p.is_file())
    assert files == sorted(p.stem + ".ipynb" for p in CHAPTERS)
    for path in CHAPTERS:
        nb = nbformat.read(out / (path.stem + ".ipynb"), as_version=4)
        nbformat.validate(nb)
        source = jupytext.read(path)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        assert code == [c.source for c in source.cells if c.cell_type == "code"], path.name
        assert nb.metadata.get("kernelspec"), f"{path.name}: no kernelspec for JupyterLab"
    # The Korean edition's pages, in notebooks/ko/: Korean prose, the English page's code.
    korean = [p for p in toc_pages(ROOT / "ko") if p.is_file() and is_notebook(p)]
    assert korean, "no Korean notebook page (ko/notation.md is one)"
    assert sorted(p.name for p in (out / "ko").iterdir()) == sorted(
        p.stem + ".ipynb" for p in korean
    )
    for path in korean:
        nb = nbformat.read(out / "ko" / (path.stem + ".ipynb"), as_version=4)
        nbformat.validate(nb)
        english = next(p for p in CHAPTERS if p.stem == path.stem)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        assert code == [c.source for c in jupytext.read(english).cells if c.cell_type == "code"]
        prose = "".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert re.search(r"[\uac00-\ud7a3]{20}", prose.replace(" ", "")), f"{path}: not Korean"
        assert "{eq}" not in prose and ":label:" not in prose, f"{path}: MyST left in the prose"


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_notebook_and_its_solutions_execute_with_live_widgets(path, tmp_path, monkeypatch):
    # The live path, as in JupyterLab (the book build sets SLIDERS_STATIC for its kernels).
    monkeypatch.delenv("SLIDERS_STATIC", raising=False)
    notebook = make_notebook(path, tmp_path)
    nb = nbformat.read(notebook, as_version=4)
    n_chapter = len(nb.cells)
    # The solutions' code runs after the chapter, in its namespace, as a reader
    # who pastes it at the end of the notebook would run it.
    nb.cells += [nbformat.v4.new_code_cell(code) for code in solution_code(path.read_text())]
    nb.cells.append(nbformat.v4.new_code_cell(_MOVE_SLIDERS))
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name=kernel,
        # Run beside the .ipynb, as `jupyter lab notebooks/` does, not in book/.
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    client.execute()  # raises CellExecutionError naming the failing cell
    outputs = [
        (i, out)
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    ]
    errors = [out for _, out in outputs if out.get("output_type") == "error"]
    assert not errors

    # Every slider figure in the chapter came out as a live widget view next to its
    # static HTML, and its widget's state was saved with the notebook.
    figures = [
        (i, out["data"])
        for i, out in outputs
        if i < n_chapter and 'class="rnnfig"' in out.get("data", {}).get("text/html", "")
    ]
    without_widget = [i for i, data in figures if WIDGET_VIEW not in data]
    assert not without_widget, f"{path.name}: slider cells {without_widget} have no widget view"
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    views = {data[WIDGET_VIEW]["model_id"] for _, data in figures}
    assert views <= set(state), f"{path.name}: widget views without saved state"

    # Moving each live slider redrew its figure as an image, with no error.
    report = next(
        json.loads(out["text"].split("SLIDERS ", 1)[1])
        for out in nb.cells[-1].outputs
        if out.get("name") == "stdout" and "SLIDERS " in out.get("text", "")
    )
    moved = {r["model_id"] for r in report}
    assert moved >= views, f"{path.name}: a displayed figure was not moved"
    broken = [r for r in report if not (r["redrawn"] and r["png"] and not r["error"])]
    assert not broken, f"{path.name}: sliders that did not redraw their figure: {broken}"
    assert "SLIDERS_STATIC" not in os.environ
