"""The Korean edition can only differ from the English one in its prose.

Every English page of _toc.yml has a Korean page (tools/editions.py says where), and each
Korean page has exactly its English page's code cells (byte for byte, options included
except the caption and alt a reader reads), labels, display equations, glue keys, figure
names, citation keys and included files (tools/ko_sync.py's ``differences``). While a
translation is being written its English page is listed in tools/editions.py's
UNTRANSLATED, and its test is skipped with that reason; the finished state, "strict", is
an empty list. The list can only shrink: a page listed there that has a Korean file fails.

Then, against the built book (after test_book.py's build): every Korean page is
``<html lang="ko">``, every page of both editions links the same page in the other
edition, and the Korean search index finds a word on the pages that write it with a
particle attached.
"""

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
BUILD_TEST = "test_book.py::test_book_builds_with_warnings_as_errors"


def _tool(name, path=None):
    """A module of tools/ (or the file ``path``), registered as ``name`` (doctest needs it)."""
    spec = importlib.util.spec_from_file_location(name, path or ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


editions, ko_sync, ko_glossary = _tool("editions"), _tool("ko_sync"), _tool("ko_glossary")


def _load_ext(name):
    """A Sphinx extension of book/_ext, as the module ``book_ext_<name>``."""
    return _tool(f"book_ext_{name}", ROOT / "book" / "_ext" / f"{name}.py")


PAIRS = editions.pairs()
UNTRANSLATED = set(editions.UNTRANSLATED)


def test_korean_config_loads_every_extension_of_the_english_but_the_pdfs():
    """Regression: ko/_config.yml lacked whole_streams, so a printout the kernel cut in two
    made two blocks on one build of a Korean page and one on another (two builds differed
    in ko/book/ch01 and ch04). pdf_book is the English PDF's (the Korean has none)."""
    import yaml

    def extensions(path):
        return set(yaml.safe_load(path.read_text(encoding="utf8"))["sphinx"]["local_extensions"])

    english, korean = extensions(ROOT / "_config.yml"), extensions(ROOT / "ko" / "_config.yml")
    assert english - {"pdf_book"} <= korean, sorted(english - korean)


def test_the_untranslated_pages_are_reported():
    """Not a check: the list of English pages the Korean edition still lacks, for the log."""
    print(f"Korean pages not written yet ({len(UNTRANSLATED)}): {sorted(UNTRANSLATED) or 'none'}")
    pages = {english for english, _, _ in PAIRS}
    assert pages >= UNTRANSLATED, "UNTRANSLATED names no page"


@pytest.mark.parametrize("english, korean, exists", PAIRS, ids=[p[0] for p in PAIRS])
def test_every_english_page_has_its_korean_page(english, korean, exists):
    if english in UNTRANSLATED:
        assert not exists, (
            f"{korean} exists: remove {english} from UNTRANSLATED in tools/editions.py"
        )
        pytest.skip(f"{korean} not translated yet (tools/editions.py UNTRANSLATED)")
    assert exists, f"{english} has no Korean page {korean}"


@pytest.mark.parametrize("english, korean, exists", PAIRS, ids=[p[1] for p in PAIRS])
def test_korean_page_shares_its_english_pages_structure(english, korean, exists):
    if not exists:
        pytest.skip(f"{korean} not translated yet")
    problems = ko_sync.differences(english, korean)
    assert not problems, "\n".join(problems) + "\n(python tools/ko_sync.py copies the code)"


def test_korean_toc_mirrors_the_english_toc():
    english = yaml_parts(ROOT / "_toc.yml")
    korean = yaml_parts(ROOT / "ko" / "_toc.yml")
    assert len(korean) == len(english), "ko/_toc.yml has other parts"
    for (e_numbered, e_files), (k_numbered, k_files) in zip(english, korean):
        assert k_numbered == e_numbered
        translated = [editions.english_path(f"ko/{f}.md") for f in k_files]
        assert [t for t in translated if t] == [f"{f}.md" for f in e_files]
    root = editions.toc_files(ROOT / "ko" / "_toc.yml")[0]
    assert editions.english_path(f"ko/{root}.md") == editions.english_pages()[0]
    assert "glossary" in korean[-1][1], "the glossary is in the back matter"


def yaml_parts(path):
    import yaml

    toc = yaml.safe_load(path.read_text(encoding="utf8"))
    return [(bool(p.get("numbered")), [c["file"] for c in p["chapters"]]) for p in toc["parts"]]


def test_glossary_page_is_up_to_date():
    expected = ko_glossary.page(ko_glossary.read_terms())
    actual = (ROOT / "ko" / "glossary.md").read_text(encoding="utf8")
    assert actual == expected, "ko/glossary.md is stale: run python tools/ko_glossary.py"


def test_glossary_is_sorted_in_korean_order_and_holds_the_core_terms():
    terms = ko_glossary.read_terms()
    text = (ROOT / "ko" / "glossary.md").read_text(encoding="utf8")
    rows = re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", text, re.MULTILINE)[1:]
    listed = [k for k, _ in rows if k not in ("한국어", "---")]
    assert listed == sorted(listed, key=ko_glossary.sort_key) and len(listed) == len(terms)
    core = ko_glossary.read_terms(ROOT / "ko" / "terms")  # every file, core.tsv among them
    for korean, english in (
        ("순환 신경망", "recurrent neural network (RNN)"),
        ("기울기", "gradient"),
    ):
        assert english in core[korean]
    headings = re.findall(r"^## (\S+)$", text, re.MULTILINE)
    assert headings == sorted(headings, key=lambda h: (h == "기타", h)), headings


@pytest.mark.parametrize("tsv", sorted((ROOT / "ko" / "terms").glob("*.tsv")), ids=lambda p: p.name)
def test_term_files_are_korean_tab_english(tsv):
    for n, line in enumerate(tsv.read_text(encoding="utf8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            korean, english = line.split("\t")
            assert re.search(r"[\uac00-\ud7a3]", korean), f"{tsv.name}:{n}: no Hangul in {korean!r}"
            assert re.search(r"[A-Za-z]", english), f"{tsv.name}:{n}: no English in {english!r}"


def test_regression_sort_key_ignores_spaces():
    # "기울기 클리핑" came before "기울기소실" by the space (U+0020) alone.
    words = ["기울기소실", "기울기 클리핑"]
    assert sorted(words, key=ko_glossary.sort_key) == ["기울기소실", "기울기 클리핑"]


# --- tools/ko_sync.py -------------------------------------------------------------------------

ENGLISH = """\
# Title

```{code-cell} ipython3
---
mystnb:
  figure:
    caption: "A figure."
    name: fig-a
---
x = 1
```

Text {glue:text}`n:.2f`.

```{code-cell} ipython3
:tags: [hide-input]
print(2)
```
"""


def test_sync_copies_the_code_and_keeps_the_korean_caption():
    korean = ENGLISH.replace("# Title", "# 제목").replace("A figure.", "그림 하나.")
    korean = korean.replace("x = 1", "x = 0  # stale").replace("Text", "본문")
    synced = ko_sync.sync_text(ENGLISH, korean)
    assert "x = 1\n" in synced and "stale" not in synced
    assert 'caption: "그림 하나."' in synced and "# 제목" in synced and "본문" in synced
    assert [c.code for c in ko_sync.code_cells(synced)] == [["x = 1"], ["print(2)"]]


def test_sync_takes_new_options_from_english():
    korean = ENGLISH.replace("A figure.", "그림 하나.")
    english = ENGLISH.replace(":tags: [hide-input]", ":tags: [hide-output]")
    synced = ko_sync.sync_text(english, korean)
    assert ":tags: [hide-output]" in synced and "그림 하나." in synced


def test_sync_refuses_pages_with_another_number_of_cells():
    korean = ENGLISH + "\n```{code-cell} ipython3\nextra()\n```\n"
    assert ko_sync.sync_text(ENGLISH, korean) is None


def test_structure_reads_labels_glue_and_figures():
    page = ROOT / "book" / "x.md"  # only its folder is used (for includes)
    found = ko_sync.structure(page, ENGLISH + "\n(sec-a)=\n## A\n{cite}`b,a` {glue}`m`\n")
    assert found["figure names"] == ["fig-a"]
    assert found["labels"] == ["fig-a", "sec-a"]
    assert found["glue keys"] == ["m", "n:.2f"] and found["citation keys"] == ["a", "b"]


def test_differences_name_a_changed_label_and_equation():
    korean = (ROOT / "ko" / "notation.md").read_text(encoding="utf8")
    assert ko_sync.differences("book/notation.md", "ko/notation.md", korean) == []
    broken = korean.replace(":label: eq-notation-linear", ":label: eq-notation-lin")
    found = ko_sync.differences("book/notation.md", "ko/notation.md", broken)
    assert any("labels" in d for d in found) and any("display equations" in d for d in found)


# --- the built editions ------------------------------------------------------------------------


def _built(request):
    if not (HTML / "ko" / "index.html").is_file():
        if any(BUILD_TEST in item.nodeid for item in request.session.items):
            pytest.fail("the build test ran in this session but left no _build/html/ko")
        pytest.skip("no _build/html/ko yet: run `make book` (make test builds it first)")


KOREAN_HTML = [f[len("ko/") : -len(".md")] + ".html" for f in editions.built_korean_files()]


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_every_korean_page_is_built_as_korean(request):
    _built(request)
    for name in KOREAN_HTML:
        page = HTML / "ko" / name
        assert page.is_file(), f"no {page.relative_to(HTML)}"
        head = page.read_text(encoding="utf8")[:400]
        assert '<html lang="ko"' in head, f"{name}: not <html lang=ko>"


def _switch(page):
    match = re.search(
        r'<a class="btn btn-sm rnn-edition-switch" href="([^"]+)"\s+hreflang="(\w+)"',
        page.read_text(encoding="utf8"),
    )
    return match and match.groups()


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_every_page_of_both_editions_links_the_other_edition(request):
    _built(request)
    pages = [p for p in HTML.rglob("*.html") if "_static" not in p.parts]
    pages = [p for p in pages if p.name != "index.html"]  # JB's redirects to the front page
    assert len(pages) > len(KOREAN_HTML)
    for page in pages:
        found = _switch(page)
        where = page.relative_to(HTML)
        assert found, f"{where}: no language switch"
        href, lang = found
        target = (page.parent / href).resolve()
        korean = where.parts[0] == "ko"
        assert lang == ("en" if korean else "ko"), f"{where}: switch to {lang}"
        assert target.is_file(), f"{where}: the switch goes to {href}, which does not exist"
        assert target.is_relative_to((HTML / "ko").resolve()) != korean, f"{where}: same edition"
        english_name = korean and editions.english_docname(
            where.relative_to("ko").with_suffix("").as_posix()
        )
        if english_name:  # a pair: the other page links back here
            assert target == (HTML / f"{english_name}.html").resolve(), f"{where} -> {href}"
            back = (target.parent / _switch(target)[0]).resolve()
            assert back == page.resolve(), f"{where} -> {href} -> elsewhere"


def _search_index(path):
    text = path.read_text(encoding="utf8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def _searchable(source):
    """The text of a page's source that Sphinx indexes: without a figure's alt text (an
    attribute of the image, which no edition's search holds) and HTML comments."""
    text = source.read_text(encoding="utf8")
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    return re.sub(r"(?m)^[ \t]*:?alt:.*$", " ", text)


def test_searchable_text_drops_alt_text_and_comments(tmp_path):
    """Regression: the particle test counted words of alt text, which Sphinx never indexes."""
    page = tmp_path / "page.md"
    page.write_text(
        "산점도를 본다\n:::{figure} a.png\n:alt: 겹겹이\n---\nalt: 바깥에\n"
        "<!-- 진폭이\n -->\n:::\n",
        encoding="utf8",
    )
    assert re.findall(r"\w+", _searchable(page)) == ["산점도를", "본다", "figure", "a", "png"]


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_korean_search_finds_words_written_with_a_particle(request):
    _built(request)
    index = _search_index(HTML / "ko" / "searchindex.js")
    docnames = index["docnames"]

    def pages(term):  # a word of a page's title is in titleterms only
        out = set()
        for table in (index["terms"], index["titleterms"]):
            found = table.get(term, [])
            out |= {docnames[i] for i in ([found] if isinstance(found, int) else found)}
        return out

    # Every word a page writes only with a particle or ending (감쇠는, 감쇠를, never 감쇠)
    # is found on that page by its bare form.
    search = _load_ext("korean_search")
    missed, checked = [], 0
    for source in editions.built_korean_files():
        docname = source[len("ko/") : -len(".md")]
        words = set(re.findall(r"\w+", _searchable(ROOT / source)))
        for word in sorted(words):
            for bare in search.bare_forms(word):
                if bare not in words and re.fullmatch(r"[\uac00-\ud7a3]{2,}", bare):
                    checked += 1
                    if docname not in pages(bare):
                        missed.append(f"{bare} ({word}) on {docname}")
    assert checked > 100, f"only {checked} words written with a particle"
    assert not missed, f"{len(missed)} of {checked} not found: {missed[:10]}"
    assert pages("기울기") and pages("rnn"), "Latin words are indexed (stemmed) as in English"


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_korean_font_holds_every_korean_character_of_the_pages(request):
    """For a reader without a Korean font: book/_ext/korean_font.py serves one, cut to the
    characters the pages use. Every one of them must be in it, or it shows as a box."""
    _built(request)
    from fontTools.ttLib import TTFont

    font = HTML / "ko" / "_static" / "rnn-korean.woff"
    assert font.is_file(), "no _static/rnn-korean.woff in the Korean edition"
    cmap = set(TTFont(str(font)).getBestCmap())
    used = set(_load_ext("korean_font").korean_characters(HTML / "ko"))
    assert len(used) > 200, f"only {len(used)} Korean characters in the built pages"
    assert not used - cmap, f"{len(used - cmap)} characters missing: {sorted(used - cmap)[:10]}"
    css = (HTML / "ko" / "_static" / "rnn_korean_font.css").read_text(encoding="utf8")
    assert 'local("Noto Sans CJK KR")' in css and 'url("rnn-korean.woff")' in css
    assert (HTML / "ko" / "_static" / "rnn-korean-font-LICENSE.txt").is_file()
    for page in KOREAN_HTML:
        assert "rnn_korean_font.css" in (HTML / "ko" / page).read_text(encoding="utf8"), page


@pytest.mark.parametrize(
    "module",
    [
        lambda: editions,
        lambda: ko_sync,
        lambda: ko_glossary,
        lambda: _load_ext("editions"),
        lambda: _load_ext("korean_search"),
        lambda: _load_ext("korean_font"),
        lambda: _load_ext("reader_pages"),
    ],
    ids=[
        "editions",
        "ko_sync",
        "ko_glossary",
        "ext.editions",
        "korean_search",
        "korean_font",
        "reader_pages",
    ],
)
def test_the_editions_tools_doctests(module):
    """tools/ and book/_ext/ are outside pytest's testpaths: their examples run here."""
    import doctest

    result = doctest.testmod(module(), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0, result
