"""`tacitus quotes` and `tacitus disputes`: who said what, and who alleges what others deny."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from tacitus.cli.app import DB_OPTION, _check_format, _eval_dir_option, _eval_pipeline, _fail, app, eval_app, in_repository
from tacitus.cli.render import write_frame
from tacitus.errors import TacitusError



@app.command()
def quotes(
    db: Path = DB_OPTION,
    speaker: Optional[str] = typer.Option(None, "--speaker", help='Speaker name or the words at the cue ("Zakharova").'),
    actor: Optional[str] = typer.Option(None, "--actor", help='Speaker actor code ("RUS", "RUS GOV", "AFG-INS") or id.'),
    kind: Optional[str] = typer.Option(None, "--kind", help="direct or indirect."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most this many quotes."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
) -> None:
    """List quotes with speaker, how the speaker was found, role, cue and article."""
    from tacitus.api.reader import open_db
    from tacitus.cli.render import print_quotes

    _check_format(fmt)
    if kind and kind.lower() not in ("direct", "indirect"):
        _fail(f"unknown kind {kind!r}; choose direct or indirect")
        return
    try:
        with open_db(db) as d:
            df = d.quotes(speaker, actor, kind, limit)
    except TacitusError as exc:
        _fail(str(exc))
        return
    write_frame(df, fmt, print_quotes)


@app.command()
def disputes(
    db: Path = DB_OPTION,
    actor: Optional[str] = typer.Option(None, "--actor", help="Only disputes whose subject or object has this code."),
    all_: bool = typer.Option(False, "--all", help="Also propositions nobody has denied (uncontested claims)."),
    claims: bool = typer.Option(False, "--claims", help="Under each dispute, list its claims with their sentences."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
) -> None:
    """List disputes: one proposition ("RUS backs AFG INS"), who alleges it, who denies it, since when."""
    from tacitus.api.reader import open_db
    from tacitus.cli.render import print_disputes

    _check_format(fmt)
    try:
        with open_db(db) as d:
            df = d.disputes(actor, contested=not all_)
            detail = d.claims() if claims else None
    except TacitusError as exc:
        _fail(str(exc))
        return
    write_frame(df, fmt, lambda frame: print_disputes(frame, detail))


@eval_app.command("quotes")
def eval_quotes(
    eval_dir: Path = _eval_dir_option("Folder of public datasets; its polnear/ (PolNeAR) is scored when present."),
    split: str = typer.Option("dev", "--split", help="PolNeAR split: dev or train (test is kept for final checks)."),
    gold: Path = typer.Option(Path("examples/demo-gold/quotes.csv"), "--gold",
                              help="Our annotated quotes of the demo corpus."),
    corpus: Path = typer.Option(Path("examples/demo-corpus"), "--corpus", help="The articles the gold file annotates."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Use at most this many PolNeAR documents."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON on stdout."),
    lang: str = typer.Option("en", "--lang", help="en: PolNeAR and the demo gold; ru: our annotation of 33 "
                                                  "factRuEval-2016 dev articles, beside a quote-marks baseline."),
) -> None:
    """Quote spans and speaker attribution P/R/F1 on PolNeAR and on our demo gold, beside textacy's
    direct_quotations run on the same Docs; claims (proposition, stance, claimant) on the demo's claims.csv.
    With --lang ru: attributions found, speaker and cue on our Russian gold (rules written on its dev half)."""
    import json

    from tacitus.cli.render import print_quote_scores, progress_bar
    from tacitus.evaluate.quotes import evaluate_demo, evaluate_polnear, polnear_documents
    from tacitus.ingest.readers import Reader

    if lang == "ru":
        from tacitus.evaluate import quotes_ru

        from tacitus.evaluate.common import factrueval_devset

        folder = factrueval_devset(eval_dir)
        if not folder.is_dir():
            _fail(f"no factRuEval-2016 dev texts at {folder}")
            return
        ru = quotes_ru.evaluate(folder)
        if json_out:
            typer.echo(json.dumps(ru, indent=2, ensure_ascii=False))
        else:
            for line in quotes_ru.report_lines(ru):
                typer.echo(line)
        return
    if lang != "en":
        _fail(f"unknown --lang {lang!r}: use en or ru")
        return

    if split not in ("dev", "train"):
        _fail(f"unknown split {split!r}; choose dev or train")
        return
    settings, nlp = _eval_pipeline()
    result: dict = {}
    polnear = eval_dir / "polnear"
    if (polnear / "data" / split).is_dir():
        from tacitus.evaluate.common import ParsedOnce

        parse = ParsedOnce(nlp)  # three evaluations below read the same parses
        n = sum(1 for _ in polnear_documents(polnear, split, limit))
        with progress_bar(f"PolNeAR {split}", n) as advance:
            result["polnear"] = evaluate_polnear(polnear, parse, split, limit, advance)
        from tacitus.evaluate.attribution import evaluate_polnear_attribution
        from tacitus.evaluate.quotes import evaluate_polnear_claims
        from tacitus.extract.attribution import load_default

        with progress_bar(f"PolNeAR {split}: attribution", n) as advance:
            result["polnear_attribution"] = evaluate_polnear_attribution(polnear, parse, load_default(), split,
                                                                         limit, advance)

        with progress_bar(f"PolNeAR {split}: claims", n) as advance:
            result["polnear_claims"] = evaluate_polnear_claims(polnear, parse, split, limit, advance)
    gold, corpus = in_repository(gold), in_repository(corpus)
    if gold.exists():
        result["demo"] = evaluate_demo(gold, corpus, nlp, Reader(settings))
    claims_gold = gold.with_name("claims.csv")
    if claims_gold.exists():
        from tacitus.evaluate.quotes import evaluate_claims
        from tacitus.resolve.kb import KnowledgeBase

        result["demo_claims"] = evaluate_claims(claims_gold, corpus, nlp, Reader(settings), KnowledgeBase.load())
    if not result:
        _fail(f"nothing to score: neither {polnear / 'data' / split} nor {gold} exists")
        return
    if json_out:
        typer.echo(json.dumps(result, indent=2))
        return
    print_quote_scores(result)
