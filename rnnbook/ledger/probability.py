r"""Checks of the probability equations (chapters 1 and 2) on discrete distributions.

A :class:`Distribution` is a joint probability table over named variables
(``x_1``, ..., ``x_T``, or the events :math:`\mathcal{A}` and :math:`\mathcal{B}`)
read at one outcome: the evaluator hands it *references* to the variables of a
displayed ``P(\dots \mid \dots)`` and it answers with the conditional probability
of their values in that outcome, by summing the table. Each check evaluates the
display at every outcome of two tables: a random one (the equation must hold for
every distribution, or for every one with the displayed property) and the table
that ``rnn_core.data`` builds, so that the display and the code agree.
"""

import itertools

import numpy as np

from rnn_core import ar, data
from rnnbook.ledger.evaluate import Env, evaluate, parse_name
from rnnbook.ledger.latex import relations
from rnnbook.ledger.sympy_form import LedgerError
from rnnbook.ledger.vector import _close

__all__ = ["CHECKS", "Distribution"]

CHECKS = {}
K, T = 2, 5  #: states and length of the random chains: 32 outcomes


def _register(*labels):
    def register(function):
        CHECKS.update(dict.fromkeys(labels, function))
        return function

    return register


class Distribution:
    """A joint table over named variables, read at one outcome.

    Parameters
    ----------
    table : ndarray
        One axis per variable; entries sum to 1.
    variables : list of (str, tuple)
        The reference (name, indices) of each axis, as the evaluator spells it.
    outcome : tuple of int
        The value of each variable.

    Examples
    --------
    >>> joint = np.array([[0.1, 0.3], [0.2, 0.4]])
    >>> P = Distribution(joint, [("x", (1,)), ("x", (2,))], (1, 0))
    >>> round(P([("x", (2,))], [("x", (1,))]), 6)  # P(x_2 = 0 | x_1 = 1) = 0.2 / 0.6
    0.333333
    """

    reads_references = True  #: the evaluator passes (name, indices), not values

    def __init__(self, table, variables, outcome):
        self.table, self.outcome = table, outcome
        self.axis = {var: k for k, var in enumerate(variables)}

    def _marginal(self, refs):
        """P(every variable in refs takes its value in the outcome)."""
        keep = []
        for ref in dict.fromkeys(refs):
            if ref not in self.axis:
                raise LedgerError(f"{ref[0]}_{ref[1]} is not a variable of this distribution")
            keep.append(self.axis[ref])
        others = tuple(a for a in range(self.table.ndim) if a not in keep)
        marginal = self.table.sum(axis=others) if others else self.table
        order = sorted(keep)  # the axes of the marginal, in table order
        return float(marginal[tuple(self.outcome[a] for a in order)])

    def __call__(self, events, conditions=()):
        given = self._marginal(list(conditions))
        if given == 0:
            raise LedgerError(f"P({conditions}) = 0: the conditional is not defined")
        return self._marginal([*events, *conditions]) / given


def _chain(p0, P, T):
    """rnn_core.data.markov_chain_joint's joint as a (K,)*T table, and its factorised one."""
    _, joint, factorised = data.markov_chain_joint(p0, P, T)
    K = len(p0)
    return joint.reshape((K,) * T), factorised.reshape((K,) * T)


def _random_chain(rng, K):
    return rng.dirichlet(np.ones(K)), rng.dirichlet(np.ones(K), size=K)


def _sequence(T):
    return [("x", (t,)) for t in range(1, T + 1)]


def _sides_at(latex, table, variables, bound=None):
    """{outcome: [values of each side of each relation]} at every outcome of ``table``."""
    rels = relations(latex)
    out = {}
    for outcome in itertools.product(*(range(n) for n in table.shape)):
        env = Env({"P": Distribution(table, variables, outcome)}, bound)
        out[outcome] = [[evaluate(side, env) for side in rel.sides] for rel in rels]
    return rels, out


def _all_equal(rels, sides, what):
    for outcome, values in sides.items():
        for rel, row in zip(rels, values):
            for k in range(1, len(row)):
                _close(row[k], row[0], f"row {rel.row}: {rel} (side {k + 1}) at {what} {outcome}")


@_register("eq-product-rule")
def check_product_rule(latex):
    """Both sides at every outcome of a random joint of two variables and of rnn_core's chain."""
    rng = np.random.default_rng(10)
    events = [("Acal", ()), ("Bcal", ())]
    generic = rng.dirichlet(np.ones(12)).reshape(3, 4)
    rels, sides = _sides_at(latex, generic, events)
    _all_equal(rels, sides, "the random joint's outcome")
    p0, P = _random_chain(rng, 3)
    joint, _ = _chain(p0, P, 2)  # (x_1, x_2); A = x_2, B = x_1: the table's axes swapped
    rels, sides = _sides_at(latex, joint.T, events)
    _all_equal(rels, sides, "the chain's outcome")
    for (a, b), ((_, rhs),) in sides.items():
        _close(rhs, p0[b] * P[b, a], f"P(B) P(A | B) = p0[b] P[b, a] at {(a, b)}")
    return "at all 12 outcomes of a random joint, and all 9 of markov_chain_joint's (T = 2)"


@_register("eq-chain-rule")
def check_chain_rule(latex):
    """Every side at every sequence of a random (not Markov) joint and of rnn_core's chain."""
    rng = np.random.default_rng(11)
    generic = rng.dirichlet(np.ones(K**T)).reshape((K,) * T)
    rels, sides = _sides_at(latex, generic, _sequence(T), {"T": T})
    _all_equal(rels, sides, "the random joint's sequence")
    joint, factorised = _chain(*_random_chain(rng, K), T)
    rels, sides = _sides_at(latex, joint, _sequence(T), {"T": T})
    for seq, (row,) in sides.items():
        _close(row[0], joint[seq], f"the left side = markov_chain_joint's joint at {seq}")
        for k, value in enumerate(row[1:], start=2):
            _close(value, factorised[seq], f"side {k} = markov_chain_joint's chain rule at {seq}")
    return f"all 3 sides at all {K**T} sequences (T = {T}) of a random joint and of a chain"


def _second_order_chain(rng, K, T):
    """A random chain of order 2: p(x_1, x_2) times P2[x_{t-2}, x_{t-1}, x_t]."""
    start, P2 = rng.dirichlet(np.ones(K * K)).reshape(K, K), rng.dirichlet(np.ones(K), (K, K))
    table = np.zeros((K,) * T)
    for seq in itertools.product(range(K), repeat=T):
        steps = [P2[seq[t - 2], seq[t - 1], seq[t]] for t in range(2, T)]
        table[seq] = start[seq[0], seq[1]] * np.prod(steps)
    return table


@_register("eq-markov-tau")
def check_markov_tau(latex):
    """Both sides, t > tau, for rnn_core's Markov chain (tau = 1) and a chain of order tau = 2."""
    rng = np.random.default_rng(12)
    p0, P = _random_chain(rng, K)
    joint, _ = _chain(p0, P, T)
    count, first_order = 0, {}
    for tau, table in ((1, joint), (2, _second_order_chain(rng, K, T))):
        for t in range(tau + 1, T + 1):
            rels, sides = _sides_at(latex, table, _sequence(T), {"t": t, "tau": tau})
            _all_equal(rels, sides, f"t = {t}, tau = {tau}, sequence")
            first_order.update({(seq, t): v[0] for seq, v in sides.items() if tau == 1})
            count += len(sides)
    # markov_conditionals lists (sequence, t = 2..T), sequences in lexicographic order
    cond, trans = data.markov_conditionals(p0, P, T)
    order = sorted(first_order)
    _close([first_order[k][0] for k in order], cond, "the left side = markov_conditionals' own")
    _close([first_order[k][1] for k in order], trans, "the right side = its transition P[s, s']")
    return f"{count} (sequence, t) pairs, and markov_conditionals' {len(cond)} for tau = 1"


@_register("eq-latent-ar")
def check_latent_ar(latex):
    """h_t = U(h_{t-1}, x_{t-1}) is ar.latent_states; x_t's state has read x_{t-1}, not x_t."""
    rng = np.random.default_rng(13)
    x, lam = rng.standard_normal(T + 1), 0.6
    h = ar.latent_states(x, lam, h0=0.2)  # h[t - 1] is h_t: it has read x_1 .. x_{t-1}
    values = {
        "x": {t: x[t - 1] for t in range(1, T + 2)},
        "h": {t: h[t - 1] for t in range(1, T + 2)},
        "U": lambda state, value: lam * state + (1 - lam) * value,  # eq-ema's update
    }
    update, noise = relations(latex)
    if update.signs != ("=",) or noise.signs != (r"\sim",):
        raise LedgerError(f"expected 'h_t = U(...)' and 'x_t \\sim P(...)', read {update}, {noise}")
    for t in range(2, T + 2):
        env = Env(values, {"t": t})
        _close(evaluate(update.sides[1], env), evaluate(update.sides[0], env), f"{update} at {t}")
        variable = parse_name(noise.sides[0]).key(env)
        event, given = _read_probability(noise.sides[1], env)
        if event != [variable]:
            raise LedgerError(f"{noise}: the distribution is not of {variable} at t = {t}")
        for name, (s,) in given:
            _state_has_read(x, lam, name, s, t)
    return f"the update equals ar.latent_states at t = 2..{T + 1}; every state read x_(t-1) only"


def _read_probability(side, env):
    """The references of a displayed P(events | conditions), unevaluated."""
    found = []

    class _Reader:
        reads_references = True

        def __call__(self, events, conditions=()):
            found.append((list(events), list(conditions)))
            return 1.0

    evaluate(side, Env({**env.values, "P": _Reader()}, env.bound))
    (pair,) = found
    return pair


def _state_has_read(x, lam, name, s, t):
    """The state h_s that x_t is drawn given must have read x_{t-1} and not x_t."""
    if name != "h":
        raise LedgerError(f"x_{t} is conditioned on {name}_{s}, not on a state")

    def state(bumped):
        y = x.copy()
        y[bumped - 1] += 1.0
        return ar.latent_states(y, lam, h0=0.2)[s - 1] - ar.latent_states(x, lam, h0=0.2)[s - 1]

    if state(t) != 0:
        raise LedgerError(f"h_{s} has read x_{t}, the value drawn given it: a leak")
    if state(t - 1) == 0:
        raise LedgerError(f"h_{s} has not read x_{t - 1}, the newest value before x_{t}")
