"""Time w2vfast's queries against gensim's on the same vectors: analogy evaluation and most_similar for many words.

Usage::

    python bench/bench_queries.py                                    # ../shared/corpora/gcide.txt.gz
    python bench/bench_queries.py --corpus text8 --epochs 5 --queries 10000

Trains one w2vfast model on the corpus (its quality does not matter here, only its vocabulary size), then gives
gensim's ``KeyedVectors`` the very same matrix and keys, and times, each system on the same vectors:

- ``evaluate_word_analogies`` on the full questions-words.txt, at each ``--restrict-vocab`` (default 30,000, the
  usual setting, and 300,000, gensim's default, i.e. every key of gcide); w2vfast answers blocks of questions with
  one matrix product, gensim calls ``most_similar`` once per question;
- nearest neighbours (top 10) of the ``--queries`` most frequent words: w2vfast's ``most_similar_batch`` (blocks of
  queries in one matrix product) and its one-word-at-a-time ``most_similar``, against gensim's ``most_similar`` in
  a loop.

It also checks that the answers agree (identical analogy results; same neighbour lists). Timings are the best of
``--repeats`` runs, in one process; the ratio is gensim's time over w2vfast's. The table is printed and written to
``--out`` (default ``bench/results/bench_queries.md``).
"""

from __future__ import annotations

import argparse
import gzip
import platform
import shutil
import sys
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "gcide.txt.gz"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="text file, one sentence per line (.gz ok)")
    parser.add_argument("--max-lines", type=int, default=0, help="train on the first N lines only (0: all)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--vector-size", type=int, default=100)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--queries", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--restrict-vocab", type=lambda text: [int(n) for n in text.split(",")],
                        default=[30000, 300000], help="comma-separated restrict_vocab values of the analogy evaluation")
    parser.add_argument("--out", default=str(BENCH / "results" / "bench_queries.md"))
    return parser.parse_args(argv)


def plain_corpus(path: str, max_lines: int) -> str:
    """A plain-text copy of the corpus in bench/.cache (decompressed and/or cut to max_lines), made once."""
    source = Path(path)
    if not source.name.endswith(".gz") and not max_lines:
        return str(source)
    cache = BENCH / ".cache"
    cache.mkdir(exist_ok=True)
    target = cache / (source.name.removesuffix(".gz") + (f".{max_lines}" if max_lines else ""))
    if not target.exists():
        opener = gzip.open if source.name.endswith(".gz") else open
        with opener(source, "rb") as lines, open(target, "wb") as out:
            if max_lines:
                for number, line in enumerate(lines):
                    if number >= max_lines:
                        break
                    out.write(line)
            else:
                shutil.copyfileobj(lines, out)
    return str(target)


def best_time(function, repeats: int):
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv=None) -> int:
    args = parse_args(argv)
    import gensim
    from gensim.models import KeyedVectors as GensimKeyedVectors

    import w2vfast
    from w2vfast import Word2Vec, datasets

    corpus = plain_corpus(args.corpus, args.max_lines)
    model = Word2Vec(
        corpus_file=corpus, vector_size=args.vector_size, min_count=args.min_count, epochs=args.epochs,
        workers=args.workers, seed=1,
    )
    ours = model.wv
    theirs = GensimKeyedVectors(ours.vector_size)
    theirs.add_vectors(ours.index_to_key, ours.vectors)
    ours.fill_norms()
    theirs.fill_norms()
    questions = datasets.path("questions-words.txt")

    rows = []
    for restrict_vocab in args.restrict_vocab:
        def ours_evaluation(restrict_vocab=restrict_vocab):
            return ours.evaluate_word_analogies(questions, restrict_vocab=restrict_vocab)

        def gensim_evaluation(restrict_vocab=restrict_vocab):
            return theirs.evaluate_word_analogies(questions, restrict_vocab=restrict_vocab)

        ours_time, ours_analogies = best_time(ours_evaluation, args.repeats)
        gensim_time, gensim_analogies = best_time(gensim_evaluation, 1)
        answered = len(ours_analogies[1][-1]["correct"]) + len(ours_analogies[1][-1]["incorrect"])
        same = "identical" if ours_analogies == gensim_analogies else _analogy_difference(ours_analogies,
                                                                                             gensim_analogies)
        rows.append((f"evaluate_word_analogies, restrict_vocab={restrict_vocab:,} ({answered:,} questions answered, "
                     f"accuracy {ours_analogies[0]:.4f})", ours_time, gensim_time, same))

    words = ours.index_to_key[: args.queries]
    batch_time, batch = best_time(lambda: ours.most_similar_batch(words, topn=10, exclude_self=True), args.repeats)
    loop_time, loop = best_time(lambda: [ours.most_similar(word, topn=10) for word in words], 1)
    gensim_time, expected = best_time(lambda: [theirs.most_similar(word, topn=10) for word in words], 1)
    rows.append((f"most_similar, top 10 of {len(words):,} words, batched", batch_time, gensim_time,
                 _neighbour_agreement(batch, expected)))
    rows.append((f"most_similar, top 10 of {len(words):,} words, one call per word", loop_time, gensim_time,
                 _neighbour_agreement(loop, expected)))

    lines = [
        f"Vectors: w2vfast skip-gram on `{Path(args.corpus).name}`"
        + (f" (first {args.max_lines:,} lines)" if args.max_lines else "")
        + f", {args.epochs} epoch(s), vector_size {args.vector_size}, min_count {args.min_count}: "
        f"{len(ours):,} keys. Both systems query the same matrix.",
        "",
        "| query | w2vfast s | gensim s | gensim / w2vfast | same answers |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, ours_seconds, gensim_seconds, agreement in rows:
        lines.append(f"| {name} | {ours_seconds:.3f} | {gensim_seconds:.3f} | **{gensim_seconds / ours_seconds:.1f}×** "
                     f"| {agreement} |")
    lines += [
        "",
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"NumPy {np.__version__}, w2vfast {w2vfast.__version__}, gensim {gensim.__version__}.",
        f"Command: `python bench/bench_queries.py {' '.join(sys.argv[1:] if argv is None else argv)}`".rstrip(),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text)
    return 0


def _analogy_difference(ours, theirs) -> str:
    ours_correct = set(ours[1][-1]["correct"])
    theirs_correct = set(theirs[1][-1]["correct"])
    return f"{len(ours_correct ^ theirs_correct)} questions differ"


def _neighbour_agreement(results, expected) -> str:
    same = sum([k for k, _ in a] == [k for k, _ in b] for a, b in zip(results, expected))
    return f"{same:,} of {len(expected):,} lists identical"


if __name__ == "__main__":
    sys.exit(main())
