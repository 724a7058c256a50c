"""Routes of the public catalogue (pages and API): open to everyone."""

from .rules import public

_code = lambda w: {"code": w.service.code}  # noqa: E731

RULES = {
    "agencies:service_list": public(),
    "agencies:service_detail": public(kwargs=_code),
    "agencies:service_standard": public(kwargs=_code),
    "api:agencies-api:agency-list": public(),
    "api:agencies-api:agency-detail": public(kwargs=lambda w: {"code": "DPMPTSP"}),
    "api:agencies-api:service-list": public(),
    "api:agencies-api:service-detail": public(kwargs=_code),
    "api:agencies-api:service-versions": public(kwargs=_code),
    "api:agencies-api:service-version-list": public(),
    "api:agencies-api:service-version-detail": public(
        kwargs=lambda w: {"pk": w.service.current_version_id}
    ),
    "api:agencies-api:office-list": public(),
    "api:agencies-api:office-detail": public(kwargs=lambda w: {"code": w.office.code}),
    "api:agencies-api:calendar-list": public(),
    "api:agencies-api:calendar-detail": public(kwargs=lambda w: {"code": "layanan"}),
    "api:agencies-api:district-list": public(),
    "api:agencies-api:district-detail": public(elsewhere="tests/agencies/test_api.py"),
    "api:agencies-api:holiday-list": public(),
    "api:agencies-api:holiday-detail": public(elsewhere="tests/agencies/test_api.py"),
}
