"""The head-office protocol: what a branch and head office say to each other, and how a request is signed.

Push: the branch sends its change log in ``branch_seq`` order, in batches, each with an ``Idempotency-Key``.
Head office applies a batch in one transaction, ignores event ids it already has, holds back a batch that
would leave a gap, and answers the highest ``branch_seq`` it holds. The same key with another body is refused
(409) and nothing is applied.

Pull: head office stamps every accepted change with a global ``change_seq``; a branch asks for what follows
its cursor and saves the new cursor in the same local transaction as the rows. A cursor older than what head
office keeps is answered with ``resync_required``: the branch then pages through ``/snapshot``. A head office
restored from an older backup is found out by what a branch already holds: the pull tells head office the
branch's acknowledged mark (``pushed``) and the event it saw at its cursor (``at``), and answers with its own
mark for the branch (``acked_seq``), the event at the new cursor (``next_event``) and its store ``epoch``. The
branch re-sends whatever head office no longer acknowledges; head office takes a new epoch when a branch holds
more than it does, and every branch that sees a new epoch resyncs (DESIGN.md fault 17).

Branches and staff accounts are head office's decisions: it serves them as its own changes (origin
``headoffice``) and refuses them in a branch's push.

Every request but enrolment is signed (``SIGNING`` below says how), with a timestamp and a nonce: a captured
request cannot be replayed later, as with the providers' webhooks and AWS SigV4. A branch whose clock is wrong
still syncs: told its timestamp is stale, its client signs again with head office's clock, given in the answer.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import msgspec
import orjson
from pydantic import AfterValidator, BaseModel, Field

API_VERSION = "1"
BRANCH_HEADER = "X-Branch-Id"
SIGNATURE_HEADER = "X-Signature"
TIMESTAMP_HEADER = "X-Timestamp"
NONCE_HEADER = "X-Nonce"
DIGEST_HEADER = "X-Content-SHA256"
IDEMPOTENCY_HEADER = "Idempotency-Key"
AUTH_PROBLEM_HEADER = "X-Auth-Problem"  # on a 401: "stale" (re-sign with head office's clock) or "replayed"
SERVER_TIME_HEADER = "X-Server-Time"  # on a stale refusal: head office's clock, whole seconds since 1970
MAX_BATCH = 5000
MAX_INT = 2**63 - 1  # what an SQL integer column holds (SQLite's and PostgreSQL's bigint)
MAX_DEPTH = 32  # nesting of a push body: the envelope is 3 deep, a row's payload is flat
NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")
DIGEST = re.compile(r"[0-9a-f]{64}")

SIGNING = f"""Every request but enrolment carries five headers:

- `{BRANCH_HEADER}`: the branch id given at enrolment;
- `{TIMESTAMP_HEADER}`: the time of signing, whole seconds since 1970-01-01 UTC;
- `{NONCE_HEADER}`: 16 to 64 characters of `[A-Za-z0-9_-]`, new for every request (a random 128-bit value);
- `{DIGEST_HEADER}`: the lowercase hex SHA-256 of the body (of no bytes for a GET);
- `{SIGNATURE_HEADER}`: the lowercase hex HMAC-SHA256, keyed by the branch secret, of
  `METHOD + "\\n" + path?query + "\\n" + timestamp + "\\n" + nonce + "\\n" + body digest`, the path and query
  exactly as sent on the wire.

Head office checks all of it from the headers before it reads a byte of the body, then reads the body (up to
its configured size: 413 past it) and refuses one whose SHA-256 is not the declared one. A timestamp more than
a few minutes (300 s by default) from head office's clock is refused with 401 and `{AUTH_PROBLEM_HEADER}: stale`;
its `{SERVER_TIME_HEADER}` header is head office's clock (whole seconds), to sign with. A nonce is remembered
for as long as its timestamp is acceptable: the same request sent again is refused with 401 and
`{AUTH_PROBLEM_HEADER}: replayed` (a branch then sends it again as a new request: every request is
idempotent). Requests are rate-limited per branch and per address: 429 with `Retry-After` in seconds."""


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def signature(secret: str, method: str, path_and_query: str, timestamp: str, nonce: str, digest: str) -> str:
    """The request's signature (``SIGNING``); ``digest`` is the body's (``body_digest``), sent beside it."""
    message = f"{method.upper()}\n{path_and_query}\n{timestamp}\n{nonce}\n{digest}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class Unacceptable(msgspec.ValidationError):
    """A push refused before anything reads its rows: bytes that are not UTF-8, nesting deeper than
    ``MAX_DEPTH``, or a number that no SQL integer column holds."""


class Change(msgspec.Struct):
    """One change-log row of a branch, as written by its unit of work."""

    # ``payload`` (the row's JSON object) stays the bytes that came in: head office stores them as they are.

    branch_seq: Annotated[int, msgspec.Meta(ge=1, le=MAX_INT)]
    event_id: str
    branch_id: str
    entity: str
    row_id: str
    op: Literal["insert", "update"]
    payload: Annotated[msgspec.Raw, msgspec.Meta(extra_json_schema={"type": "object", "additionalProperties": True})]
    hlc: str
    created_at: str
    staff_id: str | None = None


class PushBatch(msgspec.Struct):
    """A batch of one branch's changes, in branch_seq order."""

    # Decoded by msgspec, not pydantic: a batch holds thousands of changes, and pydantic built every payload's
    # objects only for head office to write them back out as text.

    branch_id: str
    changes: Annotated[list[Change], msgspec.Meta(max_length=MAX_BATCH)]


_PUSH = msgspec.json.Decoder(PushBatch)
_HELD = msgspec.json.Decoder(list[Change])


def decode_push(body: bytes) -> PushBatch:
    """The push body, checked against the schema; raises ``msgspec.ValidationError`` (or ``DecodeError``
    for text that is not JSON) naming the field, as ``at `$.changes[3].hlc```."""
    try:
        batch = _PUSH.decode(body)
    except UnicodeDecodeError as exc:
        raise Unacceptable(f"the body is not UTF-8 (byte {exc.start} of a string)") from exc
    except RecursionError as exc:
        raise Unacceptable(f"the body nests deeper than {MAX_DEPTH} levels") from exc
    _objects(batch.changes, "$.changes")
    return batch


def decode_changes(text: bytes | str) -> list[Change]:
    """Changes as ``encode_changes`` wrote them (a batch kept aside until the one before it arrives)."""
    changes = _HELD.decode(text)
    _objects(changes, "$")
    return changes


def encode_changes(changes: list[Change]) -> str:
    return msgspec.json.encode(changes).decode()


def _objects(changes: list[Change], where: str) -> None:
    """Each payload is a JSON object that head office can store, read and write back out: UTF-8 (msgspec
    keeps a payload as raw bytes, unchecked), at most ``MAX_DEPTH`` deep (orjson writes no more than 255
    levels), its numbers within what an SQL integer holds. Costs about as much as decoding the batch."""
    for i, change in enumerate(changes):
        raw = bytes(change.payload)
        if raw[:1] != b"{":
            raise msgspec.ValidationError(f"Expected `object` - at `{where}[{i}].payload`")
        try:
            row = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:  # not UTF-8, or past orjson's own depth limit
            raise Unacceptable(f"{exc} - at `{where}[{i}].payload`") from exc
        problem = _unstorable(row)
        if problem:
            raise Unacceptable(f"{problem} - at `{where}[{i}].payload`")


def _unstorable(row: dict[str, Any]) -> str | None:
    stack: list[tuple[Any, int]] = [(row, 2)]  # the envelope's own levels come first: $.changes[i].payload
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH - 1:
            return f"nested deeper than {MAX_DEPTH} levels"
        for value in node.values() if type(node) is dict else node:
            kind = type(value)
            if kind is int or kind is float:
                if not abs(value) <= MAX_INT:  # also NaN and infinity
                    return f"the number {value} is out of range (at most {MAX_INT} in size)"
            elif kind is dict or kind is list:
                stack.append((value, depth + 1))
    return None


class PushResult(BaseModel):
    acked_seq: int  # every branch_seq up to this one is held by head office
    applied: int  # changes applied by this request (0 for a duplicate)
    held: bool = False  # the batch leaves a gap: kept aside until the missing changes arrive
    restamped: dict[str, str] = {}  # event_id → the stamp head office gave a field write from the future
    server_time: datetime


class PulledChange(BaseModel):
    change_seq: int
    branch_seq: int
    event_id: str
    branch_id: str  # where the change was made ("headoffice" for head office's own decisions)
    entity: str
    row_id: str
    op: Literal["insert", "update"]
    payload: dict[str, Any]
    hlc: str
    created_at: str


def _in_utc(moment: datetime) -> datetime:
    """A moment that can be stored in UTC (``0001-01-01T00:00+23:59`` cannot: it falls before year 1)."""
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise ValueError("a moment that cannot be expressed in UTC") from exc


class Allowance(BaseModel):
    kind: Literal["gift_card", "points"]
    per_subject_cap: int = Field(ge=0, le=MAX_INT)
    branch_total: int = Field(ge=0, le=MAX_INT)
    max_offline_hours: float = Field(ge=0, le=24 * 366)
    max_snapshot_age_hours: float = Field(ge=0, le=24 * 366)
    granted_at: Annotated[datetime, AfterValidator(_in_utc)]


class ExceptionRecord(BaseModel):
    id: int
    kind: str  # gift_card | points (an overspend) | clock (a stamp from the future, corrected)
    subject_id: str
    branch_id: str
    event_id: str
    amount: int
    balance_after: int
    detected_at: datetime
    detail: str = ""


class PullPage(BaseModel):
    changes: list[PulledChange]
    next: int  # the cursor to save with these rows
    head: int  # the newest change_seq head office had when it answered
    more: bool
    resync_required: bool = False
    kept_from: int  # the oldest change_seq head office still keeps
    # How a branch finds that head office forgot what it had (restored from a backup): the highest branch_seq of
    # the asking branch it holds (a branch holding more acknowledged re-sends the rest), the event id at ``next``
    # (sent back as ``at`` with the next pull: another event there means the cursor points into a different
    # history) and its store's epoch, which changes whenever any branch shows it forgot something: a branch that
    # saw another epoch resyncs in full, since its cursor may be past rows it never received.
    acked_seq: int | None = None
    next_event: str | None = None
    epoch: int | None = None
    allowances: list[Allowance] = []
    exceptions: list[ExceptionRecord] = []
    exceptions_next: int = 0
    server_time: datetime


class SnapshotRow(BaseModel):
    entity: str
    row_id: str
    branch_id: str
    data: dict[str, Any]
    field_hlc: dict[str, str] = {}


class SnapshotPage(BaseModel):
    as_of: int  # pull from here once the snapshot is applied
    rows: list[SnapshotRow]
    after: str | None  # the position to ask for next; None when the snapshot is complete


class EnrollRequest(BaseModel):
    code: str
    branch_id: str | None = None  # a standalone store joining the chain keeps the id it already has
    terminal_id: str = ""


class BranchRecord(BaseModel):
    id: str
    code: str
    name_en: str
    name_ar: str
    emirate: str = ""
    location: str = ""


class StaffAccount(BaseModel):
    """A staff account as head office decides it and every till pulls it: the PIN only as its argon2 hash."""

    id: str = Field(min_length=1, max_length=36)
    branch_id: str = Field(min_length=1, max_length=36)
    username: str = Field(min_length=1, max_length=40)
    name_en: str = Field(max_length=80)
    name_ar: str = Field(max_length=80)
    role: Literal["cashier", "personal_shopper", "manager", "admin"]
    pin_hash: str = Field(pattern=r"^\$argon2(id|i|d)\$", max_length=200)
    active: bool = True


class EnrollResult(BaseModel):
    branch_id: str
    secret: str
    branches: list[BranchRecord] = []


class AuthorizeRequest(BaseModel):
    kind: Literal["gift_card", "points"]
    subject_id: str
    amount: int = Field(gt=0, le=MAX_INT)
    hold_id: str


class AuthorizeResult(BaseModel):
    approved: bool
    balance: int
    known: bool = True


class ReleaseRequest(BaseModel):
    """Holds a branch took for a use case that then rolled back: its event will never come."""

    hold_ids: list[str] = Field(min_length=1, max_length=100)


class ReleaseResult(BaseModel):
    released: int


class EnrollmentCodeRequest(BaseModel):
    branch_id: str | None = None
    code: str | None = None
    branch: BranchRecord | None = None


class EnrollmentCode(BaseModel):
    code: str
    branch_id: str | None = None


class AllowanceUpdate(BaseModel):
    allowances: list[Allowance]


class Health(BaseModel):
    status: str
    server_time: datetime
    api_version: str = API_VERSION


class Problem(BaseModel):
    detail: str
