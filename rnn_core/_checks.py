"""Input validation shared by every public function of rnn_core.

Each check raises a ``ValueError`` that names the argument and states what was
expected and what was received, so that a shape slip in a chapter points at
its cause instead of surfacing later as broadcasting or NaN.
"""

import numbers

import numpy as np


def _fmt(shape):
    """Render a shape spec such as ``("N", "T", 3)`` as ``(N, T, 3)``."""
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def as_array(name, a, spec, sizes=None, finite=True):
    """Return ``a`` as a finite float64 array whose shape matches ``spec``.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    a : array_like
        The value to check.
    spec : tuple of (str or int)
        Expected shape. An int must match exactly; a str is a named size
        (``"N"``, ``"T"``...) that must agree with every other use of that name.
    sizes : dict or None
        Named sizes fixed so far; updated in place with new names.
    finite : bool
        Check that every value is finite. A caller may pass False to save a pass
        over a long array only if it checks its result instead and, when that is
        not finite, calls :func:`check_finite` on ``a`` before reporting anything else.

    Returns
    -------
    ndarray
        ``a`` converted to float64 (no copy when it already is).

    Raises
    ------
    ValueError
        If ``a`` has the wrong number of dimensions, a size disagrees with the
        spec or with an earlier argument, a size is zero, or a value is not finite.

    Examples
    --------
    >>> sizes = {}
    >>> as_array("h0", np.zeros((2, 3)), ("N", "H"), sizes).shape
    (2, 3)
    >>> as_array("b", np.zeros(4), ("H",), sizes)
    Traceback (most recent call last):
    ...
    ValueError: b: expected shape (H,) with H = 3, got shape (4,)
    """
    sizes = {} if sizes is None else sizes
    a = np.asarray(a, dtype=np.float64)
    if a.ndim != len(spec):
        raise ValueError(
            f"{name}: expected {len(spec)}-d array of shape {_fmt(spec)}, "
            f"got {a.ndim}-d array of shape {a.shape}"
        )
    for want, got in zip(spec, a.shape):
        if got == 0:
            raise ValueError(f"{name}: expected non-empty shape {_fmt(spec)}, got shape {a.shape}")
        if isinstance(want, str):
            if sizes.setdefault(want, got) != got:
                raise ValueError(
                    f"{name}: expected shape {_fmt(spec)} with {want} = {sizes[want]}, "
                    f"got shape {a.shape}"
                )
        elif want != got:
            raise ValueError(f"{name}: expected shape {_fmt(spec)}, got shape {a.shape}")
    if finite:
        check_finite(name, a)
    return a


def check_finite(name, a):
    """Raise ``ValueError`` if ``a`` holds NaN or infinity.

    Examples
    --------
    >>> check_finite("x", np.array([1.0, np.nan]))
    Traceback (most recent call last):
    ...
    ValueError: x: expected finite values, got 1 non-finite entries (first at index (1,))
    """
    bad = ~np.isfinite(a)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name}: expected finite values, got {int(bad.sum())} non-finite entries "
            f"(first at index {first})"
        )


def as_scalar(name, value):
    """Return ``value`` as a finite Python float.

    Examples
    --------
    >>> as_scalar("w_h", 0.5)
    0.5
    >>> as_scalar("w_h", [0.5])
    Traceback (most recent call last):
    ...
    ValueError: w_h: expected a finite real scalar, got [0.5]
    """
    is_real = isinstance(value, (numbers.Real, np.floating)) or (
        isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "iuf"
    )
    if isinstance(value, (bool, np.bool_)) or not is_real:
        raise ValueError(f"{name}: expected a finite real scalar, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite real scalar, got {value!r}")
    return value


def as_positive(name, value):
    """Return ``value`` as a finite Python float > 0 (a rate, a threshold, a count).

    Examples
    --------
    >>> as_positive("lr", 0.1)
    0.1
    >>> as_positive("lr", 0)
    Traceback (most recent call last):
    ...
    ValueError: lr: expected a finite real scalar > 0, got 0.0
    """
    value = as_scalar(name, value)
    if value <= 0:
        raise ValueError(f"{name}: expected a finite real scalar > 0, got {value!r}")
    return value


def as_int(name, value, low, high=None):
    """Return ``value`` as an int in ``[low, high]`` (``high=None``: no upper bound).

    Examples
    --------
    >>> as_int("tau", 4, 1, 10)
    4
    >>> as_int("tau", 0, 1, 10)
    Traceback (most recent call last):
    ...
    ValueError: tau: expected an integer in [1, 10], got 0
    """
    span = f"[{low}, {'inf' if high is None else high}]"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral,)):
        raise ValueError(f"{name}: expected an integer in {span}, got {value!r}")
    value = int(value)
    if value < low or (high is not None and value > high):
        raise ValueError(f"{name}: expected an integer in {span}, got {value}")
    return value
