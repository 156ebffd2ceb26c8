"""Reports on a training run as it goes: a tqdm bar on a terminal, log lines otherwise.

The engine's threads count the corpus words they have trained; the trainer hands that count to
:meth:`TrainingProgress.update` about ten times a second. On a terminal with tqdm installed, a bar shows the percent
done, words per second and the learning rate; elsewhere (a notebook without tqdm, a log file, a batch job) the same
figures go to the ``w2vfast`` logger at INFO level every ``log_interval`` seconds and at the end of each epoch.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Optional

from . import _core

logger = logging.getLogger("w2vfast.word2vec")


def _tqdm_class():
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is optional
        return None
    return tqdm


class TrainingProgress:
    """Progress of one :meth:`Word2Vec.train` call.

    Parameters
    ----------
    total_words : int
        Corpus words the call will train (words per epoch x epochs).
    epochs : int
        Epochs of the call.
    alpha, min_alpha : float
        The learning rate's start and end, to show where the linear decay stands.
    enabled : bool
        ``False`` reports nothing.
    log_interval : float
        Seconds between log lines when there is no bar.
    """

    def __init__(self, total_words: int, epochs: int, alpha: float, min_alpha: float, enabled: bool = True,
                 log_interval: float = 5.0):
        self.total_words = max(1, int(total_words))
        self.epochs = epochs
        self.alpha = alpha
        self.min_alpha = min_alpha
        self.enabled = enabled
        self.log_interval = log_interval
        self.start = time.perf_counter()
        self.last_log = self.start
        self.words_done = 0
        self.bar = None
        tqdm = _tqdm_class() if enabled else None
        if tqdm is not None and sys.stderr is not None and sys.stderr.isatty():
            self.bar = tqdm(total=self.total_words, unit="word", unit_scale=True, desc="training", leave=True)

    def learning_rate(self, words_done: int) -> float:
        """The learning rate training uses once ``words_done`` words of the call are trained (the engine's formula)."""
        return _core.learning_rate(self.alpha, self.min_alpha, words_done / self.total_words)

    def words_per_second(self, now: Optional[float] = None) -> float:
        elapsed = (time.perf_counter() if now is None else now) - self.start
        return self.words_done / max(elapsed, 1e-9)

    def update(self, words_done: int) -> None:
        """The run has trained ``words_done`` corpus words so far (all epochs of this call)."""
        if not self.enabled:
            return
        words_done = min(int(words_done), self.total_words)
        advance = words_done - self.words_done
        self.words_done = words_done
        if self.bar is not None:
            if advance > 0:
                self.bar.update(advance)
                self.bar.set_postfix(lr=f"{self.learning_rate(words_done):.6f}", refresh=False)
            return
        now = time.perf_counter()
        if now - self.last_log >= self.log_interval:
            self.last_log = now
            self._log("training", now)

    def end_epoch(self, epoch: int, words_done: int) -> None:
        self.update(words_done)
        if self.enabled and self.bar is None:
            self._log(f"epoch {epoch + 1}/{self.epochs} done", time.perf_counter())

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def _log(self, what: str, now: float) -> None:
        logger.info(
            "%s: %.1f%% of %d words, %.0f words/s, lr %.6f",
            what, 100.0 * self.words_done / self.total_words, self.total_words, self.words_per_second(now),
            self.learning_rate(self.words_done),
        )
