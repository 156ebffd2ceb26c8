"""w2vfast.spark against Spark MLlib's Word2Vec and against single-process w2vfast, on one Spark session.

Every system trains on the same DataFrame of tokenised lines (the first ``--lines`` lines of the corpus, read by
Spark and cached before any timing), with the same hyperparameters: 100 dimensions, window 5, minCount 5, step size
0.025, ``--epochs`` epochs. MLlib trains skip-gram with hierarchical softmax and no subsampling, so the like-for-like
rows of w2vfast.spark use ``hs=1, negative=0, sample=0`` ("sg-hs"); "sg-ns" is w2vfast's default (negative sampling,
subsampling 1e-3); "cbow-ns" and "cbow-hs" are CBOW with either objective and subsampling 1e-3. "w2vfast" is
single-process w2vfast (``workers`` = the session's cores) on the same lines.

Quality: analogy accuracy on questions-words.txt (restrict_vocab=30000) and Spearman correlation on WordSim353, by
w2vfast's evaluation. Seconds are end to end: ``fit()`` from the cached DataFrame to the fitted model.

    python bench/spark.py --corpus bench/.cache/gcide.txt --lines 63000 --partitions 2,8,16
    python bench/spark.py --systems w2vfast.spark --modes sg-hs --partitions 8 --rounds 1,2,4,8   # the rounds sweep
    python bench/spark.py --systems w2vfast.spark --modes sg-hs --partitions 2,8 --seeds 1,2,3    # a row per seed
    python bench/spark.py --systems w2vfast.spark --modes sg-hs --partitions 16 --model-copies 0,16  # MLlib's copies
    python bench/spark.py --modes sg-hs --partitions 8 --warm-up  # each system's first fit of the session untimed
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import logging
import os
import platform
import sys
import tempfile
import time

import numpy as np

MODES = {
    "sg-hs": dict(hs=1, negative=0, sample=0.0),  # MLlib's algorithm
    "sg-ns": dict(hs=0, negative=5, sample=1e-3),  # w2vfast's default
    "cbow-ns": dict(sg=0, hs=0, negative=5, sample=1e-3),
    "cbow-hs": dict(sg=0, hs=1, negative=0, sample=1e-3),
}


WARM_UP_SENTENCES = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=_default_corpus(), help="text, one sentence per line (plain or .gz)")
    parser.add_argument("--lines", type=int, default=63000, help="train on the first LINES lines (0: all)")
    parser.add_argument("--partitions", default="2,8,16", help="comma-separated numPartitions")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--modes", default="sg-hs,sg-ns", help=f"comma-separated, of {sorted(MODES)}")
    parser.add_argument("--systems", default="mllib,w2vfast.spark,w2vfast",
                        help="comma-separated: mllib, w2vfast.spark, w2vfast (single process)")
    parser.add_argument("--rounds", default="0",
                        help="comma-separated roundsPerEpoch for w2vfast.spark; 0, the estimator's default, chooses by "
                             "mode (the table shows the number chosen)")
    parser.add_argument("--weighting", default="auto", help="comma-separated deltaWeighting for w2vfast.spark")
    parser.add_argument("--model-copies", default="0",
                        help="comma-separated modelCopies for w2vfast.spark; 0, the estimator's default, trains one "
                        "copy per core, at most one per partition (MLlib's: as many as --partitions)")
    parser.add_argument("--seeds", default="1", help="comma-separated seeds: every system trains once per seed")
    parser.add_argument("--cores", type=int, default=2, help="the session's master is local[CORES]")
    parser.add_argument("--threads-per-task", type=int, default=1,
                        help="threadsPerTask for w2vfast.spark (with --partitions 1, the session's cores train the one "
                             "partition)")
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--read", choices=("auto", "rows"), default="auto",
                        help="how w2vfast.spark reads the column: through Arrow where PyArrow is installed (auto), or "
                             "from PySpark's rows as without it (rows)")
    parser.add_argument("--log-steps", action="store_true",
                        help="print w2vfast.spark's log of each fit: the seconds of reading, counting and every round")
    parser.add_argument("--warm-up", action="store_true",
                        help="before the timed fits, fit each Spark system once, untimed, on the first "
                             f"{WARM_UP_SENTENCES} sentences: a session's first fit starts its Python workers "
                             "(w2vfast.spark) and loads and compiles Spark's code paths (both)")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                        help="a Spark setting of the session, as spark-submit's --conf (repeatable)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if args.log_steps:
        logging.getLogger("w2vfast.spark.core").setLevel(logging.INFO)
    if args.read == "rows":
        from w2vfast.spark import core

        core.arrow_available = lambda: False  # what a driver without PyArrow decides

    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    builder = (SparkSession.builder.master(f"local[{args.cores}]").config("spark.driver.memory", "6g")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(args.cores * 2))
               .config("spark.pyspark.python", sys.executable))  # the executors run the w2vfast being measured
    for setting in args.conf:
        key, _, value = setting.partition("=")
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    with tempfile.TemporaryDirectory() as folder:
        subset = os.path.join(folder, "corpus.txt")
        tokens, counts = _write_subset(args.corpus, subset, args.lines)
        lines = spark.read.text(subset)
        df = lines.select(F.split(F.trim("value"), r"\s+").alias("words")).where(F.col("value") != "").cache()
        sentences = df.count()
        print(f"corpus: first {args.lines or 'all'} lines of {args.corpus}: {sentences} sentences, {tokens} tokens; "
              f"{args.epochs} epochs, local[{args.cores}], {platform.processor() or platform.machine()}, "
              f"{time.strftime('%Y-%m-%d')}")
        rows = []
        systems = args.systems.split(",")
        if args.warm_up:
            _warm_up(df, systems, args)
        for mode in args.modes.split(","):
            for seed in map(int, args.seeds.split(",")):
                if "w2vfast" in systems:
                    rows.append(_single_process(subset, mode, seed, args))
                    _print_row(rows[-1])
                for partitions in map(int, args.partitions.split(",")):
                    if "mllib" in systems and mode == "sg-hs":
                        rows.append(_mllib(df, partitions, seed, counts, args))
                        _print_row(rows[-1])
                    if "w2vfast.spark" in systems:
                        for copies in map(int, args.model_copies.split(",")):
                            for rounds in map(int, args.rounds.split(",")):
                                for weighting in args.weighting.split(","):
                                    rows.append(_w2vfast_spark(df, mode, partitions, copies, rounds, weighting, seed,
                                                               args))
                                    _print_row(rows[-1])
        _print_table(rows, tokens * args.epochs)
        if args.json:
            with open(args.json, "w") as out:
                json.dump(rows, out, indent=1)
    spark.stop()


def _default_corpus() -> str:
    for candidate in ("bench/.cache/gcide.txt", "../shared/corpora/gcide.txt.gz"):
        if os.path.exists(candidate):
            return candidate
    return "gcide.txt"


def _write_subset(corpus: str, subset: str, lines: int) -> tuple:
    """Writes the first `lines` lines of the corpus (0: all) to `subset`; their tokens and each word's count."""
    counts = collections.Counter()
    with (gzip.open if corpus.endswith(".gz") else open)(corpus, "rb") as source, open(subset, "wb") as out:
        for number, line in enumerate(source):
            if lines and number >= lines:
                break
            out.write(line)
            # ASCII whitespace, as the DataFrame's split on \s+ (str.split() would also split at no-break spaces)
            counts.update(token.decode("utf-8", "replace") for token in line.split())
    return sum(counts.values()), counts


def _evaluate(kv) -> dict:
    from w2vfast import datasets

    return dict(
        analogy=float(kv.evaluate_word_analogies(datasets.path("questions-words.txt"), restrict_vocab=30000)[0]),
        wordsim353=float(kv.evaluate_word_pairs(datasets.path("wordsim353.tsv"))[1][0]),
        vocabulary=len(kv),
    )


def _warm_up(df, systems: list, args) -> None:
    from pyspark.ml.feature import Word2Vec as MLlibWord2Vec

    from w2vfast.spark import Word2Vec

    sample = df.limit(WARM_UP_SENTENCES).cache()
    common = dict(inputCol="words", vectorSize=100, windowSize=5, minCount=5, maxIter=1, numPartitions=args.cores)
    estimators = {"mllib": MLlibWord2Vec(**common),
                  "w2vfast.spark": Word2Vec(**common, threadsPerTask=args.threads_per_task)}
    for system, estimator in estimators.items():
        if system in systems:
            start = time.perf_counter()
            estimator.fit(sample)
            print(f"warm-up: {system} fitted {WARM_UP_SENTENCES} sentences in {time.perf_counter() - start:.1f} s")
    sample.unpersist()


def _mllib(df, partitions: int, seed: int, counts: collections.Counter, args) -> dict:
    from pyspark.ml.feature import Word2Vec

    from w2vfast import KeyedVectors

    estimator = Word2Vec(inputCol="words", vectorSize=100, windowSize=5, minCount=5, maxIter=args.epochs,
                         stepSize=0.025, numPartitions=partitions, seed=seed)
    start = time.perf_counter()
    model = estimator.fit(df)
    seconds = time.perf_counter() - start
    # getVectors() lists the words in no particular order; the analogies' restrict_vocab=30000 must keep the most
    # frequent words, as it does of w2vfast's vocabulary (ordered by count), or a vocabulary larger than that is
    # judged on another subset of the questions.
    vectors = sorted(model.getVectors().collect(), key=lambda row: (-counts[row.word], row.word))
    kv = KeyedVectors(100)
    kv.add_vectors([row.word for row in vectors], np.array([row.vector.toArray() for row in vectors], np.float32))
    return dict(system="mllib", mode="sg-hs", partitions=partitions, copies=partitions, rounds=None, weighting=None,
                seed=seed, seconds=seconds, **_evaluate(kv))


def _w2vfast_spark(df, mode: str, partitions: int, copies: int, rounds: int, weighting: str, seed: int,
                   args) -> dict:
    from w2vfast.spark import Word2Vec
    from w2vfast.spark.core import tasks_at_once

    estimator = Word2Vec(inputCol="words", vectorSize=100, windowSize=5, minCount=5, maxIter=args.epochs,
                         stepSize=0.025, numPartitions=partitions, modelCopies=copies, seed=seed,
                         roundsPerEpoch=rounds, deltaWeighting=weighting, threadsPerTask=args.threads_per_task,
                         **MODES[mode])
    start = time.perf_counter()
    model = estimator.fit(df)
    seconds = time.perf_counter() - start
    # The copies and rounds an epoch trained, "auto" and one copy resolved.
    settings = estimator._settings(tasks_at_once(df.sparkSession.sparkContext))
    return dict(system="w2vfast.spark", mode=mode, partitions=partitions, copies=settings.copies,
                rounds=settings.rounds, weighting=weighting, seed=seed, seconds=seconds, **_evaluate(model.wv))


def _single_process(subset: str, mode: str, seed: int, args) -> dict:
    from w2vfast import Word2Vec

    start = time.perf_counter()
    model = Word2Vec(corpus_file=subset, vector_size=100, window=5, min_count=5, epochs=args.epochs, alpha=0.025,
                     min_alpha=0.025 * 1e-4, workers=args.cores, seed=seed, progress=False, **MODES[mode])
    seconds = time.perf_counter() - start
    return dict(system="w2vfast", mode=mode, partitions=1, copies=None, rounds=None, weighting=None, seed=seed,
                seconds=seconds, **_evaluate(model.wv))


def _print_row(row: dict) -> None:
    print(json.dumps(row), flush=True)


def _print_table(rows, words: int) -> None:
    print()
    print("| system | mode | partitions | copies | rounds/epoch | weighting | seed | seconds | words/s | analogy | "
          "WordSim353 |")
    print("| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(f"| {row['system']} | {row['mode']} | {row['partitions']} | {row['copies'] or ''} | "
              f"{row['rounds'] or ''} | "
              f"{row['weighting'] or ''} | {row['seed']} | {row['seconds']:.1f} | {words / row['seconds']:,.0f} | "
              f"{row['analogy'] * 100:.1f} | {row['wordsim353']:.3f} |")


if __name__ == "__main__":
    main()
