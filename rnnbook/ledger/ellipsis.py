r"""What an ellipsis stands for: the integer bookkeeping behind ``\dots``.

The book writes patterns out with an ellipsis: ``J_T J_{T-1} \cdots J_{T-k+1}``,
``\phi_1 x_{t-1} + \phi_2 x_{t-2} + \dots + \phi_\tau x_{t-\tau}``, rows and
columns of a matrix, and argument lists ``x_1, \dots, x_{t-1}``. The evaluator
(:mod:`rnnbook.ledger.evaluate`) gives every written item an integer
*signature* (the indices it reads); this module decides which signatures the
ellipsis stands for, with one rule: the items before it step by a constant, and
the steps continue until they reach the item after it, exactly. Anything else
(a step larger than one, an end the steps never reach) is an error, not a guess.
"""

import numpy as np

from rnnbook.ledger.sympy_form import LedgerError, Unreadable

__all__ = ["antiunify", "between", "between_one"]


def between(first, second, end):
    """The signatures strictly between ``second`` and ``end``, stepping by ``second - first``.

    Each component steps by -1, 0 or 1; components that step must all reach
    ``end`` after the same number of steps, the others must already equal it.

    Parameters
    ----------
    first, second, end : tuple of int
        Signatures of the two items before the ellipsis and of the one after it.

    Returns
    -------
    list of tuple of int

    Raises
    ------
    LedgerError
        If the steps never reach ``end``.

    Examples
    --------
    >>> between((5,), (4,), (1,))
    [(3,), (2,)]
    >>> between((2, 2, 1, 1), (3, 3, 1, 2), (5, 5, 1, 4))  # P(x_2|x_1) P(x_3|x_1,x_2) ...
    [(4, 4, 1, 3)]
    """
    first, second, end = (np.asarray(s, dtype=int) for s in (first, second, end))
    step = second - first
    if step.shape != end.shape or not np.any(step) or np.any(np.abs(step) > 1):
        raise LedgerError(f"\\dots: cannot continue {tuple(first)}, {tuple(second)} by one step")
    return _steps(second, step, end)


def between_one(second, end):
    """As :func:`between` with a single item before the ellipsis: each index steps towards ``end``.

    Examples
    --------
    >>> between_one((1,), (4,))  # phi_1, \\vdots, phi_tau with tau = 4
    [(2,), (3,)]
    >>> between_one((5, 2), (8, 5))
    [(6, 3), (7, 4)]
    """
    second, end = np.asarray(second, dtype=int), np.asarray(end, dtype=int)
    return _steps(second, np.sign(end - second), end)


def _steps(second, step, end):
    moving = step != 0
    if np.any(end[~moving] != second[~moving]):
        raise LedgerError(f"\\dots: {tuple(second)} does not lead to {tuple(end)}")
    if not np.any(moving):
        return []
    counts = (end[moving] - second[moving]) / step[moving]
    m = counts[0]
    if m < 1 or np.any(counts != m) or m != int(m):
        raise LedgerError(f"\\dots: steps of {tuple(step)} from {tuple(second)} miss {tuple(end)}")
    return [tuple(int(v) for v in second + j * step) for j in range(1, int(m))]


def antiunify(before, last):
    """The integers in which two token lists differ, and the template they share.

    Parameters
    ----------
    before, last : list of str
        The tokens of the two terms before a ``\\dots`` in a sum.

    Returns
    -------
    template : list of str
        ``last`` with each differing integer replaced by a slot ``\\slotA``, ``\\slotB``, ...
    slots : list of (str, int, int)
        Each slot's name and its values in ``before`` and ``last``.

    Raises
    ------
    Unreadable
        If the terms differ in anything but integers.

    Examples
    --------
    >>> antiunify(["a", "_", "1", "x", "^", "2"], ["a", "_", "2", "x", "^", "2"])
    (['a', '_', '\\\\slotA', 'x', '^', '2'], [('slotA', 1, 2)])
    """
    if len(before) != len(last):
        raise Unreadable(
            f"\\dots: the terms {' '.join(before)} and {' '.join(last)} differ in form"
        )
    template, slots = [], []
    for a, b in zip(before, last):
        if a == b:
            template.append(b)
            continue
        if not (a.isdigit() and b.isdigit()):
            raise Unreadable(f"\\dots: the terms before it differ in {a!r} and {b!r}, not integers")
        name = "slot" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[len(slots)]
        template.append("\\" + name)
        slots.append((name, int(a), int(b)))
    if not slots:
        raise Unreadable(f"\\dots: the terms {' '.join(last)} before it are the same")
    return template, slots
