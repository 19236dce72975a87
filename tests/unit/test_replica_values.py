"""Values a pulled change is stored with are the values the app itself stores."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite

from core.kernel.hlc import Timestamp
from core.kernel.replication import newest, stamp
from storage.replica import _stored_datetime, _stored_json
from storage.schema.base import UTCDateTime

DIALECT = sqlite.dialect()
AS_SQLALCHEMY_STORES = UTCDateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))


@given(moments, st.integers(-14 * 60, 14 * 60))
def test_a_wire_datetime_is_stored_as_sqlalchemy_stores_it(moment: datetime, offset_min: int) -> None:
    assert AS_SQLALCHEMY_STORES is not None
    expected = AS_SQLALCHEMY_STORES(moment)
    assert _stored_datetime(moment.isoformat()) == expected  # the short cut: UTC with microseconds
    local = moment.astimezone(timezone(timedelta(minutes=offset_min)))
    assert _stored_datetime(local.isoformat()) == expected  # any other offset, parsed
    assert _stored_datetime(moment) == expected
    assert _stored_datetime(moment.replace(microsecond=0).isoformat()) == AS_SQLALCHEMY_STORES(
        moment.replace(microsecond=0)
    )


@given(st.dictionaries(st.text(), st.one_of(st.none(), st.booleans(), st.integers(-(2**62), 2**62), st.text())))
def test_stored_json_is_the_text_sqlalchemy_stores(value: dict[str, object]) -> None:
    from sqlalchemy import JSON

    process = JSON().dialect_impl(DIALECT).bind_processor(DIALECT)
    assert process is not None
    assert _stored_json(value) == process(value)
    assert json.loads(_stored_json(value)) == value


stamps = st.builds(
    Timestamp, st.integers(0, 10**14), st.integers(0, 99_999), st.sampled_from(["t-a", "t-b", "headoffice"])
)


@given(st.lists(st.tuples(stamps, st.sampled_from(["DXB1", "AUH1"])), max_size=30))
def test_newest_is_the_greatest_stamp(items: list[tuple[Timestamp, str]]) -> None:
    texts = [stamp(ts.encode(), branch) for ts, branch in items]
    top = newest(texts)
    if not items:
        assert top is None
    else:
        assert top is not None and Timestamp.decode(top) == max(ts for ts, _ in items)
