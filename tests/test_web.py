"""The explorer's JSON API (``tacitus serve``) over the mini corpus's store and a hand-built store with a
dispute: answers, filters, paging, and a 4xx with a message (never a 500) for malformed parameters."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from conftest import model_available
from tacitus.store import Store
from tacitus.web import create_app
from tacitus.web.app import allowed_hosts_for

needs_model = pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")


@pytest.fixture(scope="module")
def client(mini_db):
    with TestClient(create_app(mini_db)) as c:
        yield c


@needs_model
def test_summary_and_openapi(client):
    s = client.get("/api/summary").json()
    assert s["counts"]["articles"] == 4 and s["counts"]["events"] > 0 and s["counts"]["quotes"] > 0
    import duckdb

    from tacitus.api.explore import fts_installed

    with duckdb.connect() as probe:  # nothing is downloaded: BM25 only where the extension is installed
        assert s["search_engine"] == ("fts" if fts_installed(probe) else "substring")
    assert client.get("/api/search", params={"q": "kabul"}).json()["engine"] == s["search_engine"]
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/network", "/api/events", "/api/map", "/api/quotes", "/api/disputes", "/api/articles/{article_id}",
                 "/api/search", "/api/actors/{actor_id}"):
        assert path in paths


@needs_model
def test_network_counts_match_events(client):
    net = client.get("/api/network").json()
    assert net["nodes"] and net["edges"]
    events = client.get("/api/events", params={"limit": 5000}).json()["items"]
    ids = {n["id"] for n in net["nodes"]}
    for edge in net["edges"]:
        assert edge["source"] in ids and edge["target"] in ids
        between = [e for e in events if e["source_actor_id"] == edge["source"] and e["target_actor_id"] == edge["target"]
                   and not e["negated"]]
        assert edge["events"] == len(between) == edge["cooperation"] + edge["conflict"] + sum(
            1 for e in between if e["quad"] not in ("verbal cooperation", "material cooperation", "verbal conflict",
                                                     "material conflict"))


@needs_model
def test_actor_filter_and_dates(client):
    everything = client.get("/api/events", params={"limit": 5000}).json()
    actor = everything["items"][0]["source_actor_id"]
    mine = client.get("/api/events", params={"actor": actor, "limit": 5000}).json()
    assert 0 < mine["total"] < everything["total"]
    assert all(actor in (e["source_actor_id"], e["target_actor_id"]) for e in mine["items"])
    since = client.get("/api/events", params={"since": "2021", "limit": 5000}).json()
    assert since["items"] and all(e["date"] >= "2021" for e in since["items"])
    conflict = client.get("/api/events", params=[("quad", "material conflict"), ("quad", "verbal conflict")]).json()
    assert all(e["quad"] in ("material conflict", "verbal conflict") for e in conflict["items"])
    brief = client.get("/api/events", params={"brief": True, "limit": 5000}).json()
    assert [e["id"] for e in brief["items"]] == [e["id"] for e in everything["items"]]
    assert "sentence_text" not in brief["items"][0] and "date" in brief["items"][0]
    edge = client.get("/api/network").json()["edges"][0]
    dyad = client.get("/api/dyad", params={"a": edge["source"], "b": edge["target"]}).json()
    assert dyad["by"] == "year" and sum(p["events"] for p in dyad["periods"]) >= 1
    assert all(p["cooperation"] + p["conflict"] <= p["events"] for p in dyad["periods"])
    assert client.get("/api/dyad", params={"a": ",", "b": "AFG"}).status_code == 422  # no actor in "a": the schema says so
    kind = everything["items"][0]["type"]
    typed = client.get("/api/events", params={"type": kind.lower(), "limit": 5000}).json()
    assert typed["items"] and all(e["type"] == kind for e in typed["items"])
    page = client.get("/api/events", params={"limit": 2, "offset": 1}).json()
    assert [e["id"] for e in page["items"]] == [e["id"] for e in everything["items"][1:3]]
    merged = client.get("/api/events", params={"merged": True, "limit": 5000}).json()
    clusters = {e["cluster_id"] or e["id"] for e in everything["items"]}
    assert merged["total"] == len(merged["items"]) == len(clusters) <= everything["total"]
    profile = client.get(f"/api/actors/{actor}").json()
    assert profile["id"] == actor and profile["events"] >= mine["total"]


@needs_model
def test_article_has_every_layer_at_its_offsets(client):
    listing = client.get("/api/articles", params={"status": "ok"}).json()
    assert listing["total"] >= 3
    checked = 0
    for item in listing["items"]:
        a = client.get(f"/api/articles/{item['id']}").json()
        text = a["text"]
        for layer in ("mentions", "quotes", "places", "timexes", "counts"):
            for r in a[layer]:
                assert 0 <= r["start"] < r["end"] <= len(text)
                if layer in ("mentions", "places", "timexes"):
                    assert text[r["start"]:r["end"]] == r["text"]
                checked += 1
        for e in a["events"]:
            assert 0 <= e["start"] < e["end"] <= len(text) and e["sentence_text"]
    assert checked > 20


@needs_model
def test_map_quotes_and_search(client):
    m = client.get("/api/map").json()
    assert m["points"] and m["placed"] == sum(p["events"] for p in m["points"]) <= m["events"]
    assert all(-90 <= p["latitude"] <= 90 and -180 <= p["longitude"] <= 180 for p in m["points"])
    every = client.get("/api/quotes", params={"limit": 500}).json()["items"]
    merged = client.get("/api/quotes", params={"limit": 500, "merged": True}).json()
    assert merged["total"] == len({x["cluster_id"] or x["id"] for x in every}) <= len(every)
    quotes = client.get("/api/quotes", params={"limit": 3}).json()
    assert quotes["total"] > 3 and len(quotes["items"]) == 3
    speaker = next(q["speaker_actor_id"] for q in client.get("/api/quotes", params={"limit": 500}).json()["items"]
                   if q["speaker_actor_id"])
    by = client.get("/api/quotes", params={"actor": speaker}).json()["items"]
    assert any(q["speaker_actor_id"] == speaker for q in by)
    for q in by:  # spoken by the actor, or naming it inside the quote
        if q["speaker_actor_id"] != speaker:
            mentions = client.get(f"/api/articles/{q['article_id']}").json()["mentions"]
            assert any(m["actor_id"] == speaker and q["start"] <= m["start"] and m["end"] <= q["end"] for m in mentions)
    found = client.get("/api/search", params={"q": "kabul"}).json()
    assert found["articles"] and all("kabul" in (a["snippet"] + (a["title"] or "")).lower() for a in found["articles"])
    assert any(a["code"] and a["code"].startswith("AFG") for a in client.get("/api/search", params={"q": "afghan"}).json()["actors"])
    # LIKE wildcards are plain characters
    assert client.get("/api/search", params={"q": "%_%"}).json()["articles"] == []


@needs_model
@pytest.mark.parametrize("url, fragment", [
    ("/api/events?limit=0", "limit"), ("/api/events?limit=100000", "limit"), ("/api/events?limit=abc", "limit"),
    ("/api/events?offset=-1", "offset"), ("/api/events?offset=99999999999999999999999", "offset"),
    ("/api/events?since=2021-13", "since"), ("/api/events?since=yesterday", "since"),
    ("/api/events?since=0000", "since"), ("/api/events?until=2021-02-30", "until"), ("/api/network?quad=war", "quad"),
    ("/api/network?min_events=0", "min_events"), ("/api/events?type=DROP%20TABLE", "type"),
    ("/api/quotes?kind=shouted", "kind"), ("/api/search", "q"), ("/api/search?q=", "q"),
    ("/api/articles?q=%00", "q"), ("/api/events?actor=" + "x" * 300, "actor"), ("/api/events?dated=maybe", "dated"),
    ("/api/actors?limit=1.5", "limit"), ("/api/dyad?a=RUS", "b"), ("/api/dyad?a=RUS&b=AFG&by=week", "by"),
])
def test_malformed_parameters_are_4xx_with_a_message(client, url, fragment):
    r = client.get(url)
    assert 400 <= r.status_code < 500, (url, r.status_code, r.text)
    assert fragment in r.json()["error"]


@needs_model
def test_what_the_schema_allows_is_answered(client):
    """The OpenAPI document allows these, so they are answered 200 (they used to be 400 or 422): a range
    whose since is after its until is empty; a dyad of an unknown actor, or of an actor with itself, has
    no periods (or its events with itself); 29 February of a year without one is 28 February or 1 March.
    A 422 body carries the fields the schema requires (loc, msg, type); HEAD is answered for GET."""
    r = client.get("/api/events", params={"since": "2021", "until": "2019"})
    assert r.status_code == 200 and r.json()["total"] == 0 and r.json()["items"] == []
    assert client.get("/api/network", params={"since": "2021", "until": "2019"}).json()["nodes"] == []
    r = client.get("/api/dyad", params={"a": "0", "b": "0"})
    assert r.status_code == 200 and r.json()["periods"] == []
    everything = client.get("/api/events", params={"limit": 5000}).json()["total"]
    assert client.get("/api/events", params={"since": "1900-02-29"}).json()["total"] == \
        client.get("/api/events", params={"since": "1900-03-01"}).json()["total"]
    assert client.get("/api/events", params={"until": "2100-02-29"}).json()["total"] <= everything
    bad = client.get("/api/events", params={"limit": "x"})
    assert bad.status_code == 422
    [problem] = bad.json()["detail"]
    assert set(problem) == {"loc", "msg", "type"} and problem["loc"] == ["query", "limit"]
    head = client.head("/api/summary")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(client.get("/api/summary").content)
    assert client.head("/api/events/nope").status_code == 404
    spec = client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        responses = ops["get"]["responses"]
        assert {"200", "400", "422"} <= set(responses), path
        assert ("404" in responses) == ("{" in path), path


@needs_model
def test_answers_are_cached_inside_the_host_check_and_the_pool_never_deadlocks(mini_db):
    import threading

    with TestClient(create_app(mini_db, allowed_hosts=allowed_hosts_for("127.0.0.1"), cursors=2),
                    base_url="http://127.0.0.1:8765") as local:
        stats = local.app.state.cache_stats
        first = local.get("/api/events", params={"limit": 7})
        again = local.get("/api/events", params={"limit": 7})
        assert stats["hits"] == 1 and again.content == first.content
        assert again.headers["x-frame-options"] == "DENY" and again.headers["cache-control"] == "no-store"
        assert local.get("/api/events", params={"limit": 7}, headers={"Host": "attacker.example"}).status_code == 400
        assert local.get("/api/events/nope").status_code == 404 and local.get("/api/events/nope").status_code == 404
        assert stats["kept"] == 1  # only 200 answers are kept
        # 24 requests at once on 2 cursors: they queue for a cursor without holding the worker threads
        paths = ["/api/summary", "/api/network", "/api/quotes", "/api/disputes", "/api/actors", "/api/map"]
        got: list[int] = []
        def one(i: int) -> None:  # distinct URLs: none answered from the cache
            got.append(local.get(f"{paths[i % len(paths)]}?request={i}").status_code)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(24)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert got == [200] * 24
    with TestClient(create_app(mini_db, cache_mb=0)) as uncached:
        uncached.get("/api/summary")
        uncached.get("/api/summary")
        assert uncached.app.state.cache_stats["hits"] == 0


@needs_model
def test_unknown_records_paths_and_hosts(client, mini_db):
    assert client.get("/api/articles/nope").status_code == 404
    assert "no actor" in client.get("/api/actors/nope").json()["error"]
    assert client.get("/api/events/nope").status_code == 404
    assert client.get("/api/disputes/nope").status_code == 404
    assert client.get("/api/bogus").status_code == 404
    assert client.get("/docs").status_code == 404  # FastAPI's page would load Swagger UI from a CDN
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2f..%2fweb%2fapp.py", "/static/../app.py"):
        r = client.get(path)
        assert r.status_code == 404 and "root:" not in r.text and "create_app" not in r.text
    r = client.get("/api/summary")
    assert "access-control-allow-origin" not in r.headers and r.headers["x-content-type-options"] == "nosniff"
    with TestClient(create_app(mini_db, allowed_hosts=allowed_hosts_for("127.0.0.1")), base_url="http://127.0.0.1:8765") as local:
        assert local.get("/api/summary").status_code == 200
        assert local.get("/api/summary", headers={"Host": "attacker.example"}).status_code == 400
    assert allowed_hosts_for("0.0.0.0") is None


def test_missing_or_bad_store_is_a_clear_error(tmp_path):
    from tacitus.errors import StoreError

    with pytest.raises(StoreError, match="not found"):
        create_app(tmp_path / "none.duckdb")


@pytest.fixture
def dispute_db(tmp_path):
    """A hand-built store: one article, an allegation and a denial of it, and the dispute they make."""
    db = tmp_path / "disputes.duckdb"
    text = "Officials in Kabul said Pakistan was arming the rebels. Islamabad denied arming anyone."
    with Store.open(db) as store:
        con = store.con
        con.execute("INSERT INTO articles (id, title, published, outlet, text, status) VALUES ('a1', 'Arms row', "
                    "'2021-05-02', 'Test Wire', ?, 'ok')", [text])
        con.execute("INSERT INTO actors (id, name, code, kind, mention_count) VALUES ('AFG-GOV', 'Afghan government', "
                    "'AFG GOV', 'organisation', 1), ('PAK', 'Pakistan', 'PAK', 'state', 2)")
        con.execute("""INSERT INTO claims (id, article_id, stance, claimant, claimant_actor_id, claimant_code, subject,
                       subject_actor_id, subject_code, relation, object, proposition, text, cue, date, sentence, start, "end")
                       VALUES ('c1', 'a1', 'alleges', 'Afghan government', 'AFG-GOV', 'AFG GOV', 'Pakistan', 'PAK', 'PAK',
                               'arms', 'the rebels', 'Pakistan arms the rebels', 'Pakistan was arming the rebels', 'said',
                               '2021-05-02', 0, 24, 54),
                              ('c2', 'a1', 'denies', 'Pakistan', 'PAK', 'PAK', 'Pakistan', 'PAK', 'PAK', 'arms',
                               'the rebels', 'Pakistan arms the rebels', 'arming anyone', 'denied', '2021-05-03', 1, 73, 86)""")
        con.execute("""INSERT INTO disputes (id, proposition, relation, subject, subject_code, object, object_code,
                       alleged_by, denied_by, confirmed_by, since, first_date, last_date, claims, articles, outlets,
                       claim_ids) VALUES ('d1', 'Pakistan arms the rebels', 'arms', 'Pakistan', 'PAK', 'the rebels',
                       NULL, ['Afghan government'], ['Pakistan'], [], '2021-05-02', '2021-05-02', '2021-05-03', 2, 1, 1,
                       ['c1', 'c2'])""")
    return db


def test_disputes_with_their_claims(dispute_db):
    with TestClient(create_app(dispute_db)) as c:
        d = c.get("/api/disputes").json()
        assert d["total"] == 1
        item = d["items"][0]
        assert item["alleged_by"] == ["Afghan government"] and item["denied_by"] == ["Pakistan"]
        assert [x["stance"] for x in item["claim_list"]] == ["alleges", "denies"]
        assert item["claim_list"][0]["article_title"] == "Arms row"
        assert c.get("/api/disputes", params={"actor": "AFG-GOV"}).json()["total"] == 1
        assert c.get("/api/disputes", params={"actor": "USA"}).json()["total"] == 0
        assert c.get("/api/disputes", params={"q": "rebels"}).json()["total"] == 1
        # every name and code on the card: who alleges, who denies, the subject's code
        for q in ("Afghan government", "pakistan", "PAK"):
            assert c.get("/api/disputes", params={"q": q}).json()["total"] == 1, q
        assert c.get("/api/disputes", params={"q": "Blinken"}).json()["total"] == 0
        assert c.get("/api/disputes", params={"contested": True}).json()["items"][0]["contested"] is True
        assert c.get("/api/disputes/d1").json()["claim_list"][1]["claimant"] == "Pakistan"
        article = c.get("/api/articles/a1").json()
        assert [x["id"] for x in article["claims"]] == ["c1", "c2"]


@needs_model
@pytest.mark.slow
def test_tacitus_serve_cli(mini_db, tmp_path):
    """The command itself: serves the store on the port given, and says plainly when it cannot."""
    import json
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from conftest import run_cli

    bad = run_cli("serve", "--db", str(tmp_path / "missing.duckdb"))
    assert bad.returncode == 1 and b"database not found" in bad.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.listen()
        busy = run_cli("serve", "--db", str(mini_db), "--port", str(port))
        assert busy.returncode == 1 and b"cannot listen" in busy.stderr
    proc = subprocess.Popen([sys.executable, "-m", "tacitus", "serve", "--db", str(mini_db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/summary", timeout=5) as r:
                    summary = json.loads(r.read())
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "server did not answer"
                time.sleep(0.2)
        assert summary["counts"]["articles"] == 4
    finally:
        proc.terminate()
        proc.wait(20)
    assert b"http://127.0.0.1:" in proc.stderr.read()
