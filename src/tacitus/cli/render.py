"""Human-readable output of the CLI (rich tables on stdout)."""

from __future__ import annotations

from typing import Any

import os

from rich.console import Console as _RichConsole
from rich.table import Table as _RichTable

#: Width of tables written to a file or a pipe (a terminal uses its own width; COLUMNS overrides both).
FILE_WIDTH = 200


def Console(stderr: bool = False, **kwargs) -> _RichConsole:  # noqa: N802 - a drop-in for rich's Console
    """rich's Console, but output to a file or a pipe is drawn FILE_WIDTH wide instead of 80, so that
    ``tacitus eval events > file`` keeps every column whole."""
    console = _RichConsole(stderr=stderr, **kwargs)
    if "width" not in kwargs and not console.is_terminal and "COLUMNS" not in os.environ:
        console = _RichConsole(stderr=stderr, width=FILE_WIDTH, **kwargs)
    return console


class Table(_RichTable):
    """rich's Table whose cells fold onto a second line when they do not fit, never cut to "0.7…"."""

    def add_column(self, *args, **kwargs) -> None:  # type: ignore[override]
        kwargs.setdefault("overflow", "fold")
        super().add_column(*args, **kwargs)


def print_run_summary(summary) -> None:
    console = Console()
    c = summary.counts
    table = Table(title=f"tacitus run {summary.run_id} into {summary.db}", show_header=False)
    table.add_column("what")
    table.add_column("n", justify="right")
    for label, key in (
        ("input files", "units"), ("new articles", "articles"), ("unchanged (already stored)", "unchanged"),
        ("duplicates", "duplicates"), ("other language (not processed)", "skipped_language"),
        ("too short", "too_short"), ("unsupported files (skipped)", "skipped"), ("failures", "failures"),
    ):
        table.add_row(label, str(c.get(key, 0)))
    table.add_row("model", summary.model)
    table.add_row("time", f"{summary.elapsed:.1f} s")
    console.print(table)
    if summary.stages:
        parts = [f"{stage} {v['wall_s']:.1f}" for stage, v in summary.stages.items() if v["wall_s"] >= 0.05]
        console.print("seconds by stage (wall): " + ", ".join(parts), highlight=False)
    if summary.failures:
        console.print("[bold]failures[/] (all in table 'failures'):")
        for key, stage, reason in summary.failures:
            console.print(f"  {key}  [dim]{stage}[/]  {reason}", highlight=False)


def print_stats(data: dict[str, Any]) -> None:
    console = Console()
    console.print(f"[bold]{data['database']}[/] (schema v{data['schema_version']}, {data['runs']} runs)")
    t = Table(title="rows per table")
    t.add_column("table")
    t.add_column("rows", justify="right")
    for name, n in data["tables"].items():
        t.add_row(name, str(n))
    console.print(t)
    for key, title in (("articles_by_status", "articles by status"), ("articles_by_language", "articles by language"),
                       ("failures_by_stage", "failures by stage")):
        if data[key]:
            console.print(f"{title}: " + ", ".join(f"{k}={v}" for k, v in data[key].items()), highlight=False)
    if data.get("junk_lines_removed"):
        console.print(f"web junk lines removed in cleaning: {data['junk_lines_removed']} (articles.removed)", highlight=False)
    if data.get("ingest_warnings"):
        console.print("ingest warnings (articles.warnings): "
                      + ", ".join(f"{k}={v}" for k, v in data["ingest_warnings"].items()), highlight=False)
    lo, hi = data["published_range"]
    if lo:
        console.print(f"published: {lo} .. {hi}", highlight=False)
    if data.get("events_by_type"):
        parts = ", ".join(f"{k}={v}" for k, v in data["events_by_type"].items())
        flags = ", ".join(f"{k}={v}" for k, v in data.get("events_flags", {}).items())
        console.print(f"events by type: {parts}", highlight=False)
        console.print(f"events flagged: {flags}", highlight=False)
    if data["top_actors"]:
        a = Table(title="top actors")
        a.add_column("actor")
        a.add_column("code")
        a.add_column("mentions", justify="right")
        for row in data["top_actors"]:
            a.add_row(row["name"], row["code"] or "", str(row["mentions"]))
        console.print(a)


def print_settings(settings, resolved) -> None:
    console = Console()
    t = Table(title="settings")
    t.add_column("name")
    t.add_column("value")
    t.add_column("from")
    t.add_column("help")
    for s in settings:
        t.add_row(s.name, repr(resolved[s.name]), resolved.sources.get(s.name, "default"), s.help)
    console.print(t)


def progress_bar(label: str, total: int):
    """A context manager yielding an ``advance()`` callable; draws a rich bar on stderr when it is a terminal."""
    import contextlib
    import os

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    @contextlib.contextmanager
    def bar():
        console = Console(stderr=True)
        progress = Progress(TextColumn(f"[bold]{label}[/]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            console=console, disable=not console.is_terminal and os.environ.get("TACITUS_PROGRESS") != "1")
        with progress:
            task = progress.add_task(label, total=total)
            yield lambda: progress.advance(task)

    return bar()


def print_scores(result: dict[str, Any]) -> None:
    console = Console()
    if "real_text" in result:
        t = Table(title="Real prose through the cleaner: documents lost and characters kept (every document of each corpus)")
        for col in ("corpus", "documents", "lost", "chars kept", "judged scraped", "kept whole", "previous: lost", "previous: kept"):
            t.add_column(col, justify="left" if col == "corpus" else "right")
        previous = {s["corpus"]: s for s in result.get("real_text_previous", [])}
        for s in result["real_text"]:
            p = previous.get(s["corpus"])
            t.add_row(s["corpus"], str(s["documents"]), str(s["lost"]), f"{s['kept_share']:.2%}", str(s["judged_scraped"]),
                      str(s["kept_whole"]), str(p["lost"]) if p else "", f"{p['kept_share']:.2%}" if p else "")
        console.print(t)
    for group, scores in (result.get("real_pages") or {}).items():
        if not isinstance(scores, list):
            if scores:
                console.print(f"Pages not in English (not cleaned, not scored): {scores}")
            continue
        unit = "snippet level" if "snippets" in group else "line level, unlabelled lines not scored"
        t = Table(title=f"Junk removal on {group} ({unit}; article text is the positive class)")
        for col in ("system", "precision", "recall", "F1", "pages"):
            t.add_column(col, justify="left" if col == "system" else "right")
        for s in scores:
            t.add_row(s["system"], f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["pages"]))
        console.print(t)
    titles = {
        "labelled_pages": "Junk removal on the labelled pages of --pages (line level, cross-validated)",
        "trafilatura_benchmark": "trafilatura benchmark through the HTML reader (snippet level: must-keep found = TP, must-drop found = FP)",
    }
    for key, title in titles.items():
        if key not in result:
            continue
        t = Table(title=title)
        for col in ("system", "precision", "recall", "F1", "pages"):
            t.add_column(col, justify="left" if col == "system" else "right")
        extra = any("date_gold" in s for s in result[key])
        if extra:
            t.add_column("date right", justify="right")
            t.add_column("author right", justify="right")
        for s in result[key]:
            row = [s["system"], f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["pages"])]
            if extra:
                if "date_gold" in s:
                    row += [f"{s['date_ok']}/{s['date_gold']}", f"{s['author_ok']}/{s['author_gold']}"]
                else:
                    row += ["", ""]
            t.add_row(*row)
        console.print(t)


def print_actor_scores(result: dict[str, Any]) -> None:
    console = Console()
    if "conll_dev" in result:
        t = Table(title="Actor mentions on CoNLL++ dev (PER + ORG, exact span and type)")
        for col in ("system", "precision", "recall", "F1", "documents"):
            t.add_column(col, justify="left" if col == "system" else "right")
        for s in result["conll_dev"]:
            t.add_row(s["system"], f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["documents"]))
        console.print(t)
    if "demo_resolution" in result:
        t = Table(title=f"Actor resolution on our annotated demo articles ({result['demo_gold_rows']} gold rows)")
        for col in ("system", "found", "code right", "KB id right", "places/junk kept out"):
            t.add_column(col, justify="left" if col == "system" else "right")
        for s in result["demo_resolution"]:
            t.add_row(s["system"], f"{s['found_rate']:.3f}", f"{s['code_accuracy']:.3f}", f"{s['id_accuracy']:.3f}",
                      f"{s['not_actor_accuracy']:.3f}")
        console.print(t)


def _actor(side) -> str:
    if not isinstance(side, dict) or not side:
        return "?"
    name, code = side.get("name") or "", side.get("code") or ""
    return f"{name} [{code}]" if name and code else (name or code or "?")


def _value(r, name: str) -> str:
    v = getattr(r, name, None)
    return "" if v is None or (isinstance(v, float) and v != v) else str(v)


def print_events(df) -> None:
    """Events as blocks that read at any width: a headline (date, type and mode, who did it to whom,
    flags), then the trigger and the article, then the sentence in full."""
    from rich.markup import escape

    console = Console()
    console.print(f"[bold]{len(df)} events[/]")
    for r in df.itertuples(index=False):
        flags = [name for name in ("negated", "hedged", "future", "historical") if bool(getattr(r, name, False))]
        mode = f" ({r.mode})" if getattr(r, "mode", None) else ""
        console.print()
        console.print(f"[bold]{escape(_value(r, 'date') or 'undated')}[/]  [bold]{escape(str(r.type))}[/]{escape(mode)}  "
                      f"{escape(_actor(r.source))} -> {escape(_actor(r.target))}"
                      + (f"  [italic]{escape(' '.join(flags))}[/]" if flags else ""))
        where = " - ".join(x for x in (_value(r, "article_title"), _value(r, "article_published")) if x)
        trigger = _value(r, "trigger")
        console.print(f"  [dim]trigger[/] {escape(trigger or '-')}  [dim]article[/] {escape(where or _value(r, 'source_path'))}"
                      f"  [dim]id[/] {escape(_value(r, 'id'))}")
        sentence = " ".join(_value(r, "sentence_text").split())
        if sentence:
            console.print(f"  {escape(sentence)}", soft_wrap=False)


def print_event_scores(result: dict[str, Any]) -> None:
    console = Console()
    titles = {"ours": "Events on our 372 labelled sentences", "plover_gsr": "Events on the PLOVER gold standard records"}
    for key, rows in result.items():
        t = Table(title=titles.get(key, key))
        cols = ["system", "type P", "type R", "type F1", "source words", "target words", "source code", "date",
                "negated", "hedged", "future", "historical"]
        for col in cols:
            t.add_column(col, justify="left" if col == "system" else "right")
        for s in rows:
            def fmt(k):
                v = s.get(k)
                return "" if v is None else f"{v:.3f}"
            t.add_row(s["system"], f"{s['type_precision']:.3f}", f"{s['type_recall']:.3f}", f"{s['type_f1']:.3f}",
                      fmt("source_words_accuracy"), fmt("target_words_accuracy"), fmt("source_code_accuracy"),
                      fmt("date_accuracy"), fmt("negated_accuracy"), fmt("hedged_accuracy"), fmt("future_accuracy"),
                      fmt("historical_accuracy"))
        console.print(t)


def _short_text(text: str | None, width: int = 160) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= width else text[: width - 3] + "..."


def print_quotes(df) -> None:
    """Quotes as blocks that read at any width: date, speaker (how found, role), cue and kind, the article,
    then the quote in full."""
    from rich.markup import escape

    console = Console()
    console.print(f"[bold]{len(df)} quotes[/]")
    for r in df.itertuples(index=False):
        code = f" [{r.speaker_code}]" if isinstance(r.speaker_code, str) and r.speaker_code else ""
        written = f' ("{r.speaker_text}")' if isinstance(r.speaker_text, str) and r.speaker_text and r.speaker_text != r.speaker else ""
        how = f", found by {r.speaker_kind}" if isinstance(r.speaker_kind, str) and r.speaker_kind else ""
        role = f", {r.speaker_role}" if isinstance(r.speaker_role, str) and r.speaker_role else ""
        kind = r.kind + (" partial" if bool(r.partial) else "")
        console.print()
        console.print(f"[bold]{escape(_value(r, 'article_published') or 'undated')}[/]  "
                      f"[bold]{escape((r.speaker or 'unknown speaker') + code)}[/]{escape(written + role + how)}  "
                      f"[dim]{escape(kind)}, cue[/] {escape(r.cue or '-')}")
        where = " - ".join(x for x in (_value(r, "article_title"), _value(r, "article_outlet")) if x)
        console.print(f"  [dim]article[/] {escape(where or _value(r, 'source_path'))}  [dim]id[/] {escape(_value(r, 'id'))}")
        text = " ".join((r.text or "").split())
        console.print("  " + escape(f"\u201c{text}\u201d" if r.kind == "direct" else text))


def _names(values) -> str:
    return ", ".join(str(v) for v in values) if values is not None and len(values) else ""


def print_disputes(df, claims=None) -> None:
    console = Console()
    confirmed = any(len(v) for v in df["confirmed_by"]) if len(df) else False
    t = Table(title=f"{len(df)} disputes (claims / articles / outlets)", show_lines=True)
    t.add_column("proposition", ratio=3, overflow="fold")
    t.add_column("alleged by", ratio=2, overflow="fold")
    t.add_column("denied by", ratio=2, overflow="fold")
    if confirmed:
        t.add_column("confirmed by", ratio=2, overflow="fold")
    t.add_column("since", no_wrap=True)
    t.add_column("n", no_wrap=True, justify="right")
    for r in df.itertuples(index=False):
        row = [f"{r.subject} {r.relation} {r.object}\n[{r.proposition}]", _names(r.alleged_by), _names(r.denied_by)]
        if confirmed:
            row.append(_names(r.confirmed_by))
        row += [r.since or r.first_date or "", f"{r.claims}/{r.articles}/{r.outlets}"]
        t.add_row(*row)
    console.print(t)
    if claims is None:
        return
    for r in df.itertuples(index=False):
        sub = claims[claims["proposition"] == r.proposition]
        c = Table(title=f"{r.proposition}: {len(sub)} claims", show_lines=False)
        for col in ("date", "stance", "claimant", "cue", "article", "text"):
            c.add_column(col, overflow="fold")
        for x in sub.itertuples(index=False):
            c.add_row(x.date or "", x.stance, x.claimant or "", x.cue or "", x.article_title or x.source_path or "",
                      _short_text(x.text, 120))
        console.print(c)


def print_quote_scores(result: dict[str, Any]) -> None:
    console = Console()
    labels = (("spans", "quote spans"), ("exact", "exact spans"), ("speaker", "span + speaker"),
              ("direct_spans", "direct: spans"), ("direct_speaker", "direct: span + speaker"))
    for key, title in (("polnear", "PolNeAR"), ("demo", "our demo gold")):
        if key not in result:
            continue
        r = result[key]
        what = (f"{r['documents']} documents, {r['attributions']} attributions, {r['split']}" if key == "polnear"
                else f"{r['articles']} articles, {r['rows']} rows, {r['content_not_found']} contents not found")
        t = Table(title=f"{title} ({what})")
        t.add_column("system")
        t.add_column("measure")
        for col in ("P", "R", "F1", "tp", "fp", "fn"):
            t.add_column(col, justify="right")
        for s in r["systems"]:
            for k, label in labels:
                m = s[k]
                t.add_row(m["system"], label, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                          str(m["tp"]), str(m["fp"]), str(m["fn"]))
        console.print(t)
        if "by_speaker_kind" in r:
            k = Table(title="Tacitus speakers by gold speaker kind (matched quotes)")
            for col in ("kind", "gold", "matched", "speaker right"):
                k.add_column(col, justify="left" if col == "kind" else "right")
            for kind, v in r["by_speaker_kind"].items():
                k.add_row(kind, str(v.get("gold", 0)), str(v["matched"]), str(v["speaker_right"]))
            console.print(k)
    if "demo_claims" in result:
        r = result["demo_claims"]
        t = Table(title=f"claims on our demo gold ({r['articles']} articles, {r['rows']} claims; per-article sets)")
        for col in ("system", "P", "R", "F1", "tp", "fp", "fn"):
            t.add_column(col, justify="left" if col == "system" else "right")
        for m in r["systems"]:
            t.add_row(m["system"], f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", str(m["tp"]),
                      str(m["fp"]), str(m["fn"]))
        console.print(t)
    if "polnear_attribution" in result:
        r = result["polnear_attribution"]
        t = Table(title=f"attribution on PolNeAR {r['split']} ({r['documents']} documents, {r['attributions']} "
                        "attributions): F1 (P / R); source right = of matched attributions with a gold source, "
                        "ours overlaps it")
        for col in ("system", "cue exact", "source exact", "content exact", "content overlap", "source right",
                    "named source right"):
            t.add_column(col, justify="left" if col == "system" else "right")

        def cell(m: dict) -> str:
            return f"{m['f1']:.3f} ({m['precision']:.2f} / {m['recall']:.2f})" if m["tp"] + m["fp"] else "n/a"

        for s in r["systems"]:
            sr = s["source_right"]
            t.add_row(s["system"], cell(s["cue"]), cell(s["source"]), cell(s["content_exact"]),
                      cell(s["content_overlap"]),
                      *(f"{sr[k]['share']:.3f}" if sr.get(k, {}).get("share") is not None else "n/a"
                        for k in ("all", "named")))
        console.print(t)
    if "polnear_claims" in result:
        r = result["polnear_claims"]
        t = Table(title=f"claims on PolNeAR {r['split']}: {r['attributions']} attributions whose cue denies, confirms "
                        f"or alleges ({r['documents']} documents)")
        for col in ("stance", "gold", "Tacitus claim, same stance", "Tacitus quote, same stance"):
            t.add_column(col, justify="left" if col == "stance" else "right")
        for stance, v in sorted(r["by_stance"].items()):
            t.add_row(stance, str(v["gold"]), str(v["claim"]), str(v["quote"]))
        console.print(t)
        prec = "n/a" if r["claims_precision"] is None else f"{r['claims_precision']:.3f}"
        prec_all = "n/a" if r.get("claims_precision_all") is None else f"{r['claims_precision_all']:.3f}"
        console.print(f"claims recall {r['claims_recall']}, precision {prec} ({r['claims_on_cued']} claims on them; "
                      f"{prec_all} of all {r.get('claims', 0)} claims); "
                      f"quotes with the cue's stance: recall {r['quotes_recall']}")




def write_frame(df, fmt: str, table) -> None:
    """A DataFrame on stdout as JSON lines or CSV, written as ``tacitus export`` writes a table (one
    writer: list, struct and JSON cells as one JSON value, NULL as an empty field, true/false), or drawn
    by ``table(df)``. A closed pipe (`... | head`) ends the output quietly."""
    from tacitus.store.db import write_frame as write_rows

    try:
        if fmt in ("jsonl", "csv"):
            if not df.empty or fmt == "csv":
                write_rows(df, fmt)
        else:
            table(df)
    except BrokenPipeError:
        import sys

        sys.stderr.close()
