"""Write ko/glossary.md, the Korean edition's Korean-English glossary, from ko/terms/*.tsv.

    python tools/ko_glossary.py          # rewrite ko/glossary.md
    python tools/ko_glossary.py --check  # exit 1 if ko/glossary.md is not what it would write

Each ``ko/terms/<name>.tsv`` holds one term a line, ``한국어<TAB>English`` (``#`` starts a
comment line): ``core.tsv`` is the core list of the translators' conventions (KO_TERMS.md),
and every translated page adds its new terms in a file of its own. The glossary lists
every term once, in 가나다 order (Hangul syllables in Unicode order are in dictionary
order; spaces are ignored, terms that do not start with Hangul come last), under a
heading per initial consonant (ㄲ with ㄱ, as dictionaries do). A Korean term given two
English renderings keeps both. tests/book/test_korean_parity.py checks that the page is
up to date.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TERMS = ROOT / "ko" / "terms"
PAGE = ROOT / "ko" / "glossary.md"

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
BASE = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}

HEAD = """\
# 용어 대역표

% Written by tools/ko_glossary.py from ko/terms/*.tsv: edit those files, not this page.

이 책의 한국어판이 쓰는 용어와 그 영어 원어를 가나다순으로 모았다. 영어로 된 논문과 책을
읽을 때 찾아보기 바란다. 각 장은 용어가 처음 나올 때 괄호 안에 영어를 함께 적는다.
모두 {count}개이다.
"""


def read_terms(folder=TERMS):
    """Korean term -> English renderings (in the order first met), from every .tsv in
    ``folder``.

    Raises
    ------
    ValueError
        For a line that is not ``한국어<TAB>English``, naming the file and line.
    """
    terms = {}
    for path in sorted(Path(folder).glob("*.tsv")):
        lines = path.read_text(encoding="utf8").splitlines()
        for n, line in enumerate(lines, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = [f.strip() for f in line.split("\t")]
            if len(fields) != 2 or not all(fields):
                raise ValueError(f"{path.name}:{n}: expected 한국어<TAB>English, got {line!r}")
            korean, english = fields
            renderings = terms.setdefault(korean, [])
            if english not in renderings:
                renderings.append(english)
    return terms


def _hangul(ch):
    return "\uac00" <= ch <= "\ud7a3"


def sort_key(term):
    """가나다 order: Hangul first (code point order), spaces ignored.

    >>> sorted(["학습률", "기울기 클리핑", "기울기", "GRU", "까닭"], key=sort_key)
    ['기울기', '기울기 클리핑', '까닭', '학습률', 'GRU']
    """
    return (not _hangul(term[0]), term.replace(" ", ""))


def initial(term):
    """The heading a term is listed under: its first consonant (ㄲ under ㄱ), or "기타".

    >>> initial("까닭"), initial("순환 신경망"), initial("n-그램")
    ('ㄱ', 'ㅅ', '기타')
    """
    if not _hangul(term[0]):
        return "기타"
    consonant = INITIALS[(ord(term[0]) - 0xAC00) // 588]
    return BASE.get(consonant, consonant)


def _cell(text):
    return text.replace("|", "\\|")


def page(terms):
    """The Markdown of the glossary page."""
    out = [HEAD.format(count=len(terms))]
    heading = None
    for korean in sorted(terms, key=sort_key):
        if initial(korean) != heading:
            heading = initial(korean)
            out.append(f"\n## {heading}\n\n| 한국어 | English |\n| --- | --- |")
        out.append(f"| {_cell(korean)} | {_cell('; '.join(terms[korean]))} |")
    return "\n".join(out) + "\n"


def main(argv):
    text = page(read_terms())
    if "--check" in argv:
        if not PAGE.is_file() or PAGE.read_text(encoding="utf8") != text:
            print("ko/glossary.md is out of date: run python tools/ko_glossary.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf8")
    print(f"ko/glossary.md: {len(read_terms())} terms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
