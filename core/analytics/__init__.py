"""Analytics: per-customer models (lifetime value, churn, RFM) and the business dashboards' figures.

Everything here works on column arrays (core.analytics.frame), read once from a store, so a recompute of the
chain's history is a few vectorised passes rather than a query per customer.
"""
