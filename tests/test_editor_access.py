"""Editor password guesses: a growing wait, a lockout per session and one for everyone."""

from __future__ import annotations

import threading

import pytest

import config
import ui.access
from config import EDITOR_PASSWORD_ENV as PASSWORD_ENV
from tests.helpers.apptest import app
from ui.password_throttle import GuessLimiter, GuessRules, whole_units

SECRET = "generated-test-passord-æøå"
WINDOW = config.EDITOR_GUESS_WINDOW_S
PAST_ANY_WAIT = config.EDITOR_GUESS_DELAY_MAX_S + 1  # seconds between guesses so no growing wait is in the way


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def limiter(clock):
    return GuessLimiter(clock=clock)


@pytest.fixture(autouse=True)
def _fresh_process_limiter(clock, monkeypatch):
    """The app's process-wide limiter, on the fake clock and empty, put back afterwards for other test files."""
    monkeypatch.setattr(ui.access, "LIMITER", GuessLimiter(clock=clock))
    yield
    ui.access.LIMITER.reset()


def fail(limiter, clock, key, times, gap=PAST_ANY_WAIT):
    for _ in range(times):
        assert limiter.refusal(key) is None
        limiter.failure(key)
        clock.advance(gap)


def fail_from(limiter, clock, key: str, client: str) -> None:
    assert limiter.refusal(key, client) is None
    limiter.failure(key, client)
    clock.advance(1)


def test_the_wait_grows_after_each_wrong_guess(limiter, clock):
    waits = []
    for _ in range(config.EDITOR_GUESS_SESSION_LIMIT - 1):
        limiter.failure("s")
        refusal = limiter.refusal("s")
        waits.append(refusal.seconds if refusal else 0.0)
        assert refusal is None or not refusal.locked
        clock.advance(PAST_ANY_WAIT)
    assert waits == [0.0, 1.0, 2.0, 4.0]
    assert [limiter.delay_after(n) for n in (1, 2, 3, 6, 7, 40)] == [0, 1, 2, 16, min(32, 30), 30]


def test_a_try_within_the_wait_is_refused_and_allowed_after_it(limiter, clock):
    fail(limiter, clock, "s", 1)
    limiter.failure("s")  # the second wrong guess: the next try waits 1 s
    clock.advance(0.5)
    assert limiter.refusal("s").seconds == pytest.approx(0.5)
    clock.advance(0.5)
    assert limiter.refusal("s") is None


def test_the_sixth_try_within_the_window_is_refused_for_that_session_only(limiter, clock):
    fail(limiter, clock, "s", config.EDITOR_GUESS_SESSION_LIMIT)
    refusal = limiter.refusal("s")
    assert refusal.locked
    assert refusal.seconds == pytest.approx(config.EDITOR_GUESS_SESSION_LOCKOUT_S - PAST_ANY_WAIT)
    assert limiter.refusal("other") is None


def test_once_the_window_has_passed_tries_are_allowed_again(limiter, clock):
    fail(limiter, clock, "s", config.EDITOR_GUESS_SESSION_LIMIT)
    clock.advance(max(WINDOW, config.EDITOR_GUESS_SESSION_LOCKOUT_S))
    assert limiter.refusal("s") is None
    fail(limiter, clock, "s", config.EDITOR_GUESS_SESSION_LIMIT - 1)  # old guesses no longer count
    assert limiter.refusal("s") is None


def test_guesses_spread_over_more_than_the_window_do_not_lock_out(limiter, clock):
    gap = WINDOW / (config.EDITOR_GUESS_SESSION_LIMIT - 1)
    fail(limiter, clock, "s", 3 * config.EDITOR_GUESS_SESSION_LIMIT, gap=gap)


def test_the_process_wide_limit_blocks_a_fresh_session(limiter, clock):
    sessions = [f"s{i}" for i in range(config.EDITOR_GUESS_GLOBAL_LIMIT)]
    for key in sessions:  # one wrong guess each: no session reaches its own limit
        fail(limiter, clock, key, 1, gap=1)
    refusal = limiter.refusal("fresh")
    assert refusal and refusal.locked
    clock.advance(config.EDITOR_GUESS_GLOBAL_LOCKOUT_S)
    assert limiter.refusal("fresh") is None


def test_just_below_the_process_wide_limit_a_fresh_session_may_try(limiter, clock):
    for i in range(config.EDITOR_GUESS_GLOBAL_LIMIT - 1):
        fail(limiter, clock, f"s{i}", 1, gap=1)
    assert limiter.refusal("fresh") is None


def test_one_client_with_many_sessions_cannot_lock_everyone_out(limiter, clock):
    """50 wrong guesses from anywhere locked every editor out for 15 minutes; one client could do it."""
    tried = 0
    for i in range(3 * config.EDITOR_GUESS_GLOBAL_LIMIT):  # a fresh session for every guess, all from one address
        if limiter.refusal(f"attacker-{i}", "203.0.113.9") is None:
            limiter.failure(f"attacker-{i}", "203.0.113.9")
            tried += 1
        clock.advance(1)
    assert tried == config.EDITOR_GUESS_CLIENT_LIMIT < config.EDITOR_GUESS_GLOBAL_LIMIT
    refused = limiter.refusal("attacker-next", "203.0.113.9")
    assert refused and refused.locked  # the client itself is locked out
    assert limiter.refusal("editor", "198.51.100.7") is None  # everyone else may still sign in


def test_several_clients_together_still_reach_the_limit_for_everyone(limiter, clock):
    clients = [f"198.51.100.{i}" for i in range(config.EDITOR_GUESS_GLOBAL_LIMIT)]
    for i, client in enumerate(clients):
        fail_from(limiter, clock, f"s{i}", client)
    refused = limiter.refusal("fresh", "192.0.2.1")
    assert refused and refused.locked


def test_success_resets_the_session(limiter, clock):
    fail(limiter, clock, "s", config.EDITOR_GUESS_SESSION_LIMIT - 1)
    limiter.success("s")
    fail(limiter, clock, "s", config.EDITOR_GUESS_SESSION_LIMIT - 1)
    assert limiter.refusal("s") is None


def test_threads_lose_no_guesses(clock):
    limiter = GuessLimiter(GuessRules(global_limit=10**9), clock=clock)
    threads = [threading.Thread(target=lambda i=i: [limiter.failure(f"s{i}") for _ in range(200)]) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(limiter._global) == 8 * 200


def test_waits_are_rounded_up():
    assert whole_units(0.2) == (1, "seconds")
    assert whole_units(4.1) == (5, "seconds")
    assert whole_units(60) == (60, "seconds")
    assert whole_units(15 * 60) == (15, "minutes")
    assert whole_units(14 * 60 + 1) == (15, "minutes")


def test_the_sixth_guess_is_refused_without_checking_the_password(monkeypatch, clock):
    monkeypatch.setenv(PASSWORD_ENV, SECRET)
    checked = []
    real = ui.access.password_matches
    monkeypatch.setattr(
        ui.access, "password_matches", lambda given, expected: checked.append(1) or real(given, expected)
    )
    at = app("pages/4_Kartlag.py").run()
    box = lambda: at.sidebar.text_input(key="_editor_password_input")  # noqa: E731
    for n in range(1, config.EDITOR_GUESS_SESSION_LIMIT + 1):
        box().input(f"feil-{n}").run()
        assert not at.exception
        assert any("Feil passord" in e.value for e in at.sidebar.error)
        clock.advance(PAST_ANY_WAIT)
    assert len(checked) == config.EDITOR_GUESS_SESSION_LIMIT
    box().input(SECRET).run()  # the right password, but too late
    assert not at.exception
    assert len(checked) == config.EDITOR_GUESS_SESSION_LIMIT, "the refused try still compared the password"
    assert not at.button, "a refused try let the user in"
    assert [e.value for e in at.sidebar.error] == ["For mange feil passord. Prøv igjen om 15 minutter."]
    assert box().value == "" and SECRET not in repr(at.session_state)
    clock.advance(config.EDITOR_GUESS_SESSION_LOCKOUT_S)  # after the lockout the right password lets in
    box().input(SECRET).run()
    assert [b.label for b in at.sidebar.button] == ["Logg ut som redaktør"]


def test_the_wait_is_told_in_english_and_a_typo_costs_nothing(monkeypatch, clock):
    monkeypatch.setenv(PASSWORD_ENV, SECRET)
    at = app("pages/4_Kartlag.py").run()
    at.sidebar.radio(key="lang").set_value("en").run()
    box = lambda: at.sidebar.text_input(key="_editor_password_input")  # noqa: E731
    box().input("typo").run()
    assert [e.value for e in at.sidebar.error] == ["Wrong password."]
    box().input("typo again").run()
    box().input(SECRET).run()  # within the second guess's wait: refused
    assert not at.button
    assert [w.value for w in at.sidebar.warning] == ["Wait 1 second before trying again."]
    clock.advance(1)
    box().input(SECRET).run()
    assert [b.label for b in at.sidebar.button] == ["Sign out as editor"]
