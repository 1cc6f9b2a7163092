"""The explorer in a real browser: Playwright driving Debian's chromium against a server started here.

By default over the mini corpus's store. ``TACITUS_WEB_DB=demo.duckdb`` runs the same tests over another
store, and ``TACITUS_SCREENSHOTS=docs/screenshots`` keeps the screenshots there (the README's come from
``TACITUS_WEB_DB=demo.duckdb TACITUS_SCREENSHOTS=docs/screenshots pytest tests/test_web_browser.py``).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tacitus.web import STATIC_DIR, create_app

CHROMIUM = os.environ.get("TACITUS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no chromium at {CHROMIUM} (.ci/run installs it)"),
    pytest.mark.skipif(not (STATIC_DIR / "index.html").is_file(), reason="front end not built (make web)"),
]


@pytest.fixture(scope="module")
def store(request) -> Path:
    if os.environ.get("TACITUS_WEB_DB"):
        return Path(os.environ["TACITUS_WEB_DB"])
    return request.getfixturevalue("mini_db")


@contextmanager
def serving(db: Path):
    """A real uvicorn server over ``db`` on a free loopback port, in a thread; its base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def server(store):
    with serving(store) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 850})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.base = server
    yield pg
    context.close()
    assert not errors, errors
    outside = [u for u in requests if not u.startswith(server) and not u.startswith("data:")]
    assert not outside, f"requests outside the server: {outside}"


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    keep = os.environ.get("TACITUS_SCREENSHOTS")
    path = Path(keep) if keep else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _wait(page, predicate: str):
    """Wait until the JavaScript expression is true. Given as a function: Playwright polls a bare expression
    through eval, which the explorer's Content-Security-Policy (script-src 'self') forbids."""
    page.wait_for_function(f"() => ({predicate})")


def _open(page, view: str, query: str = ""):
    page.goto(f"{page.base}/#{view}{query}")
    page.wait_for_selector(f"body[data-view={view}][data-ready=true]", timeout=30000)


def _api(page, path: str):
    return page.request.get(f"{page.base}/{path}").json()


def test_network_renders_with_nodes(page, shots):
    _open(page, "network")
    _wait(page, "window.__tacitus && window.__tacitus.cy && window.__tacitus.cy.nodes().length > 0")
    nodes = page.evaluate("window.__tacitus.cy.nodes().length")
    edges = page.evaluate("window.__tacitus.cy.edges().length")
    api = _api(page, "api/network")
    assert nodes == len(api["nodes"]) > 0 and edges == len(api["edges"]) > 0
    assert page.locator("#cy canvas").count() > 0
    # bigger nodes for more events
    sizes = page.evaluate("window.__tacitus.cy.nodes().map(n => [n.data('events'), n.width()])")
    sizes.sort()
    assert sizes[0][1] <= sizes[-1][1]
    page.wait_for_timeout(300)
    page.screenshot(path=str(shots / "network.png"))
    # a click on a link lists its events and draws the pair's relation per year
    # the busiest link whose midpoint no node or label covers (a click there would pick the node)
    edge = page.evaluate("""(() => { const cy = window.__tacitus.cy; const box = cy.container().getBoundingClientRect();
        const free = (p) => !cy.nodes().some(n => { const b = n.renderedBoundingBox({includeLabels: true});
            return p.x >= b.x1 - 4 && p.x <= b.x2 + 4 && p.y >= b.y1 - 4 && p.y <= b.y2 + 4; });
        const edges = cy.edges().sort((a, b) => b.data('events') - a.data('events'));
        const e = edges.filter(e => free(e.renderedMidpoint()))[0] || edges[0];
        const p = e.renderedMidpoint();
        return {source: e.data('source'), target: e.data('target'), events: e.data('events'), x: box.left + p.x, y: box.top + p.y}; })()""")
    page.mouse.click(edge["x"], edge["y"])
    page.wait_for_selector("#inspector .dyad")
    listed = page.locator("#inspector .record.event").count()
    assert listed >= edge["events"]  # negated ones are listed too, and not counted on the link
    dyad = _api(page, f"api/dyad?a={edge['source']}&b={edge['target']}")
    if any(p["events"] for p in dyad["periods"]):
        assert page.locator("#inspector svg.dyad-chart rect").count() > sum(1 for p in dyad["periods"] if p["events"])
        # a time axis: each period's bar at a distance from the first proportional to the years between them
        bars = page.evaluate("""[...document.querySelectorAll('#inspector svg.dyad-chart rect[fill=transparent]')]
            .map(r => [r.querySelector('title').textContent.slice(0, 4), Number(r.getAttribute('x'))])""")
        if len(bars) >= 3:
            (y0, x0), (y1, x1) = bars[0], bars[-1]
            per_year = (x1 - x0) / (int(y1) - int(y0))
            for year, x in bars:
                assert abs((x - x0) - per_year * (int(year) - int(y0))) < 0.5, bars
    # labels at least 11 px on screen however far the graph is zoomed out to fit
    page.evaluate("window.__tacitus.cy.fit()")
    page.wait_for_timeout(100)
    smallest = page.evaluate("Math.min(...window.__tacitus.cy.nodes().map(n => parseFloat(n.renderedStyle('font-size'))))")
    zoom = page.evaluate("window.__tacitus.cy.zoom()")
    assert smallest >= 10.9 or zoom < 1 / 3, (smallest, zoom)


def test_click_on_actor_filters_the_timeline(page, shots):
    _open(page, "timeline")
    page.wait_for_selector("#timeline .vis-item", state="attached")
    everything = page.evaluate("window.__tacitus.timelineItems")
    _open(page, "network")
    _wait(page, "window.__tacitus && window.__tacitus.cy && window.__tacitus.cy.nodes().length > 0")
    # a real mouse click on the most active node
    # the most active node whose centre no other node covers
    target = page.evaluate("""(() => { const cy = window.__tacitus.cy; const box = cy.container().getBoundingClientRect();
        const clear = (n) => { const p = n.renderedPosition(); return !cy.nodes().some(o => o !== n && (() => {
            const b = o.renderedBoundingBox(); return p.x >= b.x1 && p.x <= b.x2 && p.y >= b.y1 && p.y <= b.y2; })()); };
        const nodes = cy.nodes().sort((a, b) => b.data('events') - a.data('events'));
        const n = nodes.filter(clear)[0] || nodes[0]; const p = n.renderedPosition();
        return {id: n.id(), x: box.left + p.x, y: box.top + p.y}; })()""")
    page.mouse.click(target["x"], target["y"])
    _wait(page, f"window.location.hash.includes('actor={target['id']}')")
    page.wait_for_selector("#actor-filter:not([hidden])")
    page.wait_for_selector(f"#inspector .actor-profile[data-id='{target['id']}']")
    page.click("#tabs a[data-view=timeline]")
    page.wait_for_selector("body[data-view=timeline][data-ready=true]")
    filtered = page.evaluate("window.__tacitus.timelineItems")
    expected = _api(page, f"api/events?actor={target['id']}&dated=true&merged=true&limit=5000")
    assert filtered == expected["total"] > 0
    assert all(target["id"] in (e["source_actor_id"], e["target_actor_id"]) for e in expected["items"])
    assert filtered < everything
    assert page.locator("#actor-filter").inner_text().startswith("actor:")
    items = "#timeline .vis-item.vis-point:not(.vis-cluster), #timeline .vis-item.vis-range:not(.vis-cluster)"
    page.locator(f"{items} >> visible=true").first.click()
    page.wait_for_selector("#inspector .record.event")
    page.screenshot(path=str(shots / "timeline.png"))
    # the evidence: the event's article opens with the event's words marked and its record beside them
    event_id = page.locator("#inspector .record.event").get_attribute("data-id")
    event = _api(page, f"api/events/{event_id}")
    page.locator("#inspector .record.event a.article-link").click()
    page.wait_for_selector("body[data-view=articles][data-ready=true]")
    page.wait_for_selector("#article-text .selected")
    marked = page.evaluate("[...document.querySelectorAll('#article-text .selected')].map(s => s.textContent).join('')")
    article = _api(page, f"api/articles/{event['article_id']}")
    assert marked == article["text"][event["start"]:event["end"]]
    assert page.locator(f"#inspector .record.event[data-id='{event_id}']").count() == 1
    page.go_back()
    page.wait_for_selector("body[data-view=timeline][data-ready=true]")
    # the filter applies to the other views too, and clearing it restores everything
    page.click("#tabs a[data-view=quotes]")
    page.wait_for_selector("body[data-view=quotes][data-ready=true]")
    quotes = _api(page, f"api/quotes?actor={target['id']}&merged=true&limit=1")["total"]
    assert page.locator("#quote-list .pager span").inner_text().endswith(f"of {quotes:,}") or quotes == 0
    page.click("#tabs a[data-view=articles]")
    page.wait_for_selector("body[data-view=articles][data-ready=true]")
    page.wait_for_selector("#article-text span.hl")
    assert page.locator("#article-list li").count() == min(50, _api(page, f"api/articles?actor={target['id']}&limit=1")["total"])
    assert page.locator("#article-text span.focus-actor").count() >= 1  # the actor's mentions stand out
    page.click("#actor-filter button")
    _wait(page, "!window.location.hash.includes('actor=')")


def test_event_type_and_quad_filters(page):
    _open(page, "timeline")
    page.wait_for_selector("#timeline .vis-item", state="attached")
    kind = _api(page, "api/summary")["event_types"][0]
    page.select_option("#event-type", kind)
    _wait(page, f"window.location.hash.includes('type={kind}')")
    page.wait_for_selector("body[data-view=timeline][data-ready=true]")
    expected = _api(page, f"api/events?type={kind}&dated=true&merged=true&limit=5000")
    assert page.evaluate("window.__tacitus.timelineItems") == expected["total"] > 0
    # the view's JSON link carries the same filters
    href = page.locator(".view-timeline .json-link").get_attribute("href")
    assert f"type={kind}" in href and page.request.get(page.base + href).json()["total"] == expected["total"]
    page.click("#tabs a[data-view=network]")
    page.wait_for_selector("body[data-view=network][data-ready=true]")
    page.locator("#quads input[value='material conflict']").check()
    _wait(page, "decodeURIComponent(window.location.hash).includes('quad=material+conflict')")
    page.wait_for_selector("body[data-view=network][data-ready=true]")
    net = _api(page, f"api/network?type={kind}&quad=material%20conflict")
    shown = page.evaluate("window.__tacitus.cy ? window.__tacitus.cy.edges().length : 0") if net["edges"] else 0
    assert shown == len(net["edges"])
    # the year sliders narrow the shared date range
    page.click("#clear-filters")
    page.wait_for_selector("body[data-view=network][data-ready=true] #year-from")
    summary = _api(page, "api/summary")
    first, last = int(summary["first_event"][:4]), int(summary["last_event"][:4])
    middle = (first + last) // 2
    page.locator("#year-from").fill(str(middle))
    _wait(page, f"window.location.hash.includes('since={middle}')")
    page.wait_for_selector("body[data-view=network][data-ready=true]")
    assert page.locator("#since").input_value() == str(middle)
    net = _api(page, f"api/network?since={middle}")
    shown = page.evaluate("window.__tacitus.cy ? window.__tacitus.cy.edges().length : 0") if net["edges"] else 0
    assert shown == len(net["edges"])


def test_article_shows_its_highlights(page, shots):
    listing = _api(page, "api/articles?status=ok&limit=500")
    first = max(listing["items"], key=lambda a: a["events"])
    article = _api(page, f"api/articles/{first['id']}")
    _open(page, "articles", f"?article={first['id']}")
    page.wait_for_selector("#article-text span.hl")
    assert page.locator("#article-text").inner_text().strip() == article["text"].strip()
    assert page.locator("#article-text span.l-mentions").count() >= 1
    assert page.locator("#article-text span.l-events").count() >= 1
    # every mention's text is covered by highlighted pieces
    covered = page.evaluate("[...document.querySelectorAll('#article-text span.l-mentions')].map(s => s.textContent).join('')")
    for m in article["mentions"][:10]:
        assert m["text"].split()[0] in covered
    # a click on a highlighted actor shows its record, with a link that filters to the actor
    page.locator("#article-text span.l-mentions").first.click()
    page.wait_for_selector("#inspector .record")
    assert page.locator("#article-text .selected").count() >= 1
    assert page.locator("#inspector .record dl.fields dt").count() >= 2
    assert "[object" not in page.locator("#inspector").inner_text()
    page.screenshot(path=str(shots / "article.png"))
    # a layer can be switched off
    page.locator(".layers label.l-mentions input").uncheck()
    assert page.locator("#article-text span.l-mentions").count() == 0


def test_map_quotes_disputes_and_search(page, shots):
    _open(page, "map")
    page.wait_for_selector("#map path.leaflet-interactive")
    points = page.evaluate("window.__tacitus.mapPoints")
    assert points == len(_api(page, "api/map")["points"]) > 0
    assert page.locator("#map svg path").count() > 100  # the world outline
    page.screenshot(path=str(shots / "map.png"))

    _open(page, "quotes")
    page.wait_for_selector("#quote-list tbody tr")
    total = _api(page, "api/quotes?merged=true&limit=1")["total"]
    assert page.locator("#quote-list tbody tr").count() == min(50, total)
    page.locator("#quote-list tbody tr").first.click()
    page.wait_for_selector("#inspector .record.quote")
    page.screenshot(path=str(shots / "quotes.png"))

    _open(page, "disputes")
    disputes = _api(page, "api/disputes?limit=1")["total"]
    if disputes:
        page.wait_for_selector("#dispute-list .dispute .side.allege")
        assert page.locator("#dispute-list .dispute").count() == min(20, disputes)
        page.locator("#dispute-list .claim").first.click()
        page.wait_for_selector("#inspector .record.claims")
    else:
        page.wait_for_selector("#dispute-list .empty")
    page.screenshot(path=str(shots / "disputes.png"))

    page.fill("#search", "Kabul")
    page.wait_for_selector("#search-results:not([hidden]) .article-link")
    page.locator("#search-results .article-link").first.click()
    page.wait_for_selector("body[data-view=articles][data-ready=true]")
    page.wait_for_selector("#article-text span.hl")
    assert "kabul" in page.locator("#article-reader").inner_text().lower()


def test_api_reference_offline(page):
    _open(page, "api")
    page.wait_for_selector(".api-docs .endpoint")
    text = page.locator(".api-docs").inner_text()
    for path in ("/api/network", "/api/events", "/api/articles/{article_id}", "/api/search"):
        assert path in text
    assert page.locator(".api-docs table.params tr").count() > 20  # parameters with their types and bounds
    assert "≤ 5000" in text


def test_server_rejects_malformed_parameters(server):
    import json
    import urllib.error
    import urllib.request

    for query in ("api/events?limit=-5", "api/network?since=tomorrow", "api/search?q="):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{server}/{query}", timeout=10)
        assert 400 <= err.value.code < 500
        assert json.loads(err.value.read())["error"]


HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def test_text_from_articles_is_never_markup(browser, tmp_path):
    """Names, titles and quotes come from scraped pages: a store full of markup runs no script in any view."""
    from tacitus.store import Store

    db = tmp_path / "hostile.duckdb"
    text = f"{HOSTILE} attacked {HOSTILE} in Kabul. {HOSTILE} said it was {HOSTILE}."
    a, b = 0, len(HOSTILE)
    t0 = text.index("attacked")
    k0 = text.index("Kabul")
    with Store.open(db) as store:
        con = store.con
        con.execute("INSERT INTO articles (id, title, published, outlet, text, status) VALUES ('a1', ?, '2021-05-02', ?, ?, 'ok')",
                    [HOSTILE, HOSTILE, text])
        con.execute("INSERT INTO sentences (article_id, sentence, start, \"end\") VALUES ('a1', 0, 0, ?), ('a1', 1, ?, ?)",
                    [k0 + 6, k0 + 7, len(text)])
        con.execute("INSERT INTO actors (id, name, code, kind, mention_count) VALUES ('X1', ?, 'AAA', 'group', 2), ('X2', ?, 'BBB', 'group', 1)",
                    [HOSTILE, HOSTILE + "2"])
        con.execute("INSERT INTO mentions (id, article_id, actor_id, text, start, \"end\", sentence) VALUES ('m1', 'a1', 'X1', ?, ?, ?, 0)",
                    [HOSTILE, a, b])
        con.execute("""INSERT INTO events (id, article_id, type, quad, source, target, source_actor_id, target_actor_id, date,
                       negated, historical, place, sentence, start, "end", trigger, intensity)
                       VALUES ('e1', 'a1', 'ASSAULT', 'material conflict', {'code': 'AAA', 'name': ?}, {'code': 'BBB', 'name': ?},
                               'X1', 'X2', '2021-05-01', FALSE, FALSE, ?, 0, ?, ?, 'attacked', -9)""",
                    [HOSTILE, HOSTILE, HOSTILE, t0, t0 + 8])
        con.execute("""INSERT INTO places (id, article_id, text, name, country, latitude, longitude, resolved, is_actor, start, "end", sentence)
                       VALUES ('p1', 'a1', 'Kabul', ?, 'AFG', 34.5, 69.2, TRUE, FALSE, ?, ?, 0)""", [HOSTILE, k0, k0 + 5])
        con.execute("""INSERT INTO quotes (id, article_id, text, speaker, speaker_actor_id, speaker_role, kind, cue, start, "end", sentence)
                       VALUES ('q1', 'a1', ?, ?, 'X1', ?, 'indirect', 'said', ?, ?, 1)""",
                    [HOSTILE, HOSTILE, HOSTILE, len(text) - len(HOSTILE) - 1, len(text) - 1])
        con.execute("""INSERT INTO claims (id, article_id, stance, claimant, claimant_actor_id, subject, relation, object,
                       proposition, text, cue, date, sentence, start, "end")
                       VALUES ('c1', 'a1', 'alleges', ?, 'X1', ?, 'ASSAULT', ?, ?, ?, 'said', '2021-05-02', 1, ?, ?)""",
                    [HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE, len(text) - len(HOSTILE) - 1, len(text) - 1])
        con.execute("""INSERT INTO disputes (id, proposition, relation, subject, object, alleged_by, denied_by, confirmed_by,
                       claims, articles, outlets, claim_ids) VALUES ('d1', ?, 'ASSAULT', ?, ?, [?], [?], [], 1, 1, 1, ['c1'])""",
                    [HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE])
    with serving(db) as base:
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        page = context.new_page()
        for view, ready in (("network", "#cy canvas"), ("timeline", "#timeline .vis-item"), ("map", "#map path.leaflet-interactive"),
                            ("quotes", "#quote-list tbody tr"), ("disputes", "#dispute-list .dispute"),
                            ("articles", "#article-text span.hl")):
            page.goto(f"{base}/#{view}")
            page.wait_for_selector(f"body[data-view={view}][data-ready=true]")
            page.wait_for_selector(ready, state="attached")
            target = {"timeline": "#timeline .vis-item.vis-point", "map": "#map path.leaflet-interactive",
                      "quotes": "#quote-list tbody tr", "articles": "#article-text span.l-mentions"}.get(view)
            if target:  # hover for the tooltips, click for the record in the side panel
                page.locator(target).first.hover()
                page.locator(target).first.click()
                page.wait_for_selector("#inspector .record, #inspector h2")
            page.wait_for_timeout(200)
            assert page.evaluate("window.__pwned") is None, view
            assert page.locator("#view img, #inspector img, .vis-tooltip img, .leaflet-tooltip img").count() == 0, view
        page.fill("#search", "onerror")
        page.wait_for_selector("#search-results:not([hidden]) li")
        assert page.evaluate("window.__pwned") is None
        assert HOSTILE in page.locator("#search-results").inner_text()  # shown as text
        context.close()


# -- the shared filter bar acts on every view that shows dated items ------------------------------------
DATED_VIEWS = {  # view -> the API list it draws from (None: the view issues several; any data request counts)
    "network": None, "timeline": None, "map": None, "quotes": "api/quotes?merged=true", "disputes": "api/disputes",
    "articles": "api/articles", "trends": None,
}


def _range_that_leaves_something_out(page) -> tuple[str, str]:
    """A since/until pair that keeps some of the store's articles and leaves others out."""
    items = _api(page, "api/articles?limit=500")["items"]
    years = sorted({a["published"][:4] for a in items if a.get("published")})
    assert len(years) >= 2, "the store needs articles of two years at least"
    return years[-1], years[-1]


@pytest.mark.parametrize("width", [1024, 1400])
def test_the_filter_bar_acts_on_every_dated_view(browser, server, shots, width):
    """At 1024 and 1400 px: with a date range set in the bar, every API request a dated view makes carries
    the range, and a paged view's count is the filtered one (and differs from the unfiltered one when the
    range leaves something out). The quad and type controls are disabled where they select nothing."""
    context = browser.new_context(viewport={"width": width, "height": 850})
    page = context.new_page()
    page.base = server
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        since, until = _range_that_leaves_something_out(page)
        for view, listing in DATED_VIEWS.items():
            requests.clear()
            _open(page, view, f"?since={since}&until={until}")
            data = [u for u in requests if "/api/" in u and "/api/summary" not in u and "/api/actors/" not in u
                    and "/api/articles/" not in u and "/api/events/" not in u]
            assert data, (view, requests)
            for url in data:
                assert f"since={since}" in url and f"until={until}" in url, (view, url)
            if listing:
                glue = "&" if "?" in listing else "?"
                filtered = _api(page, f"{listing}{glue}since={since}&until={until}&limit=1")
                everything = _api(page, f"{listing}{glue}limit=1")
                if filtered["total"]:
                    text = page.locator(".pager span").first.inner_text()
                    assert text.endswith(f"of {filtered['total']:,}"), (view, text)
                else:  # an empty selection says so
                    assert page.locator(".pager span, p.empty").first.inner_text().strip(), view
                if view == "articles":
                    assert filtered["total"] < everything["total"], "the range must leave articles out"
            # every tab and the search box on screen, whatever the width
            right = page.evaluate("Math.max(...[...document.querySelectorAll('#tabs a, #search')]"
                                  ".map((e) => e.getBoundingClientRect().right))")
            assert right <= width, (view, width, right)
            disabled = page.evaluate("document.getElementById('event-type').disabled")
            assert disabled == (view in ("quotes", "disputes", "articles")), view
            page.screenshot(path=str(shots / f"filtered-{view}-{width}.png"))
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.parametrize("width", [1024, 1400])
def test_trends_draw_the_selection_per_period(browser, server, shots, width):
    """The Trends view: one bar per period with events, split by quad class, the table's numbers those of
    /api/trends, the undated count shown; a quad class ticked in the bar redraws it with that class only."""
    context = browser.new_context(viewport={"width": width, "height": 850})
    page = context.new_page()
    page.base = server
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        _open(page, "trends")
        data = _api(page, "api/trends?by=year&merged=true")
        assert data["periods"]
        assert page.locator(".trends-chart rect.period").count() == len(data["periods"])
        rows = page.locator(".trends-table tbody tr")
        assert rows.count() == len(data["periods"])
        first = data["periods"][0]
        assert rows.first.locator("td").nth(1).inner_text() == str(first["events"])
        if data["undated"]:
            assert f"{data['undated']} event" in page.locator("#trends-info").inner_text()
        quad = next(q for p in data["periods"] for q in p["by_quad"])
        page.locator(f"#quads input[value='{quad}']").check()
        page.wait_for_selector(f"body[data-view=trends][data-ready=true]")
        _wait(page, "location.hash.includes('quad=')")
        page.wait_for_selector("body[data-ready=true]")
        only = _api(page, f"api/trends?by=year&merged=true&quad={quad.replace(' ', '%20')}")
        _wait(page, f"document.querySelectorAll('.trends-table tbody tr').length === {len(only['periods'])}")
        totals = page.locator(".trends-table tbody tr td:nth-child(2)").all_inner_texts()
        assert [int(t) for t in totals] == [p["events"] for p in only["periods"]]
        page.locator(".trends-table tbody tr").first.click()
        page.wait_for_selector("#inspector .record h3")
        assert only["periods"][0]["period"] in page.locator("#inspector .record h3").inner_text()
        page.screenshot(path=str(shots / f"trends-{width}.png"))
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.parametrize("width", [1024, 1400])
def test_tables_filter_sort_facet_and_download(browser, server, shots, width):
    """The Tables view: pick a table, add a filter with the controls, facet a column and click a value, sort
    by a header; the pager counts what /api/tables counts, the URL keeps the view, and the CSV link gives
    the same rows."""
    import csv
    import io

    context = browser.new_context(viewport={"width": width, "height": 850}, accept_downloads=True)
    page = context.new_page()
    page.base = server
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        _open(page, "tables")
        page.locator("ul.table-list a[data-table=events]").click()
        _wait(page, "location.hash.includes('table=events')")
        page.wait_for_selector("body[data-view=tables][data-ready=true] ul.table-list li.active a[data-table=events]")
        assert page.evaluate("document.getElementById('since').disabled")  # the bar's dates are not this view's
        total = _api(page, "api/tables/events?limit=1")["total"]
        assert page.locator(".pager span").first.inner_text().endswith(f"of {total:,}")
        # facet by type, then click its commonest value
        page.select_option("#table-facet", "type")
        page.wait_for_selector(".facet[data-column=type] li a")
        top = page.locator(".facet[data-column=type] li a").first.inner_text()
        page.locator(".facet[data-column=type] li a").first.click()
        _wait(page, "location.hash.includes('where=type')")
        page.wait_for_selector("body[data-ready=true] .filter-chip")
        # and a filter from the controls: intensity below zero... or at least zero, whichever keeps rows
        page.select_option("#table-column", "intensity")
        page.select_option("#table-op", "le")
        page.fill("#table-value", "10")
        page.click("#table-add-filter")
        _wait(page, "location.hash.includes('intensity')")
        page.wait_for_selector("body[data-ready=true]")
        _wait(page, "document.querySelectorAll('.filter-chip').length === 2")
        expected = _api(page, f"api/tables/events?where=type:eq:{top}&where=intensity:le:10&limit=500")
        assert page.locator(".pager span").first.inner_text().endswith(f"of {expected['total']:,}")
        # sort by start, descending (two clicks)
        page.locator("th.sortable[data-column=start]").click()
        _wait(page, "location.hash.includes('sort=start')")
        page.wait_for_selector("body[data-ready=true] th.sortable[data-column=start]")
        page.locator("th.sortable[data-column=start]").click()
        _wait(page, "location.hash.includes('desc=1')")
        page.wait_for_selector("body[data-ready=true] table.table-view tbody tr")
        starts = [r["start"] for r in expected["items"]]
        columns = [c["name"] for c in expected["columns"]]
        shown = page.locator(f"table.table-view tbody tr td:nth-child({columns.index('start') + 1})").all_inner_texts()
        assert [int(s) for s in shown] == sorted(starts, reverse=True)[: len(shown)]
        # the CSV link: the same rows, in the same order
        with page.expect_download() as info:
            page.locator("a.csv-link").click()
        rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
        assert len(rows) == expected["total"]
        assert [int(r["start"]) for r in rows] == sorted(starts, reverse=True)
        # reloading the URL shows the same view
        page.reload()
        page.wait_for_selector("body[data-view=tables][data-ready=true] .filter-chip")
        assert page.locator(".filter-chip").count() == 2
        page.screenshot(path=str(shots / f"tables-{width}.png"))
        assert not errors, errors
    finally:
        context.close()


def test_timeline_says_who_did_what_to_whom_and_keeps_the_last_labels_on_screen(page, shots):
    """Every item reads "source → TYPE → target" ("?" for a side not named), and after the first fit (and
    the fit button) no item's label runs past the right edge of the drawing."""
    _open(page, "timeline")
    _wait(page, "document.querySelectorAll('#timeline .vis-item .vis-item-content').length > 0")
    page.wait_for_timeout(300)
    labels = page.locator("#timeline .vis-item:not(.vis-cluster) .vis-item-content").all_inner_texts()
    assert labels and all(t.count("→") == 2 for t in labels), labels[:5]

    def overflow():
        return page.evaluate("""(() => { const edge = document.querySelector('#timeline .vis-panel.vis-center')
            .getBoundingClientRect().right;
            return [...document.querySelectorAll('#timeline .vis-item:not(.vis-cluster) .vis-item-content')]
              .map(n => n.getBoundingClientRect()).filter(r => r.width > 0).map(r => r.right - edge)
              .filter(d => d > 1); })()""")

    assert overflow() == []
    page.get_by_role("button", name="fit").click()
    page.wait_for_timeout(300)
    assert overflow() == []
