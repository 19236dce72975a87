"""Who executes campaigns: a standalone store does; a branch of a chain never does, even while its credentials
are missing; head office's campaign node does. The campaign-node command refuses a store that is not the node."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.kernel.replication import CAMPAIGN_NODE
from main import executes_campaigns
from storage.db import Store, open_store
from storage.replica import join_chain

ROOT = Path(__file__).resolve().parents[2]


def _main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_a_branch_never_executes_and_the_node_does(store: Store, tmp_path: Path) -> None:
    assert executes_campaigns(store), "a standalone store executes its own campaigns"
    join_chain(store, store.branch_id, "http://127.0.0.1:9", [])
    assert not executes_campaigns(store), "a branch of a chain, though it holds no secret"
    path = store.path
    store.close()
    for command in (["campaigns", "--once"], ["campaign-node", "--once"]):
        done = _main("--db", str(path), *command)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert ("head office executes" if command[0] == "campaigns" else "not head office's campaign node") in (
            done.stderr
        )

    node = open_store(tmp_path / "node.sqlite")
    try:
        assert executes_campaigns(node)
        join_chain(node, CAMPAIGN_NODE, "http://127.0.0.1:9", [{"id": CAMPAIGN_NODE, "code": "HO"}])
        assert executes_campaigns(node)
    finally:
        node.close()
    fresh = _main("--db", str(tmp_path / "fresh.sqlite"), "campaign-node", "--once")
    assert fresh.returncode == 2 and "--headoffice URL --code CODE" in fresh.stderr
