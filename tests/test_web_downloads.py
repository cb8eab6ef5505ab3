"""Downloads of figures on the web (issue 14): SDMX-ML, SDMX-CSV and the XLSX workbook of the
figures a page shows, and the CSV of one indicator's page. The public gets the release (the
values of the release's own figures, withheld ones withheld), an analyst their remit (403
outside it); nothing is computed for a download."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter

from jjis.publish.releases import release_figures, served_index
from test_web_country import (
    WebCountry,
    web,  # noqa: F401  (the module's fixture)
)

Q = "census_date=2025-12-31&area=XA-N-01"


def test_the_public_downloads_the_release(web: WebCountry) -> None:  # noqa: F811
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    geo = web.app.state.web.geo(store)  # type: ignore[attr-defined]
    (served,) = [s for s in served_index(store) if s.area == "XA"]
    below = set(geo.below("XA-N-01"))
    released = [f for f in release_figures(store, served.release_id)
                if f.area in below and not f.breakdown]
    runs_before = store.fetchall("SELECT count(*) FROM web_runs")[0][0]
    c = web.session("anonymous")
    r = c.get(f"/downloads/sdmx-data.csv?{Q}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.sdmx.data+csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == len(released) and {row["REF_AREA"] for row in rows} == below
    assert {row["TIME_PERIOD"] for row in rows} == {"2025-12-31"}
    withheld = [row for row in rows if row["OBS_CONF"] != "F"]
    assert len(withheld) == sum(1 for f in released if f.suppressed) > 0
    assert all(row["OBS_VALUE"] in ("", "NaN") for row in withheld)
    numbers = Counter(round(float(f.value), 6) for f in released  # type: ignore[arg-type]
                      if not f.suppressed and f.unit != "answer" and f.value is not None)
    shown = Counter(round(float(row["OBS_VALUE"]), 6) for row in rows
                    if row["OBS_CONF"] == "F" and row["OBS_VALUE"] not in ("", "NaN")
                    and row["UNIT_MEASURE"] != "ANSWER")
    assert numbers <= shown + Counter(), (numbers - shown)
    xml = c.get(f"/downloads/sdmx-data.xml?{Q}")
    assert xml.status_code == 200 and b"StructureSpecificData" in xml.content[:2000]
    assert b"DataStructure" in c.get(f"/downloads/sdmx-structure.xml?{Q}").content
    book = c.get(f"/downloads/indicators.xlsx?{Q}")
    assert book.status_code == 200 and zipfile.ZipFile(io.BytesIO(book.content)).testzip() is None
    assert c.get(f"/downloads/nonsense.bin?{Q}").status_code == 404
    assert store.fetchall("SELECT count(*) FROM web_runs")[0][0] == runs_before  # nothing computed


def test_an_indicator_page_links_its_downloads_and_its_csv_holds_it_only(web: WebCountry) -> None:  # noqa: F811
    c = web.session("analyst")
    page = c.get("/indicators/3?area=XA-N").text
    for link in ("/indicators/3/export.csv?", "/downloads/indicators.xlsx?",
                 "/downloads/sdmx-data.xml?", "/downloads/sdmx-data.csv?"):
        assert link in page, link
    rows = list(csv.DictReader(io.StringIO(c.get("/indicators/3/export.csv?area=XA-N").text)))
    everything = list(csv.DictReader(io.StringIO(c.get("/export.csv?area=XA-N").text)))
    assert rows and rows == [row for row in everything if row["indicator"] == "3"]
    assert all(row["area"].startswith("XA-N") for row in rows)
    assert c.get("/downloads/sdmx-data.csv?area=XA-S").status_code == 403
    assert c.get("/indicators/3/export.csv?area=XA-S").status_code == 403
    national = web.session("national").get("/review?census_date=2025-12-31&area=XA").text
    assert "/downloads/sdmx-data.csv?census_date=2025-12-31&amp;area=XA&amp;released=1" in national
    rel = web.session("national").get("/downloads/sdmx-data.csv?census_date=2025-12-31&area=XA-N-01"
                                      "&released=1")
    public = web.session("anonymous").get(f"/downloads/sdmx-data.csv?{Q}")
    assert rel.text == public.text  # the release, as the public reads it
