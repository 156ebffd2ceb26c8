"""Validation of user-given parameters, with messages that start with the parameter's name (the command line maps
that name back to the option the user typed)."""

from __future__ import annotations

import numbers
from typing import Optional

import numpy as np


def check_int(name: str, value, minimum: Optional[int] = None, hint: str = "") -> int:
    """``value`` as an int; ValueError unless it is an integer (not a bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}{hint}")
    return int(value)


def check_optional_int(name: str, value, minimum: int) -> Optional[int]:
    """None, or ``value`` checked as by :func:`check_int`."""
    return None if value is None else check_int(name, value, minimum)


def check_flag(name: str, value, meaning: str) -> int:
    """``value`` as 0 or 1; ValueError naming the two ``meaning`` otherwise (bools are refused, as gensim's ints)."""
    if isinstance(value, bool) or value not in (0, 1):
        raise ValueError(f"{name} must be {meaning}, got {value!r}")
    return int(value)


def check_float(name: str, value, minimum: Optional[float] = None, inclusive: bool = True) -> float:
    """``value`` as a finite float, at least (or, not ``inclusive``, above) ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(float(value)):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if minimum is not None and (value < minimum or (not inclusive and value == minimum)):
        relation = ">=" if inclusive else ">"
        raise ValueError(f"{name} must be {relation} {minimum}, got {value}")
    return float(value)
