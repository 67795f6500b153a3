from django.utils import timezone

from ibasho.families import services
from ibasho.families.tests.test_board import make_household


class TestRiskApi:
    def test_board_in_order(self, api_client_for, coordinator_a, person_a, org_a):
        top = make_household(
            org_a, "入院", parents=[("mother", 1960, "hospitalised", timezone.localdate())]
        )
        items = api_client_for(coordinator_a).get("/api/v1/families/households/risk").json()
        assert [i["household"] for i in items] == [str(top.code), str(person_a.household.code)]
        assert items[0]["top_since"] == str(timezone.localdate())
        assert {s["code"] for s in items[0]["signals"]} == {"parent_hospitalised"}
        assert items[0]["signals"][0]["label_ja"] == "親が入院"

    def test_one_household(self, api_client_for, worker_a, person_a):
        services.raise_safety_event(person_a, kind="violence", severity=2, by=worker_a.user)
        url = f"/api/v1/families/households/{person_a.household.code}/risk"
        data = api_client_for(worker_a).get(url).json()
        assert "violence" in [s["code"] for s in data["signals"]]

    def test_workers_outsiders_and_analysts_are_kept_out(
        self, api_client_for, worker_a, worker_b, analyst_a, person_a
    ):
        assert api_client_for(worker_a).get("/api/v1/families/households/risk").status_code == 404
        assert api_client_for(analyst_a).get("/api/v1/families/households/risk").status_code == 404
        url = f"/api/v1/families/households/{person_a.household.code}/risk"
        assert api_client_for(worker_b).get(url).status_code == 404
        assert api_client_for(analyst_a).get(url).status_code == 404
