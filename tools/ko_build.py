"""Build the Korean edition into ``_build/html/ko/``: the second half of ``make book``.

    python tools/ko_build.py [jupyter-book build options]   # make book: --all -W -n --keep-going

Jupyter Book builds ``ko/`` (ko/_config.yml: ``language: ko`` and the English edition's
extensions from ``book/_ext``) into ``_build/ko/_build/html``, with its own doctrees and
executed notebooks, so every label, equation number and glue key is the Korean build's
own; the result is then copied to ``_build/html/ko/``, beside the English pages. The
chapters run a second time in fresh kernels, with ``RNNBOOK_LANG=ko`` (set by
book/_ext/editions.py), so their figures carry Korean words.

The table of contents is ko/_toc.yml without the pages tools/editions.py lists as not
yet translated (references to them become links into the English edition). That filtered
copy is written to ``_build/ko/_toc.yml``; with nothing left out, ko/_toc.yml is used as
it is. Prints what it left out. Exits with jupyter-book's status.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import editions  # tools/ is not a package: its folder is put on the path above

ROOT = editions.ROOT
BUILD = ROOT / "_build" / "ko"  # jupyter-book's --path-output: BUILD / "_build" / "html"
TARGET = ROOT / "_build" / "html" / "ko"


def korean_toc(untranslated=editions.UNTRANSLATED, root=ROOT):
    """ko/_toc.yml as a dict, without the entries of the ``untranslated`` English pages
    (and without any part that is left empty)."""
    toc = yaml.safe_load((root / "ko" / "_toc.yml").read_text(encoding="utf8"))
    built = set(editions.built_korean_files(root, untranslated))
    parts = []
    for part in toc.get("parts", []):
        kept = [c for c in part["chapters"] if f"ko/{c['file']}.md" in built]
        if kept:
            parts.append({**part, "chapters": kept})
    return {**toc, "parts": parts}


def toc_path(untranslated=editions.UNTRANSLATED, folder=BUILD):
    """The table of contents to build from: ko/_toc.yml, or a filtered copy of it
    written to ``folder``."""
    if not untranslated:
        return ROOT / "ko" / "_toc.yml"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "_toc.yml"
    text = yaml.safe_dump(korean_toc(untranslated), allow_unicode=True, sort_keys=False)
    path.write_text("# Written by tools/ko_build.py from ko/_toc.yml.\n" + text, encoding="utf8")
    return path


def command(folder, options):
    """The jupyter-book command that builds the Korean edition into ``folder``
    (its --path-output), with the table of contents written there too."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    toc = toc_path(folder=folder)
    return [
        str(jupyter_book),
        "build",
        str(ROOT / "ko"),
        "--path-output",
        str(folder),
        "--toc",
        str(toc),
        *options,
    ]


def main(options):
    if editions.UNTRANSLATED:
        missing = ", ".join(editions.UNTRANSLATED)
        print(f"ko_build: not translated yet, left out (linked to English): {missing}")
    # From an empty folder, as `make book` builds the English: over an earlier build,
    # Sphinx gives stylesheet links a ?v=checksum that a fresh build's pages lack.
    shutil.rmtree(BUILD, ignore_errors=True)
    status = subprocess.run(command(BUILD, options), cwd=ROOT, check=False).returncode
    built = BUILD / "_build" / "html"
    if status == 0:
        shutil.rmtree(TARGET, ignore_errors=True)
        shutil.copytree(built, TARGET)
        print(f"ko_build: the Korean edition is in {TARGET.relative_to(ROOT)}/")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
