"""Long computations on the web (issue 14): the first page after new data starts the
computation in the background and answers at once with a page that says so and refreshes
itself (202, `<meta http-equiv="refresh">`, a link for browsers that ignore it); a later
request gets the figures of the new data. API calls and other clients wait for the figures."""

from __future__ import annotations

import re
import time

from test_web_country import (
    IN_FACILITY,
    WebCountry,
    imported,
    web,  # noqa: F401  (the module's fixture)
)

PAGE = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}  # as a browser navigates


def test_first_page_after_new_data_shows_computing_then_the_figures(web: WebCountry) -> None:  # noqa: F811
    state = web.app.state.web  # type: ignore[attr-defined]
    state.results.wait_seconds = 0  # answer at once, however fast the computation is
    c = web.session("admin")
    assert c.get("/dashboard", headers=PAGE).status_code == 200  # figures of the imported data
    contacts = ("contact_id,child_id,facility_id,contact_date,kind,relation\n"
                f"T-COMPUTING,web-test-child,{IN_FACILITY},2025-12-01,visit_received,parent\n")
    sent, job = imported(web.client, web.token("admin"),
                         {"files": ("family_contacts.csv", contacts.encode(), "text/csv")})
    assert sent == 202 and job["status"] == "done", job
    version = state.db.version()

    first = c.get("/dashboard?census_date=2025-12-31", headers=PAGE)
    assert first.status_code == 202 and first.headers["retry-after"] == "2"
    # the refresh names the address (a page reached with a #fragment would not reload)
    assert '<meta http-equiv="refresh" content="2; url=/dashboard?census_date=2025-12-31">' in first.text
    assert 'href="/dashboard?census_date=2025-12-31"' in first.text  # without the refresh too
    assert "Computing the figures" in first.text and "2025-12-31" in first.text
    french = c.get("/dashboard?census_date=2025-12-31&lang=fr", headers=PAGE)
    assert french.status_code in (200, 202)
    if french.status_code == 202:
        assert "Calcul des chiffres en cours" in french.text

    # the API waits for the same computation (it never answers "computing")
    api = web.client.get("/api/indicators?census_date=2025-12-31", headers=web.token("admin"))
    assert api.status_code == 200 and api.json()
    for _ in range(600):  # the background thread records the run just after the API's wait ends
        later = c.get("/dashboard?census_date=2025-12-31&lang=en", headers=PAGE)  # (a cookie
        # kept the French asked above)
        if later.status_code != 202:
            break
        time.sleep(0.5)
    assert later.status_code == 200, later.text[:300]
    shown = re.search(r"run <code>([0-9a-f]{8})</code>", later.text)
    assert shown
    store = state.db.store()
    runs = {str(r): int(v) for r, v in store.fetchall(
        "SELECT run_id, data_version FROM web_runs WHERE census_date = '2025-12-31' AND by_key = ''")}
    (run,) = [r for r in runs if r.startswith(shown.group(1))]
    assert runs[run] == version  # the figures of the new data, computed once
    assert list(runs.values()).count(version) == 1

