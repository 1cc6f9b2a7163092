"""The ``tacitus`` command. Each command parses options, calls the API, and prints; nothing more."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from tacitus.errors import TacitusError

from tacitus.cli.app import (CONFIG_OPTION, DB_OPTION, SET_OPTION, date_value, note_undated, _eval_dir_option, _eval_pipeline, _fail,  # noqa: F401
                             app, eval_app, in_repository)


@app.command()
def run(
    paths: List[str] = typer.Argument(..., help="Files and folders to read (folders recursively); '-' reads stdin."),
    db: Path = DB_OPTION,
    n_process: Optional[int] = typer.Option(None, "--n-process", "-n", help="Worker processes for the NLP stage."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", "-b", help="Articles per batch and transaction."),
    force: bool = typer.Option(False, "--force", help="Reprocess inputs already in the store."),
    config: Optional[Path] = CONFIG_OPTION,
    set_: Optional[List[str]] = SET_OPTION,
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout."),
    published: Optional[str] = typer.Option(None, "--published", callback=date_value,
                                            help="Publication date for articles whose page gives none (setting published)."),
    dates_file: Optional[Path] = typer.Option(None, "--dates", help="CSV/TSV of input,date rows: publication dates "
                                                                    "that win over the page's (setting published_file)."),
    engine: Optional[str] = typer.Option(None, "--engine", help="Where the NLP stage runs: local or ray."),
    ray_address: Optional[str] = typer.Option(None, "--ray-address",
                                              help="Ray engine: an existing cluster's address (default: start a local Ray)."),
    ray_workers: Optional[int] = typer.Option(None, "--ray-workers", help="Ray engine: actors in the pool."),
) -> None:
    """Run the pipeline on PATHS into the database; print a summary."""
    from tacitus.api.run import process
    from tacitus.settings import parse_assignments, resolve

    try:
        overrides = parse_assignments(set_ or [])
        if published is not None:
            overrides["published"] = published
        if dates_file is not None:
            overrides["published_file"] = str(dates_file)
        overrides.update({"n_process": n_process, "batch_size": batch_size, "engine": engine,
                          "ray_address": ray_address, "ray_workers": ray_workers})
        settings = resolve(config, overrides, use_default_config=True)
        summary = process(paths, db, settings, force=force)
    except TacitusError as exc:
        _fail(str(exc))
        return
    except KeyboardInterrupt:
        _fail("interrupted; run the same command again to resume", 130)
        return
    if json_out:
        typer.echo(json.dumps(summary.as_dict()))
        return
    from tacitus.cli.render import print_run_summary

    print_run_summary(summary)


@app.command()
def export(
    table: str = typer.Argument(..., help="Table to export (articles, actors, mentions, events, quotes, places, counts, sentences, failures, inputs, runs)."),
    db: Path = DB_OPTION,
    format: str = typer.Option("jsonl", "--format", "-f", help="jsonl, csv or parquet."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output file (default: stdout)."),
) -> None:
    """Export TABLE as JSONL, CSV or Parquet."""
    from tacitus.store import Store

    try:
        with Store.open(db, read_only=True) as store:
            store.export(table, format, output)
    except TacitusError as exc:
        _fail(str(exc))
    except BrokenPipeError:
        sys.stderr.close()


@app.command()
def stats(
    db: Path = DB_OPTION,
    json_out: bool = typer.Option(False, "--json", help="Print the statistics as JSON."),
) -> None:
    """Show what the database holds."""
    from tacitus.api.reader import open_db

    try:
        with open_db(db) as database:
            data = database.stats()
    except TacitusError as exc:
        _fail(str(exc))
        return
    if json_out:
        typer.echo(json.dumps(data, default=str))
        return
    from tacitus.cli.render import print_stats

    print_stats(data)


@app.command()
def settings(
    config: Optional[Path] = CONFIG_OPTION,
    set_: Optional[List[str]] = SET_OPTION,
) -> None:
    """List every setting with its resolved value, where the value comes from, and its help."""
    from tacitus.settings import SETTINGS, parse_assignments, resolve

    try:
        resolved = resolve(config, parse_assignments(set_ or []), use_default_config=True)
    except TacitusError as exc:
        _fail(str(exc))
        return
    from tacitus.cli.render import print_settings

    print_settings(SETTINGS, resolved)


@app.command()
def events(
    db: Path = DB_OPTION,
    source: Optional[str] = typer.Option(None, "--source", help='Source actor: code ("RUS", "AFG INS", "AFG-INS"), id or name.'),
    target: Optional[str] = typer.Option(None, "--target", help="Target actor: code, id or name."),
    type_: Optional[str] = typer.Option(None, "--type", help="PLOVER event type (ASSAULT, AGREE, ...)."),
    since: Optional[str] = typer.Option(None, "--since", callback=date_value, help="Events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", callback=date_value, help="Events on or before this date."),
    undated: Optional[bool] = typer.Option(None, "--undated/--dated-only", help="With --since/--until, also list "
                                           "undated events (last); they are left out, and counted, by default. "
                                           "--dated-only leaves them out without a date range too."),
    no_negated: bool = typer.Option(False, "--no-negated", help="Leave out negated events."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most this many events."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
) -> None:
    """List events in date order with source, target, type, date, flags and the sentence they come from."""
    from tacitus.api.reader import open_db
    from tacitus.cli.render import print_events, write_frame

    if fmt not in ("table", "jsonl", "csv"):
        _fail(f"unknown format {fmt!r}; choose table, jsonl or csv")
        return
    try:
        with open_db(db) as d:
            df = d.events(source, target, type_, since, until, include_negated=not no_negated,
                          include_undated=undated, limit=limit)
    except TacitusError as exc:
        _fail(str(exc))
        return
    write_frame(df, fmt, print_events)
    note_undated(df)


kb_app = typer.Typer(no_args_is_help=True, help="The actor knowledge base: look names up, add actors, import Wikidata.")
app.add_typer(kb_app, name="kb")


@kb_app.command("lookup")
def kb_lookup(
    names: List[str] = typer.Argument(..., help="Names to look up."),
    db: Optional[Path] = typer.Option(None, "--db", help="Also use the actors added to this database."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON lines."),
) -> None:
    """Show what each NAME resolves to: id, name, code, kind, country, sector, roles."""
    from tacitus.api.kb import lookup

    try:
        results = lookup(names, db)
    except TacitusError as exc:
        _fail(str(exc))
        return
    for name, actor in results:
        if json_out:
            typer.echo(json.dumps({"query": name, "actor": actor}))
        elif actor is None:
            typer.echo(f"{name}: not in the knowledge base")
        else:
            roles = "; ".join(f"{r['role']} ({r['org']}, {r['start'] or '?'}-{r['end']})" for r in actor["roles"])
            typer.echo(f"{name}: {actor['id']}  {actor['name']}  [{actor['code']}]  {actor['kind']}"
                       + (f"  roles: {roles}" if roles else ""))


@kb_app.command("add")
def kb_add(
    db: Path = DB_OPTION,
    name: str = typer.Option(..., "--name", help="Canonical name."),
    code: str = typer.Option(..., "--code", help='Actor code, e.g. "RUS GOV", "AFG INS", "IGO".'),
    kind: str = typer.Option("person", "--kind", help="person, organisation, group or state."),
    actor_id: Optional[str] = typer.Option(None, "--id", help="Id (default: derived from the name)."),
    alias: Optional[List[str]] = typer.Option(None, "--alias", help="Another surface form (repeatable)."),
    role: Optional[List[str]] = typer.Option(None, "--role", help='A dated role "role|ORG CODE|start|end" (repeatable).'),
) -> None:
    """Add one actor to the database's knowledge base (used by later runs on it)."""
    from tacitus.api.kb import add_actor

    try:
        row = add_actor(db, name=name, code=code, kind=kind, actor_id=actor_id, aliases=alias or [], roles=role or [])
    except TacitusError as exc:
        _fail(str(exc))
        return
    typer.echo(f"added {row['id']}: {row['name']} [{row['code']}]")


@kb_app.command("import")
def kb_import(
    dump: Path = typer.Argument(..., help="Wikidata JSON dump (.json, .json.gz or .json.bz2; one entity per line)."),
    db: Path = DB_OPTION,
    limit: Optional[int] = typer.Option(None, "--limit", help="Import at most this many actors."),
) -> None:
    """Import persons, states, organisations and armed groups from a Wikidata JSON dump into the database's KB."""
    from tacitus.api.kb import import_wikidata

    try:
        counts = import_wikidata(dump, db, limit)
    except TacitusError as exc:
        _fail(str(exc))
        return
    typer.echo(f"imported {counts['total']} actors from {dump}: "
               + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()) if k != "total"))


@eval_app.command("clean")
def eval_clean(
    pages: Optional[Path] = typer.Option(None, "--pages", help="Also score a folder of your own labelled pages (LABEL|text), cross-validated."),
    eval_dir: Path = _eval_dir_option("Folder of public datasets: its real-prose corpora and trafilatura-eval/ are scored."),
    corpus: Path = typer.Option(Path("../shared/corpus"), "--corpus", help="The scraped pages with hand-checked line labels (../shared/corpus)."),
    languages: str = typer.Option("en", "--languages", help="trafilatura benchmark pages (HTML reader) by their lang attribute, comma-separated; 'all' for every page."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Use at most this many documents per real-prose corpus and benchmark pages."),
    folds: int = typer.Option(5, "--folds", help="Cross-validation folds (by site for real pages)."),
    baselines: bool = typer.Option(True, "--baselines/--no-baselines", help="Also run the previous cleaner, trafilatura and jusText."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON on stdout."),
) -> None:
    """What cleaning keeps and removes, on text no one here wrote: per real-prose corpus, documents lost
    and share of characters kept (beside the previous cleaner); line-level junk removal on real pages
    rendered as scrapes, cross-validated by site (beside the previous model, trafilatura and jusText);
    snippet-level scores of the HTML reader on the trafilatura benchmark."""
    from tacitus.cli.render import print_scores, progress_bar
    from tacitus.evaluate import realtext
    from tacitus.evaluate.clean import (evaluate_benchmark, evaluate_pages, evaluate_real_pages, evaluate_real_text,
                                        load_benchmark, previous_cleaner, training_pages)
    from tacitus.ingest.clean import load_pages
    from tacitus.settings import resolve as resolve_settings

    result: dict = {}
    names = realtext.available(eval_dir)
    if names:
        n = sum(1 for name in names for _ in realtext.load(eval_dir, name, limit))
        with progress_bar("real prose (tacitus)", n) as advance:
            result["real_text"] = [s.as_dict() for s in evaluate_real_text(eval_dir, names, limit, progress=advance)]
        if baselines:
            old = resolve_settings(use_default_config=False, overrides={"restore_case": False, "detokenise": False})
            with progress_bar("real prose (previous cleaner)", n) as advance:
                result["real_text_previous"] = [s.as_dict() for s in evaluate_real_text(
                    eval_dir, names, limit, settings=old, cleaner=previous_cleaner(), progress=advance)]
    real = training_pages(eval_dir if (eval_dir / "trafilatura-eval").exists() else None, corpus)
    if real:
        with progress_bar("real pages, cross-validated by site", len(real)) as advance:
            scored = evaluate_real_pages(real, folds=max(2, folds), baselines=baselines, progress=advance)
        result["real_pages"] = {k: ([s.as_dict() for s in v] if isinstance(v, list) else v) for k, v in scored.items()}
    if pages:
        try:
            labelled = load_pages(pages)
        except (OSError, ValueError) as exc:
            _fail(f"cannot read labelled pages: {exc}")
            return
        if not labelled:
            _fail(f"no labelled pages (*.txt) in {pages}")
            return
        result["labelled_pages"] = [s.as_dict() for s in evaluate_pages(labelled, folds=max(2, folds), baselines=baselines)]
    bench = eval_dir / "trafilatura-eval"
    if (bench / "evaldata.json").exists():
        langs = None if languages == "all" else [x.strip() for x in languages.split(",") if x.strip()]
        bench_pages = load_benchmark(bench, langs, limit)
        with progress_bar("trafilatura benchmark", len(bench_pages)) as advance:
            scores = evaluate_benchmark(bench_pages, progress=advance, baselines=baselines)
        result["trafilatura_benchmark"] = [s.as_dict() for s in scores]
        result["trafilatura_benchmark_pages"] = {"pages": len(bench_pages), "languages": languages}
    if not result:
        _fail(f"nothing to score: no corpus of ../shared/eval under {eval_dir} and no --pages")
        return
    if json_out:
        typer.echo(json.dumps(result, indent=2))
        return
    print_scores(result)


@eval_app.command("actors")
def eval_actors(
    eval_dir: Path = _eval_dir_option("Folder of public datasets; its conll2003/conllpp_dev.txt.gz is scored when present."),
    gold: Path = typer.Option(Path("examples/demo-gold/actors.csv"), "--gold",
                              help="Our annotated actor mentions of the demo corpus."),
    corpus: Path = typer.Option(Path("examples/demo-corpus"), "--corpus", help="The articles the gold file annotates."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Use at most this many CoNLL documents."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON on stdout."),
    lang: str = typer.Option("en", "--lang", help="en: CoNLL and the demo articles; ru: factRuEval-2016 dev, "
                                                  "natasha beside natasha plus Tacitus's rules."),
    dataset: Optional[Path] = typer.Option(None, "--dir", help="With --lang ru: the factRuEval folder "
                                                                "(default: EVAL_DIR/factrueval2016-dev)."),
) -> None:
    """Actor mention P/R/F1 on CoNLL-2003 (CoNLL++ dev) beside bare spaCy NER, and resolution accuracy on our
    annotated demo articles beside spaCy NER plus a plain KB lookup. With --lang ru: person, organisation and
    location mention P/R/F1 on the factRuEval-2016 development set, natasha's NER alone beside natasha plus
    Tacitus's rules, on the half the rules were written on, the held-out half and all."""
    from tacitus.cli.render import print_actor_scores, progress_bar

    if lang not in ("en", "ru"):
        _fail(f"unknown --lang {lang!r}: use en or ru")
        return
    if lang == "ru":
        from tacitus.evaluate import actors_ru

        folder = dataset if dataset is not None else eval_dir / actors_ru.DEFAULT_DIR
        n = actors_ru.document_count(folder) if folder.is_dir() else 0
        if not n:
            _fail(f"no factRuEval documents (.txt with .objects) at {folder}")
            return
        try:
            with progress_bar("factRuEval-2016 dev", n) as advance:
                ru = actors_ru.run_devset(folder, progress=advance)
        except TacitusError as exc:
            _fail(str(exc))
            return
        if json_out:
            typer.echo(json.dumps(ru, indent=2))
            return
        for line in actors_ru.report_lines(ru):
            typer.echo(line)
        return
    from tacitus.evaluate.actors import evaluate_conll, evaluate_resolution, load_gold
    from tacitus.ingest.readers import Reader
    from tacitus.resolve.kb import KnowledgeBase

    settings, nlp = _eval_pipeline()
    result: dict = {}
    conll = eval_dir / "conll2003" / "conllpp_dev.txt.gz"
    if conll.exists():
        from tacitus.evaluate.actors import conll_documents

        n = sum(1 for _ in conll_documents(conll, limit))
        with progress_bar("CoNLL++ dev", n) as advance:
            result["conll_dev"] = [s.as_dict() for s in evaluate_conll(conll, nlp, limit, advance)]
    gold, corpus = in_repository(gold), in_repository(corpus)
    if gold.exists():
        rows = load_gold(gold)
        result["demo_resolution"] = [s.as_dict() for s in evaluate_resolution(
            rows, corpus, nlp, KnowledgeBase.load(), Reader(settings))]
        result["demo_gold_rows"] = len(rows)
    if not result:
        _fail(f"nothing to score: neither {conll} nor {gold} exists")
        return
    if json_out:
        typer.echo(json.dumps(result, indent=2))
        return
    print_actor_scores(result)


@eval_app.command("events")
def eval_events(
    eval_dir: Path = _eval_dir_option("Folder of public datasets; its plover-gsr/PLOVER_GSR_CAMEO.json is scored when present."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON on stdout."),
    lang: str = typer.Option("en", "--lang", help="en: our gold on real articles, our sentences and PLOVER GSR; ru: our Russian event gold "
                                                  "on 28 factRuEval-2016 dev articles beside a lexicon-only baseline."),
) -> None:
    """Events on real news first: precision, recall of asserted events, types, actor codes and leakage on our
    annotation of real articles of ../shared/eval (PolNeAR, MUC DEV, TimeBank, AQUAINT, Wikinews) beside a
    lexicon-only baseline; then event type P/R/F1 and source, target, date and flag accuracy on our labelled
    sentences (regression set, our own text) and on the PLOVER gold standard records, beside a bag-of-lemmas
    baseline with the same lexicon. With --lang ru: precision,
    recall of asserted events, types, actor codes and leakage on our annotation of real Russian articles."""
    from tacitus.cli.render import print_event_scores, progress_bar

    if lang == "ru":
        from tacitus.evaluate import events_ru

        gold = events_ru.load_gold()
        if not events_ru.devset_folder(eval_dir.parent).is_dir():
            _fail(f"no factRuEval-2016 dev texts under {eval_dir}")
            return
        with progress_bar("events: ru", len(gold)) as advance:
            ru = events_ru.evaluate(eval_dir.parent, gold, advance)
        if json_out:
            typer.echo(json.dumps({"documents": ru["documents"], "views": ru["views"], "problems": ru["problems"]},
                                  indent=2, ensure_ascii=False))
            return
        for line in events_ru.report_lines(ru):
            typer.echo(line)
        return
    if lang != "en":
        _fail(f"unknown --lang {lang!r}: use en or ru")
        return
    from tacitus.evaluate import events_en
    from tacitus.evaluate.events import baseline_predictor, load_gsr, load_ours, pipeline_predictor, score

    _settings, nlp = _eval_pipeline()
    result: dict = {}
    real = None
    if (eval_dir / "polnear").is_dir() and events_en.gold_path().exists():
        gold = events_en.load_gold()
        with progress_bar("events: real articles", len(gold)) as advance:
            real = events_en.evaluate(nlp, eval_dir.parent, gold, advance)
        result["real_articles"] = {"documents": real["documents"], "views": real["views"],
                                   "problems": real["problems"], "agreement": events_en.agreement(gold)}
    datasets = {"ours": (load_ours(), True)}
    gsr = eval_dir / "plover-gsr" / "PLOVER_GSR_CAMEO.json"
    if gsr.exists():
        datasets["plover_gsr"] = (load_gsr(gsr), False)
    for key, (sentences, codes) in datasets.items():
        mode = "cv" if key == "ours" else "default"
        label = "tacitus (fallback cross-validated)" if key == "ours" else "tacitus"
        with progress_bar(f"events: {key}", 3 * len(sentences)) as advance:
            result[key] = [
                score(sentences, pipeline_predictor(nlp, mode, [s.id for s in sentences]), label, codes, advance).as_dict(),
                score(sentences, pipeline_predictor(nlp, "off"), "tacitus, lexicon only", codes, advance).as_dict(),
                score(sentences, baseline_predictor(nlp), "lexicon bag-of-lemmas baseline", codes, advance).as_dict(),
            ]
    if json_out:
        typer.echo(json.dumps(result, indent=2))
        return
    if real is not None:
        for line in events_en.report_lines(real, result["real_articles"]["agreement"]):
            typer.echo(line)
        typer.echo("")
    print_event_scores({k: v for k, v in result.items() if k != "real_articles"})


@eval_app.command("time")
def eval_time(
    eval_dir: Path = _eval_dir_option("Folder of public datasets; its tempeval3/TBAQ-cleaned is scored."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Use at most this many documents."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON on stdout."),
    lang: str = typer.Option("en", "--lang", help="en: TempEval-3 TBAQ-cleaned; ru: our annotation of 30 "
                                                  "factRuEval-2016 dev articles, beside dateparser."),
) -> None:
    """Temporal expressions on TempEval-3 TBAQ-cleaned (TimeML; never the platinum test set): finding
    (P/R/F1, type) and the TimeML values of the gold DATE expressions per part (TimeBank, AQUAINT), beside
    bare dateparser on the same expressions. With --lang ru: finding and values on our Russian gold."""
    from tacitus.cli.render import progress_bar
    from tacitus.evaluate.time import evaluate, tml_files

    if lang == "ru":
        from tacitus.evaluate import time_ru

        from tacitus.evaluate.common import factrueval_devset

        corpus = factrueval_devset(eval_dir)
        if not corpus.is_dir():
            _fail(f"no factRuEval-2016 dev texts at {corpus}")
            return
        ru = time_ru.evaluate(corpus)
        typer.echo(json.dumps(ru, indent=2) if json_out else time_ru.report(ru))
        return
    if lang != "en":
        _fail(f"unknown --lang {lang!r}: use en or ru")
        return

    folder = eval_dir / "tempeval3" / "TBAQ-cleaned"
    if not folder.is_dir():
        _fail(f"no TimeML data at {folder}")
        return
    n = len(tml_files(folder, limit))
    with progress_bar("TempEval-3", n) as advance:
        result = evaluate(folder, limit, advance)
    if json_out:
        typer.echo(json.dumps(result, indent=2))
        return
    f = result["finding"]
    typer.echo(f"TempEval-3 TBAQ-cleaned, {result['documents']} documents")
    typer.echo(f"finding expressions: P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}  "
               f"type accuracy {f['type_accuracy']}")
    typer.echo("TimeML values of the gold DATE expressions (Tacitus given each in its document; bare dateparser on "
               "the same words, cut to the gold's precision):")
    typer.echo(f"  {'part':<10} {'n':>5}  {'Tacitus':>8}  {'dateparser':>10}  {'found':>6}  {'found+right':>11}  "
               f"{'calendar n':>10}  {'Tacitus':>8}  {'dateparser':>10}")
    for part, v in result["date_values"].items():
        c = v["calendar"]
        typer.echo(f"  {part:<10} {v['n']:>5}  {v['tacitus']:>8}  {v['dateparser']:>10}  {v['found']:>6}  "
                   f"{v['found_and_right']:>11}  {c['n']:>10}  {c['tacitus']:>8}  {c['dateparser']:>10}")


@eval_app.command("places")
def eval_places(
    gold: Path = typer.Option(Path("examples/demo-gold/places.csv"), "--gold", help="Our annotated toponyms."),
    corpus: Path = typer.Option(Path("examples/demo-corpus"), "--corpus", help="The articles the gold file annotates."),
    geo_set: Optional[str] = typer.Option(None, "--set", help="Score a public geoparsing set of "
                                          "EVAL_DIR/geoparsing instead: lgl, trnews, geovirus or all."),
    eval_dir: Path = _eval_dir_option("Folder of public datasets; its geoparsing/ is read with --set."),
    limit: Optional[int] = typer.Option(None, "--limit", help="With --set: at most this many articles per set."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON on stdout."),
) -> None:
    """Toponyms found and resolved right (country, within 100 km) in our annotated demo articles, beside the
    same gazetteer with no context (most populous candidate). With --set: LGL, TR-News or GeoVirus end to end,
    toponyms found and placed within 161 km of the gold point, beside the most populous candidate."""
    from tacitus.evaluate.places import evaluate_places
    from tacitus.ingest.readers import Reader

    if geo_set is not None:
        from tacitus.cli.render import progress_bar
        from tacitus.evaluate.places import GEO_SET_NAMES, GEO_SETS, evaluate_geoparsing, load_geoparsing

        names = list(GEO_SETS) if geo_set == "all" else [geo_set]
        if any(n not in GEO_SETS for n in names):
            _fail(f"unknown set {geo_set!r}: use lgl, trnews, geovirus or all")
            return
        missing = [str(eval_dir / "geoparsing" / GEO_SETS[n]) for n in names
                   if not (eval_dir / "geoparsing" / GEO_SETS[n]).exists()]
        if missing:
            _fail(f"no geoparsing data at {', '.join(missing)}")
            return
        _settings, nlp = _eval_pipeline()
        n = sum(len(load_geoparsing(eval_dir, name, limit)) for name in names)
        with progress_bar("geoparsing", n) as advance:
            result = evaluate_geoparsing(eval_dir, names, nlp, limit, advance)
        if json_out:
            typer.echo(json.dumps(result, indent=2))
            return
        for name, r in result.items():
            if name == "all":
                typer.echo(f"all sets: {r['toponyms']} toponyms")
            else:
                typer.echo(f"{GEO_SET_NAMES[name]}: {r['articles']} articles, {r['scores'][0]['toponyms']} toponyms "
                           f"with a point ({r['not_scored_no_point']} without one, not scored)")
            for sc in r["scores"]:
                typer.echo(f"  {sc['system']}: found {sc['found_rate']}, within 161 km {sc['accuracy_161km']} "
                           f"(of those found {sc['accuracy_161km_of_found']}), median error "
                           f"{sc['median_error_km']} km")
        return
    gold, corpus = in_repository(gold), in_repository(corpus)
    if not gold.exists():
        _fail(f"no gold file at {gold} (it ships with Tacitus' source repository, in examples/demo-gold; "
              "give its path with --gold and the articles' with --corpus)")
        return
    settings, nlp = _eval_pipeline()
    result = evaluate_places(gold, corpus, nlp, Reader(settings))
    if json_out:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"{result['toponyms']} annotated toponyms")
    for system in [k for k in result if k != "toponyms"]:
        r = result[system]
        typer.echo(f"{system}: found {r['found']}, resolved right {r['resolved_right']}, "
                   f"actor/place right {r['actor_flag_right']}")


@eval_app.command("counts")
def eval_counts(
    eval_dir: Path = _eval_dir_option("Folder of public datasets; its muc34/ (DEV keys and texts) is scored."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Use at most this many stories."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON on stdout."),
) -> None:
    """Counts of the killed on MUC-3/4 development stories (never TST3/TST4): Tacitus's counts, the dead
    attached to events, and a regex baseline, per story as sets of numbers, on the development half, the
    held-out half and all."""
    from tacitus.cli.render import progress_bar
    from tacitus.evaluate.counts import evaluate, load

    muc = eval_dir / "muc34"
    if not (muc / "keys").is_dir() or not (muc / "texts").is_dir():
        _fail(f"no MUC-3/4 development data at {muc}")
        return
    stories = load(muc, limit)
    with progress_bar("MUC-3/4 DEV", len(stories.chosen)) as advance:
        result = evaluate(muc, limit, advance, stories)
    if json_out:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"MUC-3/4 DEV, {result['stories']} stories with a relevant template (killed counts, per story as sets)")
    for split, views in result["views"].items():
        for view, scores in views.items():
            typer.echo(f"  {split}, {view} ({scores['stories']} stories):")
            for name, sc in scores.items():
                if name != "stories":
                    typer.echo(f"    {name:<17} precision {sc['precision']:.3f}  recall {sc['recall']:.3f}  "
                               f"({sc['right']} right of {sc['predicted']} given, {sc['gold']} in the keys)")


@app.command()
def version() -> None:
    """Print the Tacitus version."""
    from tacitus import __version__

    typer.echo(__version__)


def main() -> None:
    """The ``tacitus`` command. When a command has finished (its store closed, its output written), the
    process ends at once, without the interpreter's teardown: freeing the loaded model, gazetteer and
    language models one object at a time took 0.8 s, more than a 45-article run spends on its writes."""
    code: int | str | None = 0
    try:
        app(prog_name="tacitus")
    except SystemExit as exc:
        code = exc.code
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        sys.stderr.flush()
        code = 1
    os._exit(code or 0)


# The other command modules register their commands on the shared app (they import tacitus.cli.app, not this).
import tacitus.cli.corpus  # noqa: E402,F401  (the corpus view: clusters, timeline, dyad, actor, sql, network, gdelt, plot)
import tacitus.cli.quotes  # noqa: E402,F401  ('tacitus quotes', 'tacitus disputes', 'tacitus eval quotes')
import tacitus.cli.web  # noqa: E402,F401  ('tacitus serve')
