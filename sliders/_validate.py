"""Validation of chart and slider definitions: each error starts with the argument's name."""

import numbers

import numpy as np


def as_scalar(name, value):
    """``value`` as a finite Python float; bools, strings, arrays and NaN are refused.

    Examples
    --------
    >>> as_scalar("y", 2)
    2.0
    >>> as_scalar("y", float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: y: expected a finite real number, got nan
    """
    real = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    if not real or not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite real number, got {value!r}")
    return float(value)


def as_int(name, value, low, high):
    """``value`` as an int in ``[low, high]``.

    Examples
    --------
    >>> as_int("height", 100, 150, 1200)
    Traceback (most recent call last):
    ...
    ValueError: height: expected an integer in [150, 1200], got 100
    """
    ok = isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
    if not ok or not low <= value <= high:
        raise ValueError(f"{name}: expected an integer in [{low}, {high}], got {value!r}")
    return int(value)


def as_data(name, a, sizes, size_names):
    """``a`` as a finite, non-empty float64 array with one axis per name in ``size_names``.

    A name already in ``sizes`` must match; a new one is recorded there, so that the
    x and y of one mark must have one length.

    Examples
    --------
    >>> sizes = {}
    >>> as_data("x", [0, 1], sizes, ("n",)).tolist(), sizes
    ([0.0, 1.0], {'n': 2})
    >>> as_data("y", [1.0], sizes, ("n",))
    Traceback (most recent call last):
    ...
    ValueError: y: expected shape (n,) with n = 2, got shape (1,)
    """
    arr = np.asarray(a)
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name}: expected real numbers, got an array of dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    spec = "(" + ", ".join(size_names) + ("," if len(size_names) == 1 else "") + ")"
    if arr.ndim != len(size_names) or 0 in arr.shape:
        raise ValueError(
            f"{name}: expected {len(size_names)}-d array of shape {spec}, "
            f"got {arr.ndim}-d array of shape {arr.shape}"
        )
    for size_name, got in zip(size_names, arr.shape):
        if sizes.setdefault(size_name, got) != got:
            raise ValueError(
                f"{name}: expected shape {spec} with {size_name} = {sizes[size_name]}, "
                f"got shape {arr.shape}"
            )
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}: expected finite values, got NaN or infinity")
    return arr
