"""Every labelled equation in the book names the tests that would fail if it were wrong.

A chapter that adds a ``{math}`` block must add its label here with at least one
test, and every displayed equation must be a labelled ``{math}`` block (no bare
``$$``), so no formula reaches the reader unchecked.
"""

import re
from pathlib import Path

import pytest
from book_toc import toc_pages

ROOT = Path(__file__).resolve().parents[2]

EQUATION_TESTS = {
    # intro and notation
    "eq-intro-cell": ["test_cell.py::test_step_forward_matches_hand_computed_values"],
    "eq-notation-cell": [
        "test_cell.py::test_forward_equals_loop_of_steps",
        "test_cell.py::test_step_forward_matches_hand_computed_values",
    ],
    "eq-notation-linear": [
        "test_linear.py::test_linear_rnn_fixed_values",
        "test_linear.py::test_linear_rnn_equals_python_loop",
    ],
    "eq-notation-column": [
        "test_conventions.py::test_column_form_equals_row_form_for_each_example"
    ],
    "eq-notation-torch": [
        "test_conventions.py::test_torch_layout_converts_to_book_layout",
        "test_conventions.py::test_matches_torch_nn_rnn",
    ],
    # chapter 1
    "eq-acf": [
        "test_data.py::test_autocorrelation_exact",
        "test_data.py::test_autocorrelation_matches_numpy_correlate",
    ],
    "eq-product-rule": ["test_data.py::test_markov_chain_chain_rule_property"],
    "eq-chain-rule": [
        "test_data.py::test_markov_chain_joint_exact",
        "test_data.py::test_markov_chain_chain_rule_property",
    ],
    # chapter 2
    "eq-ar": [
        "test_ar.py::test_forecast_k_step_matches_the_explicit_loop",
        "test_ar.py::test_fit_ar_recovers_ar2_coefficients",
        "test_data.py::test_ar_process_is_the_recursion_driven_by_the_seeded_noise",
    ],
    "eq-markov-tau": [
        "test_data.py::test_markov_property_conditional_depends_on_the_last_state_only"
    ],
    "eq-design": [
        "test_data.py::test_make_windows_exact",
        "test_data.py::test_make_windows_coefficients_multiply_their_lag",
    ],
    "eq-normal": ["test_ar.py::test_normal_equations_give_the_lstsq_solution"],
    "eq-sine": [
        "test_data.py::test_sine_with_noise_without_noise_is_the_sine",
        "test_data.py::test_sine_with_noise_noise_has_the_requested_spread",
    ],
    "eq-sine-ar2": [
        "test_symbolic.py::test_noise_free_sine_is_exactly_ar2",
        "test_symbolic.py::test_wrong_ar2_coefficients_are_rejected",
        "test_ar.py::test_clean_sine_is_exactly_ar2",
    ],
    "eq-char-poly": [
        "test_ar.py::test_rollout_deviation_is_a_sum_of_powers_of_the_characteristic_roots"
    ],
    "eq-k-step": ["test_ar.py::test_forecast_k_step_matches_the_explicit_loop"],
    "eq-latent-ar": ["test_ar.py::test_regression_slip3_state_never_sees_the_value_it_predicts"],
    # chapter 3
    "eq-cell-linear": [
        "test_linear.py::test_linear_rnn_fixed_values",
        "test_linear.py::test_linear_rnn_equals_python_loop",
    ],
    "eq-unrolled-state": [
        "test_symbolic.py::test_unrolled_state_closed_form_holds",
        "test_symbolic.py::test_unrolled_state_rejects_a_wrong_exponent",
    ],
    "eq-influence": ["test_linear.py::test_influence_of_old_inputs_is_w_x_times_a_power_of_w_h"],
    "eq-cell-tanh": [
        "test_cell.py::test_step_forward_matches_hand_computed_values",
        "test_lm.py::test_read_sequence_matches_the_layers_it_is_made_of",
        "test_layers.py::test_affine_backward_matches_finite_differences",
    ],
    "eq-concat": ["test_cell.py::test_concatenated_weights_give_the_same_step"],
    "eq-recursive": [
        "test_architectures.py::test_left_leaning_tree_is_a_recurrent_chain",
        "test_architectures.py::test_recursive_forward_on_a_balanced_tree_in_post_order",
    ],
    "eq-softmax-ce": [
        "test_layers.py::test_softmax_loss_fixed_value",
        "test_layers.py::test_softmax_loss_gradient_matches_finite_differences",
    ],
    "eq-softmax-grad": [
        "test_layers.py::test_softmax_loss_gradient_is_probabilities_minus_one_hot_over_NT",
        "test_layers.py::test_softmax_loss_gradient_matches_finite_differences",
    ],
    "eq-perplexity": [
        "test_layers.py::test_uniform_logits_give_perplexity_equal_to_vocabulary_size",
        "test_lm.py::test_perplexity_does_not_depend_on_chunk_length_and_matches_lm_loss",
    ],
    # chapter 4
    "eq-gradout": [
        "test_linear.py::test_closed_form_fixed_values",
        "test_linear.py::test_closed_forms_match_finite_differences",
    ],
    "eq-rec-wh": [
        "test_symbolic.py::test_correct_recursion_reaches_closed_forms",
        "test_linear.py::test_long_sequence_is_finite_and_matches_forward_mode",
    ],
    "eq-rec-wx": [
        "test_symbolic.py::test_correct_recursion_reaches_closed_forms",
        "test_symbolic.py::test_slip_recursion_rejected",
        "test_linear.py::test_regression_slip1_wx_recursion_with_dh_dwh_gives_wrong_gradient",
    ],
    "eq-unroll-steps": [
        "test_symbolic.py::test_verify_closed_forms",
        "test_symbolic.py::test_induction_holds",
    ],
    "eq-closed-wh": [
        "test_symbolic.py::test_verify_closed_forms",
        "test_symbolic.py::test_offbyone_rejected",
        "test_linear.py::test_closed_forms_match_finite_differences",
    ],
    "eq-closed-wx": [
        "test_symbolic.py::test_verify_closed_forms",
        "test_symbolic.py::test_closed_forms_swapped_rejected",
        "test_linear.py::test_closed_forms_match_finite_differences",
    ],
    "eq-closed-poly": [
        "test_symbolic.py::test_polynomial_form_equals_closed_form",
        "test_symbolic.py::test_polynomial_form_slips_rejected",
        "test_linear.py::test_grads_equal_the_sums_of_the_closed_form_terms",
        "test_linear.py::test_polyval_and_slope_equals_horner",
    ],
    "eq-double-sum": [
        "test_symbolic.py::test_verify_every_step_loss",
        "test_linear.py::test_every_step_matches_finite_differences",
        "test_linear.py::test_every_step_equals_literal_double_sums",
    ],
    "eq-induction-step": [
        "test_symbolic.py::test_induction_holds",
        "test_symbolic.py::test_induction_step_rewrite_preserves_value",
    ],
    "eq-ex-wx-unroll": [
        "test_symbolic.py::test_correct_recursion_reaches_closed_forms",
        "test_symbolic.py::test_verify_closed_forms",
    ],
    "eq-adjoint": ["test_linear.py::test_bptt_recursion_equals_the_double_sum"],
    "eq-affine-grads": [
        "test_layers.py::test_affine_backward_is_the_index_level_sums",
        "test_layers.py::test_affine_backward_matches_finite_differences",
    ],
    "eq-delta": [
        "test_cell.py::test_rnn_backward_matches_finite_differences",
        "test_slips.py::test_regression_delta_recursion_run_forward_fails_finite_differences",
    ],
    "eq-bptt-grads": [
        "test_cell.py::test_rnn_backward_matches_finite_differences",
        "test_cell.py::test_rnn_backward_with_loss_on_last_step_only",
    ],
    "eq-rtrl": ["test_rtrl.py::test_rtrl_equals_bptt"],
    # chapter 5
    "eq-decay-linear": [
        "rnnbook_tests/test_vanishing.py::test_decay_left_panel_is_the_floored_power",
        "test_linear.py::test_influence_of_old_inputs_is_w_x_times_a_power_of_w_h",
    ],
    "eq-decay-tanh": [
        "rnnbook_tests/test_vanishing.py::test_tanh_product_matches_finite_differences"
    ],
    "eq-tanh-bound": [
        "rnnbook_tests/test_vanishing.py::test_saturation_slope_falls_and_product_stays_under_the_bound"
    ],
    "eq-jacobian-product": [
        "rnnbook_tests/test_vanishing.py::test_state_gradient_norms_match_finite_differences"
    ],
    "eq-pascanu-bound": [
        "rnnbook_tests/test_vanishing.py::test_gradient_norms_obey_the_singular_value_bound"
    ],
    "eq-eigen": [
        "rnnbook_tests/test_vanishing.py::test_eigendecomposition_powers_need_a_symmetric_matrix"
    ],
    "eq-clip": ["test_optim.py::test_clipping_bounds_the_norm_and_keeps_the_direction"],
    "eq-lstm": [
        "test_lstm.py::test_step_forward_matches_hand_computed_values",
        "test_lstm.py::test_lstm_backward_matches_finite_differences",
    ],
    "eq-forget-path": [
        "test_lstm.py::test_cell_path_gradient_equals_explicit_product",
        "test_lstm.py::test_cell_path_gradient_is_dc_prev_of_chained_steps_with_no_loss_on_h",
    ],
    "eq-gru": [
        "test_gru.py::test_step_forward_matches_the_equations_as_written",
        "test_gru.py::test_gru_backward_matches_finite_differences",
    ],
    "eq-ema": [
        "test_ar.py::test_latent_states_fixed_values",
        "test_ar.py::test_latent_state_forecast_is_honest_and_the_leak_is_not",
    ],
}

_LABEL = re.compile(r"^```\{math\}\s*\n:label:\s*(\S+)", re.MULTILINE)


def _pages():
    return [p for p in toc_pages() if p.suffix == ".md" and p.is_file()]


def test_every_labelled_equation_has_a_test():
    labels = {label: page.name for page in _pages() for label in _LABEL.findall(page.read_text())}
    missing = sorted(
        f"{label} ({page})" for label, page in labels.items() if label not in EQUATION_TESTS
    )
    assert not missing, f"equations without a registered test: {missing}"
    stale = sorted(set(EQUATION_TESTS) - set(labels))
    assert not stale, f"registered equations no longer in the book: {stale}"


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_no_unlabelled_display_math(page):
    text = page.read_text()
    assert "$$" not in text, f"{page.name}: use a labelled {{math}} block instead of $$"
    blocks = text.count("```{math}")
    assert blocks == len(_LABEL.findall(text)), f"{page.name}: a {{math}} block has no label"


@pytest.mark.parametrize("label", sorted(EQUATION_TESTS))
def test_registered_tests_exist(label):
    for node in EQUATION_TESTS[label]:
        file, name = node.split("::")
        source = (ROOT / "tests" / file).read_text()
        assert re.search(rf"^def {name}\(", source, re.MULTILINE), f"{label}: no test {node}"
