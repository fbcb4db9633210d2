"""Every public function of the core, sent every class of bad input, argument by argument.

The functions are found, not listed: ``rnn_core.__all__`` and the ``__all__`` of every
public module of the package. Each needs one valid
example call in api_examples.EXAMPLES, or test_every_public_function_has_an_example
fails. From that call, every argument in turn is replaced by each value of the
bad-input classes of its kind (an array: wrong number of dimensions, a wrong or
mismatched size on each axis, empty, complex, bool, strings, None, ragged, NaN,
+/-inf, 1e300, 1e-300; a number: complex, bool, a string, NaN, inf, an array, 0,
negative, 1e300; an int: 2.5, a float, bool, a string, negative, 0, past the
sequence; a cache: a plain tuple, a dict, another type; a layer's (Wx, Wh, b), a
list of layers or a list of parameter dicts: None, too short or empty, and each
entry's bad classes; and so on), and the outcome must be what the class calls for:

- ``error``: a ValueError or TypeError whose message starts with the argument's
  name (``x: expected ..., got ...``; ``params['Wx']:`` and ``model.coef:`` count
  for ``params`` and ``model``). For a size shared by several arguments, naming
  any of those is right: the code cannot know which of two disagreeing arguments
  is wrong.
- ``lenient``: that error, an error that names what overflowed float64, or a
  result whose every float is finite (1e300 is valid input; so is a longer
  sequence where the length is free).
- ``same``: exactly the example's result (a list for an array, a non-contiguous
  or read-only view, a numpy scalar for a Python one).

A result that numpy warned about on the way (overflow, an invalid value) fails:
overflow must be reported, not only warned about. Which sizes belong together
comes from the docstrings' ``shape (N, T, D)`` (a symbol in one argument only is
free; one in two or more must match), so an array argument with no documented
shape fails the test too.
"""

import copy
import functools
import importlib
import inspect
import pkgutil
import re
import warnings
import zlib
from typing import Any, NamedTuple

import numpy as np
import pytest
import sympy as sp
from api_examples import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rnn_core

# --- the public API ------------------------------------------------------------------


def core_modules():
    """Every public module of rnn_core (the numerical core, since issue 13 all of it)."""
    found = pkgutil.iter_modules(rnn_core.__path__)
    names = sorted(m.name for m in found if not m.name.startswith("_"))
    return [importlib.import_module(f"rnn_core.{name}") for name in names]


def _is_record_type(obj):
    """A NamedTuple class: a container whose fields are checked where it is used."""
    return isinstance(obj, type) and issubclass(obj, tuple) and hasattr(obj, "_fields")


def public_functions():
    """Qualified name -> callable, for every function and class in a public ``__all__``."""
    found = {}
    exported = [(rnn_core, n) for n in rnn_core.__all__]
    exported += [(m, n) for m in core_modules() for n in getattr(m, "__all__", ())]
    for module, name in exported:
        obj = getattr(module, name)
        if callable(obj) and not _is_record_type(obj):
            found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


PUBLIC = public_functions()
NAMES = sorted(PUBLIC)


def test_every_core_module_declares_its_public_names():
    missing = [m.__name__ for m in core_modules() if not hasattr(m, "__all__")]
    assert not missing, f"core modules without __all__ (the harness reads it): {missing}"


def test_every_public_function_has_an_example():
    missing = sorted(set(PUBLIC) - set(EXAMPLES))
    assert not missing, (
        "public functions with no valid example call in tests/api_examples.py "
        f"(add one, so that the bad-input harness covers them): {missing}"
    )
    stale = sorted(set(EXAMPLES) - set(PUBLIC))
    assert not stale, f"api_examples.EXAMPLES names functions that are not public: {stale}"


# --- shapes from the docstrings -----------------------------------------------------

_PARAM = re.compile(r"^    ([A-Za-z_]\w*(?:, [A-Za-z_]\w*)*) : (.*)$")
_SHAPE = re.compile(r"shape \(([^)]*)\)")
_PAIR = re.compile(r"^\((?:float|int), (?:float|int)\)")
_SAME = re.compile(r"same shape as ``(\w+)``")


def doc_shapes(fn):
    """Argument -> shape spec, from the Parameters section: ``shape (N, T, D)`` -> (N, T, D)."""
    doc = inspect.getdoc(fn) or ""
    section = doc.split("Parameters\n----------\n", 1)[-1].split("\nReturns\n", 1)[0]
    specs = {}
    for line in ("    " + ln for ln in section.splitlines()):
        match = _PARAM.match(line)
        if not match:
            continue
        names, kind = match.group(1).split(", "), match.group(2)
        shape, same = _SHAPE.search(kind), _SAME.search(kind)
        if shape:
            spec = tuple(s.strip() for s in shape.group(1).split(",") if s.strip())
        elif same:
            spec = specs.get(same.group(1))
        elif _PAIR.match(kind):
            spec = ("2",)
        else:
            continue
        for name in names:
            specs[name] = spec
    return specs


def _symbols(size):
    """The named sizes a spec entry mentions: "4H" -> {"H"}, "T + 1" -> {"T"}, "..." -> {"..."}."""
    return {"..."} if size == "..." else set(re.findall(r"[A-Za-z_]+", size))


def _sharing(specs, size):
    """Every argument whose spec mentions a symbol of ``size``."""
    want = _symbols(size)
    return {name for name, spec in specs.items() if any(_symbols(s) & want for s in spec or ())}


# --- bad-input classes ----------------------------------------------------------------


class Case(NamedTuple):
    arg: str  # the argument replaced
    label: str  # the bad-input class
    value: Any
    expect: str  # "error", "lenient" or "same"
    names: tuple = ()  # arguments an error may name (default: arg)


def _flat_index(rng, shape):
    return tuple(int(rng.integers(0, s)) for s in shape)


def _with(x, index, value, dtype=None):
    y = np.array(x, dtype=dtype if dtype is not None else x.dtype, copy=True)
    y[index] = value
    return y


def _grow(x, axis, by):
    """``x`` with ``by`` more entries along ``axis`` (copies of its last slice, nudged)."""
    last = np.take(x, [-1] * by, axis=axis)
    return np.concatenate([x, last + (0.5 if x.dtype.kind == "f" else 0)], axis=axis)


def _strided(x):
    return np.repeat(x, 2, axis=-1)[..., ::2]


def _readonly(x):
    y = x.copy()
    y.flags.writeable = False
    return y


def _ragged(x):
    rows = x.tolist()
    if x.ndim == 1:
        return [rows[0], [rows[0]]]
    rows[-1] = rows[-1][:-1]
    return rows


def array_cases(arg, x, spec, specs, rng, vary=False):
    """Float arrays (``ints=False``) and integer ids: see the module docstring."""
    ints = x.dtype.kind in "iu"
    spec = spec or ()
    free_ndim = "..." in spec and _sharing(specs, "...") == {arg}
    ndim_expect = "lenient" if free_ndim else "error"
    # an argument whose shape must match another's may have that other one named
    linked = tuple({arg}.union(*(_sharing(specs, size) for size in spec)))
    at = _flat_index(rng, x.shape) if vary else (0,) * x.ndim
    axis = int(rng.integers(0, x.ndim)) if vary else 0
    new_axis = int(rng.integers(0, x.ndim + 1)) if vary else x.ndim
    yield Case(arg, "ndim+1", np.expand_dims(x, new_axis), ndim_expect, linked)
    yield Case(arg, "ndim-1", x[(slice(None),) * axis + (0,)], ndim_expect, linked)
    yield Case(arg, "empty", np.take(x, [], axis=axis), "error")
    yield Case(arg, "complex", x + 0.5j, "error")
    yield Case(arg, "bool", x > 0, "error")
    yield Case(arg, "str", x.astype(str), "error")
    yield Case(arg, "None", None, "error")
    yield Case(arg, "object", np.array(x, dtype=object), "error")
    yield Case(arg, "ragged", _ragged(x), "error")
    for i, size in enumerate(spec):
        if size == "...":
            continue
        by = int(rng.integers(1, 4)) if vary else 1
        sharing = _sharing(specs, size)
        free = sharing == {arg} and spec.count(size) == 1 and not size[0].isdigit()
        expect = "lenient" if free else "error"
        yield Case(arg, f"shape[{i}]+{by}", _grow(x, i, by), expect, tuple(sharing | {arg}))
    yield Case(arg, "list", x.tolist(), "same")
    yield Case(arg, "strided", _strided(x), "same")
    yield Case(arg, "readonly", _readonly(x), "same")
    if ints:
        yield Case(arg, "float", x + 0.5, "error")
        yield Case(arg, "float-valued ints", x.astype(float), "error")
        yield Case(arg, "negative", _with(x, at, -1), "error")
        yield Case(arg, "too large", _with(x, at, 10**6), "error")
        return
    huge = 10.0 ** int(rng.integers(150, 309)) if vary else 1e300
    yield Case(arg, "nan", _with(x, at, np.nan), "error")
    yield Case(arg, "inf", _with(x, at, np.inf), "error")
    yield Case(arg, "-inf", _with(x, at, -np.inf), "error")
    yield Case(arg, "1e300", np.where(x >= 0, huge, -huge), "lenient")
    yield Case(arg, "one 1e300", _with(x, at, huge), "lenient")
    yield Case(arg, "1e-300", x * 1e-300, "lenient")
    yield Case(arg, "float32", x.astype(np.float32).astype(np.float64), "lenient")


def mask_cases(arg, m, rng, vary=False):
    """Boolean masks: 0/1 numbers are the same mask; any other number is refused."""
    at = _flat_index(rng, m.shape) if vary else (0,) * m.ndim
    for label, value in [
        ("0.5", _with(m, at, 0.5, float)),
        ("2", _with(m, at, 2, int)),
        ("nan", _with(m, at, np.nan, float)),
        ("complex", m + 0j),
        ("str", m.astype(str)),
        ("ndim+1", m[..., None]),
        ("shape[0]+1", _grow(m, 0, 1)),
        ("ragged", _ragged(m)),
    ]:
        yield Case(arg, label, value, "error")
    yield Case(arg, "0/1 floats", m.astype(float), "same")
    yield Case(arg, "0/1 ints", m.astype(int), "same")
    yield Case(arg, "list", m.tolist(), "same")


def real_cases(arg, v, rng, vary=False):
    huge = 10.0 ** int(rng.integers(150, 309)) if vary else 1e300
    for label, value in [
        ("complex", complex(v, 1.0)),
        ("bool", True),
        ("str", str(v)),
        ("None", None),
        ("nan", np.nan),
        ("inf", np.inf),
        ("-inf", -np.inf),
        ("array", np.array([v])),
        ("list", [v]),
    ]:
        yield Case(arg, label, value, "error")
    for label, value in [("1e300", huge), ("-1e300", -huge), ("1e-300", 1e-300), ("0", 0.0)]:
        yield Case(arg, label, value, "lenient")
    yield Case(arg, "negative", -abs(v) - 1.5, "lenient")
    yield Case(arg, "numpy", np.float64(v), "same")
    yield Case(arg, "0-d array", np.array(v), "same")


def int_cases(arg, v, past, rng, vary=False):
    for label, value in [
        ("2.5", v + 0.5),
        ("float", float(v)),
        ("bool", True),
        ("str", str(v)),
        ("None", None),
        ("complex", complex(v, 1)),
        ("nan", np.nan),
        ("array", np.array([v])),
        ("negative", -int(rng.integers(1, 10**6)) if vary else -1),
    ]:
        yield Case(arg, label, value, "error")
    yield Case(arg, "0", 0, "lenient")
    if arg in past:
        yield Case(arg, "past the sequence", past[arg], "lenient")
    yield Case(arg, "numpy", np.int64(v), "same")


def flag_cases(arg, v):
    for label, value in [("int", int(v)), ("str", str(v)), ("None", None), ("array", [v])]:
        yield Case(arg, label, value, "error")
    yield Case(arg, "numpy", np.bool_(v), "same")


def choice_cases(arg, v):
    bad = [("unknown", "bogus"), ("int", 1), ("None", None), ("list", [v])]
    bad += [("upper case", v.upper())] if v.upper() != v else []
    for label, value in bad:
        yield Case(arg, label, value, "error")


def text_cases(arg, v):
    for label, value in [("int", 1), ("None", None), ("bytes", v.encode()), ("list", [v])]:
        yield Case(arg, label, value, "error")
    yield Case(arg, "empty", "", "lenient")


def tokens_cases(arg, v):
    bad = [("a str", " ".join(v)), ("empty", []), ("int token", [1, *v[1:]]), ("None", None)]
    for label, value in bad:
        yield Case(arg, label, value, "error")
    yield Case(arg, "tuple", tuple(v), "same")


def ints_cases(arg, v):
    bad = [("empty", []), ("scalar", v[0]), ("2.5", [2.5]), ("str", ["1"]), ("bool", [True])]
    bad += [("None", None), ("negative", [-1])]
    for label, value in bad:
        yield Case(arg, label, value, "error")
    yield Case(arg, "tuple", tuple(v), "same")
    yield Case(arg, "array", np.array(v), "same")


def reals_cases(arg, v):
    bad = [("empty", []), ("scalar", v[0]), ("nan", [np.nan]), ("inf", [np.inf]), ("str", ["1"])]
    bad += [("bool", [True]), ("None", None), ("complex", [1j])]
    for label, value in bad:
        yield Case(arg, label, value, "error")
    for label, value in [("1e300", [1e300]), ("0", [0.0]), ("negative", [-1.0])]:
        yield Case(arg, label, value, "lenient")
    yield Case(arg, "tuple", tuple(v), "same")


def dict_cases(arg, v, others, rng, vary=False):
    for label, value in [("list", list(v.values())), ("None", None)]:
        yield Case(arg, label, value, "error")
    for key in v:
        yield Case(arg, f"missing {key!r}", {k: a for k, a in v.items() if k != key}, "error")
    yield Case(arg, "extra key", {**v, "bogus": np.zeros(1)}, "lenient")
    for key, a in v.items():
        at = _flat_index(rng, a.shape) if vary else (0,) * a.ndim
        for label, entry in [
            ("complex", a + 0.5j),
            ("nan", _with(a, at, np.nan)),
            ("bool", a > 0),
            ("str", a.astype(str)),
        ]:
            yield Case(arg, f"[{key!r}] {label}", {**v, key: entry}, "error")
        for label, entry in [("ndim+1", a[..., None]), ("shape[0]+1", _grow(a, 0, 1))]:
            # a size of an entry may be fixed by another argument, which may then be named
            yield Case(arg, f"[{key!r}] {label}", {**v, key: entry}, "error", (arg, *others))
        yield Case(arg, f"[{key!r}] 1e300", {**v, key: np.full_like(a, 1e300)}, "lenient")
        yield Case(arg, f"[{key!r}] list", {**v, key: a.tolist()}, "same")


def _entry_cases(a, rng, vary):
    """(label, value, expect, shared): bad entries of a container of arrays; ``shared``:
    a size another argument fixes may be the one named."""
    at = _flat_index(rng, a.shape) if vary else (0,) * a.ndim
    for label, entry in [
        ("complex", a + 0.5j),
        ("nan", _with(a, at, np.nan)),
        ("bool", a > 0),
        ("str", a.astype(str)),
    ]:
        yield label, entry, "error", False
    for label, entry in [("ndim+1", a[..., None]), ("shape[0]+1", _grow(a, 0, 1))]:
        yield label, entry, "error", True
    yield "1e300", np.full_like(a, 1e300), "lenient", False
    yield "list", a.tolist(), "same", False


def arrays_cases(arg, v, others, rng, vary=False):
    """A tuple of weight arrays, such as one layer's (Wx, Wh, b)."""
    for label, value in [("None", None), ("short", v[:-1]), ("array", np.zeros(len(v)))]:
        yield Case(arg, label, value, "error")
    for i, a in enumerate(v):
        for label, entry, expect, shared in _entry_cases(a, rng, vary):
            value = (*v[:i], entry, *v[i + 1 :])
            yield Case(arg, f"[{i}] {label}", value, expect, (arg, *others) if shared else ())
    yield Case(arg, "list", list(v), "same")


def layers_cases(arg, v, others, rng, vary=False):
    """A list of layers, each a tuple of weight arrays (a stacked RNN's)."""
    for label, value in [("None", None), ("empty", []), ("one layer, unlisted", v[0])]:
        yield Case(arg, label, value, "error")
    for i, layer in enumerate(v):
        for case in arrays_cases(f"{arg}[{i}]", layer, others, rng, vary):
            value = [*v[:i], case.value, *v[i + 1 :]]
            names = (arg, *others) if case.names else (arg,)
            yield Case(arg, f"[{i}]{case.label}", value, case.expect, names)
    yield Case(arg, "tuple", tuple(v), "same")


def dicts_cases(arg, v, rng, vary=False):
    """A list of parameter dicts with the same keys and shapes (an ensemble's members)."""
    first = next(iter(v[0]))
    bad = [("None", None), ("empty", []), ("a dict", v[0]), ("a dict entry", [v[0], 1.0])]
    bad += [("missing key", [v[0], {k: a for k, a in v[1].items() if k != first}])]
    for label, value in bad:
        yield Case(arg, label, value, "error")
    for key, a in v[-1].items():
        for label, entry, expect, _ in _entry_cases(a, rng, vary):
            yield Case(arg, f"[-1][{key!r}] {label}", [*v[:-1], {**v[-1], key: entry}], expect)
    yield Case(arg, "tuple", tuple(v), "same")


class _Foreign(NamedTuple):
    """A NamedTuple of the wrong type, for the cache and record arguments."""

    a: np.ndarray


def record_cases(arg, v, rng, vary=False):
    for label, value in [("tuple", tuple(v)), ("dict", v._asdict()), ("None", None)]:
        yield Case(arg, label, value, "error")
    yield Case(arg, "another type", _Foreign(np.zeros(1)), "error")


def model_cases(arg, v, rng, vary=False):
    """A record whose numeric fields are input (an ARModel): its fields are mutated too."""
    yield from record_cases(arg, v, rng, vary)
    for field in v._fields:
        value = getattr(v, field)
        if isinstance(value, np.ndarray):
            inner = array_cases(field, value, None, {}, rng, vary)
        elif isinstance(value, float):
            inner = real_cases(field, value, rng, vary)
        else:
            continue
        for case in inner:
            if case.label.startswith("shape"):
                continue
            changed = v._replace(**{field: case.value})
            yield Case(arg, f".{field} {case.label}", changed, case.expect)


def callable_cases(arg, v):
    for label, value in [("float", 1.0), ("None", None), ("str", "f")]:
        yield Case(arg, label, value, "error")


def expr_cases(arg, v):
    for label, value in [("list", [1]), ("object", object())]:
        yield Case(arg, label, value, "error")


def tree_cases(arg, v):
    bad = [("triple", (0, 1, 2)), ("list", [0, 1]), ("leaf past L", (0, 99)), ("negative", (0, -1))]
    bad += [("bool leaf", (0, True)), ("float leaf", (0, 1.0)), ("str", "0"), ("None", None)]
    for label, value in bad:
        yield Case(arg, label, value, "error")


def rng_cases(arg, v):
    for label, value in [("2.5", 2.5), ("str", "0"), ("bool", True), ("negative", -1)]:
        yield Case(arg, label, value, "error")
    yield Case(arg, "Generator", np.random.default_rng(v), "same")


def kind_of(arg, value, example):
    """What kind of argument ``value`` is, from its type (``example.kinds`` overrides)."""
    if arg in example.kinds:
        return example.kinds[arg]
    if arg == "rng":
        return "rng"
    if arg == "tree":
        return "tree"
    if isinstance(value, (bool, np.bool_)):
        return "flag"
    if isinstance(value, np.ndarray):
        return "mask" if value.dtype == bool else "array"
    if isinstance(value, sp.Basic):
        return "expr"
    if isinstance(value, float):
        return "real"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "choice"
    if isinstance(value, dict):
        return "dict"
    if _is_record_type(type(value)):
        return "cache" if type(value).__name__.endswith("Cache") else "record"
    if callable(value):
        return "callable"
    if isinstance(value, (list, tuple)) and value and all(isinstance(t, str) for t in value):
        return "tokens"
    if isinstance(value, (list, tuple)) and value and all(type(t) is int for t in value):
        return "ints"
    if isinstance(value, (list, tuple)) and value and all(type(t) is float for t in value):
        return "reals"
    if isinstance(value, tuple) and value and all(isinstance(t, np.ndarray) for t in value):
        return "arrays"
    if isinstance(value, list) and value and all(isinstance(t, tuple) for t in value):
        return "layers"
    if isinstance(value, list) and value and all(isinstance(t, dict) for t in value):
        return "dicts"
    raise AssertionError(f"{arg}: no bad-input classes for a {type(value).__name__}")


def argument_cases(qualname, example, rng, vary=False):
    """Every (argument, class) case of one example call, with ``example.lenient`` applied."""
    params = inspect.signature(example.call or PUBLIC[qualname]).parameters
    for case in _argument_cases(qualname, example, rng, vary):
        labels = example.lenient.get(case.arg, ((),))[0]
        default = params[case.arg].default if case.arg in params else inspect.Parameter.empty
        optional = case.label == "None" and default is None
        if optional or any(case.label.startswith(label) for label in labels):
            case = case._replace(expect="lenient")  # None: the documented default
        yield case


def _argument_cases(qualname, example, rng, vary):
    specs = {**doc_shapes(PUBLIC[qualname]), **example.shapes}
    for arg, value in example.args.items():
        kind = kind_of(arg, value, example)
        if kind == "array" or (kind == "reals" and specs.get(arg) == ("2",)):
            value = np.asarray(value)
            if arg not in specs:
                raise AssertionError(f"{qualname}: the docstring gives no shape for array {arg!r}")
            yield from array_cases(arg, value, specs[arg], specs, rng, vary)
        elif kind == "mask":
            yield from mask_cases(arg, value, rng, vary)
        elif kind == "real":
            yield from real_cases(arg, value, rng, vary)
        elif kind == "int":
            yield from int_cases(arg, value, example.past, rng, vary)
        elif kind == "dict":
            yield from dict_cases(arg, value, [a for a in example.args if a != arg], rng, vary)
        elif kind in ("arrays", "layers"):
            others = [a for a in example.args if a != arg]
            cases = arrays_cases if kind == "arrays" else layers_cases
            yield from cases(arg, value, others, rng, vary)
        elif kind == "dicts":
            yield from dicts_cases(arg, value, rng, vary)
        elif kind in ("cache", "record"):
            cases = model_cases if isinstance(value, rnn_core.ARModel) else record_cases
            yield from cases(arg, value, rng, vary)
        else:
            yield from CASES[kind](arg, value)


CASES = {
    "flag": flag_cases,
    "choice": choice_cases,
    "text": text_cases,
    "tokens": tokens_cases,
    "ints": ints_cases,
    "reals": reals_cases,
    "callable": callable_cases,
    "expr": expr_cases,
    "tree": tree_cases,
    "rng": rng_cases,
}


# --- running a case -----------------------------------------------------------------


def _floats(value, path="result"):
    """(path, float) for every float in a result: arrays, tuples, dicts, NamedTuples."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "fc":
        yield path, value
    elif isinstance(value, (float, np.floating)):
        yield path, np.asarray(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _floats(v, f"{path}[{k!r}]")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _floats(v, f"{path}[{i}]")


def same(a, b):
    """Equal results: arrays with equal shapes and values, recursively."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype.kind == b.dtype.kind and np.array_equal(a, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, functools.partial) and isinstance(b, functools.partial):
        return a.func is b.func and same(a.args, b.args) and same(a.keywords, b.keywords)
    if callable(a) and callable(b):
        return a is b
    try:
        return type(a) is type(b) and bool(a == b)
    except (TypeError, ValueError):  # an == that returns an array, or refuses
        return False


class Warned(Exception):
    """A call returned, but numpy warned on the way (overflow, invalid value...)."""


def call(qualname, example, args):
    """Run one call; a RuntimeWarning on the way to a result raises ``Warned``.

    A warning followed by a clear error is fine: the functions whose code the
    book shows (rnn_forward, rnn_backward) do not silence numpy, and raise after it.
    """
    fn = example.call or PUBLIC[qualname]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        result = fn(**args)
    runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if runtime:
        raise Warned(f"returned after numpy warned: {runtime[0].message}")
    return result


_OVERFLOW = re.compile(r"^[A-Za-z_][\w.]*(\[[^\]]*\])*: .*overflowed float64")


def _names(names):
    alternatives = "|".join(map(re.escape, names))
    return re.compile(rf"^({alternatives})(\[|\.|:)")


def outcome(qualname, example, case, baseline):
    """None if the case came out as its class requires, else what went wrong."""
    args = {**example.args, case.arg: case.value}
    names = (*(case.names or (case.arg,)), *example.also_named.get(case.arg, ()))
    try:
        result = call(qualname, example, args)
    except (ValueError, TypeError) as err:
        msg = str(err)
        named = bool(_names(names).match(msg))
        if case.expect == "error" and named and "expected" in msg:
            return None
        if case.expect == "lenient" and (named or _OVERFLOW.match(msg)):
            return None
        return f"{type(err).__name__}: {msg[:300]}"
    except Exception as err:  # the harness's purpose: nothing else may escape
        return f"unclear {type(err).__name__}: {str(err)[:300]}"
    if case.expect == "error":
        return "no error: the bad input was accepted"
    if case.expect == "same":
        return None if same(result, baseline) else "result differs from the example's"
    bad = [path for path, a in _floats(result) if not np.isfinite(a).all()]
    return f"non-finite result at {bad[:3]}" if bad else None


def _seed(*parts):
    return zlib.crc32("/".join(parts).encode())


def run_all(qualname, rng_seed=None, vary=False):
    """Run every case of one function; returns (number of cases, failures)."""
    example = EXAMPLES[qualname]()
    before = copy.deepcopy(example.args)
    baseline = call(qualname, example, example.args)
    changed = [
        a for a in example.args if a not in example.mutates and not same(before[a], example.args[a])
    ]
    failures = [f"the example call modified its arguments {changed}"] if changed else []
    rng = np.random.default_rng(_seed(qualname) if rng_seed is None else rng_seed)
    cases = list(argument_cases(qualname, EXAMPLES[qualname](), rng, vary))
    for case in cases:
        fresh = EXAMPLES[qualname]()  # arguments that no earlier case could have touched
        problem = outcome(qualname, fresh, case, baseline)
        if problem:
            failures.append(f"{case.arg} <- {case.label} ({case.expect}): {problem}")
    return len(cases), failures


@pytest.mark.parametrize("qualname", NAMES)
def test_bad_input_gets_a_named_error_or_a_finite_result(qualname):
    n, failures = run_all(qualname)
    assert n > 0 or not EXAMPLES[qualname]().args
    assert not failures, f"{qualname}: {len(failures)} of {n} cases:\n" + "\n".join(failures)


@pytest.mark.parametrize("qualname", NAMES)
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_bad_input_gets_a_named_error_or_a_finite_result(qualname, data):
    """The same classes with random positions, sizes, magnitudes and new axes."""
    example = EXAMPLES[qualname]()
    if not example.args:
        return
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    cases = list(argument_cases(qualname, example, np.random.default_rng(seed), vary=True))
    case = data.draw(st.sampled_from(cases), label="case")
    baseline = call(qualname, EXAMPLES[qualname](), EXAMPLES[qualname]().args)
    problem = outcome(qualname, EXAMPLES[qualname](), case, baseline)
    assert problem is None, f"{qualname}: {case.arg} <- {case.label} ({case.expect}): {problem}"
