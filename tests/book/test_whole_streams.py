"""book/_ext/whole_streams.py: a cell's printout is one block, however the kernel cut it."""

import importlib.util
from pathlib import Path

from docutils import nodes

ROOT = Path(__file__).resolve().parents[2]
# A local Sphinx extension of the book: load it from its file.
_SPEC = importlib.util.spec_from_file_location(
    "whole_streams", ROOT / "book" / "_ext" / "whole_streams.py"
)
whole_streams = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(whole_streams)


def _block(text, *classes):
    block = nodes.literal_block(text, text)
    block["classes"] += list(classes)
    return block


def test_regression_a_print_cut_in_two_messages_is_one_block_with_its_text():
    # ch01 printed "sunny, sunny, cloudy, rainy: 0.021 0.021" as one or two blocks;
    # myst-nb's nb_merge_streams joined the two with a newline in the middle.
    cell = nodes.container()
    cell += _block("sunny, sunny, cloudy, rainy:", "output", "stream")
    cell += _block(" 0.021 0.021\n", "output", "stream")
    cell += _block("a warning\n", "output", "stderr")
    cell += _block("more\n", "output", "stderr")
    cell += _block("after\n", "output", "stream")
    cell += nodes.paragraph(text="not an output")
    cell += _block("x = 1", "highlight")  # code, not output: left alone
    cell += _block("y = 2", "highlight")
    doc = nodes.document(None, None)
    doc += cell
    whole_streams.join_streams(None, doc)
    texts = [(child.astext(), child["classes"]) for child in cell.children]
    assert texts == [
        ("sunny, sunny, cloudy, rainy: 0.021 0.021\n", ["output", "stream"]),
        ("a warning\nmore\n", ["output", "stderr"]),
        ("after\n", ["output", "stream"]),
        ("not an output", []),
        ("x = 1", ["highlight"]),
        ("y = 2", ["highlight"]),
    ]
    assert cell.children[0].rawsource == cell.children[0].astext()


def test_regression_nb_merge_streams_stays_off():
    # The PDF branch turned it on again for one output box per printout; whole_streams
    # already gives that, and myst-nb's merge rstrips each piece and adds a newline:
    # "rainy:" + " 0.021" became "rainy:\n 0.021" in the builds where the kernel cut there.
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))
    assert not config["sphinx"]["config"].get("nb_merge_streams", False)
    assert "whole_streams" in config["sphinx"]["local_extensions"]
