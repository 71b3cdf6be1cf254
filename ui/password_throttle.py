"""How many editor password guesses are allowed: a growing wait per session, then lockouts per session, per client
(its address: one client opening many sessions) and for everyone (many clients at once). A client stops counting
towards everyone's limit once it is locked out itself, so no single client can lock every editor out.

Plain Python (no Streamlit), so the rule is testable with a fake clock. Streamlit serves sessions in
threads, so every method takes one lock. Only wrong guesses are remembered, never what was typed.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import config

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refusal:
    """Why a try is refused now: `seconds` left, and whether it is a lockout (not just the growing wait)."""

    seconds: float
    locked: bool


@dataclass
class _Session:
    failures: deque[float] = field(default_factory=deque)  # times of the wrong guesses within the window
    wait_until: float = 0.0
    locked_until: float = 0.0


@dataclass(frozen=True)
class GuessRules:
    """The limits: wrong guesses count within `window_s`; after `free_failures` of them a session waits 1, 2, 4 … s
    up to `delay_max_s`; `session_limit` of them lock the session, and `client_limit` the client, out for
    `session_lockout_s`; `global_limit` from everyone lock everyone out for `global_lockout_s`."""

    window_s: float = config.EDITOR_GUESS_WINDOW_S
    free_failures: int = config.EDITOR_GUESS_FREE_FAILURES
    delay_max_s: float = config.EDITOR_GUESS_DELAY_MAX_S
    session_limit: int = config.EDITOR_GUESS_SESSION_LIMIT
    session_lockout_s: float = config.EDITOR_GUESS_SESSION_LOCKOUT_S
    client_limit: int = config.EDITOR_GUESS_CLIENT_LIMIT
    global_limit: int = config.EDITOR_GUESS_GLOBAL_LIMIT
    global_lockout_s: float = config.EDITOR_GUESS_GLOBAL_LOCKOUT_S


class SharedCount(Protocol):
    """The process-wide count kept where every replica sees it (store.shared_counters.PostGISGuessCounter)."""

    def add_failure(self, window_s: float) -> int: ...
    def lock(self, seconds: float) -> bool: ...
    def locked_for(self) -> float: ...
    def reset(self) -> None: ...


class GuessLimiter:
    """Counts wrong guesses per session key and for the whole process, and says when a try is refused.

    With `shared` (several replicas on one database), the count for everyone and its lockout live there
    instead of in this process; the per-session waits stay here (a session stays on one replica). When the
    shared count cannot be read, tries are refused (fail closed).
    """

    def __init__(
        self,
        rules: GuessRules = GuessRules(),
        *,
        clock: Callable[[], float] = time.monotonic,
        shared: SharedCount | None = None,
    ) -> None:
        self.rules = rules
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, _Session] = {}
        self._clients: dict[str, _Session] = {}  # by client address: many sessions of one client count together
        self._global: deque[float] = deque()
        self._global_locked_until = 0.0
        self._shared = shared

    def delay_after(self, failures: int) -> float:
        """The wait after the n-th wrong guess in the window: none for the first few, then 1, 2, 4 … s up to the cap."""
        if failures <= self.rules.free_failures:
            return 0.0
        return float(min(2 ** (failures - self.rules.free_failures - 1), self.rules.delay_max_s))

    def refusal(self, key: str, client: str | None = None) -> Refusal | None:
        """None when session `key` (of the client at address `client`) may try a password now; otherwise how long
        it must wait."""
        with self._lock:
            now = self._clock()
            session = self._sessions.get(key)
            own = self._clients.get(client) if client else None
            locked = max(
                self._global_locked_until, session.locked_until if session else 0.0, own.locked_until if own else 0.0
            )
            if self._shared is not None:
                try:
                    locked = max(locked, now + self._shared.locked_for())
                except Exception:  # noqa: BLE001 (any database error): refuse rather than count nothing
                    log.exception("shared guess count unreadable: sign-in refused for now")
                    return Refusal(self.rules.delay_max_s, locked=True)
            if locked > now:
                return Refusal(locked - now, locked=True)
            if session and session.wait_until > now:
                return Refusal(session.wait_until - now, locked=False)
            return None

    def failure(self, key: str, client: str | None = None) -> None:
        """Record a wrong guess by session `key` of the client at `client` (only for tries `refusal` let through)."""
        with self._lock:
            now = self._clock()
            self._forget_before(now - self.rules.window_s)
            session = self._sessions.setdefault(key, _Session())
            session.failures.append(now)
            self._global.append(now)
            if len(session.failures) >= self.rules.session_limit:
                session.locked_until = now + self.rules.session_lockout_s
            session.wait_until = now + self.delay_after(len(session.failures))
            if client:
                own = self._clients.setdefault(client, _Session())
                own.failures.append(now)
                if len(own.failures) >= self.rules.client_limit:  # it is refused from now on: no more counting for all
                    own.locked_until = now + self.rules.session_lockout_s
            if self._shared is not None:
                self._shared_failure()
            elif len(self._global) >= self.rules.global_limit and self._global_locked_until <= now:
                self._global_locked_until = now + self.rules.global_lockout_s
                log.warning(
                    "%d wrong editor passwords within %d s: sign-in refused for everyone for %d s",
                    len(self._global),
                    self.rules.window_s,
                    self.rules.global_lockout_s,
                )

    def _shared_failure(self) -> None:
        try:
            count = self._shared.add_failure(self.rules.window_s)
            if count >= self.rules.global_limit and self._shared.lock(self.rules.global_lockout_s):
                log.warning(
                    "%d wrong editor passwords within %d s on all replicas: sign-in refused for everyone for %d s",
                    count,
                    self.rules.window_s,
                    self.rules.global_lockout_s,
                )
        except Exception:  # noqa: BLE001 (any database error): the per-session limits still hold
            log.exception("shared guess count not updated")

    def success(self, key: str) -> None:
        """A right password: the session starts afresh (its guesses still count towards the process's limit)."""
        with self._lock:
            self._sessions.pop(key, None)

    def reset(self) -> None:
        """Forget everything (for tests)."""
        with self._lock:
            self._sessions.clear()
            self._clients.clear()
            self._global.clear()
            self._global_locked_until = 0.0
        if self._shared is not None:
            self._shared.reset()

    def _forget_before(self, cutoff: float) -> None:
        """Drop guesses older than the window, and sessions with nothing left to remember (caller holds the lock)."""
        while self._global and self._global[0] <= cutoff:
            self._global.popleft()
        now = cutoff + self.rules.window_s
        for records in (self._sessions, self._clients):
            for key in list(records):
                record = records[key]
                while record.failures and record.failures[0] <= cutoff:
                    record.failures.popleft()
                if not record.failures and record.locked_until <= now and record.wait_until <= now:
                    del records[key]


def whole_units(seconds: float) -> tuple[int, str]:
    """A wait as (count, "minutes" or "seconds"), rounded up so the user never comes back too early."""
    if seconds > 60:
        return math.ceil(seconds / 60), "minutes"
    return max(1, math.ceil(seconds)), "seconds"
