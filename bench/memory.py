"""Peak memory of training does not grow with the corpus: train on generated Zipf corpora of several sizes.

Usage::

    python bench/memory.py                          # corpora of 0.25 GB and 2 GB, plain and gzip, 2 workers
    python bench/memory.py --sizes 0.1,1,4 --inputs plain,gz,sentences --workers 2

Each corpus is a stream of tokens ``w<rank>`` drawn from a Zipf (1/rank) distribution over ``--vocab`` words, in
lines of 5 to 30 tokens, generated once into ``bench/.cache/``; corpora above 0.25 GB repeat a 0.25 GB sample (what
memory depends on is the length of the stream, and generating gigabytes in Python would take minutes). For each (size, input) a fresh child process builds
the vocabulary (timed: counting tokens/s) and trains one epoch (timed: words/s) under ``/usr/bin/time -v``, which
reports the child's peak resident set size. The model's own size is vocabulary + 2 x vocab x dim x 4 bytes; what the
table calls *overhead* is peak RSS minus the model minus a child that only imports w2vfast and NumPy. Bounded
memory means the overhead column stays flat as the corpus grows tenfold.

Inputs: ``plain`` (corpus_file, parallel byte ranges), ``gz`` (corpus_file, decompressed on a reader thread),
``sentences`` (a LineSentence iterable, converted to ids in batches and queued), ``numpy`` (an IdCorpus: its token
array is the corpus, so its memory grows with the corpus by design; shown for reference).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from compare import machine_description  # bench/ is on sys.path when a script here runs

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"
INPUTS = ("plain", "gz", "sentences", "numpy")
SAMPLE_GB = 0.25


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.25,2", help="comma-separated corpus sizes in GB (1e9 bytes)")
    parser.add_argument("--inputs", default="plain,gz", help=f"comma-separated, from {','.join(INPUTS)}")
    parser.add_argument("--vocab", type=int, default=1_000_000, help="distinct words of the Zipf distribution")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--vector-size", type=int, default=100)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--max-vocab-size", type=int, default=None, help="pruning bound while counting")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "memory.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# ------------------------------------------------------------------ corpora


def zipf_corpus(size_gb: float, vocab: int) -> Path:
    """A text file of about size_gb GB of Zipf-distributed tokens, generated once (seeded, so always the same)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"zipf-{size_gb:g}GB-{vocab}.txt"
    if path.exists():
        return path
    if size_gb > SAMPLE_GB:
        sample = zipf_corpus(SAMPLE_GB, vocab)
        partial = path.with_suffix(".partial")
        with open(partial, "wb") as out:
            while out.tell() < size_gb * 1e9:
                with open(sample, "rb") as part:
                    shutil.copyfileobj(part, out, 1 << 24)
        partial.rename(path)
        return path
    rng = np.random.default_rng(12345)
    cumulative = np.cumsum(1.0 / np.arange(1, vocab + 1))
    cumulative /= cumulative[-1]
    words = np.array([f"w{rank}" for rank in range(vocab)], dtype=object)
    target = int(size_gb * 1e9)
    written = 0
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    with open(partial, "w", encoding="ascii") as out:
        while written < target:
            ranks = np.searchsorted(cumulative, rng.random(2_000_000))
            lengths = rng.integers(5, 31, size=len(ranks) // 17)
            ends = np.cumsum(lengths)
            ends = ends[ends <= len(ranks)]
            lines = np.split(words[ranks[: ends[-1]]], ends[:-1])
            text = "\n".join(" ".join(line) for line in lines) + "\n"
            out.write(text)
            written += len(text)
    partial.rename(path)
    print(f"generated {path} ({written / 1e9:.2f} GB) in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    return path


def gzip_twin(path: Path) -> Path:
    twin = path.with_suffix(".txt.gz")
    if not twin.exists():
        partial = twin.with_suffix(".partial")
        with open(path, "rb") as source, open(partial, "wb") as out:
            subprocess.run(["gzip", "-1", "-c"], stdin=source, stdout=out, check=True)
        partial.rename(twin)
    return twin


# ------------------------------------------------------------------ the child: one corpus, one input


def run_child(spec: dict) -> dict:
    import w2vfast
    from w2vfast import IdCorpus, LineSentence, Word2Vec

    if spec["input"] == "baseline":
        return {}
    params = dict(vector_size=spec["vector_size"], min_count=spec["min_count"], workers=spec["workers"],
                  max_vocab_size=spec["max_vocab_size"], epochs=1, progress=False)
    model = Word2Vec(**params)
    path = spec["path"]
    if spec["input"] in ("plain", "gz"):
        corpus = dict(corpus_file=path)
    elif spec["input"] == "sentences":
        corpus = dict(corpus_iterable=LineSentence(path))
    else:
        # Tokenise with NumPy-friendly code a user might write; the arrays are the corpus.
        tokens, offsets = [], [0]
        for sentence in LineSentence(path):
            tokens.extend(int(word[1:]) for word in sentence)
            offsets.append(len(tokens))
        corpus = dict(corpus_iterable=IdCorpus(np.array(tokens, dtype=np.int32), np.array(offsets),
                                               [f"w{rank}" for rank in range(spec["vocab"])]))
        del tokens, offsets
    start = time.perf_counter()
    model.build_vocab(**corpus)
    counting = time.perf_counter() - start
    start = time.perf_counter()
    model.train(**corpus, total_words=model.corpus_total_words, epochs=1)
    training = time.perf_counter() - start
    words = len(model.wv)
    model_bytes = 2 * words * model.vector_size * 4 + sum(len(word) + 57 for word in model.wv.index_to_key)
    return dict(tokens=model.corpus_total_words, vocab=words, counting=counting, training=training,
                model_mib=model_bytes / 2**20, version=w2vfast.__version__)


def measure(spec: dict) -> dict:
    """Runs a child under /usr/bin/time -v (or reads ru_maxrss where that tool is missing); adds peak_mib."""
    command = [sys.executable, __file__, "--child", json.dumps(spec)]
    timer = Path("/usr/bin/time")
    if timer.exists():
        done = subprocess.run([str(timer), "-v", *command], capture_output=True, text=True)
        peak_kib = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        peak_mib = int(peak_kib.group(1)) / 1024 if peak_kib else float("nan")
    else:
        import resource

        done = subprocess.run(command, capture_output=True, text=True)
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if done.returncode != 0:
        raise RuntimeError(f"child failed for {spec}:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["peak_mib"] = peak_mib
    return result


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.child:
        print(json.dumps(run_child(json.loads(args.child))))
        return
    inputs = args.inputs.split(",")
    unknown = set(inputs) - set(INPUTS)
    if unknown:
        sys.exit(f"unknown inputs: {', '.join(sorted(unknown))}; choose from {', '.join(INPUTS)}")
    common = dict(vector_size=args.vector_size, min_count=args.min_count, workers=args.workers,
                  max_vocab_size=args.max_vocab_size, vocab=args.vocab)
    baseline = measure(dict(common, input="baseline", path=""))["peak_mib"]
    rows = []
    for size in (float(s) for s in args.sizes.split(",")):
        plain = zipf_corpus(size, args.vocab)
        for kind in inputs:
            path = gzip_twin(plain) if kind == "gz" else plain
            result = measure(dict(common, input=kind, path=str(path)))
            overhead = result["peak_mib"] - result["model_mib"] - baseline
            rows.append(
                f"| {plain.stat().st_size / 1e9:.2f} | {kind} | {result['tokens'] / 1e6:,.0f}M | {result['vocab']:,} "
                f"| {result['tokens'] / result['counting'] / 1e6:.1f}M | {result['tokens'] / result['training'] / 1e3:,.0f}k "
                f"| {result['peak_mib']:,.0f} | {result['model_mib']:,.0f} | {overhead:,.0f} |"
            )
            print(rows[-1], flush=True)
    cpu = machine_description()
    lines = [
        f"Peak memory of one training epoch, {args.workers} workers, vector_size {args.vector_size}, min_count "
        f"{args.min_count}, Zipf corpus over {args.vocab:,} words; {cpu}; "
        f"`python bench/memory.py --sizes {args.sizes} --inputs {args.inputs} --workers {args.workers}`. "
        f"Baseline (Python + NumPy + w2vfast imported): {baseline:.0f} MiB.",
        "",
        "| corpus GB | input | tokens | vocabulary | counting tokens/s | training words/s | peak RSS MiB "
        "| model MiB | overhead MiB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
    ]
    table = "\n".join(lines)
    print("\n" + table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table + "\n")


if __name__ == "__main__":
    main()
