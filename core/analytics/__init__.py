"""Analytics: per-customer models (lifetime value, churn, RFM) and the business dashboards' figures.

Everything here works on column arrays (core.analytics.frame), read once from a store, so a recompute of the
chain's history is a few vectorised passes rather than a query per customer.

Per customer, the one entry point is ``core.analytics.customers.compute_customer_analytics(frame, now, *,
declared=None, settings=Settings(), validation=True)``: from an ``OrdersFrame`` (core.analytics.reader
.read_orders_frame, over a till's store or head office's copy of the chain) it returns a ``CustomerAnalyticsResult``
of arrays indexed like ``frame.customer_ids``: purchases, spend, P(alive), expected purchases in 90 days, lifetime
value, RFM scores and segment (core.analytics.rfm), next likely family and brand (core.analytics.next_purchase), a
"not enough data" reason per customer, the fitted models (core.analytics.clv) and the held-back validation that
decides whether the figures are called a prediction. ``CustomerAnalyticsService.recompute`` (core.analytics.service)
reads a store, computes and writes the changed rows of ``customer_analytics``; ``core.analytics.synthetic.history``
makes a seeded history for tests and benchmarks."""
