"""What one training round of w2vfast.spark costs Spark before any training: the job, the broadcast of the model,
and the partitions' deltas coming back, on cached stand-ins of the id arrays.

A round of ``w2vfast.spark.Word2Vec.fit`` broadcasts the weights (``vectors`` and one output layer, ``V x d``
float32 each), runs one task per partition over its cached id arrays, and sums the rows each task changed with
``treeAggregate``. Here the tasks train nothing: each reads the broadcast and returns either nothing or a delta for
every row (as hierarchical softmax's dense changes, as the estimator's RowDeltas), so the medians isolate what the
data path costs.

The last case is the alternative of one barrier stage for many rounds, the tasks exchanging every row's delta (as
float16, base64 text) with ``BarrierTaskContext.allGather`` instead of a job per round: its median is one exchange,
timed inside the tasks.

    python bench/spark_round.py                       # the model of bench/spark.py's 63,000 gcide lines
    python bench/spark_round.py --words 100000 --dim 300 --partitions 8
    python bench/spark_round.py --conf spark.python.unix.domain.socket.enabled=true  # Python workers over a Unix socket
"""

from __future__ import annotations

import argparse
import platform
import sys
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=29039, help="vocabulary size V")
    parser.add_argument("--dim", type=int, default=100, help="vectorSize d")
    parser.add_argument("--partitions", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=10, help="rounds timed per case (after two untimed)")
    parser.add_argument("--cores", type=int, default=2, help="the session's master is local[CORES]")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                        help="a Spark setting of the session, as spark-submit's --conf (repeatable)")
    args = parser.parse_args()

    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.master(f"local[{args.cores}]").config("spark.driver.memory", "6g")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.pyspark.python", sys.executable))
    for setting in args.conf:
        key, _, value = setting.partition("=")
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    context = spark.sparkContext
    corpus = context.parallelize(range(args.partitions), args.partitions).map(_stand_in_ids).cache()
    corpus.count()
    rng = np.random.default_rng(1)
    model = {layer: rng.random((args.words, args.dim), dtype=np.float32) for layer in ("vectors", "syn1")}
    print(f"V={args.words}, d={args.dim}, {args.partitions} partitions, local[{args.cores}], "
          f"{platform.processor() or platform.machine()}, {time.strftime('%Y-%m-%d')}")
    print("| broadcast | returned | median seconds a round |")
    print("| --- | --- | ---: |")
    for broadcast, returned in (("nothing", "nothing"), ("the model", "nothing"), ("the model", "every row's delta")):
        seconds = []
        for _ in range(args.rounds + 2):
            start = time.perf_counter()
            weights = context.broadcast(model if broadcast == "the model" else {})
            dense = returned != "nothing"
            corpus.mapPartitions(lambda arrays: _task(weights, dense, arrays)).treeAggregate(None, _merge, _merge)
            weights.destroy()
            seconds.append(time.perf_counter() - start)
        print(f"| {broadcast} | {returned} | {np.median(seconds[2:]):.3f} |")
    shapes = {layer: rows.shape for layer, rows in model.items()}
    exchanges = corpus.barrier().mapPartitions(lambda arrays: _exchange(shapes, args.rounds + 2, arrays)).collect()
    print(f"| nothing (one barrier stage) | every row's delta, allGather | "
          f"{np.median([seconds for task in exchanges for seconds in task[2:]]):.3f} |")
    spark.stop()


def _stand_in_ids(partition: int):
    # A partition's share of bench/spark.py's corpus: about 1.2M tokens over 2 partitions.
    return np.zeros(1_200_000, dtype=np.int32), np.arange(0, 1_200_000, 40, dtype=np.int64)


def _task(weights, dense: bool, arrays):
    from w2vfast.spark.core import RowDeltas  # the deltas travel as the estimator sends them

    list(arrays)  # read to the end, as train_partition does, so the Python worker is reused
    layers = weights.value
    if dense:
        yield {layer: RowDeltas(np.arange(len(rows), dtype=np.int32), rows + 1, np.ones(len(rows), np.int32))
               for layer, rows in layers.items()}
    else:
        yield {}


def _exchange(shapes, exchanges: int, arrays):
    import base64

    from pyspark import BarrierTaskContext

    list(arrays)
    context = BarrierTaskContext.get()
    deltas = np.concatenate([np.ones(shape, np.float16).ravel() for shape in shapes.values()])
    seconds = []
    for _ in range(exchanges):
        start = time.perf_counter()
        received = context.allGather(base64.b64encode(deltas.tobytes()).decode("ascii"))
        sum(np.frombuffer(base64.b64decode(message), np.float16).astype(np.float32) for message in received)
        seconds.append(time.perf_counter() - start)
    yield seconds


def _merge(first, second):
    return second if first is None else first


if __name__ == "__main__":
    main()
