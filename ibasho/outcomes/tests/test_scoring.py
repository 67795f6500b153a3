"""Scoring against the published rules of each shipped instrument (no database)."""

import copy
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ibasho.outcomes import scoring
from ibasho.outcomes.scoring import AnswerError, DefinitionError, parse_definition, score

DEFS = scoring.builtin_definitions()


def answers_for_total(definition, total):
    """Answers whose scored total is ``total``: fill item contributions lowest first."""
    contributions = [item.low for item in definition.items]
    remaining = total - definition.min_total
    for index, item in enumerate(definition.items):
        step = min(item.high - item.low, remaining)
        contributions[index] += step
        remaining -= step
    assert remaining == 0
    # A reverse item contributes low + high - raw, so invert to get the raw answer.
    return [item.scored(c) for item, c in zip(definition.items, contributions, strict=True)]


def test_the_five_instruments_ship():
    assert set(DEFS) == {"k6", "ucla3", "lsns6", "phq9", "hq25"}


@pytest.mark.parametrize(
    ("code", "items", "low", "high"),
    [
        ("k6", 6, 0, 24),
        ("ucla3", 3, 3, 9),
        ("lsns6", 6, 0, 30),
        ("phq9", 9, 0, 27),
        ("hq25", 25, 0, 100),
    ],
)
def test_item_count_and_total_range(code, items, low, high):
    definition = DEFS[code]
    assert len(definition.items) == items
    assert (definition.min_total, definition.max_total) == (low, high)


@pytest.mark.parametrize(
    ("answer", "total"),
    [(0, 24), (4, 76), (2, 50), (1, 37), (3, 63)],
)
def test_hq25_uniform_answers(answer, total):
    assert score(DEFS["hq25"], [answer] * 25).total == total


def test_hq25_reverse_items_are_the_published_set():
    reversed_items = {item.number for item in DEFS["hq25"].items if item.reverse}
    assert reversed_items == {4, 7, 10, 15, 21, 25}


def test_hq25_a_single_reverse_item_counts_from_the_other_end():
    answers = [0] * 25
    answers[3] = 4  # item 4 is reversed: 4 scores 0 rather than 4
    assert score(DEFS["hq25"], answers).total == 20


@pytest.mark.parametrize(
    ("code", "band_set", "total", "band"),
    [
        ("k6", None, 0, "below_cutoff"),
        ("k6", None, 4, "below_cutoff"),
        ("k6", None, 5, "distress"),
        ("k6", None, 12, "distress"),
        ("k6", None, 13, "serious_distress"),
        ("k6", None, 24, "serious_distress"),
        ("k6", "national_survey_bins", 9, "5_9"),
        ("k6", "national_survey_bins", 10, "10_14"),
        ("k6", "national_survey_bins", 15, "15_plus"),
        ("ucla3", None, 3, "not_lonely"),
        ("ucla3", None, 5, "not_lonely"),
        ("ucla3", None, 6, "lonely"),
        ("ucla3", None, 9, "lonely"),
        ("lsns6", None, 0, "at_risk"),
        ("lsns6", None, 11, "at_risk"),
        ("lsns6", None, 12, "not_at_risk"),
        ("lsns6", None, 30, "not_at_risk"),
        ("phq9", None, 0, "minimal"),
        ("phq9", None, 4, "minimal"),
        ("phq9", None, 5, "mild"),
        ("phq9", None, 9, "mild"),
        ("phq9", None, 10, "moderate"),
        ("phq9", None, 14, "moderate"),
        ("phq9", None, 15, "moderately_severe"),
        ("phq9", None, 19, "moderately_severe"),
        ("phq9", None, 20, "severe"),
        ("phq9", None, 27, "severe"),
        ("hq25", None, 41, "below_cutoff"),
        ("hq25", None, 42, "at_or_above_cutoff"),
        ("hq25", "teo_2018", 43, "at_or_above_cutoff"),
        ("hq25", "kyushu_lab", 43, "below_cutoff"),
        ("hq25", "kyushu_lab", 44, "at_or_above_cutoff"),
        ("hq25", None, 100, "at_or_above_cutoff"),
    ],
)
def test_bands_at_their_boundaries(code, band_set, total, band):
    definition = DEFS[code]
    result = score(definition, answers_for_total(definition, total), band_set=band_set)
    assert result.total == total
    assert result.band.key == band


@pytest.mark.parametrize(
    ("code", "cutoffs"),
    [
        ("k6", (5, 13)),
        ("ucla3", (6,)),
        ("lsns6", (12,)),
        ("phq9", (5, 10, 15, 20)),
        ("hq25", (42,)),
    ],
)
def test_default_cutoffs(code, cutoffs):
    assert DEFS[code].band_set().cutoffs() == cutoffs


@pytest.mark.parametrize(
    ("code", "scale", "higher_is", "reversed_items"),
    [
        ("k6", (0, 4), "worse", set()),
        ("ucla3", (1, 3), "worse", set()),
        ("lsns6", (0, 5), "better", set()),  # below 12 is the risk of isolation
        ("phq9", (0, 3), "worse", set()),
        ("hq25", (0, 4), "worse", {4, 7, 10, 15, 21, 25}),
    ],
)
def test_every_item_uses_the_published_scale(code, scale, higher_is, reversed_items):
    definition = DEFS[code]
    assert [item.number for item in definition.items] == list(range(1, len(definition.items) + 1))
    values = list(range(scale[0], scale[1] + 1))
    assert all([option.value for option in item.options] == values for item in definition.items)
    assert definition.higher_is == higher_is
    assert {item.number for item in definition.items if item.reverse} == reversed_items


@pytest.mark.parametrize("code", sorted(DEFS))
def test_every_band_set_covers_every_possible_total_once(code):
    definition = DEFS[code]
    for band_set in definition.band_sets:
        totals = [total for band in band_set.bands for total in range(band.low, band.high + 1)]
        assert totals == list(range(definition.min_total, definition.max_total + 1))
    assert definition.band_set().key == definition.default_band_set


def test_hq25_offers_both_published_cutoffs_with_sources():
    band_sets = {bs.key: bs for bs in DEFS["hq25"].band_sets}
    assert band_sets["teo_2018"].cutoffs() == (42,)
    assert band_sets["kyushu_lab"].cutoffs() == (44,)
    assert all(bs.source and bs.version for bs in band_sets.values())


@pytest.mark.parametrize(
    ("answers", "flagged"),
    [
        ([0] * 8 + [1], True),  # total 1, still flagged
        ([0] * 8 + [3], True),
        ([3] * 8 + [0], False),  # total 24, severe but no item-9 flag
        ([0] * 9, False),
    ],
)
def test_phq9_item9_above_zero_raises_a_safety_flag_whatever_the_total(answers, flagged):
    result = score(DEFS["phq9"], answers)
    assert result.safety is flagged
    assert ([f.key for f in result.flags] == ["phq9_item9"]) is flagged


def test_only_phq9_has_safety_flags():
    assert [code for code, d in DEFS.items() if d.flags] == ["phq9"]


def test_score_records_the_version_used():
    result = score(DEFS["k6"], [1] * 6).as_dict("en")
    assert result["version"] == DEFS["k6"].version
    assert result["band_set_version"] == DEFS["k6"].band_set().version
    assert result["total"] == 6 and result["band"] == "distress"


def test_answers_may_be_a_mapping_with_string_keys():
    answers = {str(n): 2 for n in range(1, 7)}
    assert score(DEFS["k6"], answers).total == 12


@pytest.mark.parametrize(
    ("answers", "item", "reason"),
    [
        ([1] * 5, None, "wrong_count"),
        ([1] * 7, None, "wrong_count"),
        ([1, 1, 5, 1, 1, 1], 3, "out_of_range"),
        ([1, 1, 1, 1, 1, -1], 6, "out_of_range"),
        ([1, "2", 1, 1, 1, 1], 2, "not_a_number"),
        ([1, 1, 1, True, 1, 1], 4, "not_a_number"),
        ([1, 1, 1, 1, None, 1], 5, "missing"),
        ({"1": 1, "9": 1}, None, "unknown_item"),
    ],
)
def test_invalid_answers_name_the_item_and_reason(answers, item, reason):
    with pytest.raises(AnswerError) as caught:
        score(DEFS["k6"], answers)
    issue = caught.value.issues[0]
    assert (issue.item, issue.reason) == (item, reason)


def test_every_problem_is_reported_at_once():
    with pytest.raises(AnswerError) as caught:
        score(DEFS["k6"], {"1": 9, "2": 1})
    reasons = [(i.item, i.reason) for i in caught.value.issues]
    assert reasons == [
        (1, "out_of_range"),
        (3, "missing"),
        (4, "missing"),
        (5, "missing"),
        (6, "missing"),
    ]
    assert "item 1: 9 is not one of 0, 1, 2, 3, 4" in str(caught.value)


def test_ucla3_rejects_zero_because_its_scale_starts_at_one():
    with pytest.raises(AnswerError, match="item 2: 0 is not one of 1, 2, 3"):
        score(DEFS["ucla3"], [1, 0, 1])


# --- the data files themselves -------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(scoring.BUILTIN_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_every_item_carries_an_explicit_wording_checked_flag(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert all(isinstance(item.get("wording_checked"), bool) for item in raw["items"])
    assert isinstance(raw["response_options"]["wording_checked"], bool)


@pytest.mark.parametrize("code", sorted(DEFS))
def test_every_definition_has_licence_sources_and_a_missing_rule(code):
    definition = DEFS[code]
    assert definition.licence["ja"] and definition.licence["en"]
    assert definition.sources
    assert definition.missing.kind in scoring.MISSING_RULES
    assert all(bs.source and bs.version for bs in definition.band_sets)


def test_items_without_wording_say_so_instead_of_inventing_it():
    hq25 = DEFS["hq25"]
    assert hq25.item(20).label_in("en") == "Item 20 (wording not verified)"
    assert hq25.item(20).label_in("ja") == "誰かと一緒にいるよりも、一人でいる方がずっと好きだ。"
    assert DEFS["phq9"].item(9).label_in("ja") == "項目9（文言未確認）"
    assert not hq25.item(19).has_wording("en")  # only a truncated fragment was found


def test_no_shipped_wording_is_claimed_as_checked():
    # Nothing has been checked against the published forms yet; flip a flag only with a source.
    assert not any(item.wording_checked for d in DEFS.values() for item in d.items)


# --- validation of definitions -------------------------------------------------------------


def _k6_raw():
    return json.loads((scoring.BUILTIN_DIR / "k6.json").read_text(encoding="utf-8"))


def _broken(change):
    raw = copy.deepcopy(_k6_raw())
    change(raw)
    return raw


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.pop("code"), "code"),
        (lambda d: d.update(code="K 6"), "code"),
        (lambda d: d["items"][2].pop("wording_checked"), "items[2].wording_checked"),
        (lambda d: d["items"][2].update(number=7), "items[2].number"),
        (lambda d: d["items"][1].update(reverse="yes"), "items[1].reverse"),
        (lambda d: d["name"].pop("ja"), "name.ja"),
        (lambda d: d["licence"].update(en=""), "licence.en"),
        (lambda d: d["band_sets"][0]["bands"][1].update(min=6), "band_sets[0].bands[1]"),
        (lambda d: d["band_sets"][0]["bands"][2].update(max=23), "band_sets[0].bands"),
        (lambda d: d.update(default_band_set="nope"), "default_band_set"),
        (lambda d: d["response_options"]["choices"][1].update(value=0), "response_options.choices"),
        (lambda d: d.update(flags=[{**_flag(), "item": 7}]), "flags[0].item"),
        (lambda d: d.update(missing_answers={"rule": "guess"}), "missing_answers.rule"),
        (lambda d: d.update(higher_is="up"), "higher_is"),
    ],
)
def test_a_broken_definition_names_where_it_is_broken(change, where):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(_broken(change))
    assert caught.value.where == where


def _prorating(max_missing):
    return lambda d: d.update(missing_answers={"rule": "prorate", "max_missing": max_missing})


def _own_options(d):
    d["items"][3]["options"] = copy.deepcopy(d["response_options"])
    d["items"][3]["options"]["choices"][1]["value"] = "1"


@pytest.mark.parametrize(
    ("change", "where", "reason"),
    [
        (lambda d: d.update(colour="blue"), "colour", "is not a known key"),
        (lambda d: d["items"][3].update(reversed=True), "items[3].reversed", "is not a known key"),
        (lambda d: d["name"].update(fr="K6"), "name.fr", "is not a known key"),
        (
            lambda d: d["response_options"]["choices"][1].update(value="1"),
            "response_options.choices[1].value",
            'must be a whole number, not "1"',
        ),
        (_own_options, "items[3].options.choices[1].value", 'must be a whole number, not "1"'),
        (
            lambda d: d["response_options"]["choices"][1].update(value=True),
            "response_options.choices[1].value",
            "must be a whole number, not true",
        ),
        (
            lambda d: d["response_options"]["choices"][4].update(value=4.0),
            "response_options.choices[4].value",
            "must be a whole number, not 4.0",
        ),
        (
            lambda d: d["band_sets"][0]["bands"][1].update(min=4),
            "band_sets[0].bands[1]",
            "starts at 4 but should start at 5 (gap or overlap)",
        ),
        (
            lambda d: d["band_sets"][1]["bands"][2].update(min=11),
            "band_sets[1].bands[2]",
            "starts at 11 but should start at 10 (gap or overlap)",
        ),
        (
            lambda d: d["band_sets"][0]["bands"][0].update(min=1),
            "band_sets[0].bands[0]",
            "starts at 1 but should start at 0 (gap or overlap)",
        ),
        (
            lambda d: d["band_sets"][0]["bands"][2].update(max=30),
            "band_sets[0].bands",
            "bands end at 30 but totals reach 24",
        ),
        (
            lambda d: d["band_sets"][0]["bands"][1].update(max=3),
            "band_sets[0].bands[1]",
            "max is below min",
        ),
        (
            lambda d: d["band_sets"][1].update(key="japan_2011"),
            "band_sets",
            "band set keys must be unique",
        ),
        (
            lambda d: d["items"][0].update(reverse=1),
            "items[0].reverse",
            "must be true or false, not 1",
        ),
        (lambda d: d["licence"].update(ja="  "), "licence.ja", "must not be empty"),
        (lambda d: d["name"].update(en=None), "name.en", "must be a string, not null"),
        (lambda d: d.update(items=[]), "items", "is too short (at least 1 needed)"),
        (lambda d: d.update(sources="Kessler"), "sources", 'must be a list, not "Kessler"'),
        (lambda d: d.pop("missing_answers"), "missing_answers", "is required"),
        (
            lambda d: d.update(code="K6"),
            "code",
            'must be a lower-case letter and up to 39 more of a-z, 0-9, - or _, not "K6"',
        ),
        (
            lambda d: d.update(flags=[{**_flag(), "above": 4}]),
            "flags[0].above",
            "must be from 0 to 3 for item 1",
        ),
        (_prorating(6), "missing_answers.max_missing", "must be between 1 and 5"),
        (_prorating(None), "missing_answers.max_missing", "must be between 1 and 5"),
    ],
)
def test_a_refusal_says_where_and_what_is_wrong(change, where, reason):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(_broken(change))
    assert (caught.value.where, caught.value.reason) == (where, reason)
    assert str(caught.value) == f"{where}: {reason}"


@pytest.mark.parametrize("data", [[], "k6", None])
def test_a_document_that_is_not_an_object_is_refused(data):
    with pytest.raises(DefinitionError, match="^definition: must be an object"):
        parse_definition(data)


def test_the_annotations_the_shipped_files_use_are_known_keys():
    raw = _broken(lambda d: d["items"][0].update(reverse_source="s", review_note="n"))
    raw["missing_answers"]["note"] = "n"
    assert parse_definition(raw).item(1).text == DEFS["k6"].item(1).text


def _flag():
    return {
        "key": "k",
        "item": 1,
        "above": 0,
        "safety": True,
        "label": {"ja": "あ", "en": "a"},
        "source": "s",
    }


def test_a_prorating_definition_scales_up_the_answered_items():
    raw = _broken(lambda d: d.update(missing_answers={"rule": "prorate", "max_missing": 1}))
    definition = parse_definition(raw)
    result = score(definition, [3, 3, 3, 3, None, 2])
    assert result.prorated and result.total == 17  # 14 × 6/5 = 16.8 → 17
    with pytest.raises(AnswerError) as caught:
        score(definition, [3, None, 3, 3, None, 2])
    assert caught.value.issues[0].reason == "too_many_missing"


def test_an_organisation_directory_loads_like_the_builtin_one(tmp_path):
    raw = _broken(lambda d: d.update(code="org-distress", version="2"))
    (tmp_path / "org.json").write_text(json.dumps(raw), encoding="utf-8")
    loaded = scoring.load_directory(tmp_path)
    assert loaded["org-distress"].version == "2"
    (tmp_path / "again.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(DefinitionError, match="defined twice"):
        scoring.load_directory(tmp_path)


def test_invalid_json_names_the_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(DefinitionError, match="bad.json"):
        scoring.load_definition(path)


# --- properties ----------------------------------------------------------------------------


@st.composite
def valid_answers(draw):
    definition = draw(st.sampled_from(list(DEFS.values())))
    values = [draw(st.integers(item.low, item.high)) for item in definition.items]
    return definition, values


@given(valid_answers())
def test_any_valid_answers_score_inside_the_range_and_a_band(case):
    definition, values = case
    result = score(definition, values)
    assert definition.min_total <= result.total <= definition.max_total
    assert result.band.low <= result.total <= result.band.high


@given(st.lists(st.integers(0, 4), min_size=25, max_size=25))
def test_hq25_answers_and_their_mirror_always_sum_to_100(values):
    # Every item contributes x and 4 - x across the pair, reversed or not.
    mirror = [4 - v for v in values]
    assert score(DEFS["hq25"], values).total + score(DEFS["hq25"], mirror).total == 100


@given(st.lists(st.integers(0, 3), min_size=9, max_size=9))
def test_phq9_flag_depends_only_on_item_9(values):
    assert score(DEFS["phq9"], values).safety is (values[8] > 0)
