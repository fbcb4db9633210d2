"""Search for the Korean edition: a Korean word is found with its particles attached.

Sphinx has no Korean search language, and its default splitter keeps a particle on its
noun, so the index holds 기울기가, 기울기를, 기울기의 as three words and a search for 기울기
(gradient) misses every page that only writes it with a particle. Korean writes words
with a particle or an ending (조사, 어미) glued on, so this is most words.

:class:`SearchKorean` (language ``ko``) splits text as Sphinx does and adds, for every word
with Hangul in it, the word with each particle or common ending of :data:`SUFFIXES`
taken off its end: 기울기가 is indexed as 기울기가 and 기울기, 손실을 as 손실을 and 손실,
계산한다 as 계산한다 and 계산. Every form that could be the bare word is indexed, and the
query is not cut (the browser's stemmer leaves Hangul as it is): a search for 결과
(result) finds 결과를 (indexed also as 결과), though 결과 itself is also indexed as 결 (과
is a particle too). Latin words go through the English stemmer, as on the English pages,
so RNN, BPTT or gradient are found as they are in English.
"""

import re

from sphinx.search.en import SearchEnglish

#: Particles (조사) and the commonest endings (어미) of 하다/되다 and of the copula, longest
#: first. Taking one off a word that merely ends in those letters (결과 -> 결) only adds
#: an index entry; it removes none.
_WORDS = """
    에서부터 으로부터 로부터 에게서 까지는 에서는 에서도 에서의 으로는 으로도 으로서 으로써
    이라는 이라고 이라면 이었다 에게는 보다는 만으로 부터 까지 에서 에게 한테 보다 처럼 만큼
    으로 라는 라고 이란 이나 이며 이고 이다 이면 에는 에도 와의 과의 로서 로써 로는 로도
    와는 과는 마다 조차 하는 한다 하면 하고 하여 해서 했다 하기 하지 된다 되는 되면 되어
    되고 였다 은 는 이 가 을 를 의 에 로 와 과 도 만 한 할 된 함
"""
SUFFIXES = sorted(_WORDS.split(), key=len, reverse=True)

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def bare_forms(word):
    """``word`` with each suffix of :data:`SUFFIXES` it ends in taken off (at least one
    letter left), longest suffix first.

    >>> bare_forms("기울기가"), bare_forms("손실에서는"), bare_forms("RNN의")
    (['기울기'], ['손실', '손실에서'], ['RNN'])
    >>> bare_forms("기울기"), bare_forms("rnn")
    ([], [])
    """
    if not _HANGUL.search(word):
        return []
    out = []
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            stem = word[: -len(suffix)]
            if stem not in out:
                out.append(stem)
    return out


class SearchKorean(SearchEnglish):
    """Sphinx's search language ``ko``: English stemming for Latin words, and every
    Korean word indexed also without its particle or ending."""

    lang = "ko"
    language_name = "Korean"

    def split(self, input):
        words = []
        for word in super().split(input):
            words.append(word)
            words += bare_forms(word)
        return words

    def stem(self, word):
        """Hangul words as they are (the browser's Porter stemmer leaves them so too)."""
        if _HANGUL.search(word):
            return word.lower()
        return super().stem(word)


def setup(app):
    app.add_search_language(SearchKorean)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
