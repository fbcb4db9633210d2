r"""The equation ledger: how each labelled display equation of the book is checked.

The book promises that its formulas are backed by code that fails if a formula
is wrong. The ledger makes that precise, equation by equation: each labelled
``{math}`` block has one :class:`Entry`, and every entry has a check that reads
the displayed LaTeX itself, from the page's source. A check is of one of two
kinds (``how``):

``symbolic``
    sympy's LaTeX parser reads the displayed LaTeX (:mod:`.sympy_form`), and the
    sides are compared exactly with ``rnn_core.symbolic`` for N = 1..8
    (:mod:`.scalar`);
``numerical``
    a small evaluator reads the displayed LaTeX (:mod:`.evaluate`) and computes
    it on seeded random inputs, compared with ``rnn_core`` (and the chapters' code
    in ``rnnbook.experiments``) to 1e-10 (:mod:`.vector`, :mod:`.probability`,
    :mod:`.series`, :mod:`.gradients`).

An entry's ``kind`` is ``definition`` when the equation defines a name or a model
(then there is nothing to prove, and the check ties the displayed definition to
the code that implements it), else its ``how``.

Each entry also records one *mutation*, a small edit of the displayed LaTeX (an
index, a limit, a sign, a transpose), under which its check must fail for a
reason other than not being able to read it: tests/book/test_ledger.py shows
that it does. ``tests`` lists the tests of the code next to the equation.

Examples
--------
>>> result = run("eq-closed-wh")
>>> result.passed, result.kind
(True, 'symbolic')
>>> run("eq-closed-wh", mutate=True).passed
False
"""

import inspect
import time
from pathlib import Path
from typing import NamedTuple

from rnnbook.ledger import gradients, probability, scalar, series, vector
from rnnbook.ledger.source import ROOT, displays
from rnnbook.ledger.sympy_form import LedgerError, Unreadable

__all__ = ["ENTRIES", "KINDS", "Entry", "LedgerError", "Result", "Unreadable", "run", "run_all"]

#: the kinds of entry, in the order the back-matter page explains them
KINDS = ("symbolic", "numerical", "definition")
#: the modules that hold checks, and how each reads the display
MODULES = ((scalar, "symbolic"), (vector, "numerical"), (probability, "numerical"))
MODULES += ((series, "numerical"), (gradients, "numerical"))
TEST = "tests/book/test_ledger.py::test_equation_check[{label}]"


class Entry(NamedTuple):
    """How one labelled equation is checked."""

    label: str
    kind: str  #: one of KINDS
    mutation: tuple  #: (text of the display, its replacement)
    tests: tuple  #: tests of the code beside the equation, "file.py::name" under tests/

    @property
    def check(self):
        """The function that reads the display, or None if no module has one."""
        return next((m.CHECKS[self.label] for m, _ in MODULES if self.label in m.CHECKS), None)

    @property
    def how(self):
        """'symbolic' or 'numerical': how the check reads the display ('' if none)."""
        return next((how for m, how in MODULES if self.label in m.CHECKS), "")

    @property
    def test(self):
        """The test that runs this entry's check."""
        return TEST.format(label=self.label)

    @property
    def where(self):
        """(source file relative to the repository, first line) of the check."""
        code = inspect.unwrap(self.check)
        path = Path(inspect.getsourcefile(code)).resolve().relative_to(ROOT)
        return path.as_posix(), code.__code__.co_firstlineno


class Result(NamedTuple):
    """What running one entry's check gave."""

    label: str
    kind: str
    passed: bool
    message: str  #: what was checked, or what failed
    seconds: float  #: CPU time of the check


def _entry(label, kind, mutation, tests):
    return Entry(label, kind, tuple(mutation), tuple(tests))


def run(label, latex=None, mutate=False):
    """Run the check of one entry on the displayed LaTeX (or on ``latex``).

    Parameters
    ----------
    label : str
        An equation's label.
    latex : str, optional
        The display to check; default: the book's, read from its page.
    mutate : bool
        Apply the entry's mutation first (it must occur in the display).

    Returns
    -------
    Result
        A failure's message starts with the error's name: ``Unreadable`` if the
        display could not be read, ``LedgerError`` (or a numpy error) if it was
        read and found wrong.
    """
    entry = BY_LABEL[label]
    if entry.check is None:
        raise LedgerError(f"{label}: no check reads this display")
    latex = displays()[label].latex if latex is None else latex
    if mutate:
        old, new = entry.mutation
        if old not in latex:
            raise LedgerError(f"{label}: the mutation's text {old!r} is not in the display")
        latex = latex.replace(old, new, 1)
    start = time.process_time()
    try:
        message, passed = entry.check(latex), True
    except (LedgerError, ValueError, ArithmeticError, KeyError, IndexError) as err:
        message, passed = f"{type(err).__name__}: {err}", False
    return Result(label, entry.kind, passed, message, time.process_time() - start)


def run_all(mutate=False):
    """Run every entry's check on the book's displays (or their mutations), in the book's order.

    Returns
    -------
    list of Result
    """
    return [run(label, mutate=mutate) for label in displays() if label in BY_LABEL]


ENTRIES = [
    _entry(
        "eq-intro-cell",
        "definition",
        ("h_{t-1} W_{hh}", "h_{t} W_{hh}"),
        ["test_cell.py::test_step_forward_matches_hand_computed_values"],
    ),
    _entry(
        "eq-notation-cell",
        "definition",
        ("h_{t-1} W_{hh}", "h_{t-1} W_{hh}^\\top"),
        [
            "test_cell.py::test_forward_equals_loop_of_steps",
            "test_cell.py::test_step_forward_matches_hand_computed_values",
        ],
    ),
    _entry(
        "eq-notation-linear",
        "definition",
        ("h_{t-1}\\, w_H", "h_{t}\\, w_H"),
        [
            "test_linear.py::test_linear_rnn_fixed_values",
            "test_linear.py::test_linear_rnn_equals_python_loop",
        ],
    ),
    _entry(
        "eq-notation-column",
        "definition",
        ("W_h = W_{hh}^\\top", "W_h = W_{hh}"),
        ["test_conventions.py::test_column_form_equals_row_form_for_each_example"],
    ),
    _entry(
        "eq-notation-torch",
        "definition",
        ("b = b_{ih} + b_{hh}", "b = b_{ih} - b_{hh}"),
        [
            "test_conventions.py::test_torch_layout_converts_to_book_layout",
            "test_conventions.py::test_matches_torch_nn_rnn",
        ],
    ),
    _entry(
        "eq-acf",
        "definition",
        ("x_{t+k}", "x_{t+k-1}"),
        [
            "test_data.py::test_autocorrelation_exact",
            "test_data.py::test_autocorrelation_matches_numpy_correlate",
        ],
    ),
    _entry(
        "eq-product-rule",
        "definition",
        ("P(\\mathcal{A} \\mid \\mathcal{B})", "P(\\mathcal{A})"),
        ["test_data.py::test_markov_chain_chain_rule_property"],
    ),
    _entry(
        "eq-chain-rule",
        "numerical",
        ("\\prod_{t=1}^{T}", "\\prod_{t=2}^{T}"),
        [
            "test_data.py::test_markov_chain_joint_exact",
            "test_data.py::test_markov_chain_chain_rule_property",
        ],
    ),
    _entry(
        "eq-ar",
        "definition",
        ("+ \\phi_0", "- \\phi_0"),
        [
            "test_ar.py::test_forecast_k_step_matches_the_explicit_loop",
            "test_ar.py::test_fit_ar_recovers_ar2_coefficients",
            "test_data.py::test_ar_process_is_the_recursion_driven_by_the_seeded_noise",
            "test_ar.py::test_rollout_exact_and_uses_only_the_last_tau_values",
            "test_ar.py::test_predict_one_step_exact",
        ],
    ),
    _entry(
        "eq-markov-tau",
        "definition",
        ("x_{t-\\tau}, \\dots", "x_{t-\\tau+1}, \\dots"),
        ["test_data.py::test_markov_property_conditional_depends_on_the_last_state_only"],
    ),
    _entry(
        "eq-design",
        "definition",
        (
            "x_{\\tau+1} \\\\ x_{\\tau+2} \\\\ \\vdots \\\\ x_T",
            "x_{\\tau} \\\\ x_{\\tau+1} \\\\ \\vdots \\\\ x_{T-1}",
        ),
        [
            "test_data.py::test_make_windows_exact",
            "test_data.py::test_make_windows_coefficients_multiply_their_lag",
        ],
    ),
    _entry(
        "eq-normal",
        "numerical",
        ("\\mathbf{X}^\\top \\mathbf{y}", "\\mathbf{X} \\mathbf{y}"),
        ["test_ar.py::test_normal_equations_give_the_lstsq_solution"],
    ),
    _entry(
        "eq-sine",
        "definition",
        ("0.2^2", "0.2"),
        [
            "test_data.py::test_sine_with_noise_without_noise_is_the_sine",
            "test_data.py::test_sine_with_noise_noise_has_the_requested_spread",
        ],
    ),
    _entry(
        "eq-sine-ar2",
        "symbolic",
        ("2\\cos(\\omega)", "2\\sin(\\omega)"),
        [
            "test_symbolic.py::test_noise_free_sine_is_exactly_ar2",
            "test_symbolic.py::test_wrong_ar2_coefficients_are_rejected",
            "test_ar.py::test_clean_sine_is_exactly_ar2",
        ],
    ),
    _entry(
        "eq-char-poly",
        "numerical",
        ("\\phi_1 \\xi^{\\tau - 1}", "\\phi_1 \\xi^{\\tau - 2}"),
        ["test_ar.py::test_rollout_deviation_is_a_sum_of_powers_of_the_characteristic_roots"],
    ),
    _entry(
        "eq-k-step",
        "definition",
        (
            "\\Phi(\\hat x_{s+2}, \\hat x_{s+1}, x_s, x_{s-1})",
            "\\Phi(\\hat x_{s+2}, x_{s+1}, x_s, x_{s-1})",
        ),
        ["test_ar.py::test_forecast_k_step_matches_the_explicit_loop"],
    ),
    _entry(
        "eq-latent-ar",
        "definition",
        ("U(h_{t-1}, x_{t-1})", "U(h_{t-1}, x_{t})"),
        ["test_ar.py::test_regression_slip3_state_never_sees_the_value_it_predicts"],
    ),
    _entry(
        "eq-cell-linear",
        "definition",
        ("h_{t-1}\\, w_H", "h_{t-2}\\, w_H"),
        [
            "test_linear.py::test_linear_rnn_fixed_values",
            "test_linear.py::test_linear_rnn_equals_python_loop",
        ],
    ),
    _entry(
        "eq-unrolled-state",
        "symbolic",
        ("w_H^{\\,t-s}", "w_H^{\\,t-s+1}"),
        [
            "test_symbolic.py::test_unrolled_state_closed_form_holds",
            "test_symbolic.py::test_unrolled_state_rejects_a_wrong_exponent",
        ],
    ),
    _entry(
        "eq-influence",
        "symbolic",
        ("w_H^{\\,t-s}", "w_H^{\\,s-t}"),
        ["test_linear.py::test_influence_of_old_inputs_is_w_x_times_a_power_of_w_h"],
    ),
    _entry(
        "eq-cell-tanh",
        "definition",
        ("h_t W_{hy} + b_y", "h_t W_{hy} - b_y"),
        [
            "test_cell.py::test_step_forward_matches_hand_computed_values",
            "test_lm.py::test_read_sequence_matches_the_layers_it_is_made_of",
            "test_layers.py::test_affine_backward_matches_finite_differences",
        ],
    ),
    _entry(
        "eq-concat",
        "numerical",
        ("h_{t-1} \\end{bmatrix}", "h_{t} \\end{bmatrix}"),
        ["test_cell.py::test_concatenated_weights_give_the_same_step"],
    ),
    _entry(
        "eq-recursive",
        "definition",
        ("h_{\\text{left}} & h_{\\text{right}}", "h_{\\text{right}} & h_{\\text{left}}"),
        [
            "test_architectures.py::test_left_leaning_tree_is_a_recurrent_chain",
            "test_architectures.py::test_recursive_forward_on_a_balanced_tree_in_post_order",
        ],
    ),
    _entry(
        "eq-softmax-ce",
        "definition",
        ("L &= -\\frac{1}{T}", "L &= \\frac{1}{T}"),
        [
            "test_layers.py::test_softmax_loss_fixed_value",
            "test_layers.py::test_softmax_loss_gradient_matches_finite_differences",
        ],
    ),
    _entry(
        "eq-softmax-grad",
        "numerical",
        ("p_t[v] - [v = \\kappa_t]", "p_t[v] + [v = \\kappa_t]"),
        [
            "test_layers.py::test_softmax_loss_gradient_is_probabilities_minus_one_hot_over_NT",
            "test_layers.py::test_softmax_loss_gradient_matches_finite_differences",
        ],
    ),
    _entry(
        "eq-perplexity",
        "definition",
        ("e^{L}", "e^{-L}"),
        [
            "test_layers.py::test_uniform_logits_give_perplexity_equal_to_vocabulary_size",
            "test_lm.py::test_perplexity_does_not_depend_on_chunk_length_and_matches_lm_loss",
        ],
    ),
    _entry(
        "eq-gradout",
        "definition",
        ("\\partial h_N", "\\partial h_{N-1}"),
        [
            "test_linear.py::test_closed_form_fixed_values",
            "test_linear.py::test_closed_forms_match_finite_differences",
        ],
    ),
    _entry(
        "eq-rec-wh",
        "symbolic",
        ("h_{t-1} + w_H", "h_{t} + w_H"),
        [
            "test_symbolic.py::test_correct_recursion_reaches_closed_forms",
            "test_linear.py::test_long_sequence_is_finite_and_matches_forward_mode",
        ],
    ),
    _entry(
        "eq-rec-wx",
        "symbolic",
        ("w_H \\frac{dh_{t-1}}{dw_X}", "w_H \\frac{dh_{t-1}}{dw_H}"),
        [
            "test_symbolic.py::test_correct_recursion_reaches_closed_forms",
            "test_symbolic.py::test_slip_recursion_rejected",
            "test_linear.py::test_regression_slip1_wx_recursion_with_dh_dwh_gives_wrong_gradient",
        ],
    ),
    _entry(
        "eq-unroll-steps",
        "symbolic",
        ("w_H^2 h_{N-3}", "w_H^3 h_{N-3}"),
        ["test_symbolic.py::test_verify_closed_forms", "test_symbolic.py::test_induction_holds"],
    ),
    _entry(
        "eq-closed-wh",
        "symbolic",
        ("w_H^{\\,i-1}", "w_H^{\\,i}"),
        [
            "test_symbolic.py::test_verify_closed_forms",
            "test_symbolic.py::test_offbyone_rejected",
            "test_linear.py::test_closed_forms_match_finite_differences",
        ],
    ),
    _entry(
        "eq-closed-wx",
        "symbolic",
        ("\\sum_{i=0}^{N-1}", "\\sum_{i=1}^{N}"),
        [
            "test_symbolic.py::test_verify_closed_forms",
            "test_symbolic.py::test_closed_forms_swapped_rejected",
            "test_linear.py::test_closed_forms_match_finite_differences",
        ],
    ),
    _entry(
        "eq-closed-poly",
        "symbolic",
        ("\\sum_{i=1}^{N-1} i\\,", "\\sum_{i=1}^{N-1}"),
        [
            "test_symbolic.py::test_polynomial_form_equals_closed_form",
            "test_symbolic.py::test_polynomial_form_slips_rejected",
            "test_linear.py::test_grads_equal_the_sums_of_the_closed_form_terms",
            "test_linear.py::test_polyval_and_slope_equals_horner",
        ],
    ),
    _entry(
        "eq-double-sum",
        "symbolic",
        ("\\sum_{i=1}^{t}", "\\sum_{i=1}^{t-1}"),
        [
            "test_symbolic.py::test_verify_every_step_loss",
            "test_linear.py::test_every_step_matches_finite_differences",
            "test_linear.py::test_every_step_equals_literal_double_sums",
        ],
    ),
    _entry(
        "eq-induction-step",
        "symbolic",
        ("\\sum_{i=2}^{n+1}", "\\sum_{i=2}^{n}"),
        [
            "test_symbolic.py::test_induction_holds",
            "test_symbolic.py::test_induction_step_rewrite_preserves_value",
        ],
    ),
    _entry(
        "eq-ex-wx-unroll",
        "symbolic",
        ("w_H^2 x_{N-2}", "w_H x_{N-2}"),
        [
            "test_symbolic.py::test_correct_recursion_reaches_closed_forms",
            "test_symbolic.py::test_verify_closed_forms",
        ],
    ),
    _entry(
        "eq-adjoint",
        "symbolic",
        ("w_H\\, \\delta_{k+1}", "w_H\\, \\delta_{k-1}"),
        ["test_linear.py::test_bptt_recursion_equals_the_double_sum"],
    ),
    _entry(
        "eq-affine-grads",
        "numerical",
        (
            "\\sum_v \\bar z_v \\frac{\\partial z_v}{\\partial h_i}",
            "\\sum_v \\bar z_i \\frac{\\partial z_v}{\\partial h_i}",
        ),
        [
            "test_layers.py::test_affine_backward_is_the_index_level_sums",
            "test_layers.py::test_affine_backward_matches_finite_differences",
        ],
    ),
    _entry(
        "eq-delta",
        "numerical",
        ("\\delta_{t+1} W_{hh}^\\top", "\\delta_{t+1} W_{hh}"),
        [
            "test_cell.py::test_rnn_backward_matches_finite_differences",
            "test_slips.py::test_regression_delta_recursion_run_forward_fails_finite_differences",
        ],
    ),
    _entry(
        "eq-bptt-grads",
        "numerical",
        ("h_{t-1}^\\top \\delta_t", "h_{t}^\\top \\delta_t"),
        [
            "test_cell.py::test_rnn_backward_matches_finite_differences",
            "test_cell.py::test_rnn_backward_with_loss_on_last_step_only",
        ],
    ),
    _entry(
        "eq-rtrl",
        "numerical",
        ("W_{hh}^\\top S_{t-1}", "W_{hh} S_{t-1}"),
        ["test_rtrl.py::test_rtrl_equals_bptt"],
    ),
    _entry(
        "eq-decay-linear",
        "symbolic",
        ("w_H^{\\,k}", "w_H^{\\,k-1}"),
        [
            "rnnbook_tests/test_vanishing.py::test_decay_left_panel_is_the_floored_power",
            "test_linear.py::test_influence_of_old_inputs_is_w_x_times_a_power_of_w_h",
        ],
    ),
    _entry(
        "eq-decay-tanh",
        "numerical",
        ("t=T-k+1", "t=T-k"),
        ["rnnbook_tests/test_vanishing.py::test_tanh_product_matches_finite_differences"],
    ),
    _entry(
        "eq-tanh-bound",
        "numerical",
        ("\\right| \\le", "\\right| \\ge"),
        [
            "rnnbook_tests/test_vanishing.py::test_saturation_slope_falls_and_product_stays_under_the_bound"
        ],
    ),
    _entry(
        "eq-jacobian-product",
        "numerical",
        ("J_{T-k+1}", "J_{T-k}"),
        ["rnnbook_tests/test_vanishing.py::test_state_gradient_norms_match_finite_differences"],
    ),
    _entry(
        "eq-pascanu-bound",
        "numerical",
        ("\\right)^{k}", "\\right)^{k+1}"),
        ["rnnbook_tests/test_vanishing.py::test_gradient_norms_obey_the_singular_value_bound"],
    ),
    _entry(
        "eq-eigen",
        "numerical",
        ("Q^{\\top} h_0", "Q h_0"),
        ["rnnbook_tests/test_vanishing.py::test_eigendecomposition_powers_need_a_symmetric_matrix"],
    ),
    _entry(
        "eq-clip",
        "definition",
        ("\\le \\theta", "\\ge \\theta"),
        ["test_optim.py::test_clipping_bounds_the_norm_and_keeps_the_direction"],
    ),
    _entry(
        "eq-lstm",
        "definition",
        ("f_t \\odot c_{t-1}", "f_t \\odot c_{t}"),
        [
            "test_lstm.py::test_step_forward_matches_hand_computed_values",
            "test_lstm.py::test_lstm_backward_matches_finite_differences",
        ],
    ),
    _entry(
        "eq-forget-path",
        "numerical",
        ("\\operatorname{diag}(f_t)", "\\operatorname{diag}(f_{t-1})"),
        [
            "test_lstm.py::test_cell_path_gradient_equals_explicit_product",
            "test_lstm.py::test_cell_path_gradient_is_dc_prev_of_chained_steps_with_no_loss_on_h",
        ],
    ),
    _entry(
        "eq-gru",
        "definition",
        ("(q_t \\odot h_{t-1})", "(q_t \\odot h_{t})"),
        [
            "test_gru.py::test_step_forward_matches_the_equations_as_written",
            "test_gru.py::test_gru_backward_matches_finite_differences",
        ],
    ),
    _entry(
        "eq-ema",
        "definition",
        ("(1 - \\lambda)", "(1 + \\lambda)"),
        [
            "test_ar.py::test_latent_states_fixed_values",
            "test_ar.py::test_latent_state_forecast_is_honest_and_the_leak_is_not",
        ],
    ),
]
BY_LABEL = {entry.label: entry for entry in ENTRIES}
