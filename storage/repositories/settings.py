"""This store's own key/value settings (``store_settings``): local to the till, never replicated."""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage import direct
from storage.schema import StoreSetting

_SETTING_SQL = "SELECT value FROM store_settings WHERE key = :k"


class SqlSettingsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def setting(self, key: str) -> str | None:
        value = direct.scalar(self._session, _SETTING_SQL, {"k": key})
        return None if value is None else str(value)

    def save_setting(self, key: str, value: str) -> None:
        row = self._session.get(StoreSetting, key)
        if row is None:
            self._session.add(StoreSetting(key=key, value=value))
        else:
            row.value = value
