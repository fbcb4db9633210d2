"""The three layers import in one direction only: rnn_core <- sliders, and both <- rnnbook.

- ``rnn_core``, the numerical core, imports numpy, scipy, sympy and itself, nothing else
  of this project, and no plotting or widget library;
- ``sliders``, the figure framework, knows nothing of RNNs: it imports neither
  ``rnn_core`` nor ``rnnbook``;
- ``rnnbook.experiments`` compute the chapters' numbers from ``rnn_core`` and draw
  nothing: no ``sliders``, no matplotlib;
- ``rnnbook.figures`` may import everything above;
- ``rnnbook.ledger`` (the equation ledger) reads the pages and checks them with ``rnn_core``,
  sympy and lark: it draws nothing.

The rule is read from the source (every ``import`` and ``from ... import``, also inside
functions), so a lazy import cannot hide an upward dependency.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DRAWING = {"matplotlib", "ipywidgets", "PIL", "IPython"}
OURS = {"rnn_core", "sliders", "rnnbook"}

# package -> (top-level names it may import that are ours, other names it must not import)
RULES = {
    "rnn_core": ({"rnn_core"}, DRAWING),
    "sliders": ({"sliders"}, set()),
    "rnnbook/experiments": ({"rnn_core", "rnnbook"}, DRAWING | {"sliders"}),
    "rnnbook/figures": ({"rnn_core", "rnnbook", "sliders"}, set()),
    "rnnbook/ledger": ({"rnn_core", "rnnbook"}, DRAWING | {"sliders"}),
}


def _imports(path, package):
    """Top-level names of every module ``path`` imports (relative imports resolved)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(package.split("/")[0] if node.level else node.module.split(".")[0])
    return names


def _modules(package):
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(RULES))
def test_layer_imports_only_from_below(package):
    allowed, banned = RULES[package]
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in _modules(package)
        for name in _imports(path, package)
        if (name in OURS and name not in allowed) or name in banned
    }
    assert not wrong, f"{package} imports upwards or draws: {sorted(wrong)}"


def test_the_rule_sees_an_upward_import(tmp_path):
    bad = tmp_path / "cell.py"
    bad.write_text("def f():\n    from rnnbook.figures import ch05\n    import matplotlib\n")
    assert {"rnnbook", "matplotlib"} <= _imports(bad, "rnn_core")


def test_every_module_is_under_a_rule():
    packages = {p.parent.relative_to(ROOT).as_posix() for name in OURS for p in _modules(name)}
    assert packages <= set(RULES) | {"rnnbook"}, packages - set(RULES)


def test_importing_the_core_loads_no_plotting_or_widgets():
    code = (
        "import sys, rnn_core\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'matplotlib', 'ipywidgets', "
        "'PIL', 'sliders', 'rnnbook'})\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
