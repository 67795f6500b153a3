import json

from ibasho.outreach.models import Contact, OutreachPlan
from ibasho.outreach.tests.replay import assert_plans_equal_replay
from ibasho.programmes.tests.factories import make_programme


def put(client, url, data):
    return client.put(url, json.dumps(data), content_type="application/json")


class TestProgrammes:
    def test_list_and_read(self, api_client_for, worker_a, programme, enrolment, org_b):
        make_programme(org_b, name_ja="他団体")
        client = api_client_for(worker_a)
        items = client.get("/api/v1/programmes").json()["items"]
        assert [(i["name_ja"], i["enrolled"], i["free_places"]) for i in items] == [
            ("水曜の居場所", 1, 9)
        ]
        assert client.get(f"/api/v1/programmes/{programme.code}").json()["code"] == str(
            programme.code
        )

    def test_sessions(self, api_client_for, worker_a, programme, session):
        items = (
            api_client_for(worker_a)
            .get(f"/api/v1/programmes/{programme.code}/sessions")
            .json()["items"]
        )
        assert [(i["code"], i["date"], i["programme"]) for i in items] == [
            (str(session.code), "2026-05-13", str(programme.code))
        ]

    def test_outsider_and_analyst_see_nothing(self, api_client_for, worker_b, analyst_a, programme):
        assert api_client_for(worker_b).get("/api/v1/programmes").json()["items"] == []
        assert (
            api_client_for(worker_b).get(f"/api/v1/programmes/{programme.code}").status_code == 404
        )
        assert (
            api_client_for(worker_b)
            .get(f"/api/v1/programmes/{programme.code}/sessions")
            .status_code
            == 404
        )
        assert api_client_for(analyst_a).get("/api/v1/programmes").status_code == 404


class TestAttendance:
    def test_put_records_and_get_lists(self, api_client_for, worker_a, session, enrolment):
        client = api_client_for(worker_a)
        url = f"/api/v1/programmes/sessions/{session.code}/attendance"
        response = put(client, f"{url}/{enrolment.code}", {"status": "part", "minutes": 40})
        assert response.status_code == 200, response.content
        assert response.json()["minutes"] == 40
        assert Contact.objects.get().duration_minutes == 40
        listed = client.get(url).json()
        assert [(a["enrolment"], a["status"]) for a in listed] == [(str(enrolment.code), "part")]

    def test_absent_after_attended_leaves_the_plan_as_a_replay_would(
        self, api_client_for, worker_a, session, enrolment
    ):
        client = api_client_for(worker_a)
        url = f"/api/v1/programmes/sessions/{session.code}/attendance/{enrolment.code}"
        assert put(client, url, {"status": "attended"}).status_code == 200
        assert put(client, url, {"status": "absent"}).status_code == 200
        plan = OutreachPlan.objects.get(case__person=enrolment.person)
        assert (plan.last_contact_on, plan.last_two_way_on) == (None, None)
        assert_plans_equal_replay(enrolment.person)

    def test_bad_input_is_422_with_the_field(self, api_client_for, worker_a, session, enrolment):
        url = f"/api/v1/programmes/sessions/{session.code}/attendance/{enrolment.code}"
        response = put(api_client_for(worker_a), url, {"status": "part"})
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "minutes"
        assert not Contact.objects.exists()

    def test_outsider_gets_404(self, api_client_for, worker_b, session, enrolment):
        client = api_client_for(worker_b)
        url = f"/api/v1/programmes/sessions/{session.code}/attendance"
        assert client.get(url).status_code == 404
        assert put(client, f"{url}/{enrolment.code}", {"status": "attended"}).status_code == 404
        assert not Contact.objects.exists()

    def test_openapi_lists_the_endpoints(self, api_client_for, worker_a):
        paths = api_client_for(worker_a).get("/api/v1/openapi.json").json()["paths"]
        for path in (
            "/api/v1/programmes",
            "/api/v1/programmes/{code}/sessions",
            "/api/v1/programmes/sessions/{code}/attendance/{enrolment}",
            "/api/v1/families/households/risk",
        ):
            assert path in paths
