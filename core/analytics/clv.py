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

scipy is imported in the functions that use it, not here: every till imports this module as it starts, and
scipy.special and scipy.optimize cost that start about half a second (``python -X importtime``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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
    from scipy.special import gammaln

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
    w = np.ones_like(x) if weights is None else weights
    scale = 10.0 / float(np.max(T))
    data = _BgData(x, t_x * scale, T * scale, w)
    total = float(np.sum(w))

    def objective(log_params: Floats) -> tuple[float, Floats]:
        r, alpha, a, b = np.exp(log_params)
        value, gradient = data.value_and_gradient(r, alpha, a, b)
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


class _BgData:
    """The population laid out for the likelihood's many evaluations. A term that depends on a customer only
    through ``x`` (a small whole number) or ``T`` is computed once per distinct value and summed with the
    customers' weights per value; the customers without a repeat purchase need nothing more, so only those
    with one are visited element by element, once per evaluation."""

    def __init__(self, x: Floats, t_x: Floats, T: Floats, w: Floats) -> None:
        self.x_values, x_index = np.unique(x, return_inverse=True)
        self.w_by_x = np.bincount(x_index, weights=w, minlength=len(self.x_values))
        self.weight = float(np.sum(w))
        once = x == 0
        self.T_values, T_index = np.unique(T[once], return_inverse=True)
        self.w_once_by_T = np.bincount(T_index, weights=w[once], minlength=len(self.T_values))
        repeat = ~once
        self.x, self.t_x, self.T, self.w = x[repeat], t_x[repeat], T[repeat], w[repeat]
        self.x_index = x_index[repeat]

    def value_and_gradient(self, r: float, alpha: float, a: float, b: float) -> tuple[float, Floats]:
        """The summed log-likelihood (FHL 2005 eq. 6) and its gradient in (r, α, a, b)."""
        from scipy.special import digamma, gammaln

        xs, wx = self.x_values, self.w_by_x
        # A1 + A2, and their derivatives, per distinct x.
        per_x = gammaln(r + xs) + gammaln(b + xs) - gammaln(a + b + xs)
        constant = -gammaln(r) + r * np.log(alpha) + gammaln(a + b) - gammaln(b)
        value = float(np.dot(wx, per_x)) + self.weight * constant
        d_ab = float(np.dot(wx, digamma(a + b) - digamma(a + b + xs)))
        d_r = float(np.dot(wx, digamma(r + xs))) + self.weight * (np.log(alpha) - digamma(r))
        d_alpha = self.weight * r / alpha
        d_a = d_ab
        d_b = d_ab + float(np.dot(wx, digamma(b + xs))) - self.weight * digamma(b)
        # Customers with no repeat purchase: the tail is A3 = −r·ln(α + T), per distinct T.
        log_once = np.log(alpha + self.T_values)
        value -= r * float(np.dot(self.w_once_by_T, log_once))
        d_r -= float(np.dot(self.w_once_by_T, log_once))
        d_alpha -= r * float(np.dot(self.w_once_by_T, 1.0 / (alpha + self.T_values)))
        # Customers with one: ln(e^A3 + e^A4), element by element.
        x, w = self.x, self.w
        rx = r + x
        log_aT = np.log(alpha + self.T)
        log_atx = np.log(alpha + self.t_x)
        b_x = b + x - 1
        a3 = -rx * log_aT
        a4 = np.log(a) - np.log(b_x) - rx * log_atx
        tail = np.logaddexp(a3, a4)
        w3 = np.exp(a3 - tail)
        w4 = 1.0 - w3
        value += float(np.dot(w, tail))
        d_r -= float(np.dot(w, w3 * log_aT + w4 * log_atx))
        d_alpha -= float(np.dot(w, rx * (w3 / (alpha + self.T) + w4 / (alpha + self.t_x))))
        d_a += float(np.dot(w, w4)) / a
        d_b -= float(np.dot(w, w4 / b_x))
        return value, np.array([d_r, d_alpha, d_a, d_b])


def _rescale_ll(r: float, x: Floats, w: Floats, scale: float) -> float:
    """The log-likelihood on the scaled axis differs from the unscaled one by the density's Jacobian,
    ``(r + x)·ln(α+·)`` against ``r·ln α``: each customer's term moves by ``x·ln(scale)``."""
    return float(np.sum(w * x) * np.log(scale))


def _minimise(objective: Callable[[Floats], tuple[float, Floats]], dimensions: int) -> Floats | None:
    """L-BFGS-B with the analytic gradient, on the parameters' logarithms from a neutral start, then Nelder-Mead
    from where it stopped if it did not report convergence; ``None`` when neither converges or a parameter runs
    off."""
    start = np.zeros(dimensions)
    # A step off into overflow is an infinite objective the optimiser steps back from, not an error to report.
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        return _minimise_quietly(objective, start)


def _minimise_quietly(objective: Callable[[Floats], tuple[float, Floats]], start: Floats) -> Floats | None:
    from scipy.optimize import minimize

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
    from scipy.special import hyp2f1

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
    from scipy.special import betaln

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

    # Terms that depend on a customer only through x (a small whole number) are summed per distinct x; those
    # without a parameter are summed once. Each evaluation then visits the customers once, for ln(γ + m·x).
    x_values, x_index = np.unique(x, return_inverse=True)
    per_x = np.bincount(x_index, minlength=len(x_values)).astype(np.float64)
    sum_x_log_m = float(np.dot(x, np.log(ms)))
    sum_log_m = float(np.sum(np.log(ms)))
    sum_x_log_x = float(np.dot(x, np.log(x)))
    mx = ms * x

    def objective(log_params: Floats) -> tuple[float, Floats]:
        from scipy.special import digamma, gammaln

        p, q, gamma = np.exp(log_params)
        pxs = p * x_values
        log_sum = np.log(gamma + mx)
        sum_log = float(np.sum(log_sum))
        sum_x_log = float(np.dot(x, log_sum))
        # −ln B(px, q) + q ln γ + (px − 1) ln m + px ln x − (px + q) ln(γ + m x), summed.
        value = (
            float(np.dot(per_x, gammaln(pxs + q) - gammaln(pxs)))
            - n * gammaln(q)
            + n * q * np.log(gamma)
            + p * sum_x_log_m
            - sum_log_m
            + p * sum_x_log_x
            - p * sum_x_log
            - q * sum_log
        )
        shared = digamma(pxs + q)
        d_p = float(np.dot(per_x * x_values, shared - digamma(pxs))) + sum_x_log_m + sum_x_log_x - sum_x_log
        d_q = float(np.dot(per_x, shared)) - n * digamma(q) + n * np.log(gamma) - sum_log
        d_gamma = n * q / gamma - float(np.sum((p * x + q) / (gamma + mx)))
        gradient = np.array([d_p, d_q, d_gamma]) * np.exp(log_params)
        if not np.isfinite(value) or not np.all(np.isfinite(gradient)):
            return 1e300, np.zeros(3)
        return -float(value) / n, -gradient / n

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
