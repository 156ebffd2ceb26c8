"""Python token lists against files: what reading sentences from Python costs, and how fast they train.

Usage::

    python bench/iterables.py --corpus ../shared/corpora/gcide.txt.gz --threads 1,2
    python bench/iterables.py --corpus text8 --threads 1,2,4,8,16 --epochs 1

Loads the corpus once as a Python list of token lists (str), then measures, in one process:

- **conversion alone**, one thread: the engine turning every sentence into word ids (``Vocabulary.ids``, what a
  training pass does to each batch) against the Python code it replaced in w2vfast (a dict lookup per token into
  ``np.fromiter``), in words/s; and counting the vocabulary (``count_sentences``) against ``collections.Counter``;
- **training** at each thread count: the same model trained from the list and from the file (``corpus_file=``),
  and gensim's iterable mode from the same list when gensim is installed; ``train()`` timed, words/s = corpus
  tokens x epochs / seconds.

The table goes to stdout and to ``bench/results/iterables.md``.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import itertools
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
CACHE = BENCH / ".cache"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=BENCH.parent.parent / "shared" / "corpora" / "gcide.txt.gz")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts (default: 1,2)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2, help="runs of each training, alternating; the best counts")
    parser.add_argument("--out", type=Path, default=RESULTS / "iterables.md")
    return parser.parse_args(argv)


def plain_file(corpus: Path) -> Path:
    if corpus.suffix != ".gz":
        return corpus
    plain = CACHE / corpus.name[: -len(".gz")]
    if not plain.exists():
        CACHE.mkdir(exist_ok=True)
        with gzip.open(corpus, "rb") as source, open(plain, "wb") as out:
            out.write(source.read())
    return plain


def python_ids(sentences, key_to_index):
    """The conversion the engine replaced: a dict lookup a token, in batches of 65,536 words, into NumPy arrays."""
    lookup, batch, words = key_to_index.get, [], 0
    for sentence in sentences:
        batch.append(sentence)
        words += len(sentence)
        if words >= 1 << 16:
            np.fromiter(map(lookup, itertools.chain.from_iterable(batch), itertools.repeat(-1)), np.int32, count=words)
            batch, words = [], 0
    if batch:
        np.fromiter(map(lookup, itertools.chain.from_iterable(batch), itertools.repeat(-1)), np.int32, count=words)


def timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main(argv=None) -> int:
    args = parse_args(argv)
    from w2vfast import Word2Vec, _core

    path = plain_file(args.corpus)
    with open(path, encoding="utf-8", errors="surrogateescape") as lines:
        sentences = [line.split() for line in lines]
    tokens = sum(map(len, sentences))
    model = Word2Vec(corpus_file=str(path), epochs=0, workers=os.cpu_count() or 1, progress=False)
    vocabulary = model._vocabulary

    rows = []
    engine = timed(lambda: vocabulary.ids(sentences))
    python = timed(lambda: python_ids(sentences, model.wv.key_to_index))
    rows.append(("tokens to ids, one thread", tokens / engine, tokens / python, "Python dict lookups (replaced)"))
    engine = timed(lambda: _core.count_sentences(sentences, 0))
    python = timed(lambda: collections.Counter(itertools.chain.from_iterable(sentences)))
    rows.append(("counting the vocabulary, one thread", tokens / engine, tokens / python, "collections.Counter"))

    try:
        from gensim.models import Word2Vec as GensimWord2Vec
    except ImportError:
        GensimWord2Vec = None
    training = []
    for threads in [int(n) for n in args.threads.split(",")]:
        best = collections.defaultdict(lambda: float("inf"))
        for _ in range(args.repeats):
            for name, source in (("list", dict(corpus_iterable=sentences)), ("file", dict(corpus_file=str(path)))):
                model = Word2Vec(workers=threads, epochs=args.epochs, progress=False, seed=1)
                model.build_vocab(**source)
                best[name] = min(best[name], timed(lambda: model.train(**source)))
            if GensimWord2Vec is not None:
                theirs = GensimWord2Vec(workers=threads, epochs=args.epochs, sg=1, seed=1)
                theirs.build_vocab(sentences)
                best["gensim"] = min(best["gensim"], timed(lambda: theirs.train(
                    sentences, total_examples=theirs.corpus_count, epochs=args.epochs)))
        training.append((threads, {name: tokens * args.epochs / seconds for name, seconds in best.items()}))

    lines = [f"Corpus `{args.corpus.name}`: {tokens:,} tokens in {len(sentences):,} sentences (a Python list of str "
             "lists).", "", "| step | engine words/s | Python words/s | engine ÷ Python | Python path |",
             "| --- | ---: | ---: | ---: | --- |"]
    for name, ours, theirs, what in rows:
        lines.append(f"| {name} | {ours / 1e6:,.1f}M | {theirs / 1e6:,.1f}M | **{ours / theirs:.1f}×** | {what} |")
    lines += ["", f"Training, skip-gram defaults, {args.epochs} epochs, best of {args.repeats} (words/s):", "",
              "| threads | list of token lists | corpus_file | list ÷ file | gensim, same list | list ÷ gensim |",
              "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for threads, rates in training:
        gensim = rates.get("gensim")
        lines.append(f"| {threads} | {rates['list'] / 1e3:,.0f}k | {rates['file'] / 1e3:,.0f}k | "
                     f"**{rates['list'] / rates['file']:.0%}** | "
                     + (f"{gensim / 1e3:,.0f}k | **{rates['list'] / gensim:.1f}×** |" if gensim else "- | - |"))
    lines += ["", f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical cores, Python "
                  f"{platform.python_version()}, NumPy {np.__version__}.",
              f"Command: `python bench/iterables.py {' '.join(sys.argv[1:] if argv is None else argv)}`".rstrip()]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
