"""Intrinsic evaluation of word vectors: analogy questions and word-pair similarity judgements.

These are the engines behind :meth:`w2vfast.KeyedVectors.evaluate_word_analogies` and
:meth:`w2vfast.KeyedVectors.evaluate_word_pairs`. They follow gensim's rules to the letter (the same questions are skipped,
the same case folding, the same return values) so that scores are comparable between the two libraries, but the
analogy evaluation answers all questions of a section with one matrix product instead of one ``most_similar`` call
per question. The correlation statistics are computed here with NumPy, so evaluation needs no SciPy.

The evaluation files that are the usual inputs ship with w2vfast, see :mod:`w2vfast.datasets`.
"""

from __future__ import annotations

import logging
import math
import os
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

import numpy as np

from . import _core

__all__ = ["evaluate_word_analogies", "evaluate_word_pairs", "pearsonr", "spearmanr", "CorrelationResult"]

logger = logging.getLogger(__name__)

# Score matrices of at most this many float32 numbers are computed at once (64 MiB), whatever the vocabulary size.
_BLOCK_FLOATS = 1 << 24
# Threads that select the best scores of a block of queries: every core, as the matrix product (BLAS) uses.
QUERY_THREADS = os.cpu_count() or 1
# gensim keeps 5 neighbours per question and predicts the first that is not one of the question's words.
_ANALOGY_TOPN = 5
# Candidates whose scores differ by less than this could be ordered differently by gensim's matrix-vector product
# than by our matrix-matrix product (float32 rounding); such questions are re-scored one at a time, as gensim does.
_TIE_TOLERANCE = 1e-5


class CorrelationResult(NamedTuple):
    """A correlation coefficient and its two-sided p-value; unpacks and indexes like SciPy's result objects.

    Parameters
    ----------
    statistic : float
        The correlation coefficient, between -1 and 1 (NaN when an input is constant).
    pvalue : float
        The two-sided p-value of the coefficient under the hypothesis of no correlation.

    Examples
    --------
    >>> result = spearmanr([1, 2, 3, 4], [1, 3, 2, 4])
    >>> coefficient, pvalue = result
    >>> result.statistic == result[0]
    True
    """

    statistic: float
    pvalue: float


# -------------------------------------------------------------------- analogies


def evaluate_word_analogies(
    kv,
    analogies,
    restrict_vocab: Optional[int] = 300000,
    case_insensitive: bool = True,
    dummy4unknown: bool = False,
    similarity_function: str = "most_similar",
) -> Tuple[float, List[dict]]:
    """Accuracy of ``kv`` on analogy questions ``a b c d`` ("a is to b as c is to d"), as gensim computes it.

    The function behind :meth:`w2vfast.KeyedVectors.evaluate_word_analogies`, which explains the method further.

    Parameters
    ----------
    kv : KeyedVectors
        The vectors to evaluate.
    analogies : str or path
        A file of questions, one ``a b c d`` per line, in sections opened by ``: section-name`` lines, such as
        ``w2vfast.datasets.path('questions-words.txt')``.
    restrict_vocab : int or None, default 300000
        Only the first ``restrict_vocab`` keys count: questions using other words are skipped, and answers are
        searched among these keys only. ``None``: every key.
    case_insensitive : bool, default True
        Compare words in upper case; a word with several case variants uses the first (most frequent) one.
    dummy4unknown : bool, default False
        Count questions with words outside the vocabulary as wrong instead of skipping them.
    similarity_function : {'most_similar'}
        Only 3CosAdd is implemented.

    Returns
    -------
    score : float
        Accuracy over all answered questions.
    sections : list of dict
        One dict per section (``'section'``, ``'correct'``, ``'incorrect'``), then ``'Total accuracy'``.

    Raises
    ------
    ValueError
        If the file holds no analogy questions, or ``restrict_vocab`` or ``similarity_function`` is invalid.
    """
    if similarity_function != "most_similar":
        raise ValueError(f"similarity_function must be 'most_similar' (3CosAdd), got {similarity_function!r}")
    limit = _limit(kv, restrict_vocab)
    ok_vocab = _ok_vocab(kv, limit, case_insensitive)
    logger.info("Evaluating word analogies for top %i words in the model on %s", limit, analogies)

    read = _read_analogies(analogies, case_insensitive)
    known = [[all(word in ok_vocab for word in question) for question in questions] for _, questions in read]
    rows = np.array(
        [[ok_vocab[word] for word in question] for (_, questions), ok in zip(read, known)
         for question, is_known in zip(questions, ok) if is_known],
        dtype=np.int64,
    ).reshape(-1, 4)
    # Every section's questions in one pass: blocks of questions share each matrix product.
    answers = iter(_answer_analogies(kv, rows, limit, ok_vocab, case_insensitive))
    sections = []
    questions_total = oov_total = 0
    for (name, questions), ok in zip(read, known):
        section: Dict[str, Any] = {"section": name, "correct": [], "incorrect": []}
        for question, is_known in zip(questions, ok):
            if is_known:
                section["correct" if next(answers) else "incorrect"].append(question)
            elif dummy4unknown:
                section["incorrect"].append(question)
        questions_total += len(questions)
        oov_total += ok.count(False)
        sections.append(section)
        _section_accuracy(section)

    if questions_total == 0:
        raise ValueError(f"{os.fspath(analogies)}: no analogy questions found (lines of four words after ': section')")
    total = {
        "section": "Total accuracy",
        "correct": [question for section in sections for question in section["correct"]],
        "incorrect": [question for section in sections for question in section["incorrect"]],
    }
    logger.info("Quadruplets with out-of-vocabulary words: %.1f%%", float(oov_total) / questions_total * 100)
    score = _section_accuracy(total)
    sections.append(total)
    return score, sections


def _answer_analogies(kv, rows: np.ndarray, limit: int, ok_vocab: Dict[str, int], case_insensitive: bool):
    """Whether 3CosAdd answers each question right; ``rows`` holds the rows of (a, b, c, expected).

    gensim answers a question with the first of its 5 nearest neighbours (the question's words excluded) that is not
    a case variant of a question word, or with the fifth if none qualifies. Most questions are settled by the
    nearest neighbour alone: when it qualifies and no other score lies within the tie tolerance of it, no float
    rounding can change gensim's answer, and one maximum per question suffices. The rest go through
    :func:`_answer_exactly`, which ranks as gensim does.
    """
    correct = np.zeros(len(rows), dtype=bool)
    if len(rows) == 0:
        return correct
    all_norms = kv.fill_norms()  # a local reference: training in another thread may clear kv.norms
    vectors, norms = kv.vectors[:limit], all_norms[:limit]
    # The row gensim sees for each candidate after case folding: the first (most frequent) of its case variants.
    canonical = np.arange(limit)
    if case_insensitive:
        canonical = np.array([ok_vocab[key.upper()] for key in kv.index_to_key[:limit]], dtype=np.int64)
    queries = _analogy_queries(kv.vectors, all_norms, rows)
    if not np.all(norms > 0):  # a zero vector scores NaN, which only the exact ranking orders as gensim does
        return _answer_exactly(queries, rows, vectors, norms, canonical)
    unit_vectors = vectors / norms[:, None]
    block = max(1, _BLOCK_FLOATS // limit)
    for start in range(0, len(rows), block):
        part = rows[start : start + block]
        scores = queries[start : start + block] @ unit_vectors.T
        within = np.arange(len(part))
        np.put_along_axis(scores, part[:, :3], -np.inf, axis=1)  # gensim never returns the question's own rows
        best = np.argmax(scores, axis=1)
        best_score = scores[within, best]
        scores[within, best] = -np.inf
        runner_up = np.max(scores, axis=1)
        answer = canonical[best]
        qualifies = (answer != part[:, 0]) & (answer != part[:, 1]) & (answer != part[:, 2])
        with np.errstate(invalid="ignore"):  # -inf minus -inf when every candidate is a question word
            settled = qualifies & (best_score - runner_up >= _TIE_TOLERANCE)
        correct[start : start + block] = settled & (answer == part[:, 3])
        unsettled = np.flatnonzero(~settled)
        if len(unsettled):
            correct[start + unsettled] = _answer_exactly(queries[start + unsettled], part[unsettled], vectors, norms,
                                                         canonical)
    return correct


def _answer_exactly(queries: np.ndarray, rows: np.ndarray, vectors: np.ndarray, norms: np.ndarray,
                    canonical: np.ndarray) -> np.ndarray:
    """gensim's answers to the questions ``rows`` whose nearest neighbour does not settle them: their 5 best
    candidates in order, where float32 rounding of the batched product could reorder them ranked one question at a
    time exactly as gensim ranks them."""
    limit = len(vectors)
    block = max(1, _BLOCK_FLOATS // limit)
    if len(rows) > block:
        return np.concatenate([
            _answer_exactly(queries[start : start + block], rows[start : start + block], vectors, norms, canonical)
            for start in range(0, len(rows), block)
        ])
    scores = (queries @ vectors.T) / norms
    np.put_along_axis(scores, rows[:, :3], -np.inf, axis=1)
    keep = min(_ANALOGY_TOPN, limit - 1)
    top = _top_sorted(scores, keep + 1)
    top_scores = np.take_along_axis(scores, top, axis=1)
    with np.errstate(invalid="ignore"):  # -inf minus -inf when the vocabulary has fewer than 9 keys
        close = np.any(np.abs(np.diff(top_scores, axis=1)) < _TIE_TOLERANCE, axis=1)
    top = top[:, :keep]
    for i in np.flatnonzero(close):
        top[i] = _gensim_ranking(vectors, norms, queries[i], rows[i, :3], keep)
    candidates = canonical[top]
    ignored = (candidates == rows[:, 0:1]) | (candidates == rows[:, 1:2]) | (candidates == rows[:, 2:3])
    usable = ~ignored
    first = np.argmax(usable, axis=1)
    # gensim predicts the first usable neighbour, or falls through to the last one it looked at.
    predicted = np.where(usable.any(axis=1), candidates[np.arange(len(rows)), first], candidates[:, -1])
    return predicted == rows[:, 3]


def _gensim_ranking(vectors: np.ndarray, norms: np.ndarray, query: np.ndarray, question: np.ndarray,
                    count: int) -> np.ndarray:
    """The ``count`` nearest rows to ``query`` other than the ``question``'s, in the order gensim's ``most_similar``
    returns them, near and exact ties included: the same float32 scores, the best ``count + 3`` found by
    ``argpartition`` over all of them (the question's rows included, as they change how argpartition breaks ties),
    sorted, and the question's rows dropped (``gensim.matutils.argsort`` and ``KeyedVectors.most_similar``)."""
    negated = -(vectors @ query / norms)
    wanted = count + len(question)
    if wanted >= len(negated):
        best = np.argsort(negated)[:wanted]
    else:
        chosen = np.argpartition(negated, wanted)[:wanted]
        best = chosen.take(np.argsort(negated.take(chosen)))
    return np.array([row for row in best if row not in question][:count], dtype=np.int64)


def _analogy_queries(vectors: np.ndarray, norms: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """gensim's 3CosAdd query for each row (a, b, c, _): unit(b) + unit(c) - unit(a), averaged, made unit length.

    The operations and their precisions are gensim's (``get_mean_vector`` with ``pre_normalize=True``): float32
    sums of float32 unit vectors, then division and normalisation in float64, then rounding to float32.
    """
    unit = [vectors[rows[:, j]] / norms[rows[:, j], None] for j in range(3)]
    mean = (unit[1] + unit[2]) - unit[0]
    mean = mean / 3.0 if mean.dtype == np.float64 else mean.astype(np.float64) / 3.0
    length = np.linalg.norm(mean, axis=1, keepdims=True)
    return (mean * (1.0 / np.where(length > 0, length, 1.0))).astype(np.float32)


def _top_sorted(scores: np.ndarray, count: int) -> np.ndarray:
    """The column indices of each row's ``count`` largest scores, largest first (of equal scores, the lower column
    first; NaN last), selected by the engine in one pass over each row, on every core."""
    return _core.top_k(scores, min(count, scores.shape[1]), QUERY_THREADS)


def _read_analogies(path, case_insensitive: bool) -> List[Tuple[str, List[Tuple[str, str, str, str]]]]:
    """The sections of a questions-words file: ``(name, [(a, b, c, d), ...])``, lines that are not 4 words skipped."""
    sections: List[Tuple[str, list]] = []
    with open(path, "rb") as file:
        for number, raw in enumerate(file, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ValueError(f"{os.fspath(path)}: line {number} is not valid UTF-8 ({error.reason})") from None
            if line.startswith(": "):
                sections.append((line.lstrip(": ").strip(), []))
                continue
            if not sections:
                raise ValueError(f"{os.fspath(path)}: line {number} comes before the first ': section' line")
            words = line.split()
            if len(words) != 4:
                logger.info("Skipping invalid line #%i in %s", number - 1, path)
                continue
            sections[-1][1].append(tuple(word.upper() for word in words) if case_insensitive else tuple(words))
    return sections


def _section_accuracy(section: dict) -> float:
    correct, incorrect = len(section["correct"]), len(section["incorrect"])
    if correct + incorrect == 0:
        return 0.0
    score = correct / (correct + incorrect)
    logger.info("%s: %.1f%% (%i/%i)", section["section"], 100.0 * score, correct, correct + incorrect)
    return score


# -------------------------------------------------------------------- word pairs


def evaluate_word_pairs(
    kv,
    pairs,
    delimiter: str = "\t",
    encoding: str = "utf8",
    restrict_vocab: Optional[int] = 300000,
    case_insensitive: bool = True,
    dummy4unknown: bool = False,
) -> Tuple[CorrelationResult, CorrelationResult, float]:
    """Correlation of ``kv``'s cosine similarities with human judgements, as gensim computes it.

    The function behind :meth:`w2vfast.KeyedVectors.evaluate_word_pairs`.

    Parameters
    ----------
    kv : KeyedVectors
        The vectors to evaluate.
    pairs : str or path
        A file of ``word1<delimiter>word2<delimiter>score`` lines; lines starting with ``#`` are comments.
    delimiter : str, default "\\t"
        What separates the fields of a line.
    encoding : str, default "utf8"
        The file's encoding.
    restrict_vocab : int or None, default 300000
        Pairs using a word outside the first ``restrict_vocab`` keys are skipped (counted as unknown).
    case_insensitive : bool, default True
        Compare words in upper case; a word with several case variants uses the first (most frequent) one.
    dummy4unknown : bool, default False
        Give pairs with unknown words similarity 0 instead of skipping them.

    Returns
    -------
    pearson : CorrelationResult
        Pearson's correlation coefficient and its p-value.
    spearman : CorrelationResult
        Spearman's rank correlation and its p-value.
    oov_ratio : float
        The percentage of pairs with an unknown word.

    Raises
    ------
    ValueError
        If no pair of the file can be scored.
    """
    limit = _limit(kv, restrict_vocab)
    ok_vocab = _ok_vocab(kv, limit, case_insensitive)
    gold, first_rows, second_rows = [], [], []
    oov = 0
    with open(pairs, encoding=encoding) as file:
        for number, line in enumerate(file):
            if not line or line.startswith("#"):
                continue
            fields = line.split(delimiter)
            try:
                first, second, score_text = (field.upper() for field in fields) if case_insensitive else fields
                score = float(score_text)
            except ValueError:
                logger.info("Skipping invalid line #%d in %s", number, pairs)
                continue
            if first not in ok_vocab or second not in ok_vocab:
                oov += 1
                if dummy4unknown:
                    gold.append(score)
                    first_rows.append(-1)
                    second_rows.append(-1)
                continue
            gold.append(score)
            first_rows.append(ok_vocab[first])
            second_rows.append(ok_vocab[second])
    if not gold:
        raise ValueError(
            f"No valid similarity judgements found in {os.fspath(pairs)}: either invalid format or "
            f"all are out-of-vocabulary in {kv}"
        )
    first_index, second_index = np.array(first_rows), np.array(second_rows)
    known = first_index >= 0
    model = np.zeros(len(gold))  # gensim gives pairs with unknown words (dummy4unknown) similarity 0
    model[known] = _cosine(kv.vectors[first_index[known]], kv.vectors[second_index[known]])
    pearson, spearman = pearsonr(gold, model), spearmanr(gold, model)
    oov_ratio = float(oov) / (len(gold) if dummy4unknown else len(gold) + oov) * 100  # gensim's arithmetic
    logger.info("Pearson correlation coefficient against %s: %.4f", pairs, pearson[0])
    logger.info("Spearman rank-order correlation coefficient against %s: %.4f", pairs, spearman[0])
    logger.info("Pairs with unknown words ratio: %.1f%%", oov_ratio)
    return pearson, spearman, oov_ratio


def _cosine(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    first, second = first.astype(np.float64), second.astype(np.float64)
    lengths = np.linalg.norm(first, axis=1) * np.linalg.norm(second, axis=1)
    return np.einsum("ij,ij->i", first, second) / np.where(lengths > 0, lengths, 1.0)


# -------------------------------------------------------------------- statistics


def pearsonr(x, y) -> CorrelationResult:
    """Pearson's correlation coefficient and its two-sided p-value (SciPy's ``pearsonr``, without SciPy).

    The p-value is that of the exact test under the null hypothesis of uncorrelated normal variables: with
    ``n - 2`` degrees of freedom, ``p = I(1 - r**2; (n - 2) / 2, 1 / 2)``, ``I`` the regularised incomplete beta.

    Parameters
    ----------
    x, y : array_like
        Two 1-D sequences of the same length, at least 2.

    Returns
    -------
    CorrelationResult
        The coefficient and its p-value; both NaN when an input is constant.

    Raises
    ------
    ValueError
        If the inputs are not two 1-D sequences of the same length of at least 2.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1 or len(x) < 2:
        raise ValueError("pearsonr needs two 1-D sequences of the same length, at least 2")
    x_centred, y_centred = x - x.mean(), y - y.mean()
    x_norm, y_norm = np.linalg.norm(x_centred), np.linalg.norm(y_centred)
    if x_norm == 0 or y_norm == 0:
        return CorrelationResult(math.nan, math.nan)  # a constant input has no correlation
    r = float(np.clip(np.dot(x_centred / x_norm, y_centred / y_norm), -1.0, 1.0))
    return CorrelationResult(r, _correlation_pvalue(r, len(x)))


def spearmanr(x, y) -> CorrelationResult:
    """Spearman's rank correlation and its two-sided p-value (SciPy's ``spearmanr``: ties get their mean rank).

    Pearson's coefficient of the ranks, with :func:`pearsonr`'s p-value.

    Parameters
    ----------
    x, y : array_like
        Two 1-D sequences of the same length, at least 2.

    Returns
    -------
    CorrelationResult
        The coefficient and its p-value; both NaN when an input is constant.

    Raises
    ------
    ValueError
        If the inputs are not two 1-D sequences of the same length of at least 2.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1 or len(x) < 2:
        raise ValueError("spearmanr needs two 1-D sequences of the same length, at least 2")
    rank_x, rank_y = _mean_ranks(x), _mean_ranks(y)
    if rank_x.std() == 0 or rank_y.std() == 0:
        return CorrelationResult(math.nan, math.nan)
    r = float(np.clip(np.corrcoef(rank_x, rank_y)[0, 1], -1.0, 1.0))
    return CorrelationResult(r, _correlation_pvalue(r, len(x)))


def _mean_ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    ends = np.r_[starts[1:], len(values)]
    ranks = np.empty(len(values))
    ranks[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)  # 1-based ranks, ties get their mean
    return ranks


def _correlation_pvalue(r: float, n: int) -> float:
    degrees = n - 2
    if degrees <= 0:
        return 1.0
    return min(1.0, _incomplete_beta(degrees / 2.0, 0.5, max(0.0, 1.0 - r * r)))


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function ``I_x(a, b)``, by its continued fraction (modified Lentz)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    # The continued fraction converges fast for x < (a + 1) / (a + b + 2); use I_x(a, b) = 1 - I_{1-x}(b, a) beyond.
    if x > (a + 1.0) / (a + b + 2.0):
        return 1.0 - _incomplete_beta(b, a, 1.0 - x)
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 100000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            fraction *= c * d
        if abs(c * d - 1.0) < 1e-16:
            break
    return math.exp(log_front) * fraction / a


# -------------------------------------------------------------------- helpers


def _limit(kv, restrict_vocab: Optional[int]) -> int:
    if restrict_vocab is None:
        return len(kv)
    if isinstance(restrict_vocab, bool) or int(restrict_vocab) != restrict_vocab or restrict_vocab < 1:
        raise ValueError(f"restrict_vocab must be a positive integer or None, got {restrict_vocab!r}")
    return min(int(restrict_vocab), len(kv))


def _ok_vocab(kv, limit: int, case_insensitive: bool) -> Dict[str, int]:
    """The words a question may use, each mapped to its row; with case folding, the first of its case variants."""
    keys = kv.index_to_key[:limit]
    if case_insensitive:
        return {key.upper(): index for index, key in reversed(list(enumerate(keys)))}
    return {key: index for index, key in enumerate(keys)}
