"""`make bench`'s profile of one new Compare selection (issue 20: the server's work by stage,
before and now) runs on the bundled data and keeps its before column."""

from __future__ import annotations

from benchmarks import profiles


def test_a_new_selection_is_timed_stage_by_stage_beside_the_before(bundled_db_template):
    rows = profiles.interaction_stages(3, db=bundled_db_template)
    stages = [row[0].split(":")[0] for row in rows]
    # the CSV is made at the click (a deferred download): timed, after the sum, not in it
    assert stages == ["reading and filtering", "figure building", "sentences",
                      "serialisation", "all the stages above", "CSV bytes"]
    assert "not in the sum" in rows[-1][0]
    for stage, before_median, before_p95, median, p95 in rows:
        assert (before_median, before_p95) == profiles.INTERACTION_BEFORE[stage.split(":")[0]]
        assert 0 < median <= p95, stage
    # the whole is each selection's stages added up: never less than its largest stage
    assert rows[4][3] >= max(row[3] for row in rows[:4]) > 0
