"""What every builder step receives: the seed, the options, the registry, the console.

A leaf of the demo package: it imports no builder step, so every step can import it.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from tqdm import tqdm

from . import names as person_names
from .decisions import DecisionBook
from .registry import Registry

DEFAULT_SEED = 2025
PASSWORD = "tochuc2025"


@dataclass
class DemoContext:
    seed: int = DEFAULT_SEED
    small: bool = False
    write: Callable[[str], None] = print
    progress: bool = True
    registry: Registry = field(default_factory=Registry)
    data: dict[str, Any] = field(default_factory=dict)  # what one step leaves for the next
    password: str = PASSWORD  # of every demo account (a member's too: tochuc/selfservice)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.decisions = DecisionBook(random.Random(f"{self.seed}-decisions"))

    @property
    def names(self) -> ModuleType:
        """The name generator, for the apps' demo helpers (they do not import this package)."""
        return person_names

    def bar(self, iterable: Iterable | None = None, *, desc: str, total: int | None = None):
        return tqdm(
            iterable,
            desc=desc,
            total=total,
            unit=" tc",
            disable=not self.progress,
            file=sys.stderr,
            leave=False,
            dynamic_ncols=True,
        )
