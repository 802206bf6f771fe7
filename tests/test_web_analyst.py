"""The web app as an analyst works in it, in Debian's headless Chromium: every number opens the moves
it counts, flows over time, two windows compared, search that forgives a misspelt alias, the review
queue after signing in once, articles added by URL from a server on 127.0.0.1, and every page at
1400 and 420 pixels wide (screenshots in test-output/screenshots/). The added article is ours."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CHROMIUM, SAMPLES, SHOTS, LocalWeb, serve_app
from talentflow import explore, query
from talentflow.pipeline import run_ingest
from talentflow.store import Store
from talentflow.web.app import create_app

TOKEN = "analyst-token"
ARTICLE = ("<html><head><title>Globex hires Acme's robotics chief</title>"
           "<meta property='article:published_time' content='2025-06-03'></head><body><article>"
           "<h1>Globex hires Acme's robotics chief</h1><p>Dana Whitfield, the head of robotics at Acme Robotics, "
           "has left the company to join Globex, Globex said on Tuesday.</p><p>Whitfield will lead a new "
           "team of forty engineers.</p></article></body></html>")

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not installed (apt install chromium)")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[str, Store, LocalWeb]]:
    db = str(tmp_path_factory.mktemp("analyst") / "analyst.db")
    store = Store(db)
    run_ingest([SAMPLES], store)
    news = LocalWeb()
    with serve_app(create_app(db, token=TOKEN, allow_private=("127.0.0.1",))) as base:
        yield base, store, news
    news.close()


def _total(page) -> int:
    return int(page.locator("#moves-total strong").inner_text())


def _sign_in(page, base: str, then: str) -> None:
    page.goto(f"{base}/signin?next={then}")
    page.get_by_label("Token").fill(TOKEN)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}{then}")


def test_a_number_on_the_home_page_opens_the_moves_it_counts(site, page):
    base, _, _ = site
    page.goto(base)
    link = page.locator("#inflow a.num").first
    count = int(link.inner_text())
    link.click()
    page.wait_for_url("**/moves?**")
    assert _total(page) == count and page.locator("table.moves tbody tr").count() == min(count, 50)
    assert "to:" in page.locator("#moves-total").inner_text()
    download = page.request.get(base + page.get_by_role("link", name="CSV").get_attribute("href"))
    rows = list(csv.DictReader(io.StringIO(download.text())))
    assert len(rows) == count and all(r["evidence"] for r in rows)
    jsonl = page.request.get(base + page.get_by_role("link", name="JSON Lines").get_attribute("href"))
    assert len(jsonl.text().splitlines()) == count


def test_an_org_page_follows_its_window_and_its_sankey_adds_up(site, page):
    base, store, _ = site
    page.goto(base + "/org/Meta?since=2025")
    counts = page.locator("#org-counts a.num")
    joined, left = int(counts.nth(0).inner_text()), int(counts.nth(1).inner_text())
    assert joined == explore.count_moves(store, explore.MoveFilter(to_org="Meta", kind="move", since="2025"))
    assert joined < len(query.org_report(store, "Meta")["joined"])  # the window, not all time
    sankey = query.org_sankey(store, "Meta", since="2025")
    assert (sankey["inflow"], sankey["outflow"]) == (joined, left)  # "unknown" keeps them equal
    first = page.locator("#sankey-table a.num").first
    value = int(first.inner_text())
    first.click()
    page.wait_for_url("**/moves?**")
    assert _total(page) == value
    page.goto(base + "/org/Meta?since=2025&by=quarter")
    page.wait_for_selector("#timeline[data-ready=true]")
    quarter = page.locator("#timeline-table a.num").first
    expected = int(quarter.inner_text())
    quarter.click()
    page.wait_for_url("**/moves?**")
    assert _total(page) == expected


def test_the_net_flow_and_comparison_pages(site, page):
    base, store, _ = site
    page.goto(base + "/flows/net")
    page.get_by_label("From", exact=True).fill("OpenAI")
    page.get_by_label("and", exact=True).fill("Meta")
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector("#net-summary")
    flow = query.net_flow(store, "OpenAI", "Meta")
    assert f"net +{flow['net_to_b']} for Meta" in page.locator("#net-summary").inner_text()
    page.wait_for_selector("#quarters[data-ready=true]")
    page.screenshot(path=str(SHOTS / "netflow-1400.png"), full_page=True)
    cell = page.locator("#quarters-table a.num").first
    expected = int(cell.inner_text())
    cell.click()
    page.wait_for_url("**/moves?**")
    assert _total(page) == expected

    page.goto(base + "/compare?org=Meta&a=2025&b=2024")
    sources = page.locator("#sources tbody tr")
    assert "OpenAI" in sources.first.inner_text()
    cell = page.locator("#sources a.num").first
    expected = int(cell.inner_text())
    cell.click()
    page.wait_for_url("**/moves?**")
    assert _total(page) == expected and "since: 2025" in page.locator("#moves-total").inner_text()


def test_search_forgives_a_misspelt_alias_and_says_what_each_hit_is(site, page):
    base, _, _ = site
    page.goto(base)
    page.get_by_role("searchbox").fill("Facebok")
    page.get_by_role("button", name="Search").click()
    hit = page.locator("#hits a", has_text="Meta").first
    assert hit.get_attribute("data-kind") == "similar organization"
    hit.click()
    page.wait_for_url(f"{base}/org/Meta")
    page.goto(base + "/search?q=facebook")
    assert page.locator("#hits a[data-kind=alias]", has_text="Meta").count() == 1
    page.goto(base + "/search?q=superintelligence")
    kinds = set(page.locator("#hits a").evaluate_all("links => links.map(a => a.dataset.kind)"))
    assert {"organization", "evidence"} <= kinds


def test_the_review_queue_after_signing_in_once(site, page):
    base, _, _ = site
    _sign_in(page, base, "/review")
    page.goto(base + "/review?org=OpenAI")
    before = int(page.locator("#queue-total strong").inner_text())
    for verdict in ("Correct (save changes)", "Wrong"):
        page.locator("#queue a", has_text="review this claim").first.click()
        page.get_by_role("button", name=verdict).click()  # no token asked again
        page.wait_for_selector("p.done")
        page.goto(base + "/review?org=OpenAI")
    assert int(page.locator("#queue-total strong").inner_text()) == before - 2
    page.goto(base + "/review?org=OpenAI&state=reviewed")
    assert int(page.locator("#queue-total strong").inner_text()) == 2
    page.screenshot(path=str(SHOTS / "review-queue-1400.png"))


def test_an_article_added_by_url_is_read_and_its_moves_shown(site, page):
    base, store, news = site
    url = news.add("/news/globex-robotics.html", ARTICLE)
    _sign_in(page, base, "/add")
    page.get_by_label("URLs, one per line").fill(url)
    page.get_by_role("button", name="Add").click()
    page.wait_for_url("**/add/jobs/*")
    page.locator("#job-state", has_text="Done").wait_for(timeout=60_000)  # the page refreshes itself until then
    assert "1 new" in page.locator("#job-state").inner_text()
    assert "Dana Whitfield" in page.locator("table.moves").inner_text()
    assert query.list_moves(store, person="Dana Whitfield")[0]["to_org"] == "Globex"
    assert [path for path, _ in news.requests] == ["/news/globex-robotics.html"]
    page.screenshot(path=str(SHOTS / "add-job-1400.png"))


PAGES = {
    "home": "/", "moves": "/moves?org=Meta", "org-meta": "/org/Meta", "compare": "/compare?org=Meta&a=2025&b=2024",
    "netflow": "/flows/net?a=OpenAI&b=Meta", "people": "/people?sort=moves", "orgs": "/orgs",
    "search": "/search?q=meta", "person": "/person/Andrew Tulloch", "review": "/review",
    "watchlists": "/watchlists", "add": "/add", "cohort": "/cohort/openai-2024", "docs": "/docs",
}


@pytest.mark.parametrize("width", [1400, 420])
def test_every_page_at_1400_and_420_pixels_wide(site, browser, width: int):
    base, store, _ = site
    if not query.list_cohorts(store):
        cohort = SAMPLES.parent / "cohorts" / "openai-2024.txt"
        store.create_cohort("openai-2024", "OpenAI", [n.strip() for n in cohort.read_text().splitlines()
                                                      if n.strip() and not n.startswith("#")])
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for name, path in PAGES.items():
        page.goto(base + path)
        page.wait_for_selector("[data-chart]:not([data-ready])", state="detached")  # every chart drawn
        if name == "docs":
            page.wait_for_selector("#swagger-ui .opblock", timeout=20_000)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} at {width} px is {overflow} px too wide"
    assert errors == []
    context.close()
