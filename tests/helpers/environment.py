"""pytest's MonkeyPatch, and a test that changes the environment is seen by `config.settings()`.

The app reads its environment once per process (`config.settings()`, cached); a test that sets or deletes a variable
gets fresh settings at its next call, and so does the next test once the change is undone.
"""

from __future__ import annotations

import pytest

import config


class SettingsMonkeyPatch(pytest.MonkeyPatch):
    def setenv(self, name: str, value: str, prepend: str | None = None) -> None:
        super().setenv(name, value, prepend)
        config.settings.cache_clear()

    def delenv(self, name: str, raising: bool = True) -> None:
        super().delenv(name, raising)
        config.settings.cache_clear()

    def setattr(self, *args, **kwargs) -> None:  # e.g. config.STORE_PATH, a default the settings fall back on
        super().setattr(*args, **kwargs)
        config.settings.cache_clear()

    def undo(self) -> None:
        super().undo()
        config.settings.cache_clear()
