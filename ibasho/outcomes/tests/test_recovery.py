"""The recovery profile as data, and ratings against it (no database)."""

import pytest

from ibasho.outcomes.recovery import (
    ProfileError,
    change,
    load_profile,
    parse_profile,
    validate_ratings,
)

PROFILE = load_profile()


def test_the_profile_covers_the_dimensions_of_recovery():
    assert PROFILE.keys == (
        "survival",
        "daily_rhythm",
        "health",
        "family_relations",
        "connection",
        "belonging",
        "going_out",
        "activity",
        "self_view",
    )


@pytest.mark.parametrize("domain", PROFILE.domains, ids=lambda d: d.key)
def test_every_level_has_an_anchor_in_both_languages(domain):
    for level in range(1, 6):
        assert domain.anchor(level, "ja") != domain.anchor(level, "en")
    assert len(domain.levels) == 5


def test_ratings_may_leave_domains_unrated():
    result = validate_ratings(PROFILE, {"going_out": 2, "health": "", "connection": None})
    assert result["going_out"] == 2 and result["health"] is None and len(result) == 9


@pytest.mark.parametrize(
    ("ratings", "where"),
    [
        ({"going_out": 6}, "going_out"),
        ({"going_out": 0}, "going_out"),
        ({"going_out": "3"}, "going_out"),
        ({"employment": 3}, "employment"),
        ({}, "ratings"),
    ],
)
def test_bad_ratings_name_the_domain(ratings, where):
    with pytest.raises(ProfileError) as caught:
        validate_ratings(PROFILE, ratings)
    assert caught.value.where == where


def test_change_shows_steps_back_and_skips_unrated():
    assert change({"a": 3, "b": 2, "c": None}, {"a": 2, "b": 4, "c": 3}) == {
        "a": -1,
        "b": 2,
        "c": None,
    }


def test_a_profile_with_a_missing_level_is_rejected():
    raw = {
        "code": "p",
        "version": "1",
        "name": {"ja": "p", "en": "p"},
        "about": {"ja": "p", "en": "p"},
        "scale": {"min": 1, "max": 5},
        "domains": [
            {
                "key": "x",
                "name": {"ja": "x", "en": "x"},
                "levels": [{"level": n, "ja": "あ", "en": "a"} for n in (1, 2, 3, 5)],
            }
        ],
    }
    with pytest.raises(ProfileError, match="domains\\[0\\].levels"):
        parse_profile(raw)
