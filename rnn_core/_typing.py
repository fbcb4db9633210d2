"""Type aliases shared by the annotations of rnn_core's public functions.

Annotations only: nothing here is checked at run time (the ``_checks``
functions do that, and accept more than a type checker would, lists for
arrays say). Every module writes ``from __future__ import annotations``, so
an alias costs nothing when a function is called.
"""

from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = ["Cell", "Grads", "Params"]

# Parameters or gradients by name ("Wx", "Wh", "b", ...), as returned.
Params = dict[str, NDArray[np.float64]]

# dx, dh0 (or dh_prev), dWx, dWh, db: what a backward pass returns.
Grads = tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
]

# The three cells of tasks and ensemble.
Cell = Literal["rnn", "lstm", "gru"]
