import datetime as dt
import random

import pytest

from ibasho.ops.synthetic import outcomes as synthetic
from ibasho.ops.synthetic import people as people_synthetic
from ibasho.outcomes import scoring
from ibasho.outcomes.models import Administration, KatoAssessment, RecoveryRating

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def demo(org_a, worker_a):
    rng = random.Random(7)
    people_synthetic.populate(org_a, rng, TODAY, people=30, workers=[worker_a.user])
    synthetic.populate(org_a, rng, TODAY)
    return org_a


def test_many_people_have_two_years_of_history(demo):
    people = Administration.objects.values("person").distinct().count()
    assert people >= 12
    first = Administration.objects.order_by("administered_on").first().administered_on
    assert (TODAY - first).days > 365
    repeated = Administration.objects.filter(instrument="k6").values("person").distinct()
    assert all(Administration.objects.filter(person=p["person"], instrument="k6").count() >= 3
               for p in repeated)  # fmt: skip
    assert KatoAssessment.objects.exists() and RecoveryRating.objects.exists()


def test_stored_results_are_real_scores_of_their_answers(demo):
    definitions = scoring.builtin_definitions()
    for a in Administration.objects.all()[:200]:
        result = scoring.score(definitions[a.instrument], a.answers)
        assert (result.total, result.band.key, result.safety) == (a.total, a.band, a.safety)


def test_the_demo_organisation_includes_outcomes(db):
    from ibasho.ops.synthetic import create_organisation

    demo = create_organisation(seed=3, people=20, today=TODAY, username_prefix="o-")
    assert Administration.objects.filter(organisation=demo.organisation).count() > 20
