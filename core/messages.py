"""What the lower layers tell a person: a stable `code` and plain `params`, never a sentence.

`Message` is a note (upload warnings, importer notes, CRS choices, import titles); `CodedError` the base of every
typed error that carries one (loaders, store, analysis, exports). The pages render either in the user's language
with `i18n.error_text(message, lang)`; `str()` is the English sentence from the catalogue (`msg_<code>` in
locales/en), for logs and the command line. A code without a text reads as itself.
"""

from __future__ import annotations

from i18n.messages import english


class Message:
    """A user-visible message: `code` (a `msg_<code>` text of the catalogues) and plain `params`. str() is English."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return english(self.code, self.params)

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        """Equal to the same code and params, and to its own English sentence (a message is that sentence)."""
        if isinstance(other, Message):
            return (self.code, self.params) == (other.code, other.params)
        return isinstance(other, str) and str(self) == other

    def __hash__(self) -> int:
        return hash(str(self))

    def __lt__(self, other: object) -> bool:
        return str(self) < str(other)


class CodedError(Exception):
    """An error that says what went wrong as `code` and `params`; str() is its English sentence."""

    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params
        super().__init__(code)

    def __str__(self) -> str:
        return english(self.code, self.params)
