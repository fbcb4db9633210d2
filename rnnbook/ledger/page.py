"""The back-matter page "How each equation is checked", generated from the ledger.

book/equation_ledger.md runs :func:`table` and :func:`summary` while the book is
built, so every row (the equation's number, what its check compares, where the
check and its test are, its mutation, and whether both behaved in this build) is
computed from :data:`rnnbook.ledger.ENTRIES` and the pages, never typed by hand.
"""

import html
import inspect
import re
from collections import Counter
from pathlib import Path

from rnnbook import ledger
from rnnbook.ledger.source import displays
from rnnbook.ledger.words import description, message, text

__all__ = ["HEADERS", "check_doc", "run", "summary", "table"]

HEADERS = text("headers", "en")  # the Korean edition: rnnbook/ledger/words.py
#: long code (labels, paths, LaTeX) may break anywhere, so that a phone needs no sideways scroll
_STYLE = (
    "<style>.ledger-table code { overflow-wrap: anywhere; }"
    " .ledger-table td { vertical-align: top; } .ledger-table td p { margin: 0 0 0.4em; }"
    " .ledger-table td:first-child { white-space: nowrap; }</style>"
)


def run():
    """Each entry's check and mutated check, in the book's order: {label: (Result, Result)}."""
    return {label: (ledger.run(label), ledger.run(label, mutate=True)) for label in displays()}


def _code(text):
    return f"<code>{html.escape(text)}</code>"


def check_doc(entry):
    """The first paragraph of the docstring of ``entry``'s check, on one line."""
    return inspect.getdoc(entry.check).split("\n\n")[0].replace("\n", " ")


def _what(entry, result):
    """The check's one-line description, and what it compared in this build."""
    doc = check_doc(entry)
    doc = re.sub(r"``(.+?)``", r"<code>\1</code>", html.escape(description(doc)))  # its code
    said = html.escape(message(result.message, result.passed))
    return f"<p>{text('what', doc=doc)}</p><p>{text('in_build', message=said)}</p>"


def _where(entry):
    path, line = entry.where
    name, test = _code(entry.check.__name__), _code(entry.test)
    return text("where", name=name, path=_code(path), line=line, test=test)


def _mutation(entry, mutated):
    old, new = entry.mutation
    caught = mutated.passed is False and not mutated.message.startswith("Unreadable")
    verdict = text("caught" if caught else "not_caught")
    return text("mutation", old=_code(old), new=_code(new), verdict=verdict)


def _href(display, here):
    """The display's page, relative to ``here``, the folder the ledger page is built in.

    The English pages sit beside the ledger page (book/); in the Korean edition the
    front matter sits beside it (ko/) and the chapters one folder down (ko/book/).
    """
    name = Path(display.page).name
    for folder in (here, here / "book"):
        if (folder / name).is_file():
            return (folder / name).relative_to(here).with_suffix(".html").as_posix()
    return Path(name).with_suffix(".html").as_posix()


def _row(display, results, here):
    entry = ledger.BY_LABEL[display.label]
    result, mutated = results[display.label]
    page = _href(display, here)
    kind = text(entry.kind)
    if entry.kind == "definition" and entry.how:
        kind += ",<br>" + text(entry.how)
    verdict = text("passed" if result.passed else "failed")
    equation = (
        f'<a href="{page}#equation-{display.label}">({display.number})</a><br>'
        f"{_code(display.label)}<br>{kind}<br>{verdict}"
    )
    check = f"{_what(entry, result)}<p>{_where(entry)}</p><p>{_mutation(entry, mutated)}</p>"
    return f"<tr><td>{equation}</td><td>{check}</td></tr>"


def table(results, here=None):
    """The ledger as an HTML table, one row per labelled equation, in a scrolling region.

    Parameters
    ----------
    results : dict
        As :func:`run` returns.
    here : pathlib.Path, optional
        The folder of the page that shows the table, which the links are relative to;
        default: the working directory, which is the page's folder while it is built.

    Returns
    -------
    str
    """
    caption = text("caption")
    head = "".join(f'<th scope="col">{h}</th>' for h in text("headers"))
    here = Path.cwd() if here is None else Path(here)
    body = "".join(_row(d, results, here) for d in displays().values())
    return (
        f'{_STYLE}<div class="ledger-scroll" role="region" tabindex="0" aria-label="{caption}"'
        f' style="overflow-x: auto"><table class="table ledger-table"><caption>{caption}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def summary(results):
    """One paragraph: how many equations of each kind, and what failed in this build.

    Examples
    --------
    >>> r = ledger.run("eq-closed-wh"), ledger.run("eq-closed-wh", mutate=True)
    >>> summary({"eq-closed-wh": r})[:56]
    '<p>1 labelled equations: 1 symbolic. All 1 checks passed'
    """
    kinds = Counter(ledger.BY_LABEL[label].kind for label in results)
    present = [k for k in ledger.KINDS if kinds[k]]
    counts = ", ".join(text("count", count=kinds[k], kind=text(k)) for k in present)
    failed = [label for label, (r, _) in results.items() if not r.passed]
    missed = [
        label
        for label, (_, m) in results.items()
        if m.passed is not False or m.message.startswith("Unreadable")
    ]
    n = len(results)
    checks = text("some_failed", labels=", ".join(failed)) if failed else text("all_passed", n=n)
    caught = text("some_missed", labels=", ".join(missed)) if missed else text("all_caught", n=n)
    return f"<p>{text('summary', n=n, counts=counts, checks=checks, caught=caught)}</p>"
