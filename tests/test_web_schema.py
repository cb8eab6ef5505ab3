"""Schemathesis against /openapi.json: generated requests never meet a server error.

Three callers: the public; a facility user (whose requests name their own facility, so the
action-list, stays and import paths run to the end); an admin (figures on the census date that
exists, so that each example does not start a computation of a new census date, which takes
seconds; imports are exercised by the facility user, whose imports do not make the admin's
figures stale in the middle of the run). Examples are bounded to keep the suite quick.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from test_web_country import (
    CENSUS,
    IN_FACILITY,
    WebCountry,
    web,  # noqa: F401  (the module's fixture)
)

# Schemathesis' pytest plugin does not run under pytest 9 yet ('Function' object has no
# attribute '_nodeid'), so the schema's strategies are used with Hypothesis directly.
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck),
                    derandomize=True, database=None)


@pytest.fixture(scope="module")
def api_schema(web: WebCountry):  # type: ignore[no-untyped-def]  # noqa: F811
    return schemathesis.openapi.from_asgi("/openapi.json", web.app)


def _run(strategy, adjust, headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    @SETTINGS
    @given(case=strategy)
    def check(case) -> None:  # type: ignore[no-untyped-def]
        if adjust(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

    check()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_public_requests_never_fail_on_the_server(api_schema, mode) -> None:  # type: ignore[no-untyped-def]
    _run(api_schema.as_strategy(generation_mode=mode), lambda case: True, {})


def test_facility_user_requests_never_fail_on_the_server(api_schema, web: WebCountry) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    def adjust(case) -> bool:  # type: ignore[no-untyped-def]
        if case.path_parameters and "facility_id" in case.path_parameters:
            case.path_parameters["facility_id"] = IN_FACILITY
        return True

    _run(api_schema.as_strategy(), adjust, web.token("facility"))


def test_admin_requests_never_fail_on_the_server(api_schema, web: WebCountry) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    def adjust(case) -> bool:  # type: ignore[no-untyped-def]
        if case.path == "/api/imports":
            return False  # see the module's docstring: the facility user's run covers imports
        if case.path == "/api/indicators" and isinstance(case.query, dict):
            case.query["census_date"] = CENSUS.isoformat()
        return True

    _run(api_schema.as_strategy(), adjust, web.token("admin"))
