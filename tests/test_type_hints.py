"""Every public function and class of rnn_core carries complete, valid type hints.

Public: what ``rnn_core.__all__`` and the ``__all__`` of each public module
(no leading underscore) list. For a function, ``typing.get_type_hints`` must
resolve its annotations (so every name in them exists), every parameter but
self, cls, ``*args`` and ``**kwargs`` must have one, and so must the return.
For a class, the same holds for ``__init__`` if the class defines it and for
every public method and property; a NamedTuple's fields must all be annotated.
"""

import importlib
import inspect
import pkgutil
import typing

import pytest

import rnn_core

_SKIP_KINDS = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def _public_modules():
    names = [m.name for m in pkgutil.iter_modules(rnn_core.__path__)]
    mods = [importlib.import_module(f"rnn_core.{n}") for n in names if not n.startswith("_")]
    return [rnn_core, *mods]


def _public_objects():
    """(qualified name, object) of every public function and class, each once."""
    found = {}
    for module in _public_modules():
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isroutine(obj):  # not a constant
                found.setdefault(id(obj), (f"{module.__name__}.{name}", obj))
    return sorted(found.values(), key=lambda pair: pair[0])


def _callables(name, obj):
    """(qualified name, function) whose hints are checked for one public object."""
    if not inspect.isclass(obj):
        return [(name, obj)]
    out = []
    for attr, value in vars(obj).items():
        if isinstance(value, property):
            value = value.fget
        if not inspect.isfunction(value):
            continue
        if attr == "__init__" or not attr.startswith("_"):
            out.append((f"{name}.{attr}", value))
    return out


def missing_hints(func):
    """The parameters of ``func`` with no annotation, and "return" if it has none.

    Raises whatever ``typing.get_type_hints`` raises on an annotation that does
    not resolve.
    """
    hints = typing.get_type_hints(func)
    missing = [
        p.name
        for i, p in enumerate(inspect.signature(func).parameters.values())
        if p.kind not in _SKIP_KINDS
        and not (i == 0 and p.name in ("self", "cls"))
        and p.name not in hints
    ]
    return [*missing, *([] if "return" in hints else ["return"])]


PUBLIC = _public_objects()
CALLABLES = [pair for name, obj in PUBLIC for pair in _callables(name, obj)]


def test_every_public_module_is_walked():
    names = {name for name, _ in PUBLIC}
    assert "rnn_core.cell.rnn_forward" in names or "rnn_core.rnn_forward" in names
    assert "rnn_core.ensemble.train_recall" in names
    assert "rnn_core.symbolic.induction_proof" in names
    assert len(CALLABLES) > 100


@pytest.mark.parametrize("name, func", CALLABLES, ids=[name for name, _ in CALLABLES])
def test_public_function_is_fully_annotated(name, func):
    assert missing_hints(func) == [], f"{name}: no type hint on {missing_hints(func)}"


@pytest.mark.parametrize("name, cls", [(n, o) for n, o in PUBLIC if inspect.isclass(o)])
def test_public_class_fields_are_annotated(name, cls):
    typing.get_type_hints(cls)  # resolves
    fields = getattr(cls, "_fields", ())
    missing = [f for f in fields if f not in cls.__annotations__]
    assert not missing, f"{name}: fields without a type: {missing}"


def test_missing_hints_catches_a_gap():
    def half(a: int, b, *args, **kwargs) -> int:
        return a

    def no_return(a: int):
        return a

    def bad(a: "NoSuchName") -> int:  # noqa: F821
        return 0

    assert missing_hints(half) == ["b"]
    assert missing_hints(no_return) == ["return"]
    with pytest.raises(NameError):
        missing_hints(bad)
