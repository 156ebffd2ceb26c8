"""Thread scaling of w2vfast alone: training throughput at 1, 2, ... threads, with the quality of each model.

Usage::

    python bench/scaling.py --corpus ../shared/corpora/gcide.txt.gz --threads 1,2
    python bench/scaling.py --corpus gcide.txt --threads 1,2,4,8,16 --modes exact,shared --dims 100,300
    python bench/scaling.py --corpus gcide.txt --threads 16 --modes exact,shared --seeds 1,2,3,4   # quality spread

Every run trains skip-gram with negative sampling (negative 5, window 5, sample 1e-3, min_count 5) from
``corpus_file`` in this process, one after another; only ``train()`` is timed. *shared* is w2vfast's default
(``shared_negatives=True``: noise words drawn once per window), *exact* is word2vec.c's and gensim's algorithm
(``shared_negatives=False``). The speedup column divides a run's throughput by the 1-thread run of the same
mode, dimension and seed. Quality comes from w2vfast's own evaluators on the shipped sets (analogy accuracy with
``restrict_vocab=30000``, WordSim353 and SimLex-999 Spearman), which equal gensim's. A ``.gz`` corpus is read as it
is (w2vfast decompresses on the fly), but for clean timings pass a plain file.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from compare import machine_description  # bench/ is on sys.path when a script here runs


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--modes", default="shared", help="comma-separated: shared (the default algorithm), exact")
    parser.add_argument("--dims", default="100")
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None, help="also write the table here")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    import w2vfast
    from w2vfast import Word2Vec, datasets

    corpus = str(args.corpus)
    rows = []
    base = {}
    header = ("| mode | dim | threads | seed | words/s | speedup | analogy | WS353 | SimLex |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(header, flush=True)
    for mode in args.modes.split(","):
        for dim in (int(d) for d in args.dims.split(",")):
            for seed in (int(s) for s in args.seeds.split(",")):
                for threads in (int(t) for t in args.threads.split(",")):
                    model = Word2Vec(vector_size=dim, window=5, negative=5, sample=1e-3, min_count=5,
                                     epochs=args.epochs, workers=threads, seed=seed, progress=False,
                                     shared_negatives=mode == "shared")
                    model.build_vocab(corpus_file=corpus)
                    start = time.perf_counter()
                    model.train(corpus_file=corpus, total_words=model.corpus_total_words, epochs=args.epochs)
                    speed = args.epochs * model.corpus_total_words / (time.perf_counter() - start)
                    base.setdefault((mode, dim, seed), speed if threads == 1 else None)
                    first = base[(mode, dim, seed)]
                    speedup = f"{speed / first:.2f}x" if first else "-"
                    analogy = model.wv.evaluate_word_analogies(datasets.path("questions-words.txt"),
                                                               restrict_vocab=30000)[0]
                    ws353 = model.wv.evaluate_word_pairs(datasets.path("wordsim353.tsv"))[1][0]
                    simlex = model.wv.evaluate_word_pairs(datasets.path("simlex999.txt"))[1][0]
                    rows.append(f"| {mode} | {dim} | {threads} | {seed} | {speed / 1e3:,.0f}k | {speedup} "
                                f"| {analogy:.4f} | {ws353:.3f} | {simlex:.3f} |")
                    print(rows[-1], flush=True)
    command = "python bench/scaling.py " + " ".join(sys.argv[1:])
    table = (f"w2vfast {w2vfast.__version__} on {machine_description()}, SIMD path "
             f"{getattr(w2vfast, 'simd_info', lambda: 'n/a')()}; `{command}`\n\n{header}\n" + "\n".join(rows))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(table + "\n")


if __name__ == "__main__":
    main()
