"""The words of the ledger's page in the reader's language, English or Korean.

Both editions' ledger pages (book/equation_ledger.md, ko/equation_ledger.md) run the same
code cell; the kernel's ``RNNBOOK_LANG`` (``ko`` in the Korean build, set by
book/_ext/editions.py) picks the words, as it does for the figures' words
(rnnbook/figures/strings.py). The ledger may not import ``sliders``
(tests/test_import_direction.py), so the lookup is this module's own.

:data:`FRAME` holds the page's own words, one template per key and language. A check's
description (the first paragraph of its docstring) and the message a passing check prints
are looked up by their English text in :data:`rnnbook.ledger.words_ko.DOCS` and
:data:`~rnnbook.ledger.words_ko.MESSAGES`: a Korean page whose check says something the
table lacks fails to build, naming the text, so that no English reaches it unnoticed. The
one exception is a failed check's message, which no table can foresee: it is shown as the
check printed it, marked as English.
"""

import os

from rnnbook.ledger.words_ko import DOCS, MESSAGES

__all__ = ["FRAME", "description", "language", "message", "text"]

LANGUAGES = ("en", "ko")

FRAME = {
    "en": {
        "headers": ("Equation", "Its check"),
        "caption": "Every labelled equation of the book and its check",
        "what": "What: {doc}",
        "in_build": "In this build: {message}",
        "where": "Where: {name} in {path}, line {line}; run by {test}.",
        "mutation": "Mutation: {old} &rarr; {new}: {verdict}.",
        "caught": "caught",
        "not_caught": "<strong>NOT caught</strong>",
        "passed": "passed",
        "failed": "<strong>FAILED</strong>",
        "definition": "definition",
        "symbolic": "symbolic",
        "numerical": "numerical",
        "count": "{count} {kind}",
        "summary": "{n} labelled equations: {counts}. {checks} in this build, and {caught}.",
        "all_passed": "All {n} checks passed",
        "some_failed": "Checks FAILED: {labels}",
        "all_caught": "all {n} mutations were caught",
        "some_missed": "NOT caught: {labels}",
        "english": "{message}",
    },
    "ko": {
        "headers": ("식", "검사"),
        "caption": "이 책의 번호 붙은 모든 식과 그 검사",
        "what": "검사 내용: {doc}",
        "in_build": "이번 빌드: {message}",
        "where": "위치: {path}의 {line}번째 줄에 있는 {name}, 실행하는 테스트는 {test}.",
        "mutation": "변이: {old} &rarr; {new}: {verdict}.",
        "caught": "잡힘",
        "not_caught": "<strong>잡히지 않음</strong>",
        "passed": "통과",
        "failed": "<strong>실패</strong>",
        "definition": "정의",
        "symbolic": "기호 검사",
        "numerical": "수치 검사",
        "count": "{kind} {count}개",
        "summary": "번호 붙은 식 {n}개: {counts}. 이번 빌드에서 {checks}, {caught}.",
        "all_passed": "검사 {n}개가 모두 통과했고",
        "some_failed": "검사가 실패한 식은 {labels}이고",
        "all_caught": "변이 {n}개가 모두 잡혔다",
        "some_missed": "잡히지 않은 변이는 {labels}이다",
        "english": "(검사가 영어로 출력한 그대로) {message}",
    },
}


def language(environ=os.environ):
    """``RNNBOOK_LANG``, or ``"en"`` when it is unset.

    >>> language({}), language({"RNNBOOK_LANG": "ko"})
    ('en', 'ko')
    >>> language({"RNNBOOK_LANG": "fr"})
    Traceback (most recent call last):
    ...
    ValueError: RNNBOOK_LANG: expected one of ('en', 'ko'), got 'fr'
    """
    lang = environ.get("RNNBOOK_LANG", "") or "en"
    if lang not in LANGUAGES:
        raise ValueError(f"RNNBOOK_LANG: expected one of {LANGUAGES}, got {lang!r}")
    return lang


def text(key, lang=None, **values):
    """The page's own words ``key`` in ``lang`` (default :func:`language`), filled in.

    >>> text("count", "en", count=3, kind="symbolic"), text("count", "ko", count=3, kind="정의")
    ('3 symbolic', '정의 3개')
    """
    template = FRAME[lang or language()][key]
    return template.format(**values) if values else template


def _lookup(table, english, lang, what):
    if (lang or language()) == "en":
        return english
    try:
        return table[english]
    except KeyError:
        raise KeyError(f"no Korean {what} for {english!r} in rnnbook/ledger/words_ko.py") from None


def description(english, lang=None):
    """A check's one-line description in ``lang``."""
    return _lookup(DOCS, english, lang, "description")


def message(english, passed, lang=None):
    """What a check printed in this build, in ``lang``; a failed check's as it printed it.

    >>> message("no such message", passed=False, lang="ko")
    '(검사가 영어로 출력한 그대로) no such message'
    """
    if not passed:
        return text("english", lang, message=english)
    return _lookup(MESSAGES, english, lang, "message")
