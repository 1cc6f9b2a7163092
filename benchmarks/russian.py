"""Russian throughput (issue 22): the whole Russian pipeline (natasha analysis + entity refinement +
the Russian extractors and resolution) against natasha's own analysis alone (segmentation, morphology,
syntax, NER, lemmas and normal forms), on the same real texts, in one process, BLAS capped at one thread.

Texts: factRuEval-2016 development (../shared/eval/factrueval2016-dev/devset, 122 Russian news and
analytical articles). Words are whitespace-separated tokens. Prints one JSON line.

    python benchmarks/russian.py [--reps 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEVSET = HERE.parent.parent / "shared" / "eval" / "factrueval2016-dev" / "devset"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--devset", default=str(DEVSET))
    args = ap.parse_args()
    sys.path.insert(0, str(HERE.parent / "src"))
    from tacitus.ingest.records import RawArticle
    from tacitus.nlp.blas import BlasThreads
    from tacitus.nlp.pipeline_ru import RussianPipeline
    def natasha_alone(models, text: str) -> None:
        """natasha's own pipeline as its README runs it (no pieces, no lemma memory); imported once
        :func:`tacitus.nlp.russian.load_natasha` has made pymorphy3 stand in for pymorphy2."""
        from natasha import Doc as NatashaDoc

        nd = NatashaDoc(text)
        nd.segment(models.segmenter)
        nd.tag_morph(models.morph_tagger)
        nd.parse_syntax(models.syntax_parser)
        nd.tag_ner(models.ner_tagger)
        for token in nd.tokens:
            token.lemmatize(models.morph_vocab)
        for span in nd.spans:
            span.normalize(models.morph_vocab)

    cap = BlasThreads(1)
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(args.devset).glob("*.txt"))]
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    rp = RussianPipeline.from_files()
    rp.analyser.models  # noqa: B018 - load natasha before timing
    rp(RawArticle("warm", "warm.txt", "Сергей Лавров встретился в Москве с делегацией талибов.", language="ru"))
    load_s = time.perf_counter() - t0
    best: dict[str, float] = {}
    for _ in range(args.reps):  # alternate, keep each one's best
        t = time.perf_counter()
        for text in texts:
            natasha_alone(rp.analyser.models, text)
        best["natasha"] = min(best.get("natasha", 1e9), time.perf_counter() - t)
        t = time.perf_counter()
        for i, text in enumerate(texts):
            rp(RawArticle(str(i), f"{i}.txt", text, language="ru"))
        best["tacitus"] = min(best.get("tacitus", 1e9), time.perf_counter() - t)
    cap.restore()
    print(json.dumps({
        "texts": len(texts), "words": words, "load_s": round(load_s, 2),
        "natasha_words_per_s": round(words / best["natasha"]), "tacitus_ru_words_per_s": round(words / best["tacitus"]),
        "ratio": round(best["natasha"] / best["tacitus"], 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }))


if __name__ == "__main__":
    main()
