"""The hypothesis settings every property test runs with (tests/conftest.py)."""

from hypothesis import HealthCheck, settings


def test_regression_hypothesis_never_fails_a_test_for_being_slow():
    # test_make_windows_shape_and_lag_alignment failed on a loaded machine with
    # "Input generation is slow": a timer, not a wrong value.
    assert settings().deadline is None
    assert HealthCheck.too_slow in settings().suppress_health_check
