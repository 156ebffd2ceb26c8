"""Train w2vfast, gensim (corpus_file= and iterable modes) and fastText on one corpus; compare speed, memory, quality.

Usage::

    python bench/compare.py --corpus ../shared/corpora/gcide.txt.gz --threads 1,2
    python bench/compare.py --corpus text8 --threads 1,2,4,8 --repeats 3
    python bench/compare.py --systems w2vfast,gensim-file --epochs 1      # a quick look
    python bench/compare.py --mode cbow-ns --threads 2                     # another training mode
    python bench/compare.py --systems w2vfast,w2vfast-gz,w2vfast-iter,w2vfast-numpy,gensim-file,gensim-iter
                                                                           # every input path of w2vfast
    python bench/compare.py --systems w2vfast,w2vfast-baseline --baseline /tmp/old/bin/python
                                                                           # two builds of w2vfast side by side
    python bench/compare.py --model fasttext --corpus ../shared/corpora/gcide.txt.gz --threads 1,2 \
        --fasttext-bin /path/to/fastText/fasttext                          # subword models: FastText

Every system gets the same hyperparameters (:data:`MODES` and :data:`COMMON`, in gensim's names, translated for
fastText) and the same plain-text file. Each (system, threads, repeat) run trains in a fresh child process, so that
its peak RSS (``ru_maxrss``) is its own; the child builds the vocabulary, trains, and saves the vectors in word2vec's
binary format. Reported per run:

- training seconds: the ``train()`` call only (the vocabulary pass excluded), except for fastText, whose Python API
  builds the vocabulary inside ``train_unsupervised``;
- throughput: the corpus's tokens × epochs / training seconds;
- end-to-end seconds: the child process from start to saved vectors (interpreter, imports, vocabulary, training);
- peak RSS of the child;
- quality, judged for every system by gensim's evaluators on the saved vectors: analogy accuracy on
  questions-words.txt with ``restrict_vocab=30000`` (``--analogy-vocab``), Spearman correlation on WordSim353 and
  SimLex-999.

With several repeats (seeds 1, 2, ...) times are medians with min–max, quality figures means. fastText's Python
API takes no seed. The Markdown table (with the w2vfast ÷ gensim ratio of each figure, from the same run) is printed
and written to ``bench/results/compare-<corpus>.md``, the raw figures to ``.json``, and a plot of throughput against
threads to ``throughput-<corpus>.png`` (needs matplotlib).

``--model fasttext`` compares subword models (:data:`FASTTEXT`: n-grams of 3 to 6 characters in 2,000,000 buckets):
w2vfast's and gensim's ``FastText``, fastText's Python module (``fasttext``) and its command-line trainer
(``fasttext-cli``, the binary given by ``--fasttext-bin`` or found on the PATH as ``fasttext``). The vectors evaluated
are those of the vocabulary's words, each composed of its own row and its n-gram rows.

A ``.gz`` corpus is decompressed once into ``bench/.cache/``. Lines longer than 10,000 words (text8 is a single line)
are cut into lines of 10,000 words there too, as gensim does internally, because w2vfast splits a file among its
threads at line starts.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import shutil
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CACHE = BENCH / ".cache"
RESULTS = BENCH / "results"
TEXT8_PLACES = [CACHE / "text8", REPO / "text8", REPO.parent / "shared" / "corpora" / "text8", Path.home() / "text8"]
MAX_LINE_WORDS = 10000

# The run spec: what every system is asked to do, in gensim's parameter names. --mode chooses among MODES; COMMON is
# the rest.
MODES = {
    "sg-ns": dict(sg=1, hs=0, negative=5),
    "cbow-ns": dict(sg=0, hs=0, negative=5),
    "sg-hs": dict(sg=1, hs=1, negative=0),
    "cbow-hs": dict(sg=0, hs=1, negative=0),
}
COMMON = dict(vector_size=100, window=5, sample=1e-3, min_count=5, alpha=0.025, min_alpha=0.0001, epochs=5)
# Analogies are judged among this many of the most frequent words (--analogy-vocab).
ANALOGY_VOCAB = 30000
# The Huffman trees w2vfast builds (--huffman-ties), by how they break ties between equal counts.
HUFFMAN_TIES = ("gensim", "word2vec", "leaves-first")
# --model fasttext adds the subword parameters (gensim's names; fastText's -minn, -maxn, -bucket).
FASTTEXT = dict(min_n=3, max_n=6, bucket=2_000_000)
# w2vfast reads the corpus file (plain), its gzip twin, a LineSentence iterable, or an IdCorpus of NumPy arrays;
# w2vfast-exact is corpus_file with shared_negatives=False: the exact algorithm of word2vec.c and gensim, which
# w2vfast replaces by shared negatives by default in skip-gram with negative sampling.
# w2vfast-baseline is the w2vfast of another Python (--baseline): an older build, trained beside the current one.
# w2vfast-shared is shared_negatives=True, for FastText, whose default is the exact algorithm.
W2VFAST_SYSTEMS = ("w2vfast", "w2vfast-gz", "w2vfast-iter", "w2vfast-numpy", "w2vfast-exact", "w2vfast-shared",
                   "w2vfast-baseline")
SYSTEMS = W2VFAST_SYSTEMS + ("gensim-file", "gensim-iter", "fasttext", "fasttext-cli")
DEFAULT_SYSTEMS = ("w2vfast", "gensim-file", "gensim-iter", "fasttext")
DEFAULT_FASTTEXT_SYSTEMS = ("w2vfast", "w2vfast-shared", "gensim-file", "fasttext", "fasttext-cli")
# The ratio rows: each w2vfast system ÷ the gensim mode it is measured against.
RATIOS = (("w2vfast", "gensim-file"), ("w2vfast", "gensim-iter"), ("w2vfast-gz", "gensim-file"),
          ("w2vfast-iter", "gensim-iter"), ("w2vfast-numpy", "gensim-file"), ("w2vfast-exact", "gensim-file"),
          ("w2vfast-shared", "gensim-file"), ("w2vfast", "w2vfast-baseline"), ("w2vfast", "fasttext-cli"),
          ("w2vfast-shared", "fasttext-cli"))


def run_spec(mode: str, epochs: int, vector_size: int = COMMON["vector_size"], model: str = "word2vec") -> dict:
    return dict(COMMON, **MODES[mode], **(FASTTEXT if model == "fasttext" else {}), epochs=epochs,
                vector_size=vector_size)


def is_fasttext(spec) -> bool:
    return "bucket" in spec


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="text file, plain or .gz (default: text8, if found)")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts (default: 1,2)")
    parser.add_argument("--epochs", type=int, default=COMMON["epochs"])
    parser.add_argument("--vector-size", type=int, default=COMMON["vector_size"], help="dimensions (default: 100)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each system at each thread count")
    parser.add_argument("--systems",
                        help=f"comma-separated subset of {','.join(SYSTEMS)} (default: {','.join(DEFAULT_SYSTEMS)}; "
                             f"with --model fasttext: {','.join(DEFAULT_FASTTEXT_SYSTEMS)})")
    parser.add_argument("--mode", choices=sorted(MODES), default="sg-ns", help="training mode (default: sg-ns)")
    parser.add_argument("--analogy-vocab", type=int, default=ANALOGY_VOCAB, metavar="N",
                        help=f"analogies among the N most frequent words (default: {ANALOGY_VOCAB:,}); 0: among all "
                             "words, the same question set for every system (systems order words of equal count "
                             "differently, so the N most frequent can differ)")
    parser.add_argument("--huffman-ties", choices=HUFFMAN_TIES, metavar="RULE",
                        help="how the w2vfast systems' Huffman tree breaks ties between equal counts, with "
                             f"hierarchical softmax: {', '.join(HUFFMAN_TIES)} (default: the model's own, gensim's "
                             "for word2vec, fastText's, word2vec, for fasttext; w2vfast-baseline keeps its own)")
    parser.add_argument("--model", choices=("word2vec", "fasttext"), default="word2vec",
                        help="word2vec, or fasttext: subword models (default: word2vec)")
    parser.add_argument("--fasttext-bin", type=Path, metavar="BINARY",
                        help="fastText's command-line trainer, for the system fasttext-cli (default: fasttext on PATH)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the table, figures and plot")
    parser.add_argument("--baseline", type=Path, metavar="PYTHON",
                        help="a Python interpreter whose w2vfast (another build) trains as the system w2vfast-baseline")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# ------------------------------------------------------------------ the child: one system, one thread count, one seed


def w2vfast_corpus(system, corpus):
    """The corpus argument of each w2vfast input path; built before the clock starts."""
    import numpy as np

    from w2vfast import IdCorpus, LineSentence

    if system == "w2vfast-gz":
        return dict(corpus_file=gzip_twin(Path(corpus)))
    if system == "w2vfast-iter":
        return dict(corpus_iterable=LineSentence(corpus))
    if system == "w2vfast-numpy":
        index, tokens, offsets = {}, [], [0]
        for sentence in LineSentence(corpus):
            tokens.extend(index.setdefault(word, len(index)) for word in sentence)
            offsets.append(len(tokens))
        return dict(corpus_iterable=IdCorpus(np.array(tokens, dtype=np.int32), np.array(offsets), list(index)))
    return dict(corpus_file=corpus)


def train_w2vfast(spec, corpus, workers, seed, system="w2vfast", huffman_ties=None):
    if is_fasttext(spec):
        from w2vfast import FastText as Model
    else:
        from w2vfast import Word2Vec as Model
    source = w2vfast_corpus(system, corpus)  # w2vfast-baseline reads the file, as w2vfast does
    # The system w2vfast trains the model's default (Word2Vec: shared negatives; FastText: the exact algorithm).
    variant = {"w2vfast-exact": dict(shared_negatives=False), "w2vfast-shared": dict(shared_negatives=True)}
    model = Model(workers=workers, seed=seed, progress=False, **variant.get(system, {}), **spec)
    if huffman_ties:
        model._huffman_ties = huffman_ties  # not a parameter of the API: the model's class decides
    model.build_vocab(**source)
    start = time.perf_counter()
    model.train(**source)
    return time.perf_counter() - start, lambda path: model.wv.save_word2vec_format(path, binary=True)


def gensim_model(spec):
    from gensim.models import FastText, Word2Vec

    return FastText if is_fasttext(spec) else Word2Vec


def train_gensim_file(spec, corpus, workers, seed):
    model = gensim_model(spec)(workers=workers, seed=seed, **spec)
    model.build_vocab(corpus_file=corpus)
    start = time.perf_counter()
    model.train(corpus_file=corpus, total_examples=model.corpus_count, total_words=model.corpus_total_words,
                epochs=model.epochs)
    return time.perf_counter() - start, lambda path: model.wv.save_word2vec_format(path, binary=True)


def train_gensim_iterable(spec, corpus, workers, seed):
    from gensim.models.word2vec import LineSentence

    sentences = LineSentence(corpus, max_sentence_length=MAX_LINE_WORDS)
    model = gensim_model(spec)(workers=workers, seed=seed, **spec)
    model.build_vocab(sentences)
    start = time.perf_counter()
    model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
    return time.perf_counter() - start, lambda path: model.wv.save_word2vec_format(path, binary=True)


def train_fasttext(spec, corpus, workers, seed):
    import fasttext

    if spec["hs"] and spec["negative"]:
        raise ValueError("fastText trains one loss at a time: hierarchical softmax or negative sampling")
    start = time.perf_counter()
    model = fasttext.train_unsupervised(
        str(corpus), model="skipgram" if spec["sg"] else "cbow", loss="hs" if spec["hs"] else "ns",
        dim=spec["vector_size"], ws=spec["window"], neg=spec["negative"], t=spec["sample"], minCount=spec["min_count"],
        lr=spec["alpha"], epoch=spec["epochs"], minn=spec.get("min_n", 0), maxn=spec.get("max_n", 0),
        bucket=spec.get("bucket", 2_000_000), wordNgrams=1, thread=workers, verbose=0,
    )  # fastText decays the rate to 0, not min_alpha, and takes no seed
    seconds = time.perf_counter() - start

    def save(path):
        words = model.get_words(on_unicode_error="replace")
        write_word2vec_binary(path, words, model.get_input_matrix()[: len(words)])

    return seconds, save


def fasttext_cli_arguments(spec, corpus, workers, output):
    """fastText's command line for the run spec (its flag names; -minn 0 -maxn 0 for word2vec)."""
    if spec["hs"] and spec["negative"]:
        raise ValueError("fastText trains one loss at a time: hierarchical softmax or negative sampling")
    return [
        "skipgram" if spec["sg"] else "cbow", "-input", str(corpus), "-output", str(output),
        "-loss", "hs" if spec["hs"] else "ns", "-dim", str(spec["vector_size"]), "-ws", str(spec["window"]),
        "-neg", str(spec["negative"]), "-t", str(spec["sample"]), "-minCount", str(spec["min_count"]),
        "-lr", str(spec["alpha"]), "-epoch", str(spec["epochs"]), "-minn", str(spec.get("min_n", 0)),
        "-maxn", str(spec.get("max_n", 0)), "-bucket", str(spec.get("bucket", 2_000_000)), "-wordNgrams", "1",
        "-thread", str(workers), "-verbose", "0",
    ]


def train_fasttext_cli(spec, corpus, workers, seed, binary):
    """fastText's own trainer. It reads the vocabulary, trains, then writes model.bin and model.vec; the train
    seconds run from its start until it writes model.bin (vocabulary pass included, as for the fasttext module)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="compare-fasttext-", dir=CACHE))
    output = folder / "model"
    start = time.perf_counter()
    process = subprocess.Popen([str(binary)] + fasttext_cli_arguments(spec, corpus, workers, output),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = None
    while process.poll() is None:
        # fastText creates model.bin empty at its start (to check it can write there) and fills it after training.
        if seconds is None and (folder / "model.bin").exists() and (folder / "model.bin").stat().st_size > 0:
            seconds = time.perf_counter() - start
        time.sleep(0.02)
    if process.returncode != 0:
        raise RuntimeError(f"{binary} failed: {process.stderr.read()[-2000:]}")
    seconds = seconds if seconds is not None else time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the trainer is this child's only child

    def save(path):
        from gensim.models import KeyedVectors

        vectors = KeyedVectors.load_word2vec_format(str(output) + ".vec", binary=False, unicode_errors="replace")
        write_word2vec_binary(path, vectors.index_to_key, vectors.vectors)
        shutil.rmtree(folder)

    return seconds, save, peak


TRAINERS = {"gensim-file": train_gensim_file, "gensim-iter": train_gensim_iterable, "fasttext": train_fasttext,
            **{system: functools.partial(train_w2vfast, system=system) for system in W2VFAST_SYSTEMS}}


def write_word2vec_binary(path, words, vectors):
    import numpy as np

    vectors = np.ascontiguousarray(vectors, dtype="<f4")
    with open(path, "wb") as out:
        out.write(f"{len(words)} {vectors.shape[1]}\n".encode())
        for word, vector in zip(words, vectors):
            out.write(word.encode("utf-8") + b" " + vector.tobytes() + b"\n")


def run_child(request):
    peak = None
    if request["system"] == "fasttext-cli":
        seconds, save, peak = train_fasttext_cli(request["spec"], request["corpus"], request["workers"],
                                                 request["seed"], request["fasttext_bin"])
    else:
        trainer = TRAINERS[request["system"]]
        if request.get("huffman_ties"):
            trainer = functools.partial(trainer, huffman_ties=request["huffman_ties"])
        seconds, save = trainer(request["spec"], request["corpus"], request["workers"], request["seed"])
    save(request["vectors"])
    print(json.dumps(dict(train_seconds=seconds, peak_rss_mib=peak or peak_rss_mib())))


def peak_rss_mib() -> float:
    """This process's peak resident set size. On Linux from VmHWM, because ru_maxrss survives exec(): a child
    forked from a large parent would report the parent's size."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 1024)


# ------------------------------------------------------------------ the parent: corpus, runs, evaluation, table, plot


def find_corpus(corpus):
    if corpus is not None:
        if not corpus.exists():
            sys.exit(f"corpus {corpus} not found")
        return corpus
    for place in TEXT8_PLACES:
        if place.exists():
            return place
    sys.exit(
        "no --corpus given and no text8 found; looked in:\n  " + "\n  ".join(map(str, TEXT8_PLACES)) + "\n"
        "Get text8 (100 MB, 17 million words of Wikipedia) with:\n"
        f"  curl -O http://mattmahoney.net/dc/text8.zip && unzip text8.zip -d {CACHE}\n"
        "or pass any text file (one sentence per line), e.g. --corpus ../shared/corpora/gcide.txt.gz on this "
        "project's machines."
    )


def gzip_twin(plain: Path) -> Path:
    """A gzip copy of the prepared plain corpus, made once, for the w2vfast-gz input path."""
    twin = CACHE / (plain.name + ".gz")
    if not twin.exists() or twin.stat().st_mtime < plain.stat().st_mtime:
        CACHE.mkdir(exist_ok=True)
        partial = twin.with_suffix(".part")
        with open(plain, "rb") as source, gzip.open(partial, "wb", compresslevel=6) as out:
            shutil.copyfileobj(source, out, 1 << 20)
        partial.rename(twin)
    return twin


def prepare_corpus(corpus: Path):
    """A plain-text copy with lines of at most MAX_LINE_WORDS words (the corpus itself if it is one); its tokens."""
    opener = gzip.open if corpus.suffix == ".gz" else open
    tokens, longest = 0, 0
    with opener(corpus, "rb") as source:
        for line in source:
            words = len(line.split())
            tokens += words
            longest = max(longest, words)
    if corpus.suffix != ".gz" and longest <= MAX_LINE_WORDS:
        return corpus, tokens
    prepared = CACHE / (corpus.name[: -len(".gz")] if corpus.suffix == ".gz" else corpus.name + ".lines")
    if prepared.exists() and prepared.stat().st_mtime >= corpus.stat().st_mtime:
        return prepared, tokens
    CACHE.mkdir(exist_ok=True)
    print(f"writing {prepared} (plain text, lines of at most {MAX_LINE_WORDS} words)", file=sys.stderr)
    partial = prepared.with_suffix(".part")
    with opener(corpus, "rb") as source, open(partial, "wb") as out:
        for line in source:
            words = line.split()
            for start in range(0, len(words), MAX_LINE_WORDS):
                out.write(b" ".join(words[start : start + MAX_LINE_WORDS]) + b"\n")
    partial.rename(prepared)
    return prepared, tokens


def run_system(system, corpus, spec, workers, seed, python=sys.executable, fasttext_bin=None,
               analogy_vocab=ANALOGY_VOCAB, huffman_ties=None):
    CACHE.mkdir(exist_ok=True)
    vectors = CACHE / f"vectors-{system}-t{workers}-s{seed}.bin"
    request = json.dumps(dict(system=system, corpus=str(corpus), spec=spec, workers=workers, seed=seed,
                              vectors=str(vectors), fasttext_bin=str(fasttext_bin), huffman_ties=huffman_ties))
    start = time.perf_counter()
    completed = subprocess.run([str(python), __file__, "--child", request], capture_output=True, text=True)
    end_to_end = time.perf_counter() - start
    if completed.returncode != 0:
        sys.exit(f"{system} with {workers} threads failed:\n{completed.stderr[-3000:]}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    result.update(end_to_end_seconds=end_to_end, **evaluate(vectors, analogy_vocab))
    vectors.unlink()
    return result


def evaluate(vectors_path, analogy_vocab=ANALOGY_VOCAB):
    """Scores saved vectors with gensim's evaluators, the same judge for every system: analogies among the
    `analogy_vocab` most frequent words (0: all of them)."""
    import logging

    from gensim.models import KeyedVectors
    from gensim.test.utils import datapath

    logging.getLogger("gensim").setLevel(logging.ERROR)
    kv = KeyedVectors.load_word2vec_format(str(vectors_path), binary=True, unicode_errors="replace")
    return dict(
        vocabulary=len(kv),
        analogy=float(kv.evaluate_word_analogies(datapath("questions-words.txt"),
                                                 restrict_vocab=analogy_vocab or len(kv))[0]),
        wordsim353=float(kv.evaluate_word_pairs(datapath("wordsim353.tsv"))[1][0]),
        simlex999=float(kv.evaluate_word_pairs(datapath("simlex999.txt"))[1][0]),
    )


QUALITY = ("analogy", "wordsim353", "simlex999")


def summarise(runs, tokens, epochs):
    seconds = sorted(run["train_seconds"] for run in runs)
    median = statistics.median(seconds)
    summary = dict(
        train_seconds=median, train_min=seconds[0], train_max=seconds[-1], throughput=tokens * epochs / median,
        end_to_end_seconds=statistics.median(run["end_to_end_seconds"] for run in runs),
        peak_rss_mib=max(run["peak_rss_mib"] for run in runs), vocabulary=runs[0]["vocabulary"], repeats=len(runs),
    )
    for key in QUALITY:
        values = [run[key] for run in runs]
        summary[key], summary[f"{key}_min"], summary[f"{key}_max"] = statistics.mean(values), min(values), max(values)
    return summary


def format_table(summaries, spec, corpus, tokens, repeats, command, conditions, analogy_vocab=ANALOGY_VOCAB):
    def quality(s, key):
        spread = f" ({s[key + '_min']:.3f}–{s[key + '_max']:.3f})" if repeats > 1 else ""
        return f"{s[key]:.3f}{spread}"

    mode = ("skip-gram" if spec["sg"] else "CBOW") + (", hierarchical softmax" if spec["hs"] else "")
    if is_fasttext(spec):
        mode = f"FastText {mode}, n-grams of {spec['min_n']} to {spec['max_n']} characters, {spec['bucket']:,} buckets"
    lines = [
        f"Corpus `{corpus.name}`: {tokens:,} tokens. {mode}, negative {spec['negative']}, window {spec['window']}, "
        f"vector_size {spec['vector_size']}, min_count {spec['min_count']}, sample {spec['sample']:g}, "
        f"alpha {spec['alpha']}, {spec['epochs']} epochs; {repeats} run(s) of each"
        + (" (seeds 1.., time: median (min–max), quality: mean (min–max))." if repeats > 1 else ".")
        + (f" Analogies among the {analogy_vocab:,} most frequent words." if analogy_vocab
           else " Analogies among all words of the vocabulary."),
        "",
        "| threads | system | train s | words/s | end-to-end s | peak RSS MiB | analogy | WordSim353 | SimLex-999 |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for threads in sorted({threads for threads, _ in summaries}):
        for (row_threads, system), s in summaries.items():
            if row_threads != threads:
                continue
            spread = f" ({s['train_min']:.1f}–{s['train_max']:.1f})" if repeats > 1 else ""
            lines.append(
                f"| {threads} | {system}{' ¹' if system.startswith('fasttext') else ''} | "
                f"{s['train_seconds']:.1f}{spread} | "
                f"{s['throughput'] / 1e3:,.0f}k | {s['end_to_end_seconds']:.1f} | {s['peak_rss_mib']:,.0f} | "
                f"{quality(s, 'analogy')} | {quality(s, 'wordsim353')} | {quality(s, 'simlex999')} |"
            )
        for system, baseline in RATIOS:
            ours, theirs = summaries.get((threads, system)), summaries.get((threads, baseline))
            if ours and theirs:
                lines.append(
                    f"| {threads} | **{system} ÷ {baseline}** | {ours['train_seconds'] / theirs['train_seconds']:.2f}× | "
                    f"**{ours['throughput'] / theirs['throughput']:.2f}×** | "
                    f"{ours['end_to_end_seconds'] / theirs['end_to_end_seconds']:.2f}× | "
                    f"{ours['peak_rss_mib'] / theirs['peak_rss_mib']:.2f}× | "
                    f"{100 * (ours['analogy'] - theirs['analogy']):+.1f} points | "
                    f"{ours['wordsim353'] - theirs['wordsim353']:+.3f} | "
                    f"{ours['simlex999'] - theirs['simlex999']:+.3f} |"
                )
    if any(system.startswith("fasttext") for _, system in summaries):
        lines += ["", "¹ fastText's train seconds include its vocabulary pass (its Python API does both in one call; "
                      "its command line, `fasttext-cli`, is timed until it starts writing model.bin); its learning "
                      "rate decays to 0 and it trains on the end-of-line token `</s>` as a word."]
    lines += ["", f"Machine: {machine_description()}. {versions()}. {conditions}", f"Command: `{command}`"]
    return "\n".join(lines)


def machine_description():
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} logical cores, {platform.system()} {platform.release()}"


def versions():
    import importlib.metadata

    found = [f"Python {platform.python_version()}"]
    for name in ("numpy", "w2vfast", "gensim", "fasttext-wheel", "fasttext"):
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            pass
    return ", ".join(found)


def plot_throughput(summaries, corpus, path, title="Skip-gram"):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (pip install '.[bench]')", file=sys.stderr)
        return None
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for system in SYSTEMS:
        points = sorted((threads, s["throughput"] / 1e3) for (threads, name), s in summaries.items() if name == system)
        if points:
            axes.plot(*zip(*points), marker="o", label=system, linewidth=2.5 if system == "w2vfast" else 1.5)
    threads = sorted({threads for threads, _ in summaries})
    axes.set_xticks(threads)
    axes.set_xlabel("threads")
    axes.set_ylabel("thousand words / s (corpus tokens × epochs / train s)")
    axes.set_title(f"{title} training throughput on {corpus.name}")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    axes.legend()
    figure.text(0.01, 0.01, machine_description(), fontsize=7, color="grey")
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        return run_child(json.loads(args.child))
    if importlib.util.find_spec("gensim") is None:
        sys.exit("this benchmark needs gensim (a peer, and the judge of quality): pip install '.[bench]'")
    fasttext_model = args.model == "fasttext"
    default_systems = DEFAULT_FASTTEXT_SYSTEMS if fasttext_model else DEFAULT_SYSTEMS
    systems = [name.strip() for name in (args.systems or ",".join(default_systems)).split(",") if name.strip()]
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown:
        sys.exit(f"unknown system(s) {', '.join(unknown)}; choose from {', '.join(SYSTEMS)}")
    if "fasttext" in systems and importlib.util.find_spec("fasttext") is None:
        print("fastText is not installed (pip install fasttext-wheel): skipping it", file=sys.stderr)
        systems.remove("fasttext")
    fasttext_bin = args.fasttext_bin or (Path(shutil.which("fasttext")) if shutil.which("fasttext") else None)
    if "fasttext-cli" in systems and (fasttext_bin is None or not fasttext_bin.exists()):
        print("fastText's command line is not found (--fasttext-bin; build it with `make` in fastText's sources): "
              "skipping fasttext-cli", file=sys.stderr)
        systems.remove("fasttext-cli")
    thread_counts = [int(threads) for threads in args.threads.split(",")]
    command = "python bench/compare.py " + " ".join(argv if argv is not None else sys.argv[1:])
    corpus = find_corpus(args.corpus)
    prepared, tokens = prepare_corpus(corpus)
    spec = run_spec(args.mode, args.epochs, args.vector_size, args.model)
    for variant in ("w2vfast-exact", "w2vfast-shared"):
        if variant in systems and args.mode != "sg-ns":
            sys.exit(f"{variant} differs from w2vfast in --mode sg-ns only")
    if ("w2vfast-baseline" in systems) != (args.baseline is not None):
        sys.exit("the system w2vfast-baseline and --baseline PYTHON go together")

    runs = {}
    loads = [os.getloadavg()[0]]  # other work on the machine slows every system, unevenly: say how much there was
    if loads[0] > (os.cpu_count() or 1) / 2:
        print(f"warning: the machine is busy (load average {loads[0]:.1f} on {os.cpu_count()} cores); "
              "timings will be noisy", file=sys.stderr)
    started = time.perf_counter()
    for repeat in range(args.repeats):
        for threads in thread_counts:
            for system in systems:  # systems alternate, so that a slow phase of a shared machine hits all of them
                print(f"{system}, {threads} thread(s), seed {repeat + 1} ...", end=" ", file=sys.stderr, flush=True)
                python = args.baseline if system == "w2vfast-baseline" else sys.executable
                ties = args.huffman_ties if system in W2VFAST_SYSTEMS and system != "w2vfast-baseline" else None
                result = run_system(system, prepared, spec, threads, seed=repeat + 1, python=python,
                                    fasttext_bin=fasttext_bin, analogy_vocab=args.analogy_vocab, huffman_ties=ties)
                print(f"train {result['train_seconds']:.1f} s, end-to-end {result['end_to_end_seconds']:.1f} s, "
                      f"analogy {result['analogy']:.3f}", file=sys.stderr, flush=True)
                runs.setdefault((threads, system), []).append(result)
                loads.append(os.getloadavg()[0])

    summaries = {key: summarise(key_runs, tokens, args.epochs) for key, key_runs in runs.items()}
    conditions = (f"The benchmark took {(time.perf_counter() - started) / 60:.1f} min; the 1-minute load average, "
                  f"sampled between runs, went from {min(loads):.1f} to {max(loads):.1f} on {os.cpu_count()} cores"
                  + (" (a busy machine: timings are noisy)." if max(loads) > (os.cpu_count() or 1) / 2 else "."))
    table = format_table(summaries, spec, corpus, tokens, args.repeats, command, conditions, args.analogy_vocab)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    name = corpus.name.split(".")[0] + ("-fasttext" if fasttext_model else "")
    (args.out / f"compare-{name}.md").write_text(table + "\n")
    (args.out / f"compare-{name}.json").write_text(json.dumps(dict(
        command=command, machine=machine_description(), versions=versions(), load_averages=loads, spec=spec,
        tokens=tokens,
        runs=[dict(threads=threads, system=system, **run) for (threads, system), r in runs.items() for run in r],
    ), indent=1) + "\n")
    plot = plot_throughput(summaries, corpus, args.out / f"throughput-{name}.png",
                           ("FastText " if fasttext_model else "") + ("Skip-gram" if spec["sg"] else "CBOW"))
    print(f"\nwrote {args.out / f'compare-{name}.md'}" + (f" and {plot}" if plot else ""), file=sys.stderr)


if __name__ == "__main__":
    main()
