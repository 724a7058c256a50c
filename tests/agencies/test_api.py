"""The public, read-only catalogue API under /api/v1/."""

import pytest

from agencies.models import Service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_catalogue")]


def _codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["code"] for item in response.json()["results"]}


def test_services_list_is_public_with_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get("/api/v1/services/")
    body = response.json()
    assert len(body["results"]) == 46
    item = next(i for i in body["results"] if i["code"] == "sip-dokter")
    assert item["agency"] == "DINKES"
    assert item["issuer_agency"] == "DPMPTSP"
    assert item["current_version"]["sla"] == {
        "value": 5,
        "unit": "working_days",
        "basis": "comparable_region",
        "provisional": False,
        "clock_start": "submitted",
        "note": item["current_version"]["sla"]["note"],
        "note_en": "",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("agency=DINKES", 10),
        ("agency=BPJSKES", 2),
        ("category=data_correction", 5),
        ("category=civil_registration", 7),
        ("q=PBG", 2),
        ("q=building approval", 2),
        ("q=akta", 4),
        ("applicant_type=business", 14 + 9),
        ("applicant_type=individual", 23 + 9),
        ("applicant_type=both", 9),
        ("agency=DINKES&applicant_type=business", 4),
    ],
)
def test_service_filters(client, query, expected):
    codes = _codes(client.get(f"/api/v1/services/?{query}"))
    assert len(codes) == expected


def test_bad_filter_value_is_a_400_naming_the_field(client):
    response = client.get("/api/v1/services/?category=bogus")
    assert response.status_code == 400
    assert "category" in response.json()


def test_service_detail_has_steps_and_versions(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/api/v1/services/pbg-umum/")
    version = response.json()["current_version"]
    steps = version["steps"]
    assert [s["agency"] for s in steps if s["parallel_group"]] == ["PERKIM", "DPUPR"]
    assert steps[0]["kind"] == "applicant"
    assert steps[0]["pauses_sla"] is True
    assert version["fee"]["type"] == "retribusi"
    assert version["fee"]["amount"] is None
    assert version["fee"]["currency"] == "IDR"
    assert version["requirements"][0]["code"] == "ktp-el-pemilik-penanggung-jawab"

    versions = client.get("/api/v1/services/pbg-umum/versions/").json()
    assert [v["number"] for v in versions] == [1]
    by_id = client.get(f"/api/v1/service-versions/{versions[0]['id']}/").json()
    assert by_id["service"] == "pbg-umum"
    assert by_id["steps"] == steps


def test_unpublished_service_is_not_found(client):
    Service.objects.filter(code="kk").audited_update(
        action="test.arrange", reason="test set-up", is_published=False
    )
    assert client.get("/api/v1/services/kk/").status_code == 404
    assert "kk" not in _codes(client.get("/api/v1/services/"))


def test_agencies_list(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = _codes(client.get("/api/v1/agencies/"))
    assert len(codes) == 11
    assert {"DPMPTSP", "PERKIM", "BPJSTK", "BPJSKES"} <= codes
    dinkes = client.get("/api/v1/agencies/DINKES/").json()
    assert (dinkes["name_en"], dinkes["short_name"]) == ("Health Office", "Dinkes")


def test_offices_come_with_their_calendars(client, django_assert_num_queries):
    with django_assert_num_queries(4):
        response = client.get("/api/v1/offices/")
    offices = {o["code"]: o for o in response.json()["results"]}
    assert len(offices) == 14
    mpp = offices["mpp"]
    assert mpp["agency"] == "DPMPTSP"
    weekdays = {i["weekday"] for i in mpp["service_calendar"]["weekly_intervals"]}
    assert weekdays == set(range(7))
    assert {o["code"] for o in mpp["service_calendar"]["overrides"]} >= {"ramadan-1445"}
    kecamatan = _codes(client.get("/api/v1/offices/?kind=kecamatan"))
    assert len(kecamatan) == 13
    assert _codes(client.get("/api/v1/offices/?district=36.71.05")) == {"kec-cipondoh"}


def test_calendar_detail(client):
    calendar = client.get("/api/v1/calendars/kerja-kota/").json()
    assert calendar["kind"] == "working_time"
    assert calendar["timezone"] == "Asia/Jakarta"
    assert calendar["weekly_intervals"][0] == {
        "weekday": 0,
        "opens_at": "08:00:00",
        "closes_at": "15:00:00",
    }


def test_districts_with_villages(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        body = client.get("/api/v1/districts/").json()
    assert len(body["results"]) == 13
    assert sum(len(d["villages"]) for d in body["results"]) == 104
    cipondoh = client.get("/api/v1/districts/36.71.05/").json()
    assert (cipondoh["name"], cipondoh["nik_prefix"], cipondoh["bps_code"]) == (
        "Cipondoh",
        "367105",
        "3671020",
    )


def test_holidays_by_year_and_category(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/api/v1/holidays/?year=2027&category=government")
    rows = response.json()["results"]
    assert rows
    assert {r["date"][:4] for r in rows} == {"2027"}
    assert {r["category"] for r in rows} == {"government"}
    assert "2027-12-24" in {r["date"] for r in rows}


def test_api_is_read_only(client):
    assert client.post("/api/v1/services/", {}).status_code == 405
    assert client.delete("/api/v1/agencies/DINKES/").status_code == 405


def test_schema_documents_the_catalogue(client):
    schema = client.get("/api/v1/schema/", headers={"accept": "application/json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/agencies/",
        "/api/v1/services/",
        "/api/v1/services/{code}/versions/",
        "/api/v1/service-versions/{id}/",
        "/api/v1/offices/",
        "/api/v1/districts/",
        "/api/v1/holidays/",
    ):
        assert path in paths
