"""evidence/record.py: the one typed reading of an evidence record, lenient with old,
newer and damaged bodies."""

from __future__ import annotations

from pathlib import Path

from optout_bot.evidence.record import FlowRef, Record, Shot
from optout_bot.evidence.store import EvidenceStore
from tests.test_store import fake_run


def test_a_finished_body_reads_back_field_for_field(tmp_path: Path):
    """A body the store just finished reads as a Record whose to_json() is that body."""
    with EvidenceStore(tmp_path / "evidence.sqlite3") as store:
        body = fake_run(store, tmp_path / "evidence", mode="run", before="on")
        [record] = store.read()
    assert record.to_json() == body
    assert (record.seq, record.status, record.exit_code) == (1, "ok", 0)
    flow = FlowRef("linkedin-ai-training", "1", "ab" * 32, "/flows/linkedin-ai-training.yaml")
    assert record.flow == flow
    assert record.started is not None and record.ended is not None
    assert record.ref == {"seq": 1, "id": body["id"], "hash": body["hash"]}


def test_unknown_keys_are_kept_and_missing_ones_read_as_defaults():
    """An older body (no site) or a newer one (an extra key) loads; nothing is lost."""
    record = Record.from_json({"flow": {"id": "x"}, "status": "ok", "new_key": [1, 2]})
    assert record.site == "" and record.setting == "" and record.state_after == "unknown"
    assert record.extra == {"new_key": [1, 2]}
    assert record.to_json()["new_key"] == [1, 2]


def test_damaged_values_read_as_defaults_never_raise():
    """Wrong types anywhere (a flow id as a string, junk screenshots, a bool seq): defaults."""
    record = Record.from_json(
        {
            "flow": "bare-id",
            "seq": True,
            "changed": "yes",
            "persisted": "no",
            "exit_code": "3",
            "switch": [1],
            "screenshots": ["/a.png", 7, {"name": "b.png", "path": "b.png", "sha256": "ff"}],
        }
    )
    assert record.flow.id == "bare-id" and record.seq is None
    assert record.changed is False and record.persisted is None and record.exit_code is None
    assert record.switch is None
    assert record.screenshots == (
        Shot("", "/a.png", described=False),
        Shot("", "", described=False),
        Shot("b.png", "b.png", "ff"),
    )
    assert Record.from_json("not an object") == Record.from_json({})
    assert Record.from_json({}).status == "unknown"
