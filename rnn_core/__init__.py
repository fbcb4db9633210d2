"""rnn_core: the numerical core of *Recurrent Neural Networks, Derived and Checked*.

Every chapter of the book imports its mathematics from here, and every gradient
here is checked against central finite differences in the tests. Arrays are
batch-major: a batch of sequences has shape ``(N, T, D)``. The package needs
numpy, scipy and sympy only; it draws nothing (the figures are in ``sliders`` and
``rnnbook``, which import this package, never the other way round).

Modules: ``cell`` (the tanh RNN and BPTT), ``lstm`` (a minimal LSTM), ``gru`` (a
minimal GRU), ``linear``
(the scalar linear cell and its closed-form gradients), ``symbolic`` (sympy proofs
of those closed forms), ``layers`` (embedding, output layer, softmax loss),
``optim`` (clipping, SGD, Adam), ``gradcheck`` (finite differences), ``rtrl``
(real-time recurrent learning), ``truncation`` (truncated and randomized-truncation
BPTT), ``slips`` (deliberately wrong derivations that the tests show failing),
``data`` (toy sequences, windows, tokens), ``ar`` (autoregressive models), ``lm``
(a word-level language model), ``tasks`` (the memory-at-lag recall task),
``cliff`` (the single-unit network of Pascanu et al.'s error cliff),
``architectures`` (the four input/output shapes and a recursive network) and
``conventions`` (column-vector and PyTorch notation).
"""

from ._memory import keep_freed_memory
from .ar import (
    ARModel,
    fit_ar,
    forecast_k_step,
    latent_states,
    normal_equations,
    predict_one_step,
    rollout,
    select_tau,
)
from .cell import (
    RNNCache,
    StepCache,
    rnn_backward,
    rnn_forward,
    rnn_step_backward,
    rnn_step_forward,
)
from .data import (
    Vocab,
    ar_process,
    autocorrelation,
    build_vocab,
    decode,
    encode,
    make_windows,
    markov_chain_joint,
    markov_conditionals,
    random_walk,
    shuffle_fraction,
    sine_with_noise,
    tokenize,
)
from .gradcheck import numerical_gradient, rel_error
from .gru import gru_backward, gru_forward, gru_step_backward, gru_step_forward
from .layers import (
    embedding_backward,
    embedding_forward,
    softmax,
    temporal_affine_backward,
    temporal_affine_forward,
    temporal_softmax_loss,
)
from .linear import (
    linear_grad_terms,
    linear_rnn,
    linear_rnn_bptt,
    linear_rnn_grads,
    linear_rnn_grads_every_step,
)
from .lm import bigram_perplexity, init_lm, lm_loss, perplexity, sample, train_lm
from .lstm import lstm_backward, lstm_forward, lstm_step_backward, lstm_step_forward
from .optim import SGD, Adam, clip_grad_norm, global_norm
from .rtrl import rtrl_gradients
from .truncation import randomized_truncated_backward, sliding_truncated_backward

__all__ = [
    "SGD",
    "ARModel",
    "Adam",
    "RNNCache",
    "StepCache",
    "Vocab",
    "ar_process",
    "autocorrelation",
    "bigram_perplexity",
    "build_vocab",
    "clip_grad_norm",
    "decode",
    "embedding_backward",
    "embedding_forward",
    "encode",
    "fit_ar",
    "forecast_k_step",
    "global_norm",
    "gru_backward",
    "gru_forward",
    "gru_step_backward",
    "gru_step_forward",
    "init_lm",
    "latent_states",
    "linear_grad_terms",
    "linear_rnn",
    "linear_rnn_bptt",
    "linear_rnn_grads",
    "linear_rnn_grads_every_step",
    "lm_loss",
    "lstm_backward",
    "lstm_forward",
    "lstm_step_backward",
    "lstm_step_forward",
    "make_windows",
    "markov_chain_joint",
    "markov_conditionals",
    "normal_equations",
    "numerical_gradient",
    "perplexity",
    "predict_one_step",
    "random_walk",
    "randomized_truncated_backward",
    "rel_error",
    "rnn_backward",
    "rnn_forward",
    "rnn_step_backward",
    "rnn_step_forward",
    "rollout",
    "rtrl_gradients",
    "sample",
    "select_tau",
    "shuffle_fraction",
    "sine_with_noise",
    "sliding_truncated_backward",
    "softmax",
    "temporal_affine_backward",
    "temporal_affine_forward",
    "temporal_softmax_loss",
    "tokenize",
    "train_lm",
]

# The training loops allocate the same large arrays at every step: let them reuse the
# memory the last step freed instead of faulting in fresh pages (see _memory).
keep_freed_memory()
