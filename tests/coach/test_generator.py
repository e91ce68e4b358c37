"""Block by block over a season: what the model writes, what the library keeps, and the
week's rules kept whatever the model says."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from contextlib import closing

from tests.coach.conftest import GRID, MONDAY, as_reply, config_for, draft
from tests.coach.ollama_server import HANG, Reply, Script, serve
from wattz.awp.validate import validate_workout
from wattz.coach.client import OllamaClient
from wattz.coach.fences import WEEK_TSS_TOLERANCE, week_miss
from wattz.coach.generator import Generation, SeasonDraft, generate, model_blocks
from wattz.coach.proposal import Verdict
from wattz.plan import library
from wattz.plan.domain import Role, Source

TODAY = dt.date(2026, 11, 25)


def run(
    script: Script, season: SeasonDraft, today: dt.date = TODAY, timeout_s: float = 2.0
) -> Generation:
    with (
        serve(script) as url,
        closing(OllamaClient(config_for(url, timeout_s=timeout_s))) as client,
    ):
        return generate(season, client, today)


def good_for(season: SeasonDraft) -> str:
    """A document that fits every key day of the test week (the Tuesday sweet spot hour)."""
    return as_reply(season.sessions[0].workout)


def keys(generation: Generation) -> list[object]:
    return [s for s in generation.sessions if s.role is Role.KEY]


def assert_weeks_keep_their_rules(season: SeasonDraft, generation: Generation) -> None:
    for block in season.blocks:
        for week in block.weeks:
            end = week.start + dt.timedelta(days=7)
            placed = [s for s in generation.sessions if week.start <= s.date < end]
            assert week_miss(placed, week.tss_target) <= WEEK_TSS_TOLERANCE + 1e-9
            for session in placed:
                assert session.duration_s <= GRID.slot_on(session.date).minutes * 60
                assert not validate_workout(session.workout)


def test_valid_workouts_are_the_models() -> None:
    season = draft()
    generation = run(Script(codify=[good_for(season)]), season)
    assert [o.verdict for o in generation.outcomes] == [Verdict.FIRST, Verdict.FIRST]
    assert all(s.source is Source.LLM for s in keys(generation))
    assert all(s.library_id == "" for s in keys(generation))
    easy = [s for s in generation.sessions if s.role is not Role.KEY]
    assert all(s.source is Source.BUILTIN for s in easy)
    assert generation.calls == 4 and generation.accepted == 2
    assert generation.blocks == (1,)
    assert_weeks_keep_their_rules(season, generation)
    assert "wrote 2 of 2 key workouts (2 first time" in generation.summary


def test_after_three_replaced_in_a_row_the_model_is_not_asked_again() -> None:
    season = draft(weeks=2)
    script = Script(codify=["not a workout"])
    generation = run(script, season)
    assert [o.verdict for o in generation.outcomes] == [Verdict.REPLACED] * 3
    assert generation.not_asked == 1
    assert generation.calls == 3 * 5
    assert len(script.chat_requests) == 15
    assert generation.stopped is not None and "3 workouts in a row" in generation.stopped
    replaced = [s for s in generation.sessions if s.replaced_reason]
    assert len(replaced) == 3
    for session in replaced:
        assert session.source is Source.BUILTIN and session.library_id
        assert session.replaced_reason is not None
        assert session.replaced_reason.startswith("the model's workout never passed (4 attempts)")
        assert "not valid JSON" in session.replaced_reason
    assert_weeks_keep_their_rules(season, generation)


def test_a_success_resets_the_count_of_replaced_in_a_row() -> None:
    season = draft(weeks=3)
    bad = ["oops"] * 4
    good = [good_for(season)]
    # Tue bad, Thu bad, Tue (week 2) good, then bad until the end of the run
    script = Script(codify=bad + bad + good + bad * 4)
    generation = run(script, season)
    verdicts = [o.verdict for o in generation.outcomes]
    assert verdicts[:3] == [Verdict.REPLACED, Verdict.REPLACED, Verdict.FIRST]
    assert verdicts[3:] == [Verdict.REPLACED] * 3
    assert generation.not_asked == 0


def test_the_model_writes_the_current_and_next_block_only() -> None:
    season = draft(weeks=1, blocks=4)
    generation = run(Script(codify=[good_for(season)]), season)
    assert generation.blocks == (1, 2)
    asked = {o.date for o in generation.outcomes}
    assert asked and all(d < MONDAY + dt.timedelta(weeks=2) for d in asked)
    later = [s for s in generation.sessions if s.date >= MONDAY + dt.timedelta(weeks=2)]
    assert later and all(s.source is Source.BUILTIN for s in later)


def test_the_current_block_holds_today_once_the_plan_has_started() -> None:
    season = draft(weeks=1, blocks=4)
    inside_block_2 = MONDAY + dt.timedelta(weeks=1, days=2)
    assert [b.order for b in model_blocks(season.blocks, inside_block_2, season.start)] == [2, 3]
    assert [b.order for b in model_blocks(season.blocks, TODAY, season.start)] == [1, 2]
    generation = run(Script(codify=[good_for(season)]), season, today=inside_block_2)
    assert generation.blocks == (2, 3)
    # the day before today in block 2 is not rewritten
    assert all(o.date >= inside_block_2 for o in generation.outcomes)


def test_a_server_that_hangs_stops_the_run_at_the_time_limit() -> None:
    season = draft(weeks=2)
    started = time.monotonic()
    generation = run(Script(strategy=[HANG]), season, timeout_s=0.5)
    assert time.monotonic() - started < 5
    assert generation.unavailable
    assert generation.stopped is not None and "did not answer within 0.5 s" in generation.stopped
    assert generation.outcomes == () and generation.not_asked == 4
    assert all(s.source is Source.BUILTIN for s in generation.sessions)


def _heavier(season: SeasonDraft, index: int, share: float) -> str:
    """The key day's sweet spot session made 10–15 % heavier than its share."""
    session = season.sessions[index]
    for minutes in range(session.duration_s // 60, 76):
        tss = library.session_metrics("ss-steady", 3, minutes).tss
        if 1.10 * share <= tss <= 1.15 * share:
            return as_reply(library.build("ss-steady", 3, minutes))
    raise AssertionError("no heavier session within the slot")


def test_easy_rides_are_refitted_so_the_week_lands_on_its_target() -> None:
    season = draft()
    tuesday, thursday = season.sessions[0], season.sessions[2]
    script = Script(codify=[_heavier(season, 0, tuesday.tss), _heavier(season, 2, thursday.tss)])
    generation = run(script, season)
    assert generation.accepted == 2
    week = season.blocks[0].weeks[0]
    before = [s for s in season.sessions if s.role is not Role.KEY]
    after = [s for s in generation.sessions if s.role is not Role.KEY]
    assert sum(s.tss for s in after) < sum(s.tss for s in before)
    assert week_miss(list(generation.sessions), week.tss_target) <= 0.05
    assert_weeks_keep_their_rules(season, generation)


def test_when_the_week_cannot_be_balanced_the_model_gives_way() -> None:
    keys_only = draft()
    kept = tuple(s for s in keys_only.sessions if s.role is Role.KEY)
    week = dataclasses.replace(
        keys_only.blocks[0].weeks[0], tss_target=round(sum(s.tss for s in kept))
    )
    block = dataclasses.replace(keys_only.blocks[0], weeks=(week,))
    season = dataclasses.replace(keys_only, sessions=kept, blocks=(block,))
    script = Script(codify=[_heavier(season, 0, kept[0].tss), _heavier(season, 1, kept[1].tss)])
    generation = run(script, season)
    verdicts = sorted(o.verdict for o in generation.outcomes)
    assert verdicts == [Verdict.FIRST, Verdict.REPLACED]
    [replaced] = [o for o in generation.outcomes if o.verdict is Verdict.REPLACED]
    assert replaced.reason is not None
    assert replaced.reason.startswith("the week could not keep its rules with it")
    assert week_miss(list(generation.sessions), week.tss_target) <= WEEK_TSS_TOLERANCE


def test_a_model_too_slow_to_finish_is_replaced_and_not_asked_again() -> None:
    season = draft(weeks=2)
    slow_words = Reply("Warm up, then work, then cool down. " * 4, "stop", pause_s=0.1)
    slow_json = Reply(good_for(season), "stop", pause_s=0.1)
    script = Script(strategy=[slow_words], codify=[slow_json])
    with serve(script) as url:
        config = dataclasses.replace(config_for(url), call_timeout_s=0.3)
        with closing(OllamaClient(config)) as client:
            generation = generate(season, client, TODAY)
    assert not generation.unavailable
    [outcome] = generation.outcomes
    assert outcome.verdict is Verdict.REPLACED
    assert outcome.reason is not None and outcome.reason.startswith("the model was too slow")
    assert generation.stopped is not None and "too slow: 2 calls ran past" in generation.stopped
    assert generation.not_asked == 3 and generation.calls == 2
    assert all(s.source is Source.BUILTIN for s in generation.sessions)


def test_once_the_budget_is_spent_no_workout_is_asked_for() -> None:
    season = draft(weeks=2)
    script = Script(codify=[good_for(season)])
    with (
        serve(script) as url,
        closing(OllamaClient(config_for(url, timeout_s=2.0))) as client,
    ):
        generation = generate(season, client, TODAY, budget_s=0.0)
    assert generation.calls == 0 and not script.chat_requests
    assert generation.not_asked == 4 and not generation.outcomes
    assert generation.stopped is not None and "time budget" in generation.stopped
    assert all(s.source is Source.BUILTIN for s in generation.sessions)


def test_weeks_limit_the_run_to_those_weeks() -> None:
    season = draft(weeks=2)
    second = season.blocks[0].weeks[1].start
    generation = run_weeks(Script(codify=[good_for(season)]), season, frozenset({second}))
    assert generation.outcomes and all(o.date >= second for o in generation.outcomes)
    first_week = [s for s in generation.sessions if s.date < second]
    assert all(s.source is Source.BUILTIN for s in first_week)


def run_weeks(script: Script, season: SeasonDraft, weeks: frozenset[dt.date]) -> Generation:
    with (
        serve(script) as url,
        closing(OllamaClient(config_for(url, timeout_s=2.0))) as client,
    ):
        return generate(season, client, TODAY, weeks=weeks)
