"""How long work reports how far it has come: `progress(fraction, stage)`, fraction from 0 to 1."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[float, str], None]
