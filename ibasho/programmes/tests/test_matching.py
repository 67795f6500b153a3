from datetime import time

import pytest

from ibasho.programmes.matching import (
    Audience,
    Mode,
    Needs,
    Offer,
    matching,
    reasons_against,
)

BASE = Offer(code="ibasho", kind="group_ibasho", starts_at=time(13, 0), weekdays=frozenset({2}))


def offer(**changes) -> Offer:
    return Offer(**{**BASE.__dict__, **changes})


@pytest.mark.parametrize(
    ("offer_", "needs", "reasons"),
    [
        (BASE, Needs(), ()),
        (offer(is_open=False), Needs(), ("closed",)),
        (offer(capacity=10, enrolled=10), Needs(), ("full",)),
        (offer(capacity=10, enrolled=10), Needs(include_full=True), ()),
        (offer(capacity=10, enrolled=9), Needs(), ()),
        (BASE, Needs(already_enrolled=frozenset({"ibasho"})), ("enrolled",)),
        (BASE, Needs(kinds=frozenset({"peer_group"})), ("kind",)),
        (BASE, Needs(kinds=frozenset({"peer_group", "group_ibasho"})), ()),
        (BASE, Needs(online_only=True), ("not_online",)),
        (offer(mode=Mode.ONLINE), Needs(online_only=True), ()),
        (offer(mode=Mode.HYBRID), Needs(online_only=True), ()),
        (BASE, Needs(women_only=True), ("not_women_only",)),
        (offer(women_only=True), Needs(women_only=True, woman=True), ()),
        (offer(women_only=True), Needs(woman=False), ("women_only",)),
        (offer(women_only=True), Needs(), ()),
        (BASE, Needs(evening=True), ("not_evening",)),
        (offer(starts_at=time(17, 0)), Needs(evening=True), ()),
        (offer(starts_at=time(16, 59)), Needs(evening=True), ("not_evening",)),
        (offer(starts_at=None), Needs(evening=True), ("not_evening",)),
        (BASE, Needs(weekend=True), ("not_weekend",)),
        (offer(weekdays=frozenset({2, 6})), Needs(weekend=True), ()),
        (BASE, Needs(for_family=True), ("not_for_family",)),
        (offer(audience=Audience.FAMILY), Needs(), ("not_for_person",)),
        (offer(audience=Audience.FAMILY), Needs(for_family=True), ()),
        (offer(audience=Audience.BOTH), Needs(for_family=True), ()),
        (offer(audience=Audience.BOTH), Needs(), ()),
        (offer(min_age=18, max_age=39), Needs(age=45), ("age",)),
        (offer(min_age=18, max_age=39), Needs(age=17), ("age",)),
        (offer(min_age=18, max_age=39), Needs(age=39), ()),
        (offer(min_age=18), Needs(), ()),
        (
            offer(is_open=False, women_only=True),
            Needs(online_only=True, evening=True, woman=False),
            ("closed", "not_online", "women_only", "not_evening"),
        ),
    ],
)
def test_reasons_against(offer_, needs, reasons):
    assert reasons_against(offer_, needs) == reasons


def test_matching_keeps_the_fitting_offers_in_order():
    offers = [
        offer(code="online-evening", mode=Mode.ONLINE, starts_at=time(19, 0)),
        offer(code="day-centre"),
        offer(
            code="online-full",
            mode=Mode.ONLINE,
            starts_at=time(20, 0),
            capacity=5,
            enrolled=5,
        ),
        offer(code="online-morning", mode=Mode.ONLINE, starts_at=time(10, 0)),
        offer(code="hybrid-evening", mode=Mode.HYBRID, starts_at=time(18, 30)),
    ]
    found = matching(offers, Needs(online_only=True, evening=True))
    assert [o.code for o in found] == ["online-evening", "hybrid-evening"]


@pytest.mark.parametrize(
    ("capacity", "enrolled", "free"),
    [(None, 50, None), (10, 3, 7), (10, 12, 0)],
)
def test_free_places(capacity, enrolled, free):
    assert offer(capacity=capacity, enrolled=enrolled).free_places == free
