"""Writes head office's OpenAPI document to sync/openapi.json (``python -m sync.headoffice.openapi_doc``);
a test keeps the file equal to what the running app serves."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

DOCUMENT = Path(__file__).resolve().parents[1] / "openapi.json"


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    from sync.headoffice.app import create_app
    from sync.headoffice.store import HeadOfficeStore

    with tempfile.TemporaryDirectory() as scratch:
        store = HeadOfficeStore(f"sqlite:///{scratch}/ho.sqlite")
        DOCUMENT.write_text(render(create_app(store).openapi()), encoding="utf-8")
        store.close()
    print(DOCUMENT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
