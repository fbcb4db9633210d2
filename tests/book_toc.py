"""The pages listed in _toc.yml, for the Makefile and the tests.

python tests/book_toc.py              every page, one path a line
python tests/book_toc.py --notebooks  only pages that are MyST notebooks
python tests/book_toc.py --edition ko the Korean edition's pages (ko/_toc.yml) that exist
"""

import importlib.util
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

# "Is this page a MyST notebook" is tools/plain_notebook.py's test, which the book's
# download links use too; tools/ is not a package, so it is loaded from its file.
_SPEC = importlib.util.spec_from_file_location(
    "plain_notebook", ROOT / "tools" / "plain_notebook.py"
)
_plain_notebook = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_plain_notebook)
is_notebook = _plain_notebook.is_notebook


def toc_pages(root: Path = ROOT) -> list[Path]:
    """Every `file:` in _toc.yml (root first), as a path to its source file."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf8"))
    names = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                names.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    pages = []
    for name in names:
        path = root / name
        if not path.suffix:
            matches = [
                path.with_suffix(s) for s in (".md", ".ipynb") if path.with_suffix(s).exists()
            ]
            path = matches[0] if matches else path.with_suffix(".md")
        pages.append(path)
    return pages


if __name__ == "__main__":
    only_notebooks = "--notebooks" in sys.argv[1:]
    args = sys.argv[1:]
    korean = "--edition" in args and args[args.index("--edition") + 1 :][:1] == ["ko"]
    # A Korean page not translated yet has no file (tools/editions.py): it is left out.
    pages = [p for p in toc_pages(ROOT / "ko") if p.is_file()] if korean else toc_pages()
    for page in pages:
        if not only_notebooks or (page.suffix == ".md" and is_notebook(page)):
            print(page.relative_to(ROOT))
