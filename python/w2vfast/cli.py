"""The ``w2vfast`` command: train word vectors as with word2vec.c, then query, evaluate, inspect and plot them.

::

    w2vfast train -train corpus.txt -output vectors.bin -size 100 -window 5 -negative 5 -iter 5 -binary 1
    w2vfast train --input corpus.txt --output vectors.bin --vector-size 100 --epochs 5 --binary
    w2vfast train -train corpus.txt -output model -minn 3 -maxn 6   # FastText: writes model.bin and model.vec
    w2vfast similar vectors.bin king queen
    w2vfast analogy vectors.bin man king woman        # man is to king as woman is to ?
    w2vfast eval vectors.bin
    w2vfast info vectors.bin
    w2vfast plot vectors.bin --words king paris --neighbours 8 -o words.png
    w2vfast phrases -train corpus.txt -output phrased.txt -min-count 5 -threshold 100   # as word2phrase

``python -m w2vfast`` is the same command. ``w2vfast -train ...`` (no sub-command) is read as ``w2vfast train ...``,
so scripts written for word2vec.c only need the program name changed.

Exit status: 0 on success, 2 on bad usage (unknown or invalid options, a mode that does not exist yet), 1 when the
work itself fails (a missing or corrupt file, a word not in the vocabulary), with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import inspect
import os
import re
import sys
import time
from typing import List, NoReturn, Optional, Sequence, Tuple

import numpy as np

from . import persistence
from .fasttext import FastText, FastTextKeyedVectors, load_facebook_vectors, save_facebook_model
from .keyedvectors import KeyedVectors
from .phrases import Phrases
from .word2vec import Word2Vec

__all__ = ["main"]

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def _defaults(function) -> dict:
    """The default of each parameter of ``function``: the library defines them, the command line reuses them."""
    return {name: parameter.default for name, parameter in inspect.signature(function).parameters.items()}


_WORD2VEC_DEFAULTS = _defaults(Word2Vec)
_FASTTEXT_DEFAULTS = _defaults(FastText)


class Failure(Exception):
    """The command was well formed but could not be carried out; the message is the one-line reason."""


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the command line with ``argv`` and returns the exit status; the ``w2vfast`` command calls it.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; default ``sys.argv[1:]``. When the first one is an option other than
        ``-h``, ``--help`` or ``--version``, the command ``train`` is implied, as in word2vec.c.

    Returns
    -------
    int
        0 on success, 1 when the work fails (a missing or corrupt file, a word not in the vocabulary; the reason is
        printed on stderr), 130 when interrupted. Bad usage exits with status 2 (``SystemExit``), as argparse does.

    Examples
    --------
    >>> from w2vfast.cli import main
    >>> main(["train", "-train", "corpus.txt", "-output", "vectors.bin", "-binary", "1"])
    0
    >>> main(["similar", "vectors.bin", "king"])
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "train")  # word2vec.c style: `w2vfast -train corpus.txt -output vectors.bin`
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # words read from invalid UTF-8 print as escapes
    parser = _build_parser()
    args = parser.parse_args(argv)  # exits with status 2 on bad usage
    if args.command is None:
        parser.error("a command is required: train, similar, analogy, eval, info, plot or phrases")
    try:
        return args.run(args) or EXIT_OK
    except Failure as error:
        return _fail(args.command, str(error))
    except BrokenPipeError:  # `w2vfast similar ... | head`: the reader left, which is not an error worth a message
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
    except OSError as error:
        reason = f"{error.filename}: {error.strerror}" if error.filename and error.strerror else str(error)
        return _fail(args.command, reason)
    except (ValueError, KeyError) as error:  # corrupt files and bad data, reported by the library in its own words
        return _fail(args.command, str(error.args[0]) if error.args else type(error).__name__)
    except KeyboardInterrupt:
        return _fail(args.command, "interrupted", status=130)


def _fail(command: str, reason: str, status: int = EXIT_FAILURE) -> int:
    print(f"w2vfast {command}: {reason}", file=sys.stderr)
    return status


# ---------------------------------------------------------------------------------------------------- the parser


def _build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="w2vfast",
        description="Train word2vec vectors (skip-gram with negative sampling) and query, evaluate and plot them.",
        epilog="Run `w2vfast COMMAND --help` for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"w2vfast {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_train(commands)

    similar = _command(commands, "similar", _similar, "print the nearest neighbours of words")
    similar.add_argument("words", nargs="+", metavar="WORD")
    _add_topn(similar, default=10)

    analogy = _command(commands, "analogy", _analogy, "solve A is to B as C is to ? (vector B - A + C)")
    analogy.add_argument("a", metavar="A")
    analogy.add_argument("b", metavar="B")
    analogy.add_argument("c", metavar="C")
    _add_topn(analogy, default=10)

    evaluate = _command(commands, "eval", _evaluate, "analogy accuracy and word-similarity correlations, as a table")
    evaluate.add_argument("--restrict-vocab", type=_positive_int,
                          default=_defaults(KeyedVectors.evaluate_word_analogies)["restrict_vocab"], metavar="N",
                          help="answer analogies among the N most frequent words only (default: %(default)s)")
    evaluate.add_argument("--sections", action="store_true", help="also print the accuracy of each analogy section")
    evaluate.add_argument("--analogies", metavar="FILE",
                          help="analogy questions in the questions-words.txt format (default: the shipped copy)")
    evaluate.add_argument("--pairs", nargs="+", metavar="FILE",
                          help="word-pair similarity files (default: the shipped WordSim353 and SimLex-999)")

    _command(commands, "info", _info, "print the vocabulary size, dimension and format of a vectors file")

    plot = _command(commands, "plot", _plot, "draw words and their neighbours in 2-D as a labelled PNG")
    plot.add_argument("--words", nargs="+", required=True, metavar="WORD", help="the words to show")
    plot.add_argument("--neighbours", "--neighbors", type=_non_negative_int, default=5, metavar="K",
                      help="also show each word's K nearest neighbours (default: %(default)s)")
    plot.add_argument("-o", "--output", required=True, metavar="PNG", help="the image to write")
    plot.add_argument("--method", choices=("pca", "tsne"), default="pca",
                      help="projection: PCA (default, NumPy only) or t-SNE (needs scikit-learn)")
    plot.add_argument("--title", help="title of the figure (default: the vectors file's name)")
    _add_phrases(commands)
    return parser


def _command(commands, name: str, run, summary: str) -> argparse.ArgumentParser:
    command = commands.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")
    command.set_defaults(run=run)
    if name not in ("train", "phrases"):
        command.add_argument("vectors", metavar="VECTORS",
                             help="a w2vfast file (KeyedVectors.save, Word2Vec.save, FastText.save), a fastText .bin "
                                  "model, or a word2vec text or binary file; the format is detected")
    return command


def _add_topn(parser: argparse.ArgumentParser, default: int) -> None:
    parser.add_argument("-n", "--topn", type=_positive_int, default=default, metavar="N",
                        help="how many neighbours to print (default: %(default)s)")


def _add_train(commands) -> None:
    default = _WORD2VEC_DEFAULTS
    train = commands.add_parser(
        "train",
        help="train word vectors on a text file (word2vec.c's options, or long ones)",
        description=(
            "Train skip-gram word vectors on a text file with one sentence per line. Takes word2vec.c's options "
            "(-train, -output, -size, ...) with their meaning and defaults, or the long names shown after them."
        ),
        epilog=(
            "Differences from word2vec.c: skip-gram is the default (-cbow 0), as in the library; -threads defaults "
            "to the number of cores; the learning rate still decays to alpha * 0.0001 as in word2vec.c; the corpus "
            "may be gzip, bzip2 or xz-compressed. Progress is shown while training (a bar on a terminal) and "
            "printed after each epoch."
        ),
        allow_abbrev=False,
    )
    train.set_defaults(run=_train, parser=train)
    option = train.add_argument
    option("-train", "--input", "--train", dest="input", required=True, metavar="FILE",
           help="the corpus: plain text, one sentence per line, words separated by whitespace")
    option("-output", "--output", dest="output", metavar="FILE", help="where to write the vectors")
    option("-size", "--vector-size", "--size", dest="vector_size", type=int, default=default["vector_size"],
           metavar="N", help="dimension of the vectors (default: %(default)s)")
    option("-window", "--window", type=int, default=default["window"], metavar="N",
           help="maximum context distance (default: %(default)s)")
    option("-sample", "--sample", type=float, default=default["sample"], metavar="T",
           help="subsampling threshold for frequent words, 0 for none (default: %(default)g)")
    option("-negative", "--negative", type=int, default=default["negative"], metavar="N",
           help="noise words per context word (default: %(default)s)")
    option("-hs", "--hs", type=int, nargs="?", const=1, default=default["hs"], metavar="0|1",
           help="hierarchical softmax (default: %(default)s)")
    option("-cbow", "--cbow", type=int, nargs="?", const=1, default=1 - default["sg"], choices=(0, 1), metavar="0|1",
           help="1 for CBOW, 0 for skip-gram (default: %(default)s, skip-gram; word2vec.c defaults to 1)")
    option("-threads", "--threads", "--workers", dest="threads", type=int, default=default["workers"],
           metavar="N", help=f"training threads (default: all {os.cpu_count() or 1} cores)")
    option("-iter", "--epochs", "--iter", dest="epochs", type=int, default=default["epochs"], metavar="N",
           help="passes over the corpus (default: %(default)s)")
    option("-min-count", "--min-count", dest="min_count", type=int, default=default["min_count"], metavar="N",
           help="drop words seen fewer times (default: %(default)s)")
    option("-alpha", "--alpha", type=float, metavar="RATE",
           help="starting learning rate (default: 0.025 for skip-gram, 0.05 for CBOW, as in word2vec.c)")
    option("--min-alpha", dest="min_alpha", type=float, metavar="RATE",
           help="final learning rate (default: alpha * 0.0001, as in word2vec.c)")
    option("-binary", "--binary", type=int, nargs="?", const=1, default=0, choices=(0, 1), metavar="0|1",
           help="write the binary word2vec format (default: 0, text)")
    option("-save-vocab", "--save-vocab", dest="save_vocab", metavar="FILE",
           help="also write '<word> <count>' lines, most frequent first")
    option("-read-vocab", "--read-vocab", dest="read_vocab", metavar="FILE",
           help="take the vocabulary and counts from a -save-vocab file instead of counting the corpus")
    option("-classes", "--classes", type=_non_negative_int, default=0, metavar="K",
           help="write '<word> <class>' lines of K k-means word classes to -output instead of the vectors, as "
                "word2vec.c does (default: 0, the vectors)")
    option("-debug", "--debug", type=int, default=2, metavar="N",
           help="0 prints nothing but errors; otherwise the vocabulary and per-epoch progress (default: 2)")
    option("-q", "--quiet", dest="debug", action="store_const", const=0, help="same as -debug 0")
    option("--seed", type=int, default=default["seed"], help="random seed (default: %(default)s)")
    option("--shared-negatives", dest="shared_negatives", type=int, choices=(0, 1), metavar="0|1",
           help="skip-gram with negative sampling: 1 draws noise words once per window, 0 per (centre, context) pair "
                "as word2vec.c does (default: 1 where it applies; 0 for subword models)")
    subwords = train.add_argument_group(
        "subword (FastText) models",
        "Any of these options trains a FastText model, with vectors for unseen words built from character n-grams; "
        "-output then names the model as in fastText: '-output model' (or model.bin) writes model.bin (fastText's "
        "binary format, read by fastText, gensim and w2vfast) and model.vec (the vectors, text format).",
    )
    subwords.add_argument("-minn", "--min-n", dest="min_n", type=_non_negative_int, metavar="N",
                          help=f"shortest character n-gram (default: {_FASTTEXT_DEFAULTS['min_n']})")
    subwords.add_argument("-maxn", "--max-n", dest="max_n", type=_non_negative_int, metavar="N",
                          help=f"longest character n-gram, 0 for none (default: {_FASTTEXT_DEFAULTS['max_n']})")
    subwords.add_argument("-bucket", "--bucket", dest="bucket", type=_non_negative_int, metavar="N",
                          help=f"n-gram rows (default: {_FASTTEXT_DEFAULTS['bucket']:,})")


def _positive_int(text: str) -> int:
    return _int_at_least(text, 1)


def _non_negative_int(text: str) -> int:
    return _int_at_least(text, 0)


def _int_at_least(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
    return value


# ---------------------------------------------------------------------------------------------------- train

# The option a user typed for each Word2Vec parameter, so that the library's validation messages can name it.
_OPTION_OF_PARAMETER = {
    "vector_size": "-size", "window": "-window", "sample": "-sample", "negative": "-negative", "hs": "-hs",
    "sg": "-cbow", "workers": "-threads", "epochs": "-iter", "min_count": "-min-count", "alpha": "-alpha",
    "min_alpha": "--min-alpha", "seed": "--seed", "shared_negatives": "--shared-negatives", "min_n": "-minn",
    "max_n": "-maxn", "bucket": "-bucket",
}


def _train(args) -> int:
    parser = args.parser
    if args.output is None and args.save_vocab is None:
        parser.error("nothing to do: give -output FILE for the vectors, and/or -save-vocab FILE for the vocabulary")
    if args.alpha is None:
        args.alpha = 0.05 if args.cbow else 0.025  # word2vec.c's defaults
    params = dict(
        vector_size=args.vector_size, window=args.window, sample=args.sample, negative=args.negative, hs=args.hs,
        sg=0 if args.cbow else 1, workers=args.threads, epochs=args.epochs, min_count=args.min_count,
        alpha=args.alpha, min_alpha=args.alpha * 1e-4 if args.min_alpha is None else args.min_alpha, seed=args.seed,
        progress=args.debug > 0,
        shared_negatives=None if args.shared_negatives is None else bool(args.shared_negatives),
    )
    subword_options = {name: getattr(args, name) for name in ("min_n", "max_n", "bucket")}
    subwords = any(value is not None for value in subword_options.values())
    if subwords:
        if args.binary:
            parser.error("-binary: a subword model writes fastText's .bin and a text .vec; -binary applies to "
                         "word2vec output only")
        if args.hs and args.negative:
            parser.error(f"-hs 1 with -negative {args.negative}: fastText's .bin holds one loss; add -negative 0")
        params.update({name: value for name, value in subword_options.items() if value is not None})
        if params["shared_negatives"] is None:
            del params["shared_negatives"]  # FastText's own default
    try:
        # The library validates every parameter, in one place.
        model = FastText(**params) if subwords else Word2Vec(**params)
    except ValueError as error:
        typed = dict(params, sg=args.cbow, shared_negatives=args.shared_negatives)
        _usage_error(parser, error, _OPTION_OF_PARAMETER, typed)

    say = (lambda text: print(text, file=sys.stderr, flush=True)) if args.debug > 0 else (lambda text: None)
    start = time.perf_counter()
    if args.read_vocab:
        model.build_vocab_from_freq(persistence.read_vocab_counts(args.read_vocab, "utf8", "surrogateescape"))
        say(f"Vocabulary read from {args.read_vocab}: {len(model.wv):,} words with count >= {args.min_count}, "
            f"{model.corpus_total_words:,} corpus words")
    else:
        model.build_vocab(corpus_file=args.input)
        say(f"Vocabulary: {len(model.wv):,} words with count >= {args.min_count}; corpus of "
            f"{model.corpus_total_words:,} words in {model.corpus_count:,} lines ({time.perf_counter() - start:.1f} s)")
    if args.save_vocab:
        persistence.save_word_numbers(args.save_vocab, model.wv.index_to_key, model.wv.expandos["count"])
        say(f"Saved the vocabulary to {args.save_vocab}")
    if args.output is None:
        return EXIT_OK

    progress = _Progress(say, model.corpus_total_words, args.epochs)
    model.train(corpus_file=args.input, callbacks=[progress])
    if args.classes:
        if args.classes > len(model.wv):
            raise Failure(f"-classes {args.classes}: the vocabulary has only {len(model.wv):,} words")
        persistence.save_word_numbers(args.output, model.wv.index_to_key, model.wv.word_classes(args.classes))
        say(f"Saved {args.classes:,} k-means classes of {len(model.wv):,} words to {args.output}; "
            f"{time.perf_counter() - start:.1f} s in all")
        return EXIT_OK
    if isinstance(model, FastText):
        prefix = args.output[: -len(".bin")] if args.output.endswith(".bin") else args.output
        save_facebook_model(model, prefix + ".bin")
        model.wv.save_word2vec_format(prefix + ".vec")
        say(f"Saved the FastText model to {prefix}.bin (fastText's format) and {len(model.wv):,} vectors of "
            f"dimension {model.vector_size} to {prefix}.vec; {time.perf_counter() - start:.1f} s in all")
        return EXIT_OK
    model.wv.save_word2vec_format(args.output, binary=bool(args.binary))
    say(f"Saved {len(model.wv):,} vectors of dimension {model.vector_size} to {args.output} "
        f"({'binary' if args.binary else 'text'} word2vec format); {time.perf_counter() - start:.1f} s in all")
    return EXIT_OK


def _usage_error(parser: argparse.ArgumentParser, error: ValueError, options: dict, typed: dict) -> NoReturn:
    """Exits with status 2, naming the option behind the library's ValueError (whose message starts with the
    parameter's name) and the value the user typed."""
    message = str(error)
    named = re.match(r"[a-z_]+", message)
    parameter = named.group() if named else ""
    option = options.get(parameter)
    parser.error(f"{option} {typed.get(parameter)}: {message}" if option else message)


class _Progress:
    """A training callback that prints a line to stderr after each epoch: rate, learning rate, time left."""

    def __init__(self, say, words_per_epoch: int, epochs: int):
        self.say, self.words_per_epoch, self.epochs = say, words_per_epoch, epochs
        self.start = time.perf_counter()

    def on_train_begin(self, model) -> None:
        self.start = time.perf_counter()
        self.say(f"Training {self.epochs} epochs with {model.workers} threads ...")

    def on_epoch_end(self, model) -> None:
        elapsed = time.perf_counter() - self.start
        done = model.epochs_trained
        rate = self.words_per_epoch * done / max(elapsed, 1e-9)
        left = elapsed / done * (self.epochs - done)
        self.say(f"  epoch {done}/{self.epochs}  {100 * done / self.epochs:3.0f}%  {rate / 1e3:,.0f}k words/s  "
                 f"alpha {model.min_alpha_yet_reached:.6f}  {elapsed:.1f} s elapsed, {left:.1f} s left")


# ---------------------------------------------------------------------------------------------------- phrases

_PHRASES_DEFAULTS = _defaults(Phrases)
_OPTION_OF_PHRASES_PARAMETER = {
    "min_count": "-min-count", "threshold": "-threshold", "workers": "-threads", "max_vocab_size": "--max-vocab-size",
}


def _add_phrases(commands) -> None:
    phrases = commands.add_parser(
        "phrases",
        help="join frequent word pairs into phrases (new york -> new_york), as word2phrase does",
        description=(
            "Learn phrases from a text file with one sentence per line and write the text with each phrase joined "
            "into one token by '_'. Takes word2phrase's options (-train, -output, -min-count, -threshold, -debug) "
            "with their meaning and defaults, and word2phrase's score; run it again on its output for longer "
            "phrases."
        ),
        epilog=(
            "Scores: word2phrase (the default) is (count(a b) - min-count) / (count(a) * count(b)) * corpus words, "
            "0 if a or b is rarer than min-count; default is gensim's, the same with the number of distinct words "
            "and pairs in place of the corpus words (thresholds around 10); npmi is gensim's normalised pointwise "
            "mutual information, from -1 to 1."
        ),
        allow_abbrev=False,
    )
    phrases.set_defaults(run=_phrases, parser=phrases)
    option = phrases.add_argument
    option("-train", "--input", "--train", dest="input", required=True, metavar="FILE",
           help="the text: one sentence per line, words separated by whitespace; plain or compressed, or a "
                "directory of files")
    option("-output", "--output", dest="output", required=True, metavar="FILE",
           help="where to write the phrased text (plain)")
    option("-min-count", "--min-count", dest="min_count", type=int, default=_PHRASES_DEFAULTS["min_count"],
           metavar="N", help="pairs seen fewer times are no phrase (default: %(default)s)")
    option("-threshold", "--threshold", type=float, default=100.0, metavar="T",
           help="pairs scoring above it are phrases: higher, fewer (default: %(default)g, word2phrase's)")
    option("--scoring", choices=("word2phrase", "default", "npmi"), default="word2phrase",
           help="the score (default: %(default)s; see below)")
    option("-threads", "--threads", "--workers", dest="threads", type=int, default=None, metavar="N",
           help=f"threads (default: all {os.cpu_count() or 1} cores)")
    option("--max-vocab-size", dest="max_vocab_size", type=int, default=_PHRASES_DEFAULTS["max_vocab_size"],
           metavar="N", help="prune the rarest words and pairs whenever more are held (default: %(default)s)")
    option("-debug", "--debug", type=int, default=2, metavar="N",
           help="0 prints nothing but errors; otherwise what was counted and written (default: 2)")
    option("-q", "--quiet", dest="debug", action="store_const", const=0, help="same as -debug 0")


def _phrases(args) -> int:
    params = dict(min_count=args.min_count, threshold=args.threshold, scoring=args.scoring,
                  max_vocab_size=args.max_vocab_size, workers=args.threads)
    try:
        phrases = Phrases(**params)  # the library validates, in its words
    except ValueError as error:
        _usage_error(args.parser, error, _OPTION_OF_PHRASES_PARAMETER, params)
    say = (lambda text: print(text, file=sys.stderr, flush=True)) if args.debug > 0 else (lambda text: None)
    start = time.perf_counter()
    phrases.add_vocab(corpus_file=args.input)
    found = phrases.export_phrases()
    say(f"Counted {phrases.corpus_word_count:,} words: {phrases.vocab_size:,} words and pairs, {len(found):,} "
        f"phrases scoring above {args.threshold:g} ({time.perf_counter() - start:.1f} s)")
    phrases.phrase_file(args.input, args.output, workers=args.threads)
    say(f"Wrote {args.output}; {time.perf_counter() - start:.1f} s in all")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------------- queries


def _similar(args) -> int:
    wv, _ = load_vectors(args.vectors)
    missing = []
    for word in args.words:
        if word not in wv:
            missing.append(word)
            continue
        print(word if word in wv.key_to_index else f"{word} (not in the vocabulary: composed from its n-grams)")
        _print_neighbours(wv.most_similar(positive=[word], topn=args.topn))
    if missing:
        raise Failure(_not_in_vocabulary(missing, args.vectors))
    return EXIT_OK


def _analogy(args) -> int:
    wv, _ = load_vectors(args.vectors)
    words = [args.a, args.b, args.c]
    _require_words(wv, words, args.vectors)
    print(f"{args.a} is to {args.b} as {args.c} is to:")
    _print_neighbours(wv.most_similar(positive=[args.b, args.c], negative=[args.a], topn=args.topn))
    return EXIT_OK


def _print_neighbours(neighbours: List[Tuple[str, float]]) -> None:
    width = max((len(word) for word, _ in neighbours), default=0)
    for word, similarity in neighbours:
        print(f"  {word:<{width}}  {similarity:.4f}")


def _require_words(wv, words: Sequence[str], vectors: str) -> None:
    missing = [word for word in words if word not in wv]
    if missing:
        raise Failure(_not_in_vocabulary(missing, vectors))


def _not_in_vocabulary(words: Sequence[str], vectors: str) -> str:
    listed = ", ".join(repr(word) for word in words)
    return f"{listed} {'is' if len(words) == 1 else 'are'} not in the vocabulary of {vectors}"


def _evaluate(args) -> int:
    from . import datasets

    wv, _ = load_vectors(args.vectors)
    analogies = args.analogies or datasets.path("questions-words.txt")
    pairs = args.pairs or [datasets.path("wordsim353.tsv"), datasets.path("simlex999.txt")]
    rows = [("evaluation file", "measure", "score", "coverage")]

    score, sections = wv.evaluate_word_analogies(analogies, restrict_vocab=args.restrict_vocab)
    total = sections[-1]
    answered = len(total["correct"]) + len(total["incorrect"])
    questions = _count_analogy_questions(analogies)
    rows.append((os.path.basename(analogies), "analogy accuracy", f"{score:.4f}",
                 f"{answered:,} of {questions:,} questions ({100 * answered / max(questions, 1):.1f}%)"))
    for path in pairs:
        pearson, spearman, oov_percent = wv.evaluate_word_pairs(path)
        rows.append((os.path.basename(path), "Spearman", f"{spearman[0]:.4f}", f"{100 - oov_percent:.1f}% of pairs"))
        rows.append(("", "Pearson", f"{pearson[0]:.4f}", ""))
    _print_table(rows)

    if args.sections:
        print()
        rows = [("analogy section", "accuracy", "correct", "answered")]
        for section in sections[:-1]:
            correct, answered = len(section["correct"]), len(section["correct"]) + len(section["incorrect"])
            accuracy = f"{correct / answered:.4f}" if answered else "-"
            rows.append((section["section"], accuracy, f"{correct:,}", f"{answered:,}"))
        _print_table(rows)
    return EXIT_OK


def _count_analogy_questions(path: str) -> int:
    with open(path, "rb") as questions:
        return sum(1 for line in questions if line.strip() and not line.startswith(b":"))


def _print_table(rows: Sequence[Tuple[str, ...]]) -> None:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for number, row in enumerate(rows):
        # Text left-aligned, numbers right-aligned, as in a spreadsheet.
        cells = [cell.rjust(width) if persistence.is_number(cell.replace(",", "").encode()) or cell == "-" else cell.ljust(width)
                 for cell, width in zip(row, widths)]
        print("  ".join(cells).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))


def _info(args) -> int:
    wv, format_name = load_vectors(args.vectors)
    print(f"file        {args.vectors} ({os.path.getsize(args.vectors) / 2**20:,.1f} MiB)")
    print(f"format      {format_name}")
    print(f"words       {len(wv):,}")
    print(f"dimension   {wv.vector_size}")
    if isinstance(wv, FastTextKeyedVectors):
        ngrams = f"{wv.min_n}-{wv.max_n} characters, {wv.bucket:,} buckets" if wv.bucket else "none"
        print(f"n-grams     {ngrams}")
    if len(wv):
        print(f"first words {' '.join(wv.index_to_key[:10])}")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------------- plot


def _plot(args) -> int:
    wv, _ = load_vectors(args.vectors)
    _require_words(wv, args.words, args.vectors)
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise Failure("plot needs matplotlib: pip install 'w2vfast[plot]'") from None

    # Each chosen word with its neighbours forms a group drawn in one colour; a word shared by groups stays in the
    # first.
    keys: List[str] = []
    groups: List[int] = []
    for group, word in enumerate(args.words):
        neighbours = [other for other, _ in wv.most_similar(positive=[word], topn=args.neighbours)] if args.neighbours else []
        for key in [word] + neighbours:
            if key not in keys:
                keys.append(key)
                groups.append(group)
    points = np.vstack([wv.get_vector(key, norm=True) for key in keys])
    coordinates = _tsne(points) if args.method == "tsne" else pca_2d(points)

    figure, axes = plt.subplots(figsize=(8, 6.5))
    colours = plt.get_cmap("tab10")
    chosen = set(args.words)
    for (x, y), key, group in zip(coordinates, keys, groups):
        axes.scatter(x, y, color=colours(group % 10), s=60 if key in chosen else 24, zorder=2)
        axes.annotate(key, (x, y), xytext=(4, 3), textcoords="offset points", fontsize=10 if key in chosen else 8,
                      fontweight="bold" if key in chosen else "normal", color=colours(group % 10))
    axes.set_title(args.title or f"{os.path.basename(args.vectors)}: {args.method.upper()} of {len(keys)} words")
    axes.set_xticks([])
    axes.set_yticks([])
    axes.margins(0.12)  # room for the labels of the outermost points
    figure.tight_layout()
    figure.savefig(args.output, dpi=120)
    plt.close(figure)
    print(f"wrote {args.output}: {len(keys)} words, {args.method.upper()}")
    return EXIT_OK


def pca_2d(points: np.ndarray) -> np.ndarray:
    """Projects the rows of ``points`` onto their first two principal components (an ``(n, 2)`` array)."""
    centred = points - points.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    coordinates = centred @ components[:2].T
    if coordinates.shape[1] < 2:  # a single point, or vectors of dimension 1
        coordinates = np.hstack([coordinates, np.zeros((len(points), 2 - coordinates.shape[1]))])
    return coordinates


def _tsne(points: np.ndarray) -> np.ndarray:
    try:
        from sklearn.manifold import TSNE
    except ImportError:
        raise Failure("--method tsne needs scikit-learn: pip install scikit-learn (or use the default, PCA)") from None
    if len(points) < 3:
        raise Failure(f"t-SNE needs at least 3 points, got {len(points)}: add words or --neighbours")
    # Perplexity must stay below the number of points; 30 is the usual value for larger sets.
    perplexity = max(1.0, min(30.0, (len(points) - 1) / 3))
    return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=0).fit_transform(points)


# ---------------------------------------------------------------------------------------------------- loading


def load_vectors(path: str):
    """Loads a vectors file in whichever format it is, as ``(KeyedVectors, format name)``."""
    format_name = persistence.detect_format(path)
    if format_name == "fastText binary":
        return load_facebook_vectors(path), format_name
    if format_name == "w2vfast native":
        return KeyedVectors.load(path, mmap="r"), format_name  # mapped: only the rows a query touches are read
    wv = KeyedVectors.load_word2vec_format(path, binary=format_name == "word2vec binary",
                                           unicode_errors="surrogateescape")
    return wv, format_name
