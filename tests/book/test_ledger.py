"""The equation ledger (rnnbook.ledger): every check passes, and every mutation bites.

``test_equation_check[label]`` is the test the back-matter page "How each equation is
checked" names for each equation; the page runs the same checks while the book builds.
"""

import pytest

from rnnbook import ledger
from rnnbook.ledger import evaluate, latex, page, sympy_form, words
from rnnbook.ledger.source import displays

LABELS = [entry.label for entry in ledger.ENTRIES]


@pytest.mark.parametrize("label", LABELS)
def test_equation_check(label):
    result = ledger.run(label)
    assert result.passed, f"{label} ({displays()[label].page}): {result.message}"
    # the Korean ledger page can say it in Korean (rnnbook/ledger/words_ko.py)
    assert words.description(page.check_doc(ledger.BY_LABEL[label]), lang="ko")
    assert words.message(result.message, passed=True, lang="ko")


@pytest.mark.parametrize("label", LABELS)
def test_mutation_makes_the_check_fail(label):
    old, new = ledger.BY_LABEL[label].mutation
    assert displays()[label].latex.count(old) >= 1, f"{label}: {old!r} is not in the display"
    result = ledger.run(label, mutate=True)
    assert result.passed is False, f"{label}: {old!r} -> {new!r} still passes: {result.message}"
    # the mutated display was read, and found wrong: not a mutation that only breaks the LaTeX
    assert not result.message.startswith("Unreadable"), f"{label}: {result.message}"


def test_every_labelled_equation_is_in_the_ledger_with_a_check():
    assert list(displays()) == [label for label in displays() if label in ledger.BY_LABEL]
    assert set(ledger.BY_LABEL) == set(displays()), "the ledger and the pages disagree"
    for entry in ledger.ENTRIES:
        assert entry.check is not None, f"{entry.label}: no check reads the display"
        assert entry.kind in ledger.KINDS, entry
        assert entry.kind in (entry.how, "definition"), entry
        path, line = entry.where
        assert path.startswith("rnnbook/ledger/") and line > 0, entry


def test_regression_a_mutation_that_breaks_the_latex_is_unreadable_not_caught():
    # eq-tanh-bound's first mutation replaced the \le inside \left| ("\geft|"): the check
    # "failed" because the display could not be read, which proves nothing
    latex = displays()["eq-tanh-bound"].latex.replace(r"\le", r"\ge", 1)
    result = ledger.run("eq-tanh-bound", latex=latex)
    assert result.passed is False and result.message.startswith("Unreadable")


def test_regression_a_failing_check_names_the_row_and_what_was_expected():
    result = ledger.run("eq-closed-wh", mutate=True)
    assert "row 1" in result.message and "gradout * d h_N / d w_H" in result.message


# --- the normaliser (latex.relations) ------------------------------------------------


def test_relations_split_chains_pairs_and_aligned_rows():
    rels = latex.relations(
        r"\begin{aligned} a &= b \\ &= c, \qquad d_{N+1} = 0, \\ e &= f \end{aligned}"
    )
    assert [r.sides for r in rels] == [("a", "b", "c"), ("d_{N+1}", "0"), ("e", "f")]
    assert [r.row for r in rels] == [1, 2, 3]  # a chain keeps the row it starts on


def test_relations_keep_tuples_and_ranges_and_drop_remarks():
    rels = latex.relations(
        r"i_t, f_t = \sigma(a) \quad \text{(one block each)}, \qquad t = 1, \dots, N ."
    )
    assert [r.sides for r in rels] == [("i_t, f_t", r"\sigma(a)"), ("t", r"1, \dots, N")]
    assert latex.relations(r"\text{gradout} = g")[0].sides == (r"\text{gradout}", "g")
    cond = latex.relations(r"y = f(x) \quad \text{for } j \ge 5")
    assert [r.signs for r in cond] == [("=",), (r"\ge",)]


def test_relations_drop_a_trailing_cdots_side():
    assert latex.relations(r"a = b = \cdots")[0].sides == ("a", "b")


# --- the rewrite for sympy's lark parser ----------------------------------------------


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"h_{N-1}", "h(N - 1)"),
        (r"w_H^{\,i-1}\, h_{N-i}", r"w_{H}^{i - 1} \cdot h(N - i)"),
        (r"\frac{\partial h_t}{\partial x_s}", "D_{hx}(t, s)"),
        (r"\frac{\partial L}{\partial w_X}", "D_{LwX}"),
        (r"\Sigma(n)", "F_{Sigma}(n)"),
        (r"a \sum_{i=1}^{N} b_i + c", r"a \cdot {\sum_{i = 1}^{N}{b_{i}}} + c"),
        (r"2\cos(\omega)\, \sin(t)", r"2 \cdot {\cos(\omega)} \cdot {\sin(t)}"),
    ],
)
def test_for_lark_rules(tex, expected):
    assert sympy_form.for_lark(tex) == expected


def test_parse_reads_a_sum_as_a_sympy_sum():
    import sympy as sp

    expr = sympy_form.parse(r"\sum_{i=1}^{N} w_H^{\,i-1} h_{N-i}")
    assert isinstance(expr, sp.Sum)


def test_parse_error_names_the_rewritten_text():
    with pytest.raises(sympy_form.LedgerError, match="cannot read"):
        sympy_form.parse(r"a \le")


# --- the numerical evaluator ----------------------------------------------------------


def test_evaluator_products_transpose_and_elementwise():
    import numpy as np

    A, v = np.arange(6.0).reshape(2, 3), np.array([[1.0, 2.0]])
    env = evaluate.Env({"A": A, "v": v, "u": np.array([[3.0, 4.0, 5.0]])})
    np.testing.assert_array_equal(evaluate.evaluate(r"v A", env), v @ A)
    np.testing.assert_array_equal(evaluate.evaluate(r"u A^\top", env), env.values["u"] @ A.T)
    np.testing.assert_array_equal(evaluate.evaluate(r"u \odot u", env), env.values["u"] ** 2)


def test_evaluator_sequences_sums_and_cdots():
    import numpy as np

    J = {t: np.array([[float(t)]]) for t in range(1, 6)}
    env = evaluate.Env({"J": J}, {"T": 5})
    assert evaluate.evaluate(r"J_T J_{T-1} \cdots J_{T-3}", env).item() == 5 * 4 * 3 * 2
    assert evaluate.evaluate(r"\sum_{t=1}^{T} J_t", env).item() == 15


def test_evaluator_lists_what_it_cannot_read():
    with pytest.raises(sympy_form.LedgerError, match="softmax"):
        evaluate.evaluate(r"\operatorname{softmax}(y)", evaluate.Env({"y": 1.0}))
    with pytest.raises(sympy_form.LedgerError, match="has no value"):
        evaluate.evaluate(r"q_t", evaluate.Env({}, {"t": 1}))


class _Recorder:
    """A probability that records the references it is called with."""

    reads_references = True

    def __init__(self):
        self.calls = []

    def __call__(self, events, conditions=()):
        self.calls.append((list(events), list(conditions)))
        return 0.5


def test_evaluator_calls_functions_and_passes_references_to_a_probability():
    P = _Recorder()
    env = evaluate.Env({"P": P, "U": lambda a, b: a - b, "h": {1: 3.0}, "x": {1: 1.0}}, {"t": 2})
    assert evaluate.evaluate(r"U(h_{t-1}, x_{t-1})", env) == 2.0
    assert evaluate.evaluate(r"P(x_t \mid x_1, \dots, x_{t-1})", env) == 0.5
    assert P.calls[-1] == ([("x", (2,))], [("x", (1,))])
    evaluate.evaluate(r"P(x_1 \mid x_1, \dots, x_{t-2})", env)  # x_1, ..., x_0: nothing
    assert P.calls[-1] == ([("x", (1,))], [])


def test_evaluator_continues_a_product_of_probabilities():
    P = _Recorder()
    env = evaluate.Env({"P": P}, {"T": 5})
    evaluate.evaluate(
        r"P(x_2 \mid x_1) P(x_3 \mid x_1, x_2) \cdots P(x_T \mid x_1, \dots, x_{T-1})", env
    )
    events = [(e[0][1][0], [c[1][0] for c in cond]) for e, cond in P.calls]
    assert events == [(2, [1]), (3, [1, 2]), (4, [1, 2, 3]), (5, [1, 2, 3, 4])]


def test_evaluator_continues_a_sum_whose_terms_differ_in_integers():
    env = evaluate.Env({"phi": {1: 1.0, 2: 10.0, 3: 100.0, 4: 1000.0}, "xi": 2.0}, {"tau": 4})
    # the last term is the pattern's with xi^0 left out: the exponent steps with the index
    side = r"\phi_1 \xi^{\tau - 1} + \phi_2 \xi^{\tau - 2} + \dots + \phi_\tau"
    assert evaluate.evaluate(side, env) == 8 + 40 + 200 + 1000
    with pytest.raises(sympy_form.Unreadable, match="not integers"):
        evaluate.evaluate(r"\phi_1 \xi + \phi_2 \tau + \dots + \phi_\tau", env)
    with pytest.raises(sympy_form.LedgerError, match="phi_5 is not defined"):
        evaluate.evaluate(r"\phi_1 + \phi_2 + \dots + \phi_{\tau+1}", env)


def test_evaluator_writes_out_a_matrix_with_cdots_and_vdots():
    import numpy as np

    env = evaluate.Env({"x": {t: float(t) for t in range(8)}, "a": {1: 1.0, 2: 2.0, 3: 3.0}})
    X = evaluate.evaluate(
        r"\begin{bmatrix} x_{3} & x_{2} & \cdots & x_{0} \\ x_{4} & x_{3} & \cdots & x_{1} \\"
        r" \vdots & & & \vdots \\ x_{T} & x_{T-1} & \cdots & x_{T-3} \end{bmatrix}",
        env.at(T=6),
    )
    np.testing.assert_array_equal(X, [[3, 2, 1, 0], [4, 3, 2, 1], [5, 4, 3, 2], [6, 5, 4, 3]])
    column = evaluate.evaluate(r"\begin{bmatrix} a_1 \\ \vdots \\ a_3 \end{bmatrix}", env)
    np.testing.assert_array_equal(column[:, 0], [1, 2, 3])


def test_evaluator_entries_iverson_brackets_matrix_powers_and_norms():
    import numpy as np

    env = evaluate.Env(
        {
            "p": {1: np.array([[0.2, 0.8]])},
            "kappa": {1: 1},
            "Lambda": np.diag([2.0, 3.0]),
            "W": np.array([[1.0, 2.0], [3.0, 4.0]]),
            "dell/dy": lambda s, t, v: 10 * s + v,
        },
        {"t": 1},
    )
    assert evaluate.evaluate(r"p_t[\kappa_t]", env) == 0.8
    assert evaluate.evaluate(r"[v = \kappa_t] + [v = 0]", env.at(v=1)) == 1.0
    assert evaluate.evaluate(r"W_{iv}", env.at(i=1, v=0)) == 3.0
    assert evaluate.evaluate(r"(p_t W)_i", env.at(i=1)) == 0.2 * 2 + 0.8 * 4
    np.testing.assert_array_equal(evaluate.evaluate(r"\Lambda^{t - 1}", env), np.eye(2))
    np.testing.assert_array_equal(
        evaluate.evaluate(r"W^{2}", env), env.values["W"] @ env.values["W"]
    )
    assert evaluate.evaluate(r"\frac{\partial \ell_t}{\partial y_t[v]}", env.at(v=3)) == 13
    spectral, frobenius = (evaluate.evaluate(rf"\lVert W \rVert_{o}", env) for o in "2F")
    assert spectral == np.linalg.norm(env.values["W"], 2) < frobenius
    with pytest.raises(sympy_form.Unreadable, match="subscript"):
        evaluate.evaluate(r"\lVert W \rVert_3", env)


# --- the back-matter page (rnnbook.ledger.page) ----------------------------------------


def _fake_results(mutation_passes=()):
    """A Result pair per label, as page.run() returns, without running the checks."""
    out = {}
    for label, entry in ledger.BY_LABEL.items():
        ok = ledger.Result(label, entry.kind, True, f"compared {label}", 0.0)
        caught = label not in mutation_passes
        bad = ledger.Result(label, entry.kind, not caught, "LedgerError: differs", 0.0)
        out[label] = (ok, bad)
    return {label: out[label] for label in displays()}


def test_ledger_page_has_one_row_per_equation_in_the_books_order():
    html = page.table(_fake_results(), here=ledger.ROOT / "book")
    rows = html.split("<tbody>")[1].split("<tr>")[1:]
    assert len(rows) == len(displays()) == len(ledger.ENTRIES)
    for row, d in zip(rows, displays().values()):
        href = d.page.removeprefix("book/").removesuffix(".md")  # a page beside the ledger's
        assert f'<a href="{href}.html#equation-{d.label}">({d.number})</a>' in row
        assert f"compared {d.label}" in row and "passed" in row and "caught" in row
        path, line = ledger.BY_LABEL[d.label].where
        assert f"<code>{path}</code>, line {line}" in row
        assert f"test_equation_check[{d.label}]" in row
    assert 'role="region" tabindex="0"' in html  # a scrolling region a keyboard can reach


def test_ledger_page_says_when_a_mutation_is_not_caught():
    results = _fake_results(mutation_passes={"eq-gru"})
    assert "NOT caught: eq-gru" in page.summary(results)
    assert page.table(results).count("NOT caught") == 1


def test_ledger_page_links_the_korean_chapters_one_folder_down():
    # ko/equation_ledger.md shows the same table: its chapters are in ko/book/
    rows = page.table(_fake_results(), here=ledger.ROOT / "ko").split("<tr>")
    assert 'href="book/ch04_bptt.html#equation-eq-closed-wh"' in "".join(rows)
    assert 'href="intro.html#equation-eq-intro-cell"' in "".join(rows)


def test_korean_ledger_page_is_korean_and_fails_on_words_it_lacks(monkeypatch):
    monkeypatch.setenv("RNNBOOK_LANG", "ko")
    with pytest.raises(KeyError, match="no Korean message for 'compared eq-"):
        page.table(_fake_results())  # the fake checks print words no table has
    results = _fake_results(mutation_passes={"eq-gru"})
    for label, (ok, bad) in results.items():  # what the real checks print
        results[label] = (ok._replace(message=next(iter(words.MESSAGES))), bad)
    html = page.table(results, here=ledger.ROOT / "ko")
    assert '<th scope="col">식</th>' in html and "Where" not in html and "What" not in html
    assert html.count("잡히지 않음") == 1 and html.count(": 잡힘.") == len(results) - 1
    assert "잡히지 않은 변이는 eq-gru이다" in page.summary(results)
