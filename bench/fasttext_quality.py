"""Quality of w2vfast's FastText against gensim's, one corpus, the same hyperparameters, for seen and unseen words.

Usage::

    python bench/fasttext_quality.py --corpus ../shared/corpora/gcide.txt.gz --seeds 1
    python bench/fasttext_quality.py --corpus ../shared/corpora/gcide.txt.gz --lines 20000 --epochs 1   # a quick look
    python bench/fasttext_quality.py --systems w2vfast --seeds 1,2,3     # add runs; earlier ones are reused

Systems: ``w2vfast`` (the defaults: each (centre, context) pair draws its own noise words, as in gensim),
``w2vfast-shared`` (``shared_negatives=True``: a window's context words share them) and ``gensim``.

Both systems train skip-gram with negative sampling (dim 100, window 5, negative 5, min_count 5, sample 1e-3,
alpha 0.025, min_n 3, max_n 6, bucket 2,000,000, 5 epochs, 2 threads), from the same plain-text file (``corpus_file``
mode for both).

Unseen words: a known third of the evaluation words (every third, in sorted order, of the WordSim353 and SimLex-999
words the corpus has at least ``min_count`` times) is **removed from the corpus** before training, so that both
models must build those words' vectors from n-grams. Reported:

- analogy accuracy (questions-words.txt, ``restrict_vocab=30000``), WordSim353 and SimLex-999 Spearman on the pairs
  of vocabulary words (gensim's evaluators, as for Word2Vec);
- OOV WordSim353 / SimLex-999: Spearman on the pairs with at least one removed word, every word's vector composed as
  the model composes it (n-grams for unseen words), the same pairs for both systems;
- training seconds (the ``train`` call; speed is bench/compare.py's job).

Each (system, seed) run's figures are kept in ``bench/results/fasttext-quality-<corpus>.json`` and reused; the
Markdown table is printed and written next to it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
CACHE, RESULTS = BENCH / ".cache", BENCH / "results"
SETTINGS = dict(vector_size=100, window=5, negative=5, min_count=5, sample=1e-3, alpha=0.025, min_alpha=0.0001,
                min_n=3, max_n=6, bucket=2_000_000, sg=1, hs=0)
ANALOGY_VOCAB = 30000


def evaluation_files():
    from w2vfast import datasets

    return {"analogy": datasets.path("questions-words.txt"), "WS353": datasets.path("wordsim353.tsv"),
            "SimLex": datasets.path("simlex999.txt")}


def read_pairs(path):
    pairs = []
    with open(path, encoding="utf8") as file:
        for line in file:
            if line.startswith("#") or not line.strip():
                continue
            first, second, score = line.rstrip("\n").split("\t")[:3]
            pairs.append((first.lower(), second.lower(), float(score)))
    return pairs


def prepare_corpus(source: Path, lines: int, min_count: int):
    """The corpus with the held-out words removed (cached), and the held-out words."""
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf8") as file:
        text = [line.split() for number, line in zip(range(lines or sys.maxsize), file)]
    counts: dict = {}
    for sentence in text:
        for word in sentence:
            counts[word] = counts.get(word, 0) + 1
    files = evaluation_files()
    evaluated = sorted({word for name in ("WS353", "SimLex") for first, second, _ in read_pairs(files[name])
                        for word in (first, second) if counts.get(word, 0) >= min_count})
    held_out = set(evaluated[::3])
    CACHE.mkdir(exist_ok=True)
    stem = source.name.split(".")[0] + (f"-{lines}" if lines else "")
    path = CACHE / f"{stem}-oov.txt"
    if not path.exists():
        with open(path, "w", encoding="utf8") as out:
            for sentence in text:
                kept = [word for word in sentence if word not in held_out]
                if kept:
                    out.write(" ".join(kept) + "\n")
    return path, held_out, stem


def train(system: str, corpus: Path, seed: int, epochs: int, threads: int):
    """Trains one model; returns (a word -> vector function, the vocabulary KeyedVectors, training seconds)."""
    if system.startswith("w2vfast"):
        from w2vfast import FastText

        # w2vfast: the defaults (each (centre, context) pair draws its own noise words, as gensim);
        # w2vfast-shared: each window's context words share their noise words.
        model = FastText(seed=seed, workers=threads, epochs=epochs, progress=False,
                         shared_negatives=system == "w2vfast-shared", **SETTINGS)
        model.build_vocab(corpus_file=str(corpus))
        start = time.perf_counter()
        model.train(corpus_file=str(corpus), total_words=model.corpus_total_words, epochs=epochs)
    else:
        from gensim.models import FastText as GensimFastText

        model = GensimFastText(seed=seed, workers=threads, epochs=epochs, **SETTINGS)
        model.build_vocab(corpus_file=str(corpus))
        start = time.perf_counter()
        model.train(corpus_file=str(corpus), total_words=model.corpus_total_words, epochs=epochs)
    return model.wv, time.perf_counter() - start


def evaluate(wv, held_out) -> dict:
    """Every figure of one trained model, with gensim's evaluators for the vocabulary words."""
    from gensim.models import KeyedVectors as GensimKeyedVectors
    from scipy.stats import spearmanr

    files = evaluation_files()
    plain = GensimKeyedVectors(wv.vector_size)
    plain.add_vectors(list(wv.index_to_key), np.asarray(wv.vectors))
    figures = {"analogy": plain.evaluate_word_analogies(files["analogy"], restrict_vocab=ANALOGY_VOCAB)[0]}
    for name in ("WS353", "SimLex"):
        figures[name] = plain.evaluate_word_pairs(files[name])[1][0]
        oov_pairs = [(a, b, score) for a, b, score in read_pairs(files[name]) if a in held_out or b in held_out]
        model_scores, human_scores = [], []
        for first, second, score in oov_pairs:
            try:
                u, v = wv[first], wv[second]
            except KeyError:
                continue
            model_scores.append(float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v))))
            human_scores.append(score)
        figures[f"OOV {name}"] = spearmanr(model_scores, human_scores)[0]
        figures[f"OOV {name} pairs"] = len(model_scores)
    return figures


def table(runs: dict, systems, machine: str) -> str:
    columns = ["analogy", "WS353", "SimLex", "OOV WS353", "OOV SimLex", "train s"]
    lines = [f"| system | seeds | {' | '.join(columns)} |", "|---|---|" + "---:|" * len(columns)]
    for system in systems:
        chosen = [figures for key, figures in runs.items() if key.startswith(system + "/")]
        if not chosen:
            continue
        cells = []
        for column in columns:
            values = [figures[column] for figures in chosen]
            mean = statistics.mean(values)
            spread = f" ({min(values):.3f}-{max(values):.3f})" if len(values) > 1 and column != "train s" else ""
            cells.append(f"{mean:.1f}" if column == "train s" else f"{mean:.3f}{spread}")
        seeds = ",".join(key.split("/")[1] for key in runs if key.startswith(system + "/"))
        lines.append(f"| {system} | {seeds} | {' | '.join(cells)} |")
    pairs = next(iter(runs.values()))
    lines.append("")
    lines.append(f"OOV pairs: WordSim353 {pairs['OOV WS353 pairs']}, SimLex-999 {pairs['OOV SimLex pairs']} (pairs "
                 f"with a word removed from the corpus). {machine}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=BENCH.parent.parent / "shared" / "corpora" / "gcide.txt.gz")
    parser.add_argument("--lines", type=int, default=0, help="use the first N lines only (0: all)")
    parser.add_argument("--systems", default="w2vfast,w2vfast-shared,gensim")
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    corpus, held_out, stem = prepare_corpus(args.corpus, args.lines, SETTINGS["min_count"])
    RESULTS.mkdir(exist_ok=True)
    suffix = "" if args.epochs == 5 and args.threads == 2 else f"-e{args.epochs}-t{args.threads}"
    store = RESULTS / f"fasttext-quality-{stem}{suffix}.json"
    runs = json.loads(store.read_text()) if store.exists() else {}
    systems = args.systems.split(",")
    for system in systems:
        for seed in map(int, args.seeds.split(",")):
            key = f"{system}/{seed}"
            if key in runs:
                continue
            wv, seconds = train(system, corpus, seed, args.epochs, args.threads)
            runs[key] = dict(evaluate(wv, held_out), **{"train s": seconds})
            print(key, json.dumps(runs[key]), flush=True)
            store.write_text(json.dumps(runs, indent=1))
            del wv
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}"
    report = table(runs, ["w2vfast", "w2vfast-shared", "gensim"], machine)
    print(report)
    store.with_suffix(".md").write_text(report + "\n")


if __name__ == "__main__":
    main()
