"""The web app in a real browser: Debian's headless Chromium driven by Playwright, against the app
served by uvicorn on 127.0.0.1 over the sample articles. Screenshots of every page are saved to
test-output/screenshots/ for a person to look at."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CHROMIUM, FIXTURES, SAMPLES, SHOTS, serve_app
from talentflow import query
from talentflow.pipeline import run_ingest
from talentflow.store import Store
from talentflow.web.app import create_app

TOKEN = "browser-token"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not installed (apt install chromium)")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Store]]:
    db = str(tmp_path_factory.mktemp("browser") / "browser.db")
    store = Store(db)
    run_ingest([SAMPLES, FIXTURES / "web" / "hostile.txt"], store)
    cohort = SAMPLES.parent / "cohorts" / "openai-2024.txt"
    store.create_cohort("openai-2024", "OpenAI", [n.strip() for n in cohort.read_text().splitlines()
                                                  if n.strip() and not n.startswith("#")])
    with serve_app(create_app(db, token=TOKEN)) as base:
        yield base, store


def _no_script_ran(page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.dialogs == []


def test_home_to_meta_to_a_person_to_a_move(server, page):
    base, store = server
    page.goto(base + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Talent moves"
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)
    _no_script_ran(page)

    page.get_by_role("link", name="Meta", exact=True).first.click()
    page.wait_for_selector("#sankey[data-ready='true']")
    assert page.get_by_role("heading", level=1).inner_text() == "Meta"
    nodes = page.evaluate("echarts.getInstanceByDom(document.getElementById('sankey'))"
                          ".getOption().series[0].data.map(d => d.name)")
    expected = {n["name"] for n in query.org_sankey(store, "Meta")["nodes"]}
    assert set(nodes) == expected
    assert {"Meta", "from OpenAI", "from Apple", "from Thinking Machines Lab"} <= set(nodes)
    assert page.locator("#sankey canvas, #sankey svg").count() >= 1
    assert page.locator("#timeline[data-ready='true']").count() == 1
    page.screenshot(path=str(SHOTS / "org-meta.png"), full_page=True)

    page.locator("#alumni a[href^='/person/'], table.moves a[href^='/person/']").first.click()
    page.wait_for_selector("h2#career-title")
    person = page.get_by_role("heading", level=1).inner_text()
    assert query.career(store, person)["steps"]
    page.screenshot(path=str(SHOTS / "person.png"), full_page=True)

    page.locator("ol.career a[href^='/move/']").first.click()
    page.wait_for_selector("ol.evidence mark")
    marked = page.locator("ol.evidence mark").first.inner_text()
    move_id = int(page.url.rsplit("/", 1)[1])
    assert marked == query.get_move(store, move_id)["evidence"][0]["text"]
    page.screenshot(path=str(SHOTS / "move.png"), full_page=True)
    _no_script_ran(page)


def test_cohort_page_has_its_members_and_a_chart(server, page):
    base, _ = server
    page.goto(base + "/cohorts")
    page.get_by_role("link", name="openai-2024").click()
    page.wait_for_selector("#cohort-chart[data-ready='true']")
    assert page.locator("#members tbody tr").count() == query.cohort_status(server[1], "openai-2024")["members"]
    page.screenshot(path=str(SHOTS / "cohort.png"), full_page=True)


def test_hostile_article_text_is_shown_but_never_runs(server, page):
    base, store = server
    (move,) = query.list_moves(store, person="Jane Hollister")
    page.goto(f"{base}/move/{move['id']}")
    assert "<img src=x" in page.locator("ol.evidence mark").inner_text()
    assert page.locator("ol.evidence a[href^='javascript']").count() == 0
    _no_script_ran(page)
    page.goto(f"{base}/person/Jane Hollister")
    _no_script_ran(page)


def test_review_a_claim_after_signing_in(server, page):
    base, store = server
    page.goto(base + "/review?person=Jane+Hollister&state=all")
    claim = page.locator("li.claim", has_text="Jane Hollister").first
    claim.get_by_role("link", name="review this claim").click()
    claim_url = page.url
    assert "/review/claim/" in claim_url and page.locator("form.review").count() == 0  # not signed in
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Token").fill("not-the-token")
    page.get_by_role("button", name="Sign in").click()
    assert "wrong token" in page.locator("p.error").inner_text()
    page.get_by_label("Token").fill(TOKEN)
    page.get_by_role("button", name="Sign in").click()
    assert page.url == claim_url  # back where the reviewer was
    assert query.list_moves(store, person="Jane Hollister")
    page.get_by_role("button", name="Wrong").click()
    page.wait_for_selector("p.done")
    assert "reviewed: wrong" in page.locator("main").inner_text()
    assert query.list_moves(store, person="Jane Hollister") == []
    page.screenshot(path=str(SHOTS / "review.png"))
    _no_script_ran(page)


def test_screenshots_are_kept_for_a_person_to_look_at():
    # Runs last in this module: every page above left its picture.
    for name in ("home", "org-meta", "person", "move", "cohort", "review"):
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000, name
    assert shutil.which("chromium") or Path(CHROMIUM).exists()
