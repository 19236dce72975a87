"""Head office's own tables (SQLAlchemy Core): the same on SQLite (embedded default) and PostgreSQL.

Rows of the branches' entities are kept as JSON text (``ho_rows``): head office merges them by the rules of
core.kernel.replication without having to mirror every branch table, and a new branch table needs no migration here.
JSON is stored as text it serialises once: a ledger event's payload is written, kept and served as the same
bytes. Times are ISO-8601 UTC text, which sorts and reads the same on both engines.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# Single-row counters. ``change_seq`` is locked FOR UPDATE at the start of every writing transaction: that
# serialises writers, so change_seq values commit in order and a "since N" reader can never skip one.
counters = Table(
    "ho_counters",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

branches = Table(
    "ho_branches",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(8), nullable=False, default=""),
    Column("name_en", String(80), nullable=False, default=""),
    Column("name_ar", String(80), nullable=False, default=""),
    Column("emirate", String(20), nullable=False, default=""),
    Column("location", String(120), nullable=False, default=""),
    Column("secret", Text),  # None until enrolled; sealed (sync.headoffice.crypto)
    Column("enrolled_at", String(40)),
    Column("acked_seq", BigInteger, nullable=False, default=0),
    Column("last_seen_at", String(40)),
)

enrollment_codes = Table(
    "ho_enrollment_codes",
    metadata,
    Column("code", String(64), primary_key=True),  # the code's SHA-256 (sync.headoffice.crypto.hash_code)
    Column("branch_id", String(36)),
    Column("created_at", String(40), nullable=False),
    Column("used_at", String(40)),
    Column("used_by", String(36)),
)

changes = Table(
    "ho_changes",
    metadata,
    Column("change_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("origin", String(36), nullable=False),
    Column("branch_seq", BigInteger, nullable=False),
    Column("entity", String(40), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("op", String(8), nullable=False),
    Column("payload", Text, nullable=False),  # JSON
    Column("hlc", String(80), nullable=False),
    Column("orig_hlc", String(80)),  # set when head office corrected a stamp from the future
    Column("staff_id", String(36)),
    Column("created_at", String(40), nullable=False),
    Column("received_at", String(40), nullable=False),
    UniqueConstraint("origin", "branch_seq", name="uq_ho_changes_origin_seq"),
    # A ledger row is written once in the chain, but for an effect keyed by its cause (an upgrade bonus, an
    # expiry) that two branches may both post: a pushed ledger row is looked up by its id here
    # (sync.headoffice.integrity), and a repeat of a keyed effect moves no balance twice (apply).
    Index("ix_ho_changes_row", "entity", "row_id"),
)

# The merged register rows (customers, cards, accounts...). Ledger rows are not copied here: each is its one
# insert change in ho_changes, which pruning keeps (see HeadOfficeStore.prune).
rows = Table(
    "ho_rows",
    metadata,
    Column("entity", String(40), primary_key=True),
    Column("row_id", String(36), primary_key=True),
    Column("branch_id", String(36), nullable=False),
    Column("data", Text, nullable=False),  # JSON: the merged fields
    Column("field_hlc", Text, nullable=False),  # JSON: {field: "<hlc>|<branch>"}
    Column("change_seq", BigInteger, nullable=False),
)

# Each customer's mobile and email as the providers' webhooks name them (sync.headoffice.contacts): an inbound
# reply or an opt-out finds its customers by equality here, not by a scan of the customers' JSON rows. Kept
# with ho_rows, in the same transaction, wherever a customer row is merged.
contacts = Table(
    "ho_contacts",
    metadata,
    Column("address", String(200), primary_key=True),  # "mobile:+9715…" or "email:…"
    Column("customer_id", String(36), primary_key=True),
    Index("ix_ho_contacts_customer", "customer_id"),
)

# Customers whose erasure head office approved (sync.headoffice.erasure): a pushed change about one of them loses
# its identifying fields before it is stored, so a stale branch cannot bring them back.
erased = Table(
    "ho_erased",
    metadata,
    Column("customer_id", String(36), primary_key=True),
    Column("erased_at", String(40), nullable=False),
)

balances = Table(
    "ho_balances",
    metadata,
    Column("kind", String(12), primary_key=True),
    Column("subject_id", String(36), primary_key=True),
    Column("balance", BigInteger, nullable=False),
    Column("earned", BigInteger, nullable=False, default=0),  # points that count for the tier
)

holds = Table(
    "ho_holds",
    metadata,
    Column("hold_id", String(36), primary_key=True),
    Column("kind", String(12), nullable=False),
    Column("subject_id", String(36), nullable=False),
    Column("branch_id", String(36), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("expires_at", String(40), nullable=False),
    Index("ix_ho_holds_subject", "kind", "subject_id"),
)

# Limits that cannot be keyed by their cause (DESIGN.md): per gift card, refunds against redemptions
# (``refund``: allowed = fils redeemed, used = fils refunded); per line of a sale, returns against what was sold
# (``return``: subject "<sale id>|<line key>", allowed = quantity sold, used = quantity returned), summed over
# every branch's ledger. Going over is an exception, never a refusal: the money or goods have left.
limits = Table(
    "ho_limits",
    metadata,
    Column("kind", String(12), primary_key=True),
    Column("subject_id", String(200), primary_key=True),
    Column("allowed", BigInteger, nullable=False, default=0),
    Column("used", BigInteger, nullable=False, default=0),
)

exceptions = Table(
    "ho_exceptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(12), nullable=False),
    Column("subject_id", String(36), nullable=False),
    Column("branch_id", String(36), nullable=False),
    Column("event_id", String(36), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("balance_after", BigInteger, nullable=False),
    Column("detected_at", String(40), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Index("ix_ho_exceptions_branch", "branch_id", "id"),
)

allowances = Table(
    "ho_allowances",
    metadata,
    Column("branch_id", String(36), primary_key=True),
    Column("kind", String(12), primary_key=True),
    Column("per_subject_cap", BigInteger, nullable=False),
    Column("branch_total", BigInteger, nullable=False),
    Column("max_offline_hours", Float, nullable=False),
    Column("max_snapshot_age_hours", Float, nullable=False),
    Column("granted_at", String(40), nullable=False),
)

idempotency = Table(
    "ho_idempotency",
    metadata,
    Column("branch_id", String(36), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("body_hash", String(64), nullable=False),
    Column("created_at", String(40), nullable=False),
)

held_batches = Table(
    "ho_held_batches",
    metadata,
    Column("branch_id", String(36), primary_key=True),
    Column("first_seq", BigInteger, primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
    Column("changes", Text, nullable=False),  # JSON list of the held changes
)

# Pushes refused for what they carried (sync.headoffice.integrity): which branch, the answer, and why.
refusals = Table(
    "ho_refusals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("branch_id", String(36), nullable=False),
    Column("status", Integer, nullable=False),
    Column("detail", Text, nullable=False),
    Column("refused_at", String(40), nullable=False),
    Index("ix_ho_refusals_branch", "branch_id", "id"),
)

# Campaign recipients' short links (sync.headoffice.links): a token the campaign node drew for one recipient,
# taken in when its ledger row (campaign_executions.link_token) is pushed; looked up by the token alone.
links = Table(
    "ho_links",
    metadata,
    Column("token", String(32), primary_key=True),
    Column("execution_id", String(36), nullable=False),
    Column("campaign_id", String(36), nullable=False),
    Column("message_id", String(36), nullable=False),
    Column("branch_id", String(36), nullable=False),
    Column("first_clicked_at", String(40)),
    Column("clicks", BigInteger, nullable=False, default=0),
)

# Survey invitations' codes (sync.headoffice.surveys): a branch's invitation, taken in when its row is pushed,
# so that ``GET /s/<code>`` finds it with a single look-up by the code alone.
survey_tokens = Table(
    "ho_survey_tokens",
    metadata,
    Column("token", String(16), primary_key=True),
    Column("invitation_id", String(36), nullable=False),
    Column("branch_id", String(36), nullable=False),
)

# The chain's dashboards' figures (sync.headoffice.analytics): one JSON document per dashboard, period, branch
# ("" for the chain) and segment ("" for all), replaced whole by each recompute and pulled by the branches.
analytics_figures = Table(
    "ho_analytics_figures",
    metadata,
    Column("dashboard", String(20), primary_key=True),
    Column("period", String(8), primary_key=True),
    Column("branch_id", String(36), primary_key=True),
    Column("segment", String(12), primary_key=True),
    Column("computed_at", String(40), nullable=False),
    Column("payload", Text, nullable=False),
)
