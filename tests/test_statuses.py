"""The one status table: every status says its exit code, verdict, label, tone and whether
it alerts in exactly one place."""

from __future__ import annotations

from optout_bot.engine.outcome import EXIT_CODES, STATUS_TABLE, Status


def test_every_status_has_one_row():
    """No status is missing from the table, and the table names no other."""
    assert set(STATUS_TABLE) == set(Status)


def test_verdicts_and_labels_tell_statuses_apart():
    """Each status has its own verdict (the CLI's first word) and its own label (the report)."""
    assert len({s.verdict for s in Status}) == len(Status)
    assert len({s.label for s in Status}) == len(Status)


def test_only_good_news_and_the_members_own_no_stay_quiet():
    """A scheduled check alerts on everything but OK and a declined change."""
    assert {s for s in Status if not s.alerts} == {Status.OK, Status.DECLINED}


def test_a_stored_status_is_read_back_or_recognised_as_unknown():
    """Records name statuses as strings; one from a newer version is not guessed at."""
    assert Status.of("drift") is Status.DRIFT
    assert Status.of("flipped_by_aliens") is None
    assert Status.of(None) is None


def test_every_exit_code_is_documented():
    """Each status's exit code has its meaning in the one table `--help` prints."""
    assert {s.exit_code for s in Status} == set(EXIT_CODES)
