"""Tests for rnn_core.symbolic: exact closed forms, caught slips, induction, numerics."""

import numpy as np
import pytest
import sympy as sp

from rnn_core.symbolic import (
    InductionProof,
    check_closed_form,
    closed_form_dwh,
    closed_form_dwx,
    closed_form_sum,
    induction_proof,
    latex_table,
    offbyone_wh,
    offbyone_wx,
    polynomial_form_dwh,
    recursive_derivatives,
    sine_ar2_identity,
    slip_wx_recursion,
    symbols,
    unroll_states,
    unrolled_h,
    unrolled_state_closed_form,
    verify_closed_forms,
    verify_every_step_loss,
    verify_unrolled_state,
)

S = symbols()


@pytest.mark.parametrize("N", range(1, 13))
def test_verify_closed_forms(N):
    assert verify_closed_forms(N) is True


@pytest.mark.parametrize("N", range(1, 13))
def test_polynomial_form_equals_closed_form(N):
    # What linear_rnn_grads evaluates: w_X P'(w_H) + N w_H^(N-1) h_0, P in the inputs.
    assert check_closed_form(N, "w_H", polynomial_form_dwh) is True
    assert sp.expand(unroll_states(closed_form_dwh(N), N) - polynomial_form_dwh(N)) == 0


def _without_h0(n):
    return polynomial_form_dwh(n).subs(S.h[0], 0)


def _factor_i_minus_1(n):  # (i - 1) where differentiating w_H**i brings down i
    slope = sp.Add(*((i - 1) * S.w_H ** (i - 1) * S.X[n - i] for i in range(1, n)))
    return S.w_X * slope + n * S.w_H ** (n - 1) * S.h[0]


@pytest.mark.parametrize("N", range(2, 7))
def test_polynomial_form_slips_rejected(N):
    assert check_closed_form(N, "w_H", _without_h0) is False
    assert check_closed_form(N, "w_H", _factor_i_minus_1) is False


@pytest.mark.parametrize("N", range(1, 9))
def test_correct_recursion_reaches_closed_forms(N):
    dwh, dwx = recursive_derivatives(N)
    assert sp.expand(dwh - closed_form_dwh(N)) == 0
    assert sp.expand(dwx - closed_form_dwx(N)) == 0
    assert check_closed_form(N, "w_H", lambda n: recursive_derivatives(n)[0])
    assert check_closed_form(N, "w_X", lambda n: recursive_derivatives(n)[1])


def test_slip_recursion_coincides_at_n1():
    # For N = 1 the slip reads dh_0/dw_H, which is 0 just like dh_0/dw_X, so the
    # wrong recursion gives the right answer X_1: one step cannot expose it.
    assert slip_wx_recursion(1) == S.X[1]
    assert check_closed_form(1, "w_X", slip_wx_recursion) is True


@pytest.mark.parametrize("N", range(2, 9))
def test_slip_recursion_rejected(N):
    assert check_closed_form(N, "w_X", slip_wx_recursion) is False


@pytest.mark.parametrize("N", range(1, 9))
@pytest.mark.parametrize(("wrt", "candidate"), [("w_H", offbyone_wh), ("w_X", offbyone_wx)])
def test_offbyone_rejected(N, wrt, candidate):
    assert check_closed_form(N, wrt, candidate) is False


def test_closed_forms_swapped_rejected():
    assert check_closed_form(3, "w_H", closed_form_dwx) is False
    assert check_closed_form(3, "w_X", closed_form_dwh) is False


@pytest.mark.parametrize("wrt", ["w_H", "w_X"])
def test_induction_holds(wrt):
    proof = induction_proof(wrt)
    assert isinstance(proof, InductionProof)
    assert proof.base_holds is True
    assert proof.step_holds is True
    assert proof.holds
    assert isinstance(proof.step_rhs, sp.Sum)
    assert all(isinstance(t, str) and t for t in proof.latex)


def test_induction_step_rewrite_preserves_value():
    # The split-and-shift is only trusted if it keeps S(n + 1) unchanged; check
    # that by evaluating both at concrete lengths.
    for wrt in ("w_H", "w_X"):
        proof = induction_proof(wrt)
        for m in range(1, 6):
            at_m = {S.n: m}
            diff = proof.step_rhs.subs(at_m).doit() - proof.step_rewritten.subs(at_m).doit()
            assert sp.expand(diff) == 0


def _offbyone_sum_wh(m):
    return sp.Sum(S.w_H**S.i * S.h[m - S.i], (S.i, 0, m - 1))


def _offbyone_sum_wx(m):
    return sp.Sum(S.w_H**S.i * S.X[m - S.i], (S.i, 1, m))


@pytest.mark.parametrize(
    ("wrt", "wrong"),
    [
        ("w_H", _offbyone_sum_wh),
        ("w_X", _offbyone_sum_wx),
        ("w_X", lambda m: closed_form_sum("w_H", m)),
    ],
)
def test_induction_with_wrong_closed_form_fails_step(wrt, wrong):
    proof = induction_proof(wrt, wrong)
    assert proof.step_holds is False
    assert not proof.holds


def test_induction_wrong_base_only():
    # A closed form off by an extra h_0 term is caught already at n = 1.
    def shifted(m):
        return closed_form_sum("w_H", m) + S.h[0]

    proof = induction_proof("w_H", shifted)
    assert proof.base_holds is False


@pytest.mark.parametrize("N", range(1, 7))
def test_verify_every_step_loss(N):
    assert verify_every_step_loss(N) is True


def _numeric_states(X, h0, w_X, w_H):
    """Plain float64 forward pass of the scalar cell; returns the states h_0..h_N."""
    h = [h0]
    for x in X:
        h.append(x * w_X + h[-1] * w_H)
    return np.array(h)


def test_closed_forms_match_finite_differences():
    N, step = 7, 1e-6
    rng = np.random.default_rng(20240607)
    X = np.concatenate([[np.nan], rng.standard_normal(N)])  # X[0] unused: X[t] is X_t
    h0, w_X, w_H = rng.standard_normal(), rng.uniform(0.5, 1.5), rng.uniform(0.5, 0.95)
    states = _numeric_states(X[1:], h0, w_X, w_H)
    args = (S.X, S.h, S.w_X, S.w_H)
    dwh = sp.lambdify(args, closed_form_dwh(N), "numpy")(X, states, w_X, w_H)
    dwx = sp.lambdify(args, closed_form_dwx(N), "numpy")(X, states, w_X, w_H)
    fd_wh = (
        _numeric_states(X[1:], h0, w_X, w_H + step)[-1]
        - _numeric_states(X[1:], h0, w_X, w_H - step)[-1]
    ) / (2 * step)
    fd_wx = (
        _numeric_states(X[1:], h0, w_X + step, w_H)[-1]
        - _numeric_states(X[1:], h0, w_X - step, w_H)[-1]
    ) / (2 * step)
    assert abs(fd_wh - dwh) / abs(dwh) < 1e-7
    assert abs(fd_wx - dwx) / abs(dwx) < 1e-7


def test_unrolled_h_matches_numeric_forward():
    rng = np.random.default_rng(7)
    X, h0, w_X, w_H = rng.standard_normal(5), 0.3, 0.8, 0.6
    f = sp.lambdify((S.X, S.h, S.w_X, S.w_H), unrolled_h(5), "numpy")
    value = f(np.concatenate([[np.nan], X]), [h0], w_X, w_H)
    assert np.isclose(value, _numeric_states(X, h0, w_X, w_H)[-1], rtol=1e-12)


def test_unroll_states_leaves_h0():
    assert unroll_states(S.h[0], 3) == S.h[0]
    assert unroll_states(S.h[2], 3) == unrolled_h(2)


@pytest.mark.parametrize("bad", [0, -1, 2.5, "3", True, None])
def test_verify_closed_forms_bad_n(bad):
    with pytest.raises(ValueError, match=r"^N: expected an integer in \[1, inf\], got"):
        verify_closed_forms(bad)


def test_bad_wrt():
    with pytest.raises(ValueError, match="wrt"):
        check_closed_form(2, "w_Y", closed_form_dwh)
    with pytest.raises(ValueError, match="wrt"):
        induction_proof("h")


def test_latex_table():
    rows = latex_table(8)
    assert len(rows) == 16
    assert [(r.N, r.wrt) for r in rows[:2]] == [(1, "w_H"), (1, "w_X")]
    for row in rows:
        assert all(isinstance(t, str) and t for t in (row.derivative, row.closed_form))
        assert row.difference == "0"


def test_noise_free_sine_is_exactly_ar2():
    identity = sine_ar2_identity()
    assert identity.holds
    assert identity.difference == 0


@pytest.mark.parametrize("a1, a2", [(2, -1), (None, 1), (None, -0.99)])
def test_wrong_ar2_coefficients_are_rejected(a1, a2):
    assert not sine_ar2_identity(a1=a1, a2=a2).holds


@pytest.mark.parametrize("N", range(0, 13))
def test_unrolled_state_closed_form_holds(N):
    assert verify_unrolled_state(N)


def test_unrolled_state_rejects_a_wrong_exponent():
    s = symbols()
    wrong = unrolled_state_closed_form(4) - s.w_X * s.X[1] * s.w_H**3 + s.w_X * s.X[1] * s.w_H**4
    assert sp.expand(unrolled_h(4) - wrong) != 0
