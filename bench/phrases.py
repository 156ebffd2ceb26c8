"""Phrase detection against gensim's Phrases: time to learn and apply, the same phrases, memory under max_vocab_size.

Usage::

    python bench/phrases.py --corpus ../shared/corpora/gcide.txt.gz --threads 2
    python bench/phrases.py --word2phrase /path/to/word2phrase      # also compare with word2phrase.c's output

Each run is a fresh child process, so that no system runs in a process that another one filled (a process holding
gensim's model and its outputs counted up to 70% slower here), and its peak RSS is its own. One run each:

- **time**: learning (``Phrases(...)``) and applying (``phrases[sentence]`` for every sentence, or ``phrase_file``)
  with gensim's ``Phrases`` on the corpus as a Python list of token lists (str, split as the engine splits a file;
  loading it is not timed), w2vfast's on the same list, and w2vfast's from the file with ``--threads`` workers, both
  steps (learning from ``corpus_file=``, then ``phrase_file`` into a file); ratios to gensim's total. English
  connector words, gensim's other defaults (min_count 5, threshold 10).
- **the same phrases**: every phrased sentence (and line of ``phrase_file``) against gensim's, and
  ``export_phrases()`` of the learnt models under each scorer: default, npmi, and a function of the caller's (the
  Dice coefficient), which the engine calls in Python.
- **memory**: peak RSS of counting the corpus from a ``LineSentence`` (so that no corpus list is held) with a
  ``max_vocab_size`` far below its 2.3M entries and without a limit, gensim and w2vfast, and whether the pruned counts
  are identical (the same pruning rule).

With ``--word2phrase`` it also runs word2phrase.c and ``w2vfast phrases`` (its scorer and defaults) on the file and
counts the lines that differ. The table goes to stdout and to ``bench/results/phrases.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from iterables import plain_file  # noqa: E402  (decompresses a .gz corpus once into bench/.cache)

RESULTS = BENCH / "results"

# One run: learns and applies the phrases of one system and writes the phrased text and the exported phrases of each
# scorer (not timed), or counts a LineSentence under max_vocab_size and reports its memory.
CHILD = r"""
import hashlib, json, sys, time
request = json.loads(sys.argv[1])
from w2vfast import ENGLISH_CONNECTOR_WORDS, LineSentence
if request["system"] == "gensim":
    from gensim.models.phrases import Phrases
else:
    from w2vfast import Phrases

def peak_mib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024

def dice(worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count):
    return 2 * bigram_count / (worda_count + wordb_count)

path, connectors, result = request["corpus"], dict(connector_words=ENGLISH_CONNECTOR_WORDS), {}
if "max_vocab_size" in request:
    before = peak_mib()
    start = time.perf_counter()
    phrases = Phrases(LineSentence(path), max_vocab_size=request["max_vocab_size"], **connectors)
    result = dict(seconds=time.perf_counter() - start, peak=peak_mib(), growth=peak_mib() - before,
                  entries=len(phrases.vocab), digest=hashlib.sha256("".join(
                      f"{key}\t{count}\n" for key, count in phrases.vocab.items()).encode("utf-8", "surrogateescape")
                  ).hexdigest())
elif request.get("workers"):
    start = time.perf_counter()
    phrases = Phrases(corpus_file=path, workers=request["workers"], **connectors)
    result["learn"] = time.perf_counter() - start
    start = time.perf_counter()
    phrases.phrase_file(path, request["phrased"], workers=request["workers"])
    result["apply"] = time.perf_counter() - start
else:
    sentences = list(LineSentence(path))
    start = time.perf_counter()
    phrases = Phrases(sentences, **connectors)
    result["learn"] = time.perf_counter() - start
    start = time.perf_counter()
    phrased = [phrases[sentence] for sentence in sentences]
    result["apply"] = time.perf_counter() - start
    with open(request["phrased"], "w", encoding="utf-8", errors="surrogateescape") as out:
        out.writelines(" ".join(sentence) + "\n" for sentence in phrased)
if "phrased" in request:
    from gensim.models.phrases import npmi_scorer, original_scorer
    for name, scoring, threshold in (("default", original_scorer, 10.0), ("npmi", npmi_scorer, 0.5),
                                     ("a function", dice, 0.2)):
        phrases.scoring, phrases.threshold = scoring, threshold  # w2vfast computes gensim's two in the engine
        with open(f"{request['phrased']}.{name}.json", "w") as out:
            json.dump(list(phrases.export_phrases().items()), out)
print(json.dumps(result))
"""

SCORERS = ("default", "npmi", "a function")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=BENCH.parent.parent / "shared" / "corpora" / "gcide.txt.gz")
    parser.add_argument("--threads", type=int, default=2, help="workers of the corpus_file run (default: 2)")
    parser.add_argument("--max-vocab-size", type=int, default=200_000,
                        help="the limit of the memory runs (default: 200,000)")
    parser.add_argument("--word2phrase", type=Path, help="a word2phrase binary to compare with")
    parser.add_argument("--out", type=Path, default=RESULTS / "phrases.md")
    return parser.parse_args(argv)


def run(**request) -> dict:
    process = subprocess.run([sys.executable, "-c", CHILD, json.dumps(request)], capture_output=True, text=True)
    if process.returncode:
        raise RuntimeError(f"run {request} failed: {process.stderr[-2000:]}")
    return json.loads(process.stdout)


def same_file(a: Path, b: Path) -> bool:
    with open(a, "rb") as first, open(b, "rb") as second:
        return [line.split() for line in first] == [line.split() for line in second]


def same_json(a: Path, b: Path) -> bool:
    with open(a) as first, open(b) as second:
        return json.load(first) == json.load(second)


def word2phrase_lines(binary: Path, path: Path, folder: Path) -> str:
    """Runs word2phrase.c and `w2vfast phrases` with word2phrase's defaults; says how many lines are identical."""
    theirs, ours = folder / "word2phrase.txt", folder / "w2vfast.txt"
    subprocess.run([str(binary), "-train", str(path), "-output", str(theirs), "-debug", "0"], check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-m", "w2vfast", "phrases", "-train", str(path), "-output", str(ours), "-q"],
                   check=True)
    with open(theirs, "rb") as first, open(ours, "rb") as second:
        pairs = list(zip(first, second))
    return f"{sum(x.split() == y.split() for x, y in pairs):,} of {len(pairs):,} lines identical"


def main(argv=None) -> int:
    args = parse_args(argv)
    path = str(plain_file(args.corpus))
    with open(path, "rb") as lines:
        tokens, sentences = 0, 0
        for line in lines:
            tokens, sentences = tokens + len(line.split()), sentences + 1

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        systems = {
            "gensim Phrases, token lists": dict(system="gensim"),
            "w2vfast Phrases, token lists": dict(system="w2vfast"),
            f"w2vfast Phrases, corpus_file, {args.threads} workers, phrase_file": dict(system="w2vfast",
                                                                                     workers=args.threads),
        }
        times, outputs = {}, {}
        for number, (name, request) in enumerate(systems.items()):
            outputs[name] = folder / f"phrased-{number}.txt"
            times[name] = run(corpus=path, phrased=str(outputs[name]), **request)
        gensim_name, *ours = systems
        same = {f"phrased text, {name}": same_file(outputs[gensim_name], outputs[name]) for name in ours}
        for scorer in SCORERS:
            for name in ours:
                same[f"export_phrases(), {scorer} scorer, {name}"] = same_json(
                    Path(f"{outputs[gensim_name]}.{scorer}.json"), Path(f"{outputs[name]}.{scorer}.json"))
        w2p = word2phrase_lines(args.word2phrase, Path(path), folder) if args.word2phrase else None
        exported = {scorer: len(json.load(open(f"{outputs[gensim_name]}.{scorer}.json"))) for scorer in SCORERS}

    limits = (args.max_vocab_size, 40_000_000)
    memory = {(system, limit): run(system=system, corpus=path, max_vocab_size=limit)
              for limit in limits for system in ("gensim", "w2vfast")}

    gensim_total = times[gensim_name]["learn"] + times[gensim_name]["apply"]
    lines = [f"Corpus `{args.corpus.name}`: {tokens:,} tokens in {sentences:,} lines; English connector words, "
             "min_count 5, threshold 10 (gensim's defaults); one run each, each in a fresh process.", "",
             "| system | learn s | apply s | total s | gensim ÷ system |", "| --- | ---: | ---: | ---: | ---: |"]
    for name, measured in times.items():
        total = measured["learn"] + measured["apply"]
        lines.append(f"| {name} | {measured['learn']:.2f} | {measured['apply']:.2f} | {total:.2f} | "
                     f"**{gensim_total / total:.1f}×** |")
    lines += ["", "Phrases found by gensim: " + ", ".join(f"{count:,} ({scorer} scorer)" for scorer, count in
                                                          exported.items()) + ".", "",
              "| the same as gensim's | |", "| --- | --- |"]
    lines += [f"| {what} | {'yes' if equal else '**no**'} |" for what, equal in same.items()]
    if w2p:
        lines.append(f"| `w2vfast phrases` against word2phrase.c (not gensim) | {w2p} |")
    lines += ["", "Memory of counting from a `LineSentence` (peak RSS of the process; growth over its imports):", "",
              "| max_vocab_size | system | entries kept | peak RSS MiB | growth MiB | seconds |",
              "| ---: | --- | ---: | ---: | ---: | ---: |"]
    for (system, limit), measured in memory.items():
        lines.append(f"| {limit:,} | {system} | {measured['entries']:,} | {measured['peak']:,.0f} | "
                     f"{measured['growth']:,.0f} | {measured['seconds']:.1f} |")
    pruned_equal = memory[("gensim", limits[0])]["digest"] == memory[("w2vfast", limits[0])]["digest"]
    lines += ["", f"Counts pruned under max_vocab_size {limits[0]:,} identical to gensim's: "
                  f"{'yes' if pruned_equal else '**no**'}.", "",
              f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical cores, Python "
              f"{platform.python_version()}.",
              f"Command: `python bench/phrases.py {' '.join(sys.argv[1:] if argv is None else argv)}`".rstrip()]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
