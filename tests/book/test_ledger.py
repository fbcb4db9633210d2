"""The equation ledger (rnnbook.ledger): every check passes, and every mutation bites.

``test_equation_check[label]`` is the test the back-matter page "How each equation is
checked" names for each equation; the page runs the same checks while the book builds.
"""

import pytest

from rnnbook import ledger
from rnnbook.ledger import evaluate, latex, sympy_form
from rnnbook.ledger.source import displays

CHECKED = [e.label for e in ledger.ENTRIES if e.check is not None]


@pytest.mark.parametrize("label", CHECKED)
def test_equation_check(label):
    result = ledger.run(label)
    assert result.passed, f"{label} ({displays()[label].page}): {result.message}"


@pytest.mark.parametrize("label", CHECKED)
def test_mutation_makes_the_check_fail(label):
    entry = ledger.BY_LABEL[label]
    assert entry.mutation is not None, f"{label}: a checked equation needs a mutation"
    old, new = entry.mutation
    assert displays()[label].latex.count(old) >= 1, f"{label}: {old!r} is not in the display"
    result = ledger.run(label, mutate=True)
    assert result.passed is False, f"{label}: {old!r} -> {new!r} still passes: {result.message}"


def test_every_entry_has_a_kind_and_unchecked_ones_say_why():
    for entry in ledger.ENTRIES:
        assert entry.kind in ledger.KINDS, entry
        if entry.check is None:
            assert entry.why, f"{entry.label}: no check, and no reason given"
        assert (entry.kind == "unchecked") == (entry.check is None and entry.kind != "definition")


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
