"""chapter_run_<stem>_s: each chapter run top to bottom in a clean kernel, as the book runs it.

The book's build executes every notebook page of _toc.yml with nbclient (myst-nb,
``execute_notebooks: force``): the page read by myst-nb's own MyST reader, a fresh
``python3`` kernel started in ``book/``, SLIDERS_STATIC=1 (``book/_ext/sliders_static.py``
sets it, so the figures take their kernel-free path) and SOURCE_DATE_EPOCH as the Makefile
exports it. This module does the same outside Sphinx. The time runs from the kernel's
start to the end of the last cell, what a reader waits for after "Restart Kernel and
Run All Cells" (the kernel's shutdown is not counted).
"""

import importlib.util
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DATE_EPOCH = "1767225600"  # as the Makefile exports it


def _book_toc():
    """tests/book_toc.py, the Makefile's and the tests' reader of _toc.yml."""
    spec = importlib.util.spec_from_file_location("book_toc", ROOT / "tests" / "book_toc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def chapters(root=ROOT):
    """Every page of _toc.yml that is a MyST notebook (has a kernelspec), in book order."""
    toc = _book_toc()
    return [p for p in toc.toc_pages(root) if p.suffix == ".md" and toc.is_notebook(p)]


def run_once(path, timeout=300):
    """Seconds from a fresh kernel's start to the end of the last cell of ``path``."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from nbclient import NotebookClient

    nb = read_myst_markdown_notebook(path.read_text(encoding="utf8"), path=path)
    done = []
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},  # the kernel's cwd: book/
        on_cell_executed=lambda **_: done.append(time.perf_counter()),
    )
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError if a cell fails, as -W fails the build
    return (done[-1] if done else time.perf_counter()) - start


def chapter_times(repeats=3, root=ROOT):
    """{stem: median seconds over ``repeats`` runs}, the chapters run in turns."""
    saved = {k: os.environ.get(k) for k in ("SLIDERS_STATIC", "SOURCE_DATE_EPOCH")}
    os.environ["SLIDERS_STATIC"] = "1"  # what the book's Sphinx extension sets
    os.environ.setdefault("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    try:
        pages = chapters(root)
        times = {p.stem: [] for p in pages}
        for _ in range(repeats):
            for page in pages:
                times[page.stem].append(run_once(page))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return {stem: statistics.median(ts) for stem, ts in times.items()}
