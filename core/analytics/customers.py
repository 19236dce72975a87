"""Every customer's analytics from a store's purchase history: ``compute_customer_analytics`` is the one entry.

From an ``OrdersFrame`` and the moment ``now``: each customer's purchases, spend and rhythm; RFM scores and
segment; the family and brand they are most likely to buy next; and, from BG/NBD + Gamma-Gamma fitted on the whole
population (core.analytics.clv), the probability they still buy here, the purchases expected in the next 90
days and the discounted value of the next months. Whole arrays throughout: the only loops are over months of the
value's horizon and the optimiser's steps.

A purchase is a day with a sale (Asia/Dubai days: two receipts the same day are one visit); returns take their
money back from the customer's spend but are not purchases.

What is "not enough data", per customer (``Reason``): no purchase, returns only, a single purchase (BG/NBD cannot
see such a customer leave, so its P(alive) would be a meaningless 1). For the whole store: fewer than
``Settings.min_history_days`` of history, fewer than ``Settings.min_repeat_customers`` customers who came back, or
a fit that did not converge: then no customer gets model figures, and the reason says why.

The model is called a prediction only when it earned it: if the history is long enough, the same models are
fitted again on all but the last ``Settings.holdout_months`` and must predict that period's purchases and spend
better (lower mean absolute error, both) than the naive baseline — each customer's own average rate continued.
Otherwise the figures are an estimate (``ModelStatus``), and the screen says so.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum, StrEnum

import numpy as np
import numpy.typing as npt

from core.analytics import clv
from core.analytics.frame import SALE, OrdersFrame
from core.analytics.next_purchase import Choice, most_likely
from core.analytics.rfm import quintile_scores, segment_codes
from core.kernel.clock import DUBAI
from core.kernel.i18n import QT_TRANSLATE_NOOP

DAY = 86_400
DAYS_PER_MONTH = 365.25 / 12
_DUBAI_OFFSET = 4 * 3600  # Asia/Dubai is UTC+4 all year
# Times packed beside a customer index in one int64 are counted from 2000 (32 bits last until 2136).
_EPOCH_OFFSET = 946_684_800
Floats = npt.NDArray[np.float64]


class Reason(IntEnum):
    """Why a customer's model figures are what they are (stored as its name)."""

    OK = 0
    NO_PURCHASES = 1
    RETURNS_ONLY = 2
    ONE_PURCHASE = 3
    SHORT_HISTORY = 4  # the store's history is too short to fit anything
    FEW_CUSTOMERS = 5  # too few customers came back to learn a rhythm from
    NOT_CONVERGED = 6  # the fit did not converge
    NO_SPEND_MODEL = 7  # purchases modelled, spend not: no lifetime value


REASON_TEXT: dict[Reason, str] = {
    Reason.OK: "",
    Reason.NO_PURCHASES: QT_TRANSLATE_NOOP("core", "No purchases yet."),
    Reason.RETURNS_ONLY: QT_TRANSLATE_NOOP("core", "Only returns, no purchase to learn from."),
    Reason.ONE_PURCHASE: QT_TRANSLATE_NOOP("core", "A single purchase: no buying rhythm to judge yet."),
    Reason.SHORT_HISTORY: QT_TRANSLATE_NOOP("core", "The store's sales history is too short to model."),
    Reason.FEW_CUSTOMERS: QT_TRANSLATE_NOOP("core", "Too few customers came back to learn from."),
    Reason.NOT_CONVERGED: QT_TRANSLATE_NOOP("core", "The model could not be fitted to this history."),
    Reason.NO_SPEND_MODEL: QT_TRANSLATE_NOOP("core", "Spending could not be modelled, so no lifetime value."),
}


class ModelStatus(StrEnum):
    PREDICTION = "prediction"  # beat the naive baseline on held-back months
    ESTIMATE = "estimate"  # validated and did not beat it
    UNVALIDATED = "unvalidated"  # too little history to hold months back
    NONE = "none"  # no model (see the reasons)


@dataclass(frozen=True)
class Settings:
    lifetime_months: int = 12
    monthly_discount: float = 0.01
    expected_days: int = 90
    holdout_months: int = 6
    min_history_days: int = 60
    min_repeat_customers: int = 20
    min_calibration_days: int = 90


@dataclass(frozen=True)
class ErrorFigures:
    mae: float
    rmse: float
    aggregate: float  # (predicted − actual) / actual over all customers; 0 when nothing was bought


@dataclass(frozen=True)
class Validation:
    """Fit on the history before ``cutoff``, predict the next ``holdout_days``, for ``customers`` customers."""

    cutoff: datetime
    holdout_days: float
    customers: int
    purchases: ErrorFigures
    purchases_baseline: ErrorFigures
    spend_fils: ErrorFigures
    spend_baseline_fils: ErrorFigures

    @property
    def beats_baseline(self) -> bool:
        return self.purchases.mae < self.purchases_baseline.mae and self.spend_fils.mae < self.spend_baseline_fils.mae


@dataclass
class Summary:
    """Per customer, over one window of history: purchase days, their times (days), spend and orders."""

    purchases: npt.NDArray[np.int64]  # days with a sale
    first_day: Floats  # first purchase (days since the epoch, Dubai), nan with none
    last_day: Floats
    last_at: npt.NDArray[np.int64]  # seconds, 0 with none
    net_fils: npt.NDArray[np.int64]
    sale_orders: npt.NDArray[np.int64]
    any_orders: npt.NDArray[np.int64]
    now_day: float

    @property
    def x(self) -> Floats:
        return np.maximum(self.purchases - 1, 0).astype(np.float64)

    @property
    def t_x(self) -> Floats:
        return np.nan_to_num(self.last_day - self.first_day)

    @property
    def T(self) -> Floats:
        return np.nan_to_num(self.now_day - self.first_day)

    @property
    def mean_spend(self) -> Floats:
        return np.maximum(self.net_fils, 0) / np.maximum(self.purchases, 1).astype(np.float64)


@dataclass
class Model:
    purchases: clv.BgNbd
    spend: clv.GammaGamma | None


@dataclass
class CustomerAnalyticsResult:
    """Arrays indexed like ``frame.customer_ids``; a model figure is nan where ``reason`` is not OK."""

    now: datetime
    status: ModelStatus
    store_reason: Reason  # OK, or why no customer has model figures
    model: Model | None
    validation: Validation | None
    orders: npt.NDArray[np.int64]
    purchases: npt.NDArray[np.int64]
    net_fils: npt.NDArray[np.int64]
    average_order_fils: npt.NDArray[np.int64]
    last_purchase_at: npt.NDArray[np.int64]  # seconds; 0 for none
    mean_gap_days: Floats  # nan with fewer than two purchases
    p_alive: Floats
    expected_purchases: Floats  # in the next Settings.expected_days
    lifetime_value_fils: Floats
    reason: npt.NDArray[np.int8]  # Reason
    rfm: npt.NDArray[np.int8]  # (customers, 3): R, F, M; 0 with no purchase
    segment: npt.NDArray[np.int8]  # index into rfm.SEGMENTS; -1 with no purchase
    next_family: Choice
    next_brand: Choice
    families: list[str] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DeclaredPreferences:
    """Customers' declared families and brands, one entry per item (customer index, name)."""

    family_customer: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))
    families: tuple[str, ...] = ()
    brand_customer: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))
    brands: tuple[str, ...] = ()


def months_before(at: datetime, months: int) -> datetime:
    """The same Dubai wall-clock time ``months`` calendar months earlier, on the month's last day when the day
    does not exist there (31 August → 28 or 29 February)."""
    local = at.astimezone(DUBAI)
    index = local.year * 12 + local.month - 1 - months
    year, month = divmod(index, 12)
    day = min(local.day, calendar.monthrange(year, month + 1)[1])
    return local.replace(year=year, month=month + 1, day=day).astimezone(UTC)


def _through(now: datetime) -> int:
    """The end of the history at ``now``, exclusive, in whole seconds: a sale in ``now``'s own second counts."""
    return int(now.timestamp()) + 1


def _local_days(seconds: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.asarray((seconds + _DUBAI_OFFSET) // DAY, dtype=np.int64)


def summarise(frame: OrdersFrame, start: int | None, end: int) -> Summary:
    """The customers' history in ``[start, end)`` (seconds; ``start`` None: from the beginning)."""
    n = frame.customers
    who = frame.order_customer
    at = frame.order_at
    keep = (who >= 0) & (at < end)
    if start is not None:
        keep &= at >= start
    customer = who[keep].astype(np.int64)
    when = at[keep]
    kind = frame.order_kind[keep]
    sale = kind == SALE
    any_orders = np.bincount(customer, minlength=n).astype(np.int64)
    sale_orders = np.bincount(customer[sale], minlength=n).astype(np.int64)
    net = np.bincount(customer, weights=frame.order_net_fils[keep].astype(np.float64), minlength=n)
    # One sort of (customer, time) for the sales gives each customer's purchase days in order (a day is a
    # whole number of seconds' worth, so days follow times) and their last sale.
    keys = np.sort((customer[sale] << 32) | np.maximum(when[sale] - _EPOCH_OFFSET, 0))
    owner_all = keys >> 32
    day_all = _local_days((keys & 0xFFFFFFFF) + _EPOCH_OFFSET)
    new_day = np.ones(len(keys), bool)
    new_day[1:] = (owner_all[1:] != owner_all[:-1]) | (day_all[1:] != day_all[:-1])
    owner = owner_all[new_day]
    day = day_all[new_day].astype(np.float64)
    purchases = np.bincount(owner, minlength=n).astype(np.int64)
    first_day = np.full(n, np.nan)
    last_day = np.full(n, np.nan)
    # Sorted by customer then day: writing in reverse leaves each customer's first day, in order their last.
    first_day[owner[::-1]] = day[::-1]
    last_day[owner] = day
    last_at = np.zeros(n, np.int64)
    last_at[owner_all] = (keys & 0xFFFFFFFF) + _EPOCH_OFFSET
    now_day = float((end + _DUBAI_OFFSET) / DAY)
    return Summary(
        purchases, first_day, last_day, last_at, np.rint(net).astype(np.int64), sale_orders, any_orders, now_day
    )


def _fit(summary: Summary, settings: Settings, history_start: int | None, end: int) -> tuple[Model | None, Reason]:
    if history_start is None or (end - history_start) < settings.min_history_days * DAY:
        return None, Reason.SHORT_HISTORY
    seen = summary.purchases > 0
    if np.count_nonzero(summary.purchases > 1) < settings.min_repeat_customers:
        return None, Reason.FEW_CUSTOMERS
    x, t_x, T = summary.x[seen], summary.t_x[seen], summary.T[seen]
    purchases = clv.fit_bg_nbd(x, t_x, T)
    if purchases is None:
        return None, Reason.NOT_CONVERGED
    spend = clv.fit_gamma_gamma(summary.purchases[seen].astype(np.float64), summary.mean_spend[seen])
    return Model(purchases, spend), Reason.OK


def _spend(model: Model, summary: Summary) -> Floats:
    if model.spend is None:
        return np.full(len(summary.purchases), np.nan)
    return clv.expected_spend(model.spend, summary.purchases.astype(np.float64), summary.mean_spend)


def _errors(predicted: Floats, actual: Floats) -> ErrorFigures:
    error = predicted - actual
    total = float(np.sum(actual))
    return ErrorFigures(
        mae=float(np.mean(np.abs(error))) if len(error) else 0.0,
        rmse=float(np.sqrt(np.mean(error**2))) if len(error) else 0.0,
        aggregate=float(np.sum(error)) / total if total else 0.0,
    )


def validate(frame: OrdersFrame, now: datetime, settings: Settings = Settings()) -> Validation | None:
    """Fits on all but the last ``holdout_months`` and scores the prediction of those months against the naive
    baseline: each customer's repeat purchases over the time since their first (at least 90 days), continued;
    spend as that times their average spend. None when there is too little history or the fit fails."""
    end = _through(now)
    cutoff_at = months_before(now, settings.holdout_months)
    cutoff = int(cutoff_at.timestamp())
    start = int(frame.order_at.min()) if len(frame.order_at) else None
    if start is None or cutoff - start < settings.min_calibration_days * DAY:
        return None
    calibration = summarise(frame, None, cutoff)
    model, _ = _fit(calibration, settings, start, cutoff)
    if model is None or model.spend is None:
        return None
    holdout = summarise(frame, cutoff, end)
    seen = calibration.purchases > 0
    horizon = (end - cutoff) / DAY
    x, t_x, T = calibration.x[seen], calibration.t_x[seen], calibration.T[seen]
    predicted = clv.expected_purchases(model.purchases, horizon, x, t_x, T)
    spend = _spend(model, calibration)[seen]
    actual = holdout.purchases[seen].astype(np.float64)
    actual_spend = holdout.net_fils[seen].astype(np.float64)
    rate = x / np.maximum(T, 90.0)  # repeat purchases per day since the first: its own average rhythm
    baseline = rate * horizon
    baseline_spend = baseline * calibration.mean_spend[seen]
    if not (np.all(np.isfinite(predicted)) and np.all(np.isfinite(spend))):
        return None
    return Validation(
        cutoff=cutoff_at,
        holdout_days=horizon,
        customers=int(np.count_nonzero(seen)),
        purchases=_errors(predicted, actual),
        purchases_baseline=_errors(baseline, actual),
        spend_fils=_errors(predicted * spend, actual_spend),
        spend_baseline_fils=_errors(baseline_spend, actual_spend),
    )


def compute_customer_analytics(
    frame: OrdersFrame,
    now: datetime,
    *,
    declared: DeclaredPreferences | None = None,
    settings: Settings = Settings(),
    validation: bool = True,
) -> CustomerAnalyticsResult:
    """All of every customer's analytics at ``now`` (see the module's docstring). ``validation=False`` skips the
    held-back fit (the figures are then at most an estimate)."""
    end = _through(now)
    n = frame.customers
    summary = summarise(frame, None, end)
    history_start = int(frame.order_at.min()) if len(frame.order_at) else None
    model, store_reason = _fit(summary, settings, history_start, end)

    reason = np.full(n, store_reason, np.int8)
    reason[summary.purchases == 1] = Reason.ONE_PURCHASE
    reason[(summary.purchases == 0) & (summary.any_orders > 0)] = Reason.RETURNS_ONLY
    reason[summary.any_orders == 0] = Reason.NO_PURCHASES
    modelled = (summary.purchases > 1) & (reason == Reason.OK)

    p_alive = np.full(n, np.nan)
    expected = np.full(n, np.nan)
    value = np.full(n, np.nan)
    status = ModelStatus.NONE
    checked: Validation | None = None
    if model is not None:
        x, t_x, T = summary.x[modelled], summary.t_x[modelled], summary.T[modelled]
        p_alive[modelled] = clv.p_alive(model.purchases, x, t_x, T)
        expected[modelled] = clv.expected_purchases(model.purchases, float(settings.expected_days), x, t_x, T)
        spend = _spend(model, summary)[modelled]
        value[modelled] = clv.lifetime_value(
            model.purchases,
            spend,
            x,
            t_x,
            T,
            months=settings.lifetime_months,
            monthly_discount=settings.monthly_discount,
            period=DAYS_PER_MONTH,
        )
        broken = modelled & ~(np.isfinite(p_alive) & np.isfinite(expected))
        p_alive[broken] = expected[broken] = value[broken] = np.nan
        reason[broken] = Reason.NOT_CONVERGED
        no_value = modelled & ~broken & ~np.isfinite(value)
        reason[no_value] = Reason.NO_SPEND_MODEL
        checked = validate(frame, now, settings) if validation else None
        if checked is None:
            status = ModelStatus.UNVALIDATED
        else:
            status = ModelStatus.PREDICTION if checked.beats_baseline else ModelStatus.ESTIMATE

    gaps = np.where(summary.purchases > 1, summary.t_x / np.maximum(summary.purchases - 1, 1), np.nan)
    rfm, segment = _rfm(summary)
    next_family, next_brand = _next(frame, end, declared or DeclaredPreferences())
    return CustomerAnalyticsResult(
        now=now,
        status=status,
        store_reason=store_reason,
        model=model,
        validation=checked,
        orders=summary.sale_orders,
        purchases=summary.purchases,
        net_fils=summary.net_fils,
        average_order_fils=np.where(
            summary.sale_orders > 0, np.rint(np.maximum(summary.net_fils, 0) / np.maximum(summary.sale_orders, 1)), 0
        ).astype(np.int64),
        last_purchase_at=summary.last_at,
        mean_gap_days=gaps,
        p_alive=p_alive,
        expected_purchases=expected,
        lifetime_value_fils=value,
        reason=reason,
        rfm=rfm,
        segment=segment,
        next_family=next_family,
        next_brand=next_brand,
        families=_codes(frame.families, (declared or DeclaredPreferences()).families)[1],
        brands=_codes(frame.brands, (declared or DeclaredPreferences()).brands)[1],
    )


def _rfm(summary: Summary) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8]]:
    n = len(summary.purchases)
    rfm = np.zeros((n, 3), np.int8)
    segment = np.full(n, -1, np.int8)
    seen = summary.purchases > 0
    if np.any(seen):
        recency = summary.now_day - summary.last_day[seen]
        r = quintile_scores(recency, higher_is_better=False)
        f = quintile_scores(summary.purchases[seen].astype(np.float64))
        m = quintile_scores(summary.net_fils[seen].astype(np.float64))
        rfm[seen] = np.stack([r, f, m], axis=1)
        segment[seen] = segment_codes(r, f, m)
    return rfm, segment


def _codes(vocabulary: list[str], names: tuple[str, ...]) -> tuple[npt.NDArray[np.int32], list[str]]:
    """The declared names as codes into ``vocabulary``, extended with names never bought."""
    index = {name: i for i, name in enumerate(vocabulary)}
    extended = list(vocabulary)
    codes = np.empty(len(names), np.int32)
    for i, name in enumerate(names):  # one per distinct declared name on a hit; the vocabulary is small
        code = index.get(name)
        if code is None:
            code = index[name] = len(extended)
            extended.append(name)
        codes[i] = code
    return codes, extended


def _next(frame: OrdersFrame, end: int, declared: DeclaredPreferences) -> tuple[Choice, Choice]:
    lines = frame.line_order
    customer = frame.order_customer[lines]
    sold = (customer >= 0) & (frame.order_kind[lines] == SALE) & (frame.order_at[lines] < end)
    age = (end - frame.order_at[lines]) / DAY
    choices = []
    for line_code, vocabulary, declared_customer, names in (
        (frame.line_family, frame.families, declared.family_customer, declared.families),
        (frame.line_brand, frame.brands, declared.brand_customer, declared.brands),
    ):
        codes, extended = _codes(vocabulary, names)
        named = np.array([bool(name) for name in extended] or [False], bool)  # "" is "not recorded"
        bought = sold & named[line_code]
        mentioned = named[codes]
        choices.append(
            most_likely(
                frame.customers,
                customer[bought],
                line_code[bought],
                age[bought],
                declared_customer[mentioned],
                codes[mentioned],
                len(extended),
            )
        )
    return choices[0], choices[1]
