"""Customer lifetime value: BG/NBD for how often a customer buys and whether they still do, Gamma-Gamma for how
much they spend, both fitted by maximum likelihood on the whole population at once.

BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while alive a customer buys as a
Poisson process with rate λ ~ Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b).
A customer is summarised by ``x`` (repeat purchases), ``t_x`` (time of the last one, from the first purchase)
and ``T`` (time from the first purchase to the end of the data). The log-likelihood is the paper's closed form
(its equation 6); P(alive) and the expected purchases in the next ``t`` are its equations 10 and 13.

Gamma-Gamma (Fader & Hardie 2013, "The Gamma-Gamma model of monetary value"): a customer's spend per purchase
is Gamma(p, ν) with ν ~ Gamma(q, γ) across customers; the expected spend of a customer with ``x`` purchases
averaging ``m`` is ``(γ + m·x)·p / (p·x + q − 1)``, a weighting of their own mean and the population's.

Everything takes and returns numpy arrays, one entry per customer; time is in whatever unit the caller chose
(days in this application, weeks in the published CDNOW figures). A fit that does not converge gives ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize
from scipy.special import betaln, digamma, gammaln, hyp2f1

Floats = npt.NDArray[np.float64]

# A parameter beyond this (on the scaled time axis) means the optimiser ran off to a boundary: the data do not
# identify the model, and its answers would be nonsense.
_PARAMETER_LIMIT = 1e5


@dataclass(frozen=True)
class BgNbd:
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float


@dataclass(frozen=True)
class GammaGamma:
    p: float
    q: float
    gamma: float
    log_likelihood: float


def bg_nbd_log_likelihood(r: float, alpha: float, a: float, b: float, x: Floats, t_x: Floats, T: Floats) -> Floats:
    """Each customer's log-likelihood, FHL 2005 equation 6 in logs."""
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    # ln(a) − ln(b + x − 1) − (r + x)·ln(α + t_x), only for customers with a repeat purchase.
    a4 = np.where(
        repeat,
        np.log(a) - np.log(np.where(repeat, b + x - 1, 1.0)) - (r + x) * np.log(alpha + t_x),
        -np.inf,
    )
    return np.asarray(a1 + a2 + np.logaddexp(a3, a4), dtype=np.float64)


def fit_bg_nbd(x: Floats, t_x: Floats, T: Floats, weights: Floats | None = None) -> BgNbd | None:
    """Maximum likelihood over the population (``weights``: how many customers each entry stands for). The time axis
    is scaled so the longest ``T`` is 10 (the optimiser's steps then mean the same for days and weeks)."""
    # Without a repeat purchase the purchase rate has no maximum (it runs to zero): nothing to learn.
    if not np.any(x > 0) or not np.all(np.isfinite(T)) or float(np.max(T)) <= 0:
        return None
    if weights is None:
        # Customers with the same history are one term, counted as many times: with times in whole days, a
        # million customers come down to a fraction of that.
        rows, counts = np.unique(np.stack([x, t_x, T], axis=1), axis=0, return_counts=True)
        x, t_x, T, weights = rows[:, 0], rows[:, 1], rows[:, 2], counts.astype(np.float64)
    scale = 10.0 / float(np.max(T))
    xs, txs, Ts = x, t_x * scale, T * scale
    w = weights
    total = float(np.sum(w))

    def objective(log_params: Floats) -> tuple[float, Floats]:
        r, alpha, a, b = np.exp(log_params)
        value, gradient = _bg_nbd_value_and_gradient(r, alpha, a, b, xs, txs, Ts, w)
        if not np.isfinite(value) or not np.all(np.isfinite(gradient)):
            return 1e300, np.zeros(4)
        return -value / total, -gradient * np.exp(log_params) / total

    best = _minimise(objective, 4)
    if best is None:
        return None
    r, alpha, a, b = (float(v) for v in np.exp(best))
    return BgNbd(
        r=r,
        alpha=alpha / scale,
        a=a,
        b=b,
        log_likelihood=float(-objective(best)[0] * total) + _rescale_ll(r, x, w, scale),
    )


def _bg_nbd_value_and_gradient(
    r: float, alpha: float, a: float, b: float, x: Floats, t_x: Floats, T: Floats, w: Floats
) -> tuple[float, Floats]:
    """The summed log-likelihood and its gradient in (r, α, a, b), from the derivatives of the four terms."""
    repeat = x > 0
    b_x = np.where(repeat, b + x - 1, 1.0)
    log_aT = np.log(alpha + T)
    log_atx = np.log(alpha + t_x)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * log_aT
    a4 = np.where(repeat, np.log(a) - np.log(b_x) - (r + x) * log_atx, -np.inf)
    tail = np.logaddexp(a3, a4)
    w3 = np.exp(a3 - tail)
    w4 = np.where(repeat, np.exp(a4 - tail), 0.0)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w3 * log_aT - w4 * np.where(repeat, log_atx, 0.0)
    d_alpha = r / alpha - w3 * (r + x) / (alpha + T) - w4 * np.where(repeat, (r + x) / (alpha + t_x), 0.0)
    d_ab = digamma(a + b) - digamma(a + b + x)
    d_a = d_ab + w4 / a
    d_b = d_ab + digamma(b + x) - digamma(b) - w4 / b_x
    gradient = np.array([np.dot(w, d_r), np.dot(w, d_alpha), np.dot(w, d_a), np.dot(w, d_b)])
    return float(np.dot(w, a1 + a2 + tail)), gradient


def _rescale_ll(r: float, x: Floats, w: Floats, scale: float) -> float:
    """The log-likelihood on the scaled axis differs from the unscaled one by the density's Jacobian,
    ``(r + x)·ln(α+·)`` against ``r·ln α``: each customer's term moves by ``x·ln(scale)``."""
    return float(np.sum(w * x) * np.log(scale))


def _minimise(objective: Callable[[Floats], tuple[float, Floats]], dimensions: int) -> Floats | None:
    """L-BFGS-B with the analytic gradient, on the parameters' logarithms from a neutral start, then Nelder-Mead
    from where it stopped if it did not report convergence; ``None`` when neither converges or a parameter runs
    off."""
    start = np.zeros(dimensions)
    try:
        result = minimize(objective, start, method="L-BFGS-B", jac=True)
        if not result.success:
            result = minimize(
                lambda v: objective(v)[0],
                result.x,
                method="Nelder-Mead",
                options={"maxiter": 4000, "xatol": 1e-7, "fatol": 1e-10},
            )
    except (ValueError, FloatingPointError, ArithmeticError):
        return None
    params = np.asarray(result.x, dtype=np.float64)
    if not result.success or not np.all(np.isfinite(params)) or np.any(np.abs(params) > np.log(_PARAMETER_LIMIT)):
        return None
    return params


def p_alive(model: BgNbd, x: Floats, t_x: Floats, T: Floats) -> Floats:
    """FHL 2005 equation 13: 1 for a customer with no repeat purchase (the model cannot see them leave)."""
    ratio = np.where(
        x > 0,
        model.a
        / np.maximum(model.b + x - 1, 1e-12)
        * np.exp((model.r + x) * (np.log(model.alpha + T) - np.log(model.alpha + t_x))),
        0.0,
    )
    return np.asarray(1.0 / (1.0 + ratio), dtype=np.float64)


def expected_purchases(model: BgNbd, t: float, x: Floats, t_x: Floats, T: Floats) -> Floats:
    """FHL 2005 equation 10: the expected number of purchases in the next ``t``, given each customer's history."""
    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    if t <= 0:
        return np.zeros_like(x)
    z = t / (alpha + T + t)
    head = (a + b + x - 1) / (a - 1)
    tail = 1.0 - np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t))) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    denominator = 1.0 + np.where(
        x > 0,
        a / np.maximum(b + x - 1, 1e-12) * np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + t_x))),
        0.0,
    )
    return np.asarray(head * tail / denominator, dtype=np.float64)


def gamma_gamma_log_likelihood(p: float, q: float, gamma: float, x: Floats, m: Floats) -> Floats:
    """Each customer's log-likelihood of their mean spend ``m`` over ``x`` purchases (the 2013 note, eq. 3)."""
    px = p * x
    return np.asarray(
        -betaln(px, q) + q * np.log(gamma) + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(gamma + m * x),
        dtype=np.float64,
    )


def fit_gamma_gamma(x: Floats, m: Floats) -> GammaGamma | None:
    """Fitted on the customers with at least one purchase and a positive mean spend. Spend is scaled so its
    median is 1, for the same reason as the BG/NBD's time."""
    keep = (x > 0) & (m > 0) & np.isfinite(m)
    if np.count_nonzero(keep) < 2:
        return None
    x, m = x[keep], m[keep]
    scale = 1.0 / float(np.median(m))
    ms = m * scale
    n = float(len(x))

    def objective(log_params: Floats) -> tuple[float, Floats]:
        p, q, gamma = np.exp(log_params)
        px = p * x
        log_sum = np.log(gamma + ms * x)
        value = float(np.sum(gamma_gamma_log_likelihood(p, q, gamma, x, ms)))
        shared = digamma(px + q)
        d_p = np.sum(x * (shared - digamma(px) + np.log(ms) + np.log(x) - log_sum))
        d_q = np.sum(shared - digamma(q) + np.log(gamma) - log_sum)
        d_gamma = np.sum(q / gamma - (px + q) / (gamma + ms * x))
        gradient = np.array([d_p, d_q, d_gamma]) * np.exp(log_params)
        if not np.isfinite(value) or not np.all(np.isfinite(gradient)):
            return 1e300, np.zeros(3)
        return -value / n, -gradient / n

    best = _minimise(objective, 3)
    if best is None:
        return None
    p, q, gamma = (float(v) for v in np.exp(best))
    if q <= 1:  # the population's mean spend (γ·p/(q−1)) does not exist: no expected spend to give
        return None
    # m·scale in the density: ln f moves by −ln(scale) per customer (the Jacobian of the mean's change of unit).
    log_likelihood = float(-objective(best)[0] * n) + n * float(np.log(scale))
    return GammaGamma(p=p, q=q, gamma=gamma / scale, log_likelihood=log_likelihood)


def expected_spend(model: GammaGamma, x: Floats, m: Floats) -> Floats:
    """The expected spend per purchase of each customer (``x`` purchases averaging ``m``)."""
    return np.asarray((model.gamma + m * x) * model.p / (model.p * x + model.q - 1), dtype=np.float64)


def lifetime_value(
    purchases: BgNbd,
    spend_per_purchase: Floats,
    x: Floats,
    t_x: Floats,
    T: Floats,
    *,
    months: int,
    monthly_discount: float,
    period: float,
) -> Floats:
    """The discounted value of the next ``months``: each month's expected purchases (the difference of the
    cumulative expectation at its end and its start) times the expected spend, discounted by
    ``(1 + monthly_discount)^month``. ``period`` is a month in the model's time unit."""
    value = np.zeros_like(x)
    previous = np.zeros_like(x)
    for month in range(1, months + 1):
        cumulative = expected_purchases(purchases, period * month, x, t_x, T)
        value += (cumulative - previous) * spend_per_purchase / (1.0 + monthly_discount) ** month
        previous = cumulative
    return value
