"""The build: offline once set up, the same byte for byte in another folder.

Two builds of one commit in two folders must give the same _build/html, file for
file, but for the files in ALLOWED_DIFFERENCES (each with its reason) and book.pdf,
which only `make pdf` puts there (checked to be the PDF build's, see _html_tree). One of the
two is `make book` run in a copy of the working tree inside a network namespace
with only loopback (`unshare -n`), which also shows that once set up the build
needs no network: nothing may run pip or npm, and make must not redo the setup.
The other is the build of test_book.py in this checkout (or, when that test is not
part of the session, a second copy built the same way). The copy gets the
checkout's files as git sees them (tracked, and untracked but not ignored), a copy
of its _vendor, and a .venv of links to the checkout's with a stamp of its own (so
that nothing a copy's make does can reach the checkout's .venv); PYTHONPATH makes
the chapters import the copy's rnn_core, not the checkout's editable install.
"""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
BUILD_TEST = "test_book.py::test_book_builds_with_warnings_as_errors"

# path under _build/html -> why it may differ between two builds. None left.
ALLOWED_DIFFERENCES: dict[str, str] = {}

# Fails unless the namespace really has no way out (the address is a public resolver).
_NO_NETWORK = (
    "python3 -c 'import socket; socket.create_connection((\"1.1.1.1\", 53), timeout=3)' "
    '2>/dev/null && { echo "the namespace reaches the network"; exit 97; }; true'
)


def _unshare_or_skip():
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode:
        pytest.skip("unshare -n is not permitted here (it needs root): no offline build")


def _copy_checkout(dest):
    """The working tree's files as git sees them (mtimes kept), _vendor, a link to .venv."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # a file deleted but not yet committed is skipped
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    shutil.copytree(ROOT / "_vendor", dest / "_vendor", symlinks=True)
    _link_venv(dest)


def _link_venv(dest):
    """``dest/.venv``: links to the checkout's, a copied pyvenv.cfg, a stamp for dest's files.

    The stamp holds the checksums the Makefile's rule writes, of dest's own files:
    the environment is set up for them, as the checkout's is for its own.
    """
    venv = dest / ".venv"
    venv.mkdir()
    for entry in (ROOT / ".venv").iterdir():
        if entry.name == "pyvenv.cfg":
            shutil.copy2(entry, venv / entry.name)
        elif entry.name != ".stamp":
            (venv / entry.name).symlink_to(entry)
    inputs = ["requirements.txt", "requirements-dev.txt", "pyproject.toml"]
    sums = subprocess.run(["sha256sum", *inputs], cwd=dest, capture_output=True, check=True)
    (venv / ".stamp").write_bytes(sums.stdout)


def _offline(command, cwd, timeout):
    """Run ``command`` (bash) in a network namespace with only loopback (kernels use it)."""
    env = {**os.environ, "PYTHONPATH": str(cwd), "npm_config_fetch_retries": "0"}
    script = f"ip link set lo up && {_NO_NETWORK} && {command}"
    return subprocess.run(
        ["unshare", "-n", "bash", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _tree(folder):
    """Relative path -> sha256 of every file below ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _html_tree(html):
    """:func:`_tree` of an HTML build, ``book.pdf`` left out: `make pdf` copies its PDF there
    (make test builds the PDF in this checkout, never in the copies), so it is checked
    to be that copy, byte for byte, and not compared with a build that made no PDF."""
    tree = _tree(html)
    if "book.pdf" in tree:
        pdf = html.parent / "pdf" / "book.pdf"
        assert pdf.is_file(), f"{html}/book.pdf is there but {pdf} is not"
        copied = tree.pop("book.pdf")
        assert copied == hashlib.sha256(pdf.read_bytes()).hexdigest(), f"{html}/book.pdf != {pdf}"
    return tree


def test_html_tree_leaves_out_only_the_pdf_make_pdf_copied(tmp_path):
    """Regression: the two-builds test failed on ['book.pdf'] once make test built the PDF."""
    html, pdf = tmp_path / "_build" / "html", tmp_path / "_build" / "pdf"
    html.mkdir(parents=True), pdf.mkdir()
    (html / "index.html").write_text("page")
    (html / "book.pdf").write_bytes(b"%PDF-1")
    with pytest.raises(AssertionError, match="is there but"):
        _html_tree(html)
    (pdf / "book.pdf").write_bytes(b"%PDF-2")
    with pytest.raises(AssertionError, match="!="):
        _html_tree(html)
    (pdf / "book.pdf").write_bytes(b"%PDF-1")
    assert list(_html_tree(html)) == ["index.html"]


def _scratch(name):
    """A fresh folder for a copy, under _build/ (git ignores it, `make clean` removes it,
    and the book's build excludes it); an earlier run's copy is removed, the last kept."""
    folder = ROOT / "_build" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture(scope="module")
def offline_build():
    """A copy of the checkout, set up, then `make book` run there with no network."""
    _unshare_or_skip()
    if not (ROOT / "_vendor" / "extra").is_dir() or not (ROOT / ".venv" / "bin").is_dir():
        pytest.fail("run `make setup` first: the offline build needs .venv and _vendor")
    copy = _scratch("offline-copy")
    _copy_checkout(copy)
    return copy, _offline("make book", copy, timeout=1800)


@pytest.mark.slow
@pytest.mark.xdist_group("book")  # after test_book.py's build, on the same worker
def test_make_book_succeeds_with_no_network(offline_build):
    copy, result = offline_build
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"offline `make book` failed:\n{log[-6000:]}"
    assert "pip install" not in log and "npm pack" not in log and "fetching" not in log, log
    assert (copy / "_build" / "html" / "index.html").is_file()


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_two_builds_in_two_folders_are_byte_identical(offline_build, request):
    copy, result = offline_build
    assert result.returncode == 0, "the offline build failed (see the test above)"
    if any(BUILD_TEST in item.nodeid for item in request.session.items):
        other = HTML  # built by test_book.py earlier in this session, in this checkout
    else:  # no build of this checkout to compare with: a second copy, built the same way
        second = _scratch("second-copy") / "elsewhere"
        _copy_checkout(second)
        again = _offline("make book", second, timeout=1800)
        assert again.returncode == 0, (again.stdout + again.stderr)[-6000:]
        other = second / "_build" / "html"
    first, then = _html_tree(copy / "_build" / "html"), _html_tree(other)
    assert first.keys() == then.keys(), sorted(first.keys() ^ then.keys())
    differ = sorted(name for name in first if first[name] != then[name])
    unexplained = [name for name in differ if name not in ALLOWED_DIFFERENCES]
    assert not unexplained, f"{len(unexplained)} of {len(first)} files differ: {unexplained}"


# --- the setup steps, offline: nothing re-runs, nothing is lost ------------------------


@pytest.fixture()
def setup_copy(tmp_path):
    """What the setup steps of the Makefile read and write: enough to run them alone."""
    _unshare_or_skip()
    copy = tmp_path / "book"
    copy.mkdir()
    for name in (
        "Makefile",
        "vendor.txt",
        "requirements.txt",
        "requirements-dev.txt",
        "pyproject.toml",
    ):
        shutil.copy2(ROOT / name, copy / name)
    shutil.copytree(ROOT / "_vendor", copy / "_vendor", symlinks=True)
    _link_venv(copy)
    return copy


def test_touching_the_makefile_and_the_lists_offline_reruns_nothing(setup_copy):
    before = _tree(setup_copy / "_vendor")
    for name in ("Makefile", "vendor.txt", "requirements.txt", "pyproject.toml"):
        (setup_copy / name).touch()  # a checkout or an edit that changes nothing
    result = _offline("make vendor .venv/.stamp", setup_copy, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    log = result.stdout + result.stderr
    assert "pip" not in log and "npm" not in log, log  # make echoes what it runs
    assert _tree(setup_copy / "_vendor") == before


def test_a_failed_offline_vendor_run_keeps_the_working_vendor(setup_copy):
    before = _tree(setup_copy / "_vendor")
    listing = setup_copy / "vendor.txt"
    # a version that is in no cache: fetching it needs the network, which is not there
    listing.write_text(listing.read_text().replace("axe-core@4.14.1 ", "axe-core@4.14.999 "))
    result = _offline("make vendor", setup_copy, timeout=300)
    assert result.returncode != 0, "make vendor succeeded offline with a package not fetched"
    assert _tree(setup_copy / "_vendor") == before  # nothing replaced, nothing removed
    assert not list(setup_copy.glob(".vendor.tmp.*")), "the temporary folder was left behind"


def test_vendor_reextracts_from_its_own_tarballs_offline(setup_copy):
    before = _tree(setup_copy / "_vendor")
    listing = setup_copy / "vendor.txt"
    listing.write_text(listing.read_text() + "# a changed list: the recipe runs again\n")
    result = _offline("make vendor", setup_copy, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fetching" not in result.stdout  # every checksum matched a tarball in _vendor/npm
    after = _tree(setup_copy / "_vendor")
    assert {k: v for k, v in after.items() if k != ".stamp"} == {
        k: v for k, v in before.items() if k != ".stamp"
    }
