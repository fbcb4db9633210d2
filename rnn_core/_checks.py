"""Input validation shared by every public function of rnn_core.

Each check raises a ``ValueError`` that names the argument and states what was
expected and what was received (``name: expected ..., got ...``), so that a
shape slip in a chapter points at its cause instead of surfacing later as
broadcasting or NaN. :func:`check_steps` and :func:`check_overflow` do the same
for results: float64 overflow is reported, naming what overflowed and where,
instead of being handed back as inf or NaN.
"""

import numbers
from collections.abc import Sequence

import numpy as np

# What a rejected array holds, by numpy dtype kind, for the error message.
_KINDS = {
    "b": "booleans",
    "c": "complex numbers",
    "U": "strings",
    "S": "bytes",
    "O": "objects",
    "M": "datetimes",
    "m": "timedeltas",
    "V": "raw records",
}

# Below this sum of squares, squares of small entries may have underflowed (see norm).
_SUMSQ_SAFE = 2.0**-900

# Decorates a function that checks its own results with check_steps or check_overflow:
# numpy's RuntimeWarnings on overflow would only say less clearly what the error says.
overflow_checked = np.errstate(over="ignore", invalid="ignore", divide="ignore")


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
        ``a`` converted to float64 in C order (no copy when it already is).

    Raises
    ------
    ValueError
        If ``a`` holds anything but real numbers (complex, bool, str...), has the
        wrong number of dimensions, a size disagrees with the spec or with an
        earlier argument, a size is zero, or a value is not finite.

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
    a = as_real(name, a, finite=False)
    check_shape(name, a.shape, spec, sizes)
    if finite:
        check_finite(name, a)
    return a


def as_ndarray(name, a):
    """``np.asarray(a)``, with a ragged nested sequence reported under ``name``.

    Examples
    --------
    >>> as_ndarray("x", [[1.0], [2.0, 3.0]])
    Traceback (most recent call last):
    ...
    ValueError: x: expected an array of real numbers, got a ragged nested sequence
    """
    try:
        return np.asarray(a)
    except ValueError:  # numpy: "setting an array element with a sequence"
        raise ValueError(
            f"{name}: expected an array of real numbers, got a ragged nested sequence"
        ) from None


def as_real(name, a, finite=True, nonempty=False):
    """Return ``a`` as a float64 array of any shape, refusing anything but real numbers.

    ``np.asarray(a, dtype=float)`` would silently drop the imaginary part of a
    complex array and read booleans and numeric strings as numbers; all three
    are refused here, by their dtype, before any conversion. ``nonempty``: refuse
    an array with no entries (a scalar has one).

    Examples
    --------
    >>> as_real("z", [1, 2.5])
    array([1. , 2.5])
    >>> as_real("z", np.array([1 + 2j]))
    Traceback (most recent call last):
    ...
    ValueError: z: expected real numbers (int or float), got complex numbers (dtype complex128)
    """
    arr = as_ndarray(name, a)
    if arr.dtype.kind not in "iuf":
        what = _KINDS.get(arr.dtype.kind, "values")
        raise ValueError(
            f"{name}: expected real numbers (int or float), got {what} (dtype {arr.dtype})"
        )
    # C order: a strided view is computed exactly as its contiguous copy would be
    # (BLAS may sum a strided vector in another order, changing the last bits).
    arr = arr.astype(np.float64, order="C", copy=False)
    if nonempty and arr.size == 0:
        raise ValueError(f"{name}: expected a non-empty array, got shape {arr.shape}")
    if finite:
        check_finite(name, arr)
    return arr


def check_shape(name, shape, spec, sizes=None):
    """Raise ``ValueError`` unless ``shape`` matches ``spec`` (see :func:`as_array`).

    Examples
    --------
    >>> check_shape("idx", (2, 0), ("N", "T"))
    Traceback (most recent call last):
    ...
    ValueError: idx: expected non-empty shape (N, T), got shape (2, 0)
    """
    sizes = {} if sizes is None else sizes
    if len(shape) != len(spec):
        raise ValueError(
            f"{name}: expected {len(spec)}-d array of shape {_fmt(spec)}, "
            f"got {len(shape)}-d array of shape {shape}"
        )
    for want, got in zip(spec, shape):
        if got == 0:
            raise ValueError(f"{name}: expected non-empty shape {_fmt(spec)}, got shape {shape}")
        if isinstance(want, str):
            if sizes.setdefault(want, got) != got:
                raise ValueError(
                    f"{name}: expected shape {_fmt(spec)} with {want} = {sizes[want]}, "
                    f"got shape {shape}"
                )
        elif want != got:
            raise ValueError(f"{name}: expected shape {_fmt(spec)}, got shape {shape}")


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


def as_fraction(name, value, open_low=False, open_high=False):
    """Return ``value`` as a float in [0, 1], either end excluded on request.

    Examples
    --------
    >>> as_fraction("beta1", 0.9, open_high=True)
    0.9
    >>> as_fraction("beta1", 1.0, open_high=True)
    Traceback (most recent call last):
    ...
    ValueError: beta1: expected a finite real scalar in [0, 1), got 1.0
    """
    value = as_scalar(name, value)
    low_ok = value > 0 if open_low else value >= 0
    high_ok = value < 1 if open_high else value <= 1
    if not (low_ok and high_ok):
        span = f"{'(' if open_low else '['}0, 1{')' if open_high else ']'}"
        raise ValueError(f"{name}: expected a finite real scalar in {span}, got {value!r}")
    return value


def as_sequence(name, values, what):
    """Return ``values`` as a non-empty list: a list, tuple, range or 1-d array of ``what``.

    The entries are not checked here (each caller names them, ``ks[0]`` say); a str
    is refused although it is a sequence.

    Examples
    --------
    >>> as_sequence("ks", (1, 2), "int")
    [1, 2]
    >>> as_sequence("ks", 3, "int")
    Traceback (most recent call last):
    ...
    ValueError: ks: expected a non-empty 1-d sequence of int, got 3
    """
    ok = (isinstance(values, Sequence) and not isinstance(values, (str, bytes))) or (
        isinstance(values, np.ndarray) and values.ndim == 1
    )
    if not ok or len(values) == 0:
        raise ValueError(f"{name}: expected a non-empty 1-d sequence of {what}, got {values!r}")
    return list(values)


def as_ids(name, ids, V, spec, sizes=None):
    """Return ``ids`` as an integer array of shape ``spec`` whose values lie in ``[0, V)``.

    Token ids and class labels: floats, booleans and strings are refused, not rounded.

    Examples
    --------
    >>> as_ids("y", [0, 2], 3, ("N",))
    array([0, 2])
    >>> as_ids("y", [0, 3], 3, ("N",))
    Traceback (most recent call last):
    ...
    ValueError: y: expected non-empty ids in [0, 2], got values in [0, 3]
    """
    ids = as_ndarray(name, ids)
    if ids.ndim != len(spec) or ids.dtype.kind not in "iu":
        raise ValueError(
            f"{name}: expected {len(spec)}-d integer array of shape {_fmt(spec)}, "
            f"got {ids.ndim}-d {ids.dtype} array of shape {ids.shape}"
        )
    check_shape(name, ids.shape, spec, sizes)
    if ids.min() < 0 or ids.max() >= V:
        raise ValueError(
            f"{name}: expected non-empty ids in [0, {V - 1}], "
            f"got values in [{ids.min()}, {ids.max()}]"
        )
    return ids


def as_mask(name, mask, shape):
    """Return ``mask`` as a boolean array of ``shape``; 0/1 numbers are accepted, others not.

    Examples
    --------
    >>> as_mask("mask", [[1, 0]], (1, 2))
    array([[ True, False]])
    >>> as_mask("mask", [[1, 0.5]], (1, 2))
    Traceback (most recent call last):
    ...
    ValueError: mask: expected booleans or 0/1 values, got 0.5 at index (0, 1)
    """
    m = as_ndarray(name, mask)
    if m.dtype.kind not in "biuf":
        what = _KINDS.get(m.dtype.kind, "values")
        raise ValueError(f"{name}: expected booleans or 0/1 values, got {what} (dtype {m.dtype})")
    if m.shape != tuple(shape):
        raise ValueError(f"{name}: expected shape {tuple(shape)}, got shape {m.shape}")
    if m.dtype.kind != "b":
        bad = (m != 0) & (m != 1)  # NaN is caught here too: it is neither
        if bad.any():
            first = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"{name}: expected booleans or 0/1 values, got {m[first].item()!r} at index {first}"
            )
        m = m == 1
    return m


def as_params(name, params, specs, sizes=None, exact=False):
    """Validate a dict of parameter arrays: ``params[key]`` against ``specs[key]``.

    Every key of ``specs`` must be present (``exact``: and no other); each array
    is checked by :func:`as_array` as ``name[key]``, sharing ``sizes``.

    Examples
    --------
    >>> as_params("params", {"W": np.zeros((2, 3))}, {"W": ("H", "V"), "b": ("V",)})
    Traceback (most recent call last):
    ...
    ValueError: params: expected a dict with keys ['W', 'b'], got keys ['W'] (missing 'b')
    """
    expected = sorted(specs)
    if not isinstance(params, dict):
        got = type(params).__name__
        raise ValueError(f"{name}: expected a dict with keys {expected}, got {got}")
    missing = [k for k in specs if k not in params]
    extra = [k for k in params if k not in specs] if exact else []
    if missing or extra:
        why = ", ".join([f"missing {k!r}" for k in missing] + [f"unexpected {k!r}" for k in extra])
        got = sorted(params, key=str)
        raise ValueError(f"{name}: expected a dict with keys {expected}, got keys {got} ({why})")
    sizes = {} if sizes is None else sizes
    return {k: as_array(f"{name}[{k!r}]", params[k], spec, sizes) for k, spec in specs.items()}


def as_cache(name, cache, cls, what):
    """Return ``cache`` if it is a ``cls``; ``what`` says which one and where it comes from.

    Examples
    --------
    >>> from typing import NamedTuple
    >>> class Cache(NamedTuple):
    ...     h: float
    >>> as_cache("cache", (1.0,), Cache, "a Cache from forward")
    Traceback (most recent call last):
    ...
    ValueError: cache: expected a Cache from forward, got tuple
    """
    if not isinstance(cache, cls):
        raise ValueError(f"{name}: expected {what}, got {type(cache).__name__}")
    return cache


def check_steps(name, values, why, last=False):
    """Raise ``ValueError`` if ``values`` (N, T, ...) overflowed, naming the step it did at.

    Axis 1 is time. The step reported is the first non-finite one in the order
    the values were computed: the earliest for a forward pass, the latest
    (``last=True``) for a backward pass. Callers test something cheap first (a
    sum, a small result) and call this only when it is not finite.

    Examples
    --------
    >>> check_steps("h", np.array([[[0.0], [np.inf], [np.nan]]]), "a too large input")
    Traceback (most recent call last):
    ...
    ValueError: h: overflowed float64 at step t = 1 of T = 3 (a too large input)
    """
    bad = ~np.isfinite(values)
    if bad.any():
        steps = np.flatnonzero(bad.any(axis=tuple(i for i in range(values.ndim) if i != 1)))
        t = int(steps[-1] if last else steps[0])
        check_overflow(name, values, why, step=(t, values.shape[1]))


def check_overflow(name, values, why, step=None):
    """Raise ``ValueError`` if the result ``values`` holds inf or NaN; ``why`` says how.

    ``step``: ``(t, T)``, the step of a loop over ``T`` steps where it happened.

    Examples
    --------
    >>> check_overflow("dW", np.array([1.0, np.inf]), "a sum over every position")
    Traceback (most recent call last):
    ...
    ValueError: dW: overflowed float64 (a sum over every position)
    """
    if not np.isfinite(values).all():
        where = "" if step is None else f" at step t = {step[0]} of T = {step[1]}"
        raise ValueError(f"{name}: overflowed float64{where} ({why})")
    return values


def as_choice(name, value, choices):
    """Return ``value`` if it is one of the strings ``choices``.

    Examples
    --------
    >>> as_choice("kind", "window", ("sliding", "window"))
    'window'
    >>> as_choice("kind", ["window"], ("sliding", "window"))
    Traceback (most recent call last):
    ...
    ValueError: kind: expected one of ['sliding', 'window'], got ['window']
    """
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name}: expected one of {sorted(choices)}, got {value!r}")
    return value


def as_rng(name, rng):
    """A ``numpy.random.Generator`` from ``rng``: a Generator, a seed (int >= 0) or None.

    Examples
    --------
    >>> as_rng("rng", 2.5)
    Traceback (most recent call last):
    ...
    ValueError: rng: expected a numpy.random.Generator, an integer seed >= 0 or None, got 2.5
    """
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)) and rng >= 0:
        return np.random.default_rng(int(rng))
    raise ValueError(
        f"{name}: expected a numpy.random.Generator, an integer seed >= 0 or None, got {rng!r}"
    )


def norm(*arrays):
    """The Euclidean norm of all entries of ``arrays`` together, without overflow or underflow.

    The plain ``sqrt(sum a**2)`` whenever that is safe, so that ordinary results
    do not change in the last bit; when the sum of squares overflows (entries of
    1e154 or more) or may have lost small entries to underflow, the norm of
    ``a / m`` times ``m``, with ``m`` the largest magnitude. Inf only if the norm
    itself exceeds the largest float64.

    Examples
    --------
    >>> norm(np.array([3.0]), np.array([[4.0]]))
    5.0
    >>> float(f"{norm(np.array([3e200, 4e200])):.6g}")  # sqrt(sum a**2) would be inf
    5e+200
    """
    with np.errstate(over="ignore"):
        sumsq = sum(np.sum(a * a) for a in arrays)
        if np.isfinite(sumsq) and sumsq >= _SUMSQ_SAFE:
            return float(np.sqrt(sumsq))
        m = max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)
        if m == 0.0:
            return 0.0
        return m * float(np.sqrt(sum(np.sum((a / m) ** 2) for a in arrays)))


def as_callable(name, f, what="a callable"):
    """Return ``f`` if it can be called; ``what`` says how it will be.

    Examples
    --------
    >>> as_callable("f", 1.0, "a callable taking no argument")
    Traceback (most recent call last):
    ...
    ValueError: f: expected a callable taking no argument, got float
    """
    if not callable(f):
        raise ValueError(f"{name}: expected {what}, got {type(f).__name__}")
    return f
