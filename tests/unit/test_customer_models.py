"""BG/NBD and Gamma-Gamma against the published CDNOW figures, and against an independent implementation's
per-customer answers (lifetimes 0.11.3 on the same data: P(alive), expected purchases, lifetime value)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.analytics import clv

DATA = Path(__file__).resolve().parents[1] / "data" / "cdnow_customers_summary.csv"


@pytest.fixture(scope="module")
def cdnow() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    table = np.loadtxt(DATA, delimiter=",", skiprows=1)
    assert table.shape == (2357, 5)
    return table[:, 1], table[:, 2], table[:, 3], table[:, 4]


def test_bg_nbd_finds_the_published_parameters(cdnow: tuple[np.ndarray, ...]) -> None:
    x, t_x, T, _ = cdnow
    model = clv.fit_bg_nbd(x, t_x, T)
    assert model is not None
    assert model.r == pytest.approx(0.243, abs=0.0005)
    assert model.alpha == pytest.approx(4.414, abs=0.002)
    assert model.a == pytest.approx(0.793, abs=0.0005)
    assert model.b == pytest.approx(2.426, abs=0.002)
    assert model.log_likelihood == pytest.approx(-9582.4, abs=0.05)


def test_gamma_gamma_finds_the_published_parameters(cdnow: tuple[np.ndarray, ...]) -> None:
    x, _, _, zbar = cdnow
    model = clv.fit_gamma_gamma(x, zbar)
    assert model is not None
    assert model.p == pytest.approx(6.25, abs=0.005)
    assert model.q == pytest.approx(3.74, abs=0.006)
    assert model.gamma == pytest.approx(15.44, abs=0.01)
    assert model.log_likelihood == pytest.approx(-4055.92, abs=0.01)


def test_per_customer_figures_match_an_independent_implementation(cdnow: tuple[np.ndarray, ...]) -> None:
    x, t_x, T, zbar = cdnow
    model = clv.BgNbd(r=0.242593, alpha=4.413532, a=0.792886, b=2.425752, log_likelihood=0.0)
    spend = clv.GammaGamma(p=6.248802, q=3.744588, gamma=15.447748, log_likelihood=0.0)
    first = slice(0, 2)  # customers 1 (x=2) and 2 (x=1)
    assert clv.p_alive(model, x[first], t_x[first], T[first]) == pytest.approx([0.726609, 0.212227], abs=1e-5)
    expected = clv.expected_purchases(model, 39.0, x[first], t_x[first], T[first])
    assert expected == pytest.approx([1.225910, 0.203251], abs=1e-5)
    per_purchase = clv.expected_spend(spend, x[first], zbar[first])
    assert per_purchase == pytest.approx([24.658616, 18.911480], abs=1e-4)
    # 12 "months" of 30 weeks at 1 % a month, as lifetimes' customer_lifetime_value counts them.
    value = clv.lifetime_value(
        model, per_purchase, x[first], t_x[first], T[first], months=12, monthly_discount=0.01, period=30.0
    )
    assert value == pytest.approx([140.096218, 18.943466], rel=1e-5)


def test_no_repeat_purchase_means_alive_and_no_history_means_nothing_to_fit() -> None:
    model = clv.BgNbd(r=0.24, alpha=4.4, a=0.79, b=2.4, log_likelihood=0.0)
    zero = np.zeros(1)
    assert clv.p_alive(model, zero, zero, np.array([10.0]))[0] == 1.0
    assert clv.fit_bg_nbd(np.zeros(0), np.zeros(0), np.zeros(0)) is None
    assert clv.fit_gamma_gamma(np.array([0.0, 0.0]), np.array([0.0, 0.0])) is None


def test_a_fit_that_does_not_converge_gives_none() -> None:
    # Nobody came back: the purchase rate runs to zero.
    assert clv.fit_bg_nbd(np.zeros(50), np.zeros(50), np.ones(50)) is None
    # Everybody bought on schedule up to the last day: nobody ever leaves, the dropout runs to zero.
    assert clv.fit_bg_nbd(np.full(50, 5.0), np.full(50, 10.0), np.full(50, 10.0)) is None
    # Every repeat purchase on the day of the first: the rate runs off to infinity.
    assert clv.fit_bg_nbd(np.full(50, 1.0), np.zeros(50), np.full(50, 10.0)) is None


def test_identical_spend_has_no_spread_to_fit() -> None:
    # Every customer spends exactly the same: q and γ run off together to make the spread across customers zero.
    assert clv.fit_gamma_gamma(np.full(50, 3.0), np.full(50, 20.0)) is None
