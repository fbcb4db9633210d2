"""One valid example call of every public function of rnn_core's core, for the bad-input harness.

``EXAMPLES`` maps a function's qualified name (``rnn_core.cell.rnn_forward``) to a
factory that returns an :class:`Example`: fresh, small, valid arguments (built anew
for every call, so that no case sees another's arrays). test_bad_input.py sends
every argument each bad-input class and fails for a public function with no entry
here, so a new function is covered by adding one entry; what the classes are, and
which shapes belong together, it reads from the function's docstring.

Sizes are small and all different, so that a mix-up of two of them shows:
N = 2, T = 3, D = 2, H = 3, V = 4; an ensemble has K = 2 members.
"""

import functools
from typing import Any, NamedTuple

import numpy as np

from rnn_core import ar, cell, data, ensemble, gru, layers, lm, lstm, optim, symbolic, tasks


class Example(NamedTuple):
    """A valid call: ``call(**args)`` (``call`` None: the public function itself).

    past : dict
        Integer arguments whose range depends on a sequence length: a value past
        it (an error naming the argument, or a finite result, is right).
    lenient : dict
        Argument -> (classes, reason): the classes (label prefixes, space-separated)
        for which a finite result is right too, because the function defines one
        (say, broadcasting).
    mutates : tuple
        Arguments the function updates in place on purpose (the optimisers' params).
    shapes : dict
        Shape specs, like a docstring's ``shape (N, T)``, of arguments whose
        docstring has none (a method's, or a driver's).
    kinds : dict
        Argument -> kind, where the value's type alone would mislead (a str that
        is free text, not one of a few choices).
    also_named : dict
        Argument -> other arguments an error about it may name instead, where
        the other is the one to change (eps, for an x too large for it).
    """

    args: dict
    call: Any = None
    past: dict = {}  # noqa: RUF012 (read only)
    lenient: dict = {}  # noqa: RUF012
    mutates: tuple = ()
    shapes: dict = {}  # noqa: RUF012
    kinds: dict = {}  # noqa: RUF012
    also_named: dict = {}  # noqa: RUF012


N, T, D, H, V = 2, 3, 2, 3, 4


def _rng(seed=0):
    return np.random.default_rng(seed)


def _rnn_args(seed=0):
    r = _rng(seed)
    return {
        "x": r.standard_normal((N, T, D)),
        "h0": r.standard_normal((N, H)),
        "Wx": r.standard_normal((D, H)) / np.sqrt(D),
        "Wh": r.standard_normal((H, H)) / np.sqrt(H),
        "b": 0.1 * r.standard_normal(H),
    }


def _rnn_step_args():
    a = _rnn_args()
    return {"x": a["x"][:, 0], "h_prev": a["h0"], "Wx": a["Wx"], "Wh": a["Wh"], "b": a["b"]}


def _dh(seed=1, width=H):
    return _rng(seed).standard_normal((N, T, width))


def _rnn_cache():
    return cell.rnn_forward(**_rnn_args())[1]


def _lstm_args(seed=0):
    r = _rng(seed)
    return {
        "x": r.standard_normal((N, T, D)),
        "h0": r.standard_normal((N, H)),
        "Wx": r.standard_normal((D, 4 * H)) / np.sqrt(D),
        "Wh": r.standard_normal((H, 4 * H)) / np.sqrt(H),
        "b": 0.1 * r.standard_normal(4 * H),
    }


def _lstm_step_args():
    a = _lstm_args()
    return {
        "x": a["x"][:, 0],
        "h_prev": a["h0"],
        "c_prev": _rng(3).standard_normal((N, H)),
        "Wx": a["Wx"],
        "Wh": a["Wh"],
        "b": a["b"],
    }


def _gru_args(seed=0):
    r = _rng(seed)
    return {
        "x": r.standard_normal((N, T, D)),
        "h0": r.standard_normal((N, H)),
        "Wx": r.standard_normal((D, 3 * H)) / np.sqrt(D),
        "Wh": r.standard_normal((H, 3 * H)) / np.sqrt(H),
        "b": 0.1 * r.standard_normal(3 * H),
    }


def _gru_step_args():
    a = _gru_args()
    return {"x": a["x"][:, 0], "h_prev": a["h0"], "Wx": a["Wx"], "Wh": a["Wh"], "b": a["b"]}


def _layer(d_in, h, seed):
    """One tanh RNN layer's (Wx, Wh, b)."""
    r = _rng(seed)
    return (r.standard_normal((d_in, h)), 0.5 * np.eye(h), 0.1 * r.standard_normal(h))


K, SEEDS = 2, [0, 1]


def _ens_recall():
    """Ensemble recall arguments: params (K, ...), x (K, N, T, D), y (K, N)."""
    pairs = [tasks.recall_task(N, k=2, V=V, seed=s) for s in SEEDS]
    x, y = np.stack([a for a, _ in pairs]), np.stack([b for _, b in pairs])
    return {"params": ensemble.init("rnn", SEEDS, V=V, H=H), "x": x, "y": y}


def _ens_lm_params():
    return ensemble.init_lm(SEEDS, V=V, D=D, H=H)


def _ids(shape, high=V, seed=2):
    return _rng(seed).integers(0, high, size=shape)


def _recall_params(cell_name="rnn"):
    return tasks.init_recall(cell_name, D=V + 1, H=H, V=V, seed=0)


def _recall_xy():
    return tasks.recall_task(N, k=2, V=V, seed=0)


def _stream(n=13, seed=4):
    return _ids(n, seed=seed)


def _model():
    return ar.ARModel(coef=np.array([0.5, -0.2]), c=0.1)


def _series(n=12, seed=5):
    return np.sin(0.7 * np.arange(n)) + 0.1 * _rng(seed).standard_normal(n)


def _grads():
    r = _rng(6)
    return {"w": r.standard_normal((2, 3)), "b": r.standard_normal(3)}


def _sum_sin(x):
    return float(np.sum(np.sin(x)))


def _numerical_gradient(f, x, eps):
    """numerical_gradient of ``f(x)``: ``f`` reads the ``x`` given (a non-callable is passed on)."""
    from rnn_core.gradcheck import numerical_gradient

    return numerical_gradient((lambda: f(x)) if callable(f) else f, x, eps)


def _optimiser_step(opt, params, grads):
    opt.step(params, grads)
    return params


def _sgd(lr, params, grads):
    """SGD(lr).step(params, grads): the class's setting and its method's arguments."""
    return _optimiser_step(optim.SGD(lr), params, grads)


def _adam(lr, beta1, beta2, eps, params, grads):
    """Adam(lr, beta1, beta2, eps).step(params, grads), twice (the second reads m and v)."""
    opt = optim.Adam(lr, beta1, beta2, eps)
    _optimiser_step(opt, params, grads)
    return _optimiser_step(opt, params, grads)


def _tokens():
    return data.tokenize("the cat sat on the mat and the dog sat on the cat")


def _lm_params():
    return lm.init_lm(V=V, D=D, H=H, seed=0)


# Gradients of any names and shapes have a global norm.
_ANY_GRADS = {
    "grads": (
        ("missing", "['w'] ndim", "['w'] shape", "['b'] ndim", "['b'] shape"),
        "any dict of gradients has a norm",
    )
}
# The optimisers update params in place: a list there is refused, not converted.
_IN_PLACE = {"params": (("['w'] list", "['b'] list"), "params are updated in place")}
# params and grads must agree: a disagreement may be reported under either name.
_PAIRED = {"params": ("grads",), "grads": ("params",)}

# What a cache or a parameter dict fixes: the arguments that must match it.
_ARCH = {"params": ("V", "D", "H")}
_RNN_CACHE = {"cache": ("N", "T", "H")}

_TRAIN_LM = {"D": 2, "H": 3, "k": 3, "batch": 2, "epochs": 1, "lr": 0.05, "max_norm": 5.0}
_TRAIN_RECALL = {"steps": 2, "batch": 2, "n_train": 4, "n_test": 3, "V": 2}

# None is a documented threshold: no clipping.
_NO_CLIP = {"max_norm": (("None",), "max_norm=None trains without clipping")}
# member takes any dict of (K, ...) arrays.
_ANY_MEMBERS = {"params": (("missing", "['w'] ndim", "['b'] ndim"), "any arrays (K, ...)")}
# An ensemble's params fix K (members) and the sizes of each member's model.
_ENS = {"params": ("K", "D", "H", "V")}
_ENS_LM = {"params": ("K", "V", "D", "H")}
_ENS_TRAIN_RECALL = {"steps": 2, "batch": 2, "n_train": 4, "n_test": 3}

# w and b broadcast against each other: any shapes that broadcast are valid.
_BROADCAST = (("ndim", "shape"), "w and b broadcast against each other")

EXAMPLES = {
    # --- cell -------------------------------------------------------------------
    "rnn_core.cell.rnn_forward": lambda: Example(_rnn_args()),
    "rnn_core.cell.rnn_backward": lambda: Example(
        {"dh": _dh(), "cache": _rnn_cache(), "truncate": 2},
        past={"truncate": T + 5},
        shapes=_RNN_CACHE,
    ),
    "rnn_core.cell.rnn_step_forward": lambda: Example(_rnn_step_args()),
    "rnn_core.cell.rnn_step_backward": lambda: Example(
        {"dh_next": _dh()[:, 0], "cache": cell.rnn_step_forward(**_rnn_step_args())[1]},
        shapes={"cache": ("N", "H")},
    ),
    # --- lstm -------------------------------------------------------------------
    "rnn_core.lstm.lstm_forward": lambda: Example(_lstm_args()),
    "rnn_core.lstm.lstm_backward": lambda: Example(
        {"dh": _dh(), "cache": lstm.lstm_forward(**_lstm_args())[1]}, shapes=_RNN_CACHE
    ),
    "rnn_core.lstm.lstm_step_forward": lambda: Example(_lstm_step_args()),
    "rnn_core.lstm.lstm_step_backward": lambda: Example(
        {
            "dh": _dh()[:, 0],
            "dc": _dh(seed=7)[:, 0],
            "cache": lstm.lstm_step_forward(**_lstm_step_args())[2],
        },
        shapes={"cache": ("N", "H")},
    ),
    "rnn_core.lstm.cell_path_gradient": lambda: Example(
        {"cache": lstm.lstm_forward(**_lstm_args())[1]}
    ),
    "rnn_core.lstm.sigmoid": lambda: Example({"z": _rng(8).standard_normal((2, 3))}),
    # --- gru --------------------------------------------------------------------
    "rnn_core.gru.gru_forward": lambda: Example(_gru_args()),
    "rnn_core.gru.gru_backward": lambda: Example(
        {"dh": _dh(), "cache": gru.gru_forward(**_gru_args())[1]}, shapes=_RNN_CACHE
    ),
    "rnn_core.gru.gru_step_forward": lambda: Example(_gru_step_args()),
    "rnn_core.gru.gru_step_backward": lambda: Example(
        {"dh": _dh()[:, 0], "cache": gru.gru_step_forward(**_gru_step_args())[1]},
        shapes={"cache": ("N", "H")},
    ),
    "rnn_core.gru.update_path_gradient": lambda: Example(
        {"cache": gru.gru_forward(**_gru_args())[1]}
    ),
    # --- ensemble ---------------------------------------------------------------
    "rnn_core.ensemble.init": lambda: Example(
        {"cell": "lstm", "seeds": SEEDS, "V": 3, "H": 2, "forget_bias": 2.0}
    ),
    "rnn_core.ensemble.run": lambda: Example(
        {"cell": "gru", "params": ensemble.init("gru", SEEDS, V=V, H=H), **_ens_x()},
        shapes=_ENS,
    ),
    "rnn_core.ensemble.recall_loss": lambda: Example(
        {"cell": "rnn", **_ens_recall(), "truncate": 2}, past={"truncate": 10}, shapes=_ENS
    ),
    "rnn_core.ensemble.recall_input_gradient": lambda: Example(
        {"cell": "rnn", **_ens_recall(), "truncate": 2}, past={"truncate": 10}, shapes=_ENS
    ),
    "rnn_core.ensemble.accuracy": lambda: Example({"cell": "rnn", **_ens_recall()}, shapes=_ENS),
    "rnn_core.ensemble.clip_grad_norm": lambda: Example(
        {"grads": _ens_grads(), "max_norm": 1.0}, lenient={**_ANY_GRADS, **_NO_CLIP}
    ),
    "rnn_core.ensemble.stack": lambda: Example({"params_list": [_grads(), _grads()]}),
    "rnn_core.ensemble.member": lambda: Example(
        {"params": _ens_grads(), "k": 1}, past={"k": K}, lenient=_ANY_MEMBERS
    ),
    "rnn_core.ensemble.train_recall": lambda: Example(
        {"cell": "rnn", "k": 1, "seeds": SEEDS, **_TRAIN_RECALL, "H": 2, "lr": 0.05}
    ),
    "rnn_core.ensemble.train_recall_from": lambda: Example(
        {
            "params": ensemble.init("rnn", SEEDS, V=2, H=2),
            "cell": "rnn",
            "k": 1,
            "seeds": SEEDS,
            **_ENS_TRAIN_RECALL,
            "V": 2,
            "lr": 0.05,
            "max_norm": 1.0,
            "truncate": 1,
        },
        past={"truncate": 10},
        shapes=_ENS,
        lenient=_NO_CLIP,
    ),
    "rnn_core.ensemble.init_lm": lambda: Example({"seeds": SEEDS, "V": 4, "D": 2, "H": 3}),
    "rnn_core.ensemble.lm_loss": lambda: Example(
        {
            "params": _ens_lm_params(),
            "inputs": _ids((N, T)),
            "targets": _ids((N, T), seed=3),
            "h0": _rng(17).standard_normal((K, N, H)),
        },
        shapes=_ENS_LM,
    ),
    "rnn_core.ensemble.perplexity": lambda: Example(
        {"params": _ens_lm_params(), "ids": _stream(7), "k": 3}, past={"k": 50}, shapes=_ENS_LM
    ),
    "rnn_core.ensemble.train_lm": lambda: Example(
        {"ids": _stream(), "V": V, "seeds": SEEDS, **_TRAIN_LM, "valid_ids": _stream(6, seed=5)},
        lenient=_NO_CLIP,
    ),
    # --- rtrl, truncation, slips ------------------------------------------------
    "rnn_core.rtrl.rtrl_gradients": lambda: Example({**_rnn_args(), "dh": _dh()}),
    "rnn_core.truncation.truncated_gradient": lambda: Example(
        {"dh": _dh(), "cache": _rnn_cache(), "k": 2}, past={"k": T + 5}, shapes=_RNN_CACHE
    ),
    "rnn_core.truncation.sliding_truncated_backward": lambda: Example(
        {"dh": _dh(), "cache": _rnn_cache(), "k": 2}, past={"k": T + 5}, shapes=_RNN_CACHE
    ),
    "rnn_core.truncation.randomized_truncated_backward": lambda: Example(
        {"dh": _dh(), "cache": _rnn_cache(), "c": np.array([0.5, 0.9, 1.0]), "rng": 3},
        shapes=_RNN_CACHE,
        lenient={"c": (("ndim-1",), "c may be one probability for every step")},
    ),
    "rnn_core.truncation.truncation_bias": lambda: Example(
        {**_rnn_args(), "dh": _dh(), "ks": [1, 2], "kind": "window"}
    ),
    "rnn_core.slips.delta_recursion_forward_in_time": lambda: Example(
        {"dh": _dh(), "cache": _rnn_cache()}, shapes=_RNN_CACHE
    ),
    # --- linear -------------------------------------------------------------------
    "rnn_core.linear.linear_rnn": lambda: Example(
        {"x": _series(6), "w_x": 0.7, "w_h": 0.9, "h0": 0.2}
    ),
    "rnn_core.linear.linear_grad_terms": lambda: Example(
        {"x": _series(6), "w_x": 0.7, "w_h": 0.9, "h0": 0.2}
    ),
    "rnn_core.linear.linear_rnn_grads": lambda: Example(
        {"x": _series(6), "w_x": 0.7, "w_h": 0.9, "h0": 0.2, "gradout": 1.5}
    ),
    "rnn_core.linear.linear_rnn_grads_every_step": lambda: Example(
        {"x": _series(6), "w_x": 0.7, "w_h": 0.9, "h0": 0.2, "g": _series(6, seed=9)}
    ),
    "rnn_core.linear.linear_rnn_bptt": lambda: Example(
        {"x": _series(6), "w_x": 0.7, "w_h": 0.9, "h0": 0.2, "g": _series(6, seed=9)}
    ),
    # --- layers -------------------------------------------------------------------
    "rnn_core.layers.embedding_forward": lambda: Example(
        {"idx": _ids((N, T)), "W": _rng(10).standard_normal((V, D))}
    ),
    "rnn_core.layers.embedding_backward": lambda: Example(
        {
            "dout": _dh(width=D),
            "cache": layers.embedding_forward(_ids((N, T)), _rng(10).standard_normal((V, D)))[1],
        },
        shapes={"cache": ("N", "T", "D")},
    ),
    "rnn_core.layers.temporal_affine_forward": lambda: Example(
        {"h": _dh(), "W": _rng(11).standard_normal((H, V)), "b": _rng(12).standard_normal(V)}
    ),
    "rnn_core.layers.temporal_affine_backward": lambda: Example(
        {
            "dy": _dh(width=V),
            "cache": layers.temporal_affine_forward(
                _dh(), _rng(11).standard_normal((H, V)), np.zeros(V)
            )[1],
        },
        shapes={"cache": ("N", "T", "V")},
    ),
    "rnn_core.layers.softmax": lambda: Example({"z": _rng(13).standard_normal((2, 4))}),
    "rnn_core.layers.temporal_softmax_loss": lambda: Example(
        {
            "logits": _dh(width=V),
            "targets": _ids((N, T)),
            "mask": np.array([[True, False, True], [True, True, False]]),
        }
    ),
    # --- gradcheck, optim -----------------------------------------------------------
    "rnn_core.gradcheck.numerical_gradient": lambda: Example(
        {"f": _sum_sin, "x": _rng(14).standard_normal(3), "eps": 1e-5},
        call=_numerical_gradient,
        lenient={"x": (("list", "readonly"), "x is perturbed in place: writeable float64 only")},
        also_named={"x": ("eps",)},  # an x too large for eps to change: eps is named
    ),
    "rnn_core.gradcheck.rel_error": lambda: Example(
        {"a": _rng(15).standard_normal((2, 3)), "b": _rng(16).standard_normal((2, 3))}
    ),
    "rnn_core.optim.global_norm": lambda: Example({"grads": _grads()}, lenient=_ANY_GRADS),
    "rnn_core.optim.clip_grad_norm": lambda: Example(
        {"grads": _grads(), "max_norm": 1.0}, lenient=_ANY_GRADS
    ),
    "rnn_core.optim.SGD": lambda: Example(
        {"lr": 0.1, "params": _grads(), "grads": _grads()},
        call=_sgd,
        mutates=("params",),
        lenient=_IN_PLACE,
        also_named=_PAIRED,
    ),
    "rnn_core.optim.Adam": lambda: Example(
        {
            "lr": 0.01,
            "beta1": 0.9,
            "beta2": 0.99,
            "eps": 1e-8,
            "params": _grads(),
            "grads": _grads(),
        },
        call=_adam,
        mutates=("params",),
        lenient=_IN_PLACE,
        also_named=_PAIRED,
    ),
    # --- tasks --------------------------------------------------------------------
    "rnn_core.tasks.recall_task": lambda: Example({"n": 3, "k": 2, "V": 3, "seed": 1}),
    "rnn_core.tasks.init_recall": lambda: Example(
        {"cell": "lstm", "D": 3, "H": 2, "V": 4, "seed": 1, "forget_bias": 2.0}
    ),
    "rnn_core.tasks.recall_loss": lambda: Example(
        {
            "cell": "rnn",
            "params": _recall_params(),
            "x": _recall_xy()[0],
            "y": _recall_xy()[1],
            "truncate": 2,
        },
        past={"truncate": 10},
        shapes={"params": ("D", "H", "V")},
    ),
    "rnn_core.tasks.recall_accuracy": lambda: Example(
        {
            "cell": "lstm",
            "params": _recall_params("lstm"),
            "x": _recall_xy()[0],
            "y": _recall_xy()[1],
        },
        shapes={"params": ("D", "H", "V")},
    ),
    "rnn_core.tasks.train_recall": lambda: Example(
        {
            "cell": "rnn",
            "k": 1,
            **_TRAIN_RECALL,
            "H": 2,
            "lr": 0.05,
            "max_norm": 1.0,
            "seed": 0,
            "forget_bias": 1.0,
        },
        lenient=_NO_CLIP,
    ),
    "rnn_core.tasks.train_recall_from": lambda: Example(
        {
            "params": tasks.init_recall("rnn", D=3, H=2, V=2, seed=0),
            "cell": "rnn",
            "k": 1,
            **_TRAIN_RECALL,
            "lr": 0.05,
            "max_norm": 1.0,
            "seed": 0,
            "truncate": 1,
        },
        past={"truncate": 10},
        lenient=_NO_CLIP,
    ),
    # --- lm -----------------------------------------------------------------------
    "rnn_core.lm.init_lm": lambda: Example({"V": 4, "D": 2, "H": 3, "seed": 1}),
    "rnn_core.lm.lm_loss": lambda: Example(
        {
            "params": _lm_params(),
            "inputs": _ids((N, T)),
            "targets": _ids((N, T), seed=3),
            "h0": _rng(17).standard_normal((N, H)),
        },
        shapes={"params": ("V", "D", "H")},
    ),
    "rnn_core.lm.train_lm": lambda: Example(
        {"ids": _stream(), "V": V, **_TRAIN_LM, "seed": 0, "valid_ids": _stream(6, seed=5)},
        lenient=_NO_CLIP,
    ),
    "rnn_core.lm.perplexity": lambda: Example(
        {"params": _lm_params(), "ids": _stream(7), "k": 3}, past={"k": 50}
    ),
    "rnn_core.lm.sample": lambda: Example(
        {"params": _lm_params(), "start_ids": _stream(3), "n": 4, "seed": 1, "temperature": 0.8}
    ),
    "rnn_core.lm.read_sequence": lambda: Example({"params": _lm_params(), "ids": _stream(5)}),
    "rnn_core.lm.bigram_perplexity": lambda: Example(
        {"train_ids": _stream(), "test_ids": _stream(5, seed=6), "V": V, "alpha": 0.5}
    ),
    "rnn_core.lm.unigram_perplexity": lambda: Example(
        {"train_ids": _stream(), "test_ids": _stream(5, seed=6), "V": V, "alpha": 0.5}
    ),
    "rnn_core.lm.tuned_bigram_perplexity": lambda: Example(
        {"train_ids": _stream(24), "test_ids": _stream(5, seed=6), "V": V, "alphas": [0.1, 1.0]}
    ),
    "rnn_core.lm.bigram_table": lambda: Example({"train_ids": _stream(), "V": V, "alpha": 0.5}),
    "rnn_core.lm.tuned_unigram_perplexity": lambda: Example(
        {"train_ids": _stream(24), "test_ids": _stream(5, seed=6), "V": V, "alphas": [0.1, 1.0]}
    ),
    "rnn_core.lm.uniform_perplexity": lambda: Example({"V": 5}),
    "rnn_core.lm.cross_validate": lambda: Example(
        {
            "tokens": ("a b a c " * 10).split(),
            "folds": 2,
            "seeds": [0],
            "min_count": 1,
            "alphas": [0.5],
            **_TRAIN_LM,
            "batch": 1,
        },
        lenient=_NO_CLIP,
    ),
    # --- ar -------------------------------------------------------------------------
    "rnn_core.ar.fit_ar": lambda: Example({"x": _series(), "tau": 2, "intercept": True}),
    "rnn_core.ar.normal_equations": lambda: Example({"x": _series(), "tau": 2, "intercept": True}),
    "rnn_core.ar.predict_one_step": lambda: Example({"model": _model(), "x": _series(6)}),
    "rnn_core.ar.forecast_k_step": lambda: Example(
        {"model": _model(), "x": _series(6), "k": 2}, past={"k": 5}
    ),
    "rnn_core.ar.rollout": lambda: Example({"model": _model(), "history": _series(4), "steps": 3}),
    "rnn_core.ar.select_tau": lambda: Example(
        {"x_train": _series(), "x_valid": _series(5, seed=7), "taus": [1, 2], "intercept": False}
    ),
    "rnn_core.ar.fit_direct": lambda: Example({"x": _series(), "tau": 2, "k": 2}),
    "rnn_core.ar.predict_direct": lambda: Example(
        {"model": _model(), "x": _series(6), "k": 2},
        past={"k": 5},
        also_named={"k": ("x",)},  # x must hold tau + k values: a k past it names x
    ),
    "rnn_core.ar.latent_states": lambda: Example({"x": _series(5), "lam": 0.5, "h0": 0.1}),
    # --- data -----------------------------------------------------------------------
    "rnn_core.data.sine_with_noise": lambda: Example(
        {"T": 5, "freq": 0.3, "sigma": 0.2, "seed": 1}
    ),
    "rnn_core.data.ar_process": lambda: Example(
        {"coef": np.array([0.5, -0.2]), "T": 5, "c": 0.1, "sigma": 0.5, "seed": 1, "burn_in": 3}
    ),
    "rnn_core.data.random_walk": lambda: Example({"T": 5, "sigma": 0.5, "seed": 1, "x0": 0.2}),
    "rnn_core.data.make_windows": lambda: Example({"x": _series(6), "tau": 2}, past={"tau": 6}),
    "rnn_core.data.tokenize": lambda: Example({"text": "A cat, a hat."}, kinds={"text": "text"}),
    "rnn_core.data.build_vocab": lambda: Example(
        {"tokens": _tokens(), "unk": True, "min_count": 2}
    ),
    "rnn_core.data.encode": lambda: Example(
        {"vocab": data.build_vocab(_tokens()), "tokens": ["cat", "the", "dog"]}
    ),
    "rnn_core.data.decode": lambda: Example(
        {"vocab": data.build_vocab(_tokens()), "ids": np.array([0, 3, 1])}
    ),
    "rnn_core.data.autocorrelation": lambda: Example(
        {"x": _series(8), "max_lag": 3}, past={"max_lag": 8}
    ),
    "rnn_core.data.shuffle_fraction": lambda: Example({"x": _series(6), "frac": 0.5, "seed": 2}),
    "rnn_core.data.markov_chain_joint": lambda: Example(
        {"p0": np.array([0.5, 0.5]), "P": np.array([[0.9, 0.1], [0.2, 0.8]]), "T": 3},
        past={"T": 65},
    ),
    "rnn_core.data.markov_conditionals": lambda: Example(
        {"p0": np.array([0.5, 0.5]), "P": np.array([[0.9, 0.1], [0.2, 0.8]]), "T": 3},
        past={"T": 65},
    ),
    "rnn_core.data.zen_of_python": lambda: Example({}),
    # --- conventions -------------------------------------------------------------------
    "rnn_core.conventions.column_step": lambda: Example(
        {
            "x": _rng(18).standard_normal((D, 1)),
            "h_prev": _rng(19).standard_normal((H, 1)),
            "W_x": _rng(20).standard_normal((H, D)),
            "W_h": _rng(21).standard_normal((H, H)),
            "b": _rng(22).standard_normal((H, 1)),
        }
    ),
    "rnn_core.conventions.from_torch": lambda: Example(
        {
            "weight_ih": _rng(18).standard_normal((H, D)),
            "weight_hh": _rng(19).standard_normal((H, H)),
            "bias_ih": _rng(20).standard_normal(H),
            "bias_hh": _rng(21).standard_normal(H),
        }
    ),
    # --- architectures -------------------------------------------------------------------
    "rnn_core.architectures.init_architecture_params": lambda: Example(
        {"D": 2, "H": 3, "V": 4, "seed": 1}
    ),
    "rnn_core.architectures.one_to_many": lambda: Example(
        {"x0": _rng(23).standard_normal((N, D)), "params": _arch("E Wx Wh b Wy by"), "T": 3},
        shapes=_ARCH,
    ),
    "rnn_core.architectures.many_to_one": lambda: Example(
        {"x": _rng(23).standard_normal((N, T, D)), "params": _arch("Wx Wh b Wy by")},
        shapes=_ARCH,
    ),
    "rnn_core.architectures.many_to_many": lambda: Example(
        {"x": _rng(23).standard_normal((N, T, D)), "params": _arch("Wx Wh b Wy by")},
        shapes=_ARCH,
    ),
    "rnn_core.architectures.encoder_decoder": lambda: Example(
        {"x": _rng(23).standard_normal((N, T, D)), "params": _arch(), "T_out": 2},
        shapes=_ARCH,
    ),
    "rnn_core.architectures.stacked_forward": lambda: Example(
        {"x": _rng(23).standard_normal((N, T, D)), "layers": [_layer(D, H, 27), _layer(H, 2, 28)]},
        shapes={"layers": ("D",)},  # the first layer's Wx is (D, H_0)
    ),
    "rnn_core.architectures.bidirectional_forward": lambda: Example(
        {
            "x": _rng(23).standard_normal((N, T, D)),
            "forward": _layer(D, H, 27),
            "backward": _layer(D, 2, 28),
        },
        shapes={"forward": ("D",), "backward": ("D",)},  # each Wx is (D, H)
    ),
    "rnn_core.architectures.recursive_forward": lambda: Example(
        {
            "tree": ((0, 1), (2, 3)),
            "leaves": _rng(24).standard_normal((4, H)),
            "W": _rng(25).standard_normal((2 * H, H)),
            "b": _rng(26).standard_normal(H),
        }
    ),
    "rnn_core.architectures.left_leaning_tree": lambda: Example({"L": 4}),
    # --- cliff -----------------------------------------------------------------------------
    "rnn_core.cliff.cliff_error": lambda: Example(
        {"w": np.array([1.0, 5.0]), "b": np.array([-2.0, 0.0]), "T": 5, "x0": 0.5, "target": 0.7},
        lenient={"w": _BROADCAST, "b": _BROADCAST},
    ),
    "rnn_core.cliff.cliff_gradient": lambda: Example(
        {"w": np.array([1.0, 5.0]), "b": np.array([-2.0, 0.0]), "T": 5, "x0": 0.5, "target": 0.7},
        lenient={"w": _BROADCAST, "b": _BROADCAST},
        shapes={"w": ("...",), "b": ("...",)},  # "As in cliff_error"
    ),
    "rnn_core.cliff.descend": lambda: Example(
        {
            "w0": 1.0,
            "b0": 0.0,
            "lr": 0.5,
            "steps": 2,
            "max_norm": 1.0,
            "T": 5,
            "x0": 0.5,
            "target": 0.7,
        }
    ),
    "rnn_core.cliff.cliff_surface": lambda: Example(
        {"w_range": (0.0, 10.0), "b_range": (-6.0, 0.0), "n": 3, "T": 5, "x0": 0.5, "target": 0.7}
    ),
    # --- symbolic ---------------------------------------------------------------------------
    "rnn_core.symbolic.latex": lambda: Example(
        {"expr": _sym().X[1] + _sym().X[2] + _sym().X[3], "per_line": 2}
    ),
    "rnn_core.symbolic.symbols": lambda: Example({}),
    "rnn_core.symbolic.unrolled_h": lambda: Example({"N": 2}),
    "rnn_core.symbolic.unroll_states": lambda: Example({"expr": _sym().h[1], "N": 1}),
    "rnn_core.symbolic.closed_form_dwh": lambda: Example({"N": 2}),
    "rnn_core.symbolic.closed_form_dwx": lambda: Example({"N": 2}),
    "rnn_core.symbolic.polynomial_form_dwh": lambda: Example({"N": 2}),
    "rnn_core.symbolic.offbyone_wh": lambda: Example({"N": 2}),
    "rnn_core.symbolic.offbyone_wx": lambda: Example({"N": 2}),
    "rnn_core.symbolic.recursion_step": lambda: Example(
        {"t": 2, "dwh_prev": _sym().h[0], "dwx_prev": _sym().X[1]}
    ),
    "rnn_core.symbolic.slip_recursion_step": lambda: Example(
        {"t": 2, "dwh_prev": _sym().h[0], "dwx_prev": _sym().X[1]}
    ),
    "rnn_core.symbolic.recursive_derivatives": lambda: Example(
        {"N": 2, "step": symbolic.slip_recursion_step}
    ),
    "rnn_core.symbolic.slip_wx_recursion": lambda: Example({"N": 2}),
    "rnn_core.symbolic.check_closed_form": lambda: Example(
        {"N": 2, "wrt": "w_H", "candidate": symbolic.closed_form_dwh}
    ),
    "rnn_core.symbolic.verify_closed_forms": lambda: Example({"N": 2}),
    "rnn_core.symbolic.verify_every_step_loss": lambda: Example({"N": 2}),
    "rnn_core.symbolic.closed_form_sum": lambda: Example({"wrt": "w_X", "m": _sym().n}),
    "rnn_core.symbolic.induction_proof": lambda: Example(
        {"wrt": "w_H", "closed_form": functools.partial(symbolic.closed_form_sum, "w_H")}
    ),
    "rnn_core.symbolic.latex_table": lambda: Example({"N_max": 1, "per_line": 2}),
    "rnn_core.symbolic.sine_ar2_identity": lambda: Example(
        {"a1": 2, "a2": -1}, kinds={"a1": "expr", "a2": "expr"}
    ),
    "rnn_core.symbolic.unrolled_state_closed_form": lambda: Example({"N": 2}),
    "rnn_core.symbolic.verify_unrolled_state": lambda: Example({"N": 2}),
}


def _arch(keys=None):
    """The parameters of rnn_core.architectures; ``keys``: only those a toy needs."""
    from rnn_core.architectures import init_architecture_params

    params = init_architecture_params(D=D, H=H, V=V, seed=0)
    return params if keys is None else {k: params[k] for k in keys.split()}


def _sym():
    return symbolic.symbols()


def _ens_x():
    return {"x": _rng(29).standard_normal((K, N, T, V + 1))}


def _ens_grads():
    r = _rng(30)
    return {"w": r.standard_normal((K, 2, 3)), "b": r.standard_normal((K, 3))}
