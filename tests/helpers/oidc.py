"""OpenID Connect providers on loopback for the sign-in tests: a real one (PyPI oidc-provider-mock) and a hostile
one that hands out bad ID tokens, plus the Streamlit secrets that point the app at either.

    with running_provider() as issuer:                     # http://127.0.0.1:<port>
        with running_app_signed_in_through(issuer) as url:
            page.get_by_role("button", name="Sign in").click()
            sign_in_at_provider(page, ORKLAND_EDITOR["sub"])
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.server
import json
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers.browser import ROOT, AppUrl, free_port, running_app
from tests.helpers.waiting import stop_process, wait_until

# The users the provider offers with one click. `groups` is for role rules (core/roles.py RoleRule.of("groups", …)).
ORKLAND_EDITOR = {
    "sub": "kari-orkland",
    "email": "kari@orkland.kommune.no",
    "email_verified": True,
    "name": "Kari Nordmann",
    "groups": ["industrikart-redaktor-orkland"],
}
STEINKJER_EDITOR = {
    "sub": "ola-steinkjer",
    "email": "ola@steinkjer.kommune.no",
    "email_verified": True,
    "name": "Ola Steinkjer",
    "groups": ["industrikart-redaktor-steinkjer"],
}
COUNTY_ADMIN = {
    "sub": "fylkesadmin",
    "email": "admin@trondelagfylke.no",
    "email_verified": True,
    "name": "Fylkesadmin",
    "groups": ["industrikart-admin"],
}
PREDEFINED_USERS = (ORKLAND_EDITOR, STEINKJER_EDITOR, COUNTY_ADMIN)

CLIENT_ID = "industrikart-test"
CLIENT_SECRET = "industrikart-test-secret"
DISCOVERY = "/.well-known/openid-configuration"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def running_provider(users: Sequence[Mapping[str, object]] = PREDEFINED_USERS) -> Iterator[str]:
    """oidc-provider-mock on a free loopback port with `users` (claim dicts with "sub") offered as one-click buttons;
    yields its issuer URL (no trailing slash) and stops it afterwards. Any other subject can still sign in by typing it
    (give it claims first with `set_user_claims`)."""
    port = free_port()
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed below)
    claims_args = [arg for user in users for arg in ("--user-claims", json.dumps(user))]
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), *claims_args],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:

        def log_tail() -> str:
            log.seek(0)
            return f"the OIDC provider did not start:\n{log.read()[-3000:]}"

        wait_until(lambda: _answers(issuer + DISCOVERY), 30, log_tail, process=process, every_s=0.1)
        yield issuer
    finally:
        stop_process(process)
        log.close()


def set_user_claims(issuer: str, claims: Mapping[str, object]) -> None:
    """Give subject claims["sub"] these claims (replacing its earlier ones) at the running mock provider."""
    sub = str(claims["sub"])
    body = json.dumps({k: v for k, v in claims.items() if k != "sub"}).encode()
    request = urllib.request.Request(
        f"{issuer}/users/{urllib.parse.quote(sub, safe='')}",
        data=body,
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204, response.status


def _toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def secrets_toml(
    issuer: str,
    app_port: int | str = "{port}",
    client_id: str = CLIENT_ID,
    client_secret: str = CLIENT_SECRET,
    directory: Path | None = None,
) -> Path:
    """A Streamlit secrets file whose [auth] section signs in through `issuer`. The default `app_port` "{port}" is
    filled in by Streamlit with its own server.port (so the file can be written before the app's port is known)."""
    path = Path(directory or tempfile.mkdtemp(prefix="industrikart-oidc-")) / "secrets.toml"
    lines = [
        "[auth]",
        f"redirect_uri = {_toml_string(f'http://127.0.0.1:{app_port}/oauth2callback')}",
        f"cookie_secret = {_toml_string(secrets.token_hex(32))}",
        f"client_id = {_toml_string(client_id)}",
        f"client_secret = {_toml_string(client_secret)}",
        f"server_metadata_url = {_toml_string(issuer + DISCOVERY)}",
        # PKCE: Streamlit turns it on only when the metadata lists S256, which the mock's does not
        'client_kwargs = { code_challenge_method = "S256" }',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def secrets_env(secrets_file: Path) -> dict[str, str]:
    """The environment that makes `streamlit run` read `secrets_file` (config option secrets.files; the variable is
    split on whitespace, which a tempfile path has none of) instead of .streamlit/secrets.toml."""
    assert not any(c.isspace() for c in str(secrets_file)), secrets_file
    return {"STREAMLIT_SECRETS_FILES": str(secrets_file)}


@contextlib.contextmanager
def running_app_signed_in_through(
    issuer: str, script: str = "app.py", env: dict[str, str] | None = None
) -> Iterator[AppUrl]:
    """`running_app` (tests/helpers/browser.py) with an [auth] section pointing at `issuer`."""
    with running_app(script, env={**secrets_env(secrets_toml(issuer)), **(env or {})}) as url:
        yield url


def app_log(url: str) -> str:
    """What the app at `url` (from `running_app`, still running) has written to its log so far."""
    port = urllib.parse.urlparse(url).port
    return (ROOT / f".streamlit-test-{port}.log").read_text(errors="replace")


def _playwright_page(page):
    return getattr(page, "page", page)  # an OfflinePage or a Playwright Page


def sign_in_at_provider(page, sub: str, timeout_s: float = 30) -> None:
    """On the mock provider's authorize page (the browser is on its way there after "Sign in"), sign in as `sub`:
    a predefined user's button, or else the subject typed in; then wait until the browser is back on the app."""
    page = _playwright_page(page)
    page.wait_for_url("**/oauth2/authorize?**", timeout=timeout_s * 1000)
    provider = urllib.parse.urlparse(page.url).netloc
    button = page.get_by_role("button", name=sub, exact=True)
    if button.count():
        button.click()
    else:
        page.get_by_placeholder("sub").fill(sub)
        page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(
        lambda url: urllib.parse.urlparse(url).netloc != provider and "/oauth2callback" not in url,
        timeout=timeout_s * 1000,
    )


def end_session_at_provider(page, timeout_s: float = 30) -> None:
    """After st.logout(): the mock provider asks to confirm the end of the session; confirm and wait until the browser
    is back on the app."""
    page = _playwright_page(page)
    page.wait_for_url("**/oauth2/end_session?**", timeout=timeout_s * 1000)
    provider = urllib.parse.urlparse(page.url).netloc
    page.get_by_role("button", name="End session", exact=True).click()
    page.wait_for_url(
        lambda url: urllib.parse.urlparse(url).netloc != provider and "/oauth2callback" not in url,
        timeout=timeout_s * 1000,
    )


# --- a hostile provider ----------------------------------------------------------------------------------------------

# What the hostile provider's token endpoint does to the ID token it hands out.
GOOD = "good"
OTHER_AUDIENCE = "other audience"
EXPIRED = "expired"
CHANGED_SIGNATURE = "changed signature"
OTHER_ISSUER = "other issuer"
OTHER_KEY = "signed with another key under the published key's id"
WRONG_NONCE = "nonce of another sign-in"
OTHER_AUDIENCE_NAMING_US = "other audience, this client as authorized party"
BAD_TOKENS = (OTHER_AUDIENCE, EXPIRED, CHANGED_SIGNATURE, OTHER_ISSUER, OTHER_KEY, WRONG_NONCE)
# Accepted by Streamlit 1.67 / authlib 1.9.10, though OIDC Core 3.1.3.7 says to reject it: authlib checks `aud`
# against the client only by way of `azp` (parse_id_token passes no `aud` claims option).
ACCEPTED_BAD_TOKENS = (OTHER_AUDIENCE_NAMING_US,)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _flip_signature_byte(token: str) -> str:
    header, payload, signature = token.split(".")
    raw = bytearray(_unb64url(signature))
    raw[len(raw) // 2] ^= 0x01
    return ".".join((header, payload, _b64url(bytes(raw))))


@dataclass
class HostileProvider:
    """An OIDC provider that signs ID tokens with its own RSA key and spoils them per `scenario` (GOOD, or one of
    BAD_TOKENS; set it between sign-ins). It asks nobody: its authorize endpoint sends the browser straight back with
    a code. It checks PKCE (code_verifier against the code_challenge) like a real provider would."""

    issuer: str
    claims: dict[str, object]
    scenario: str = GOOD
    # what it saw: the authorize requests' parameters and how many ID tokens it handed out
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    tokens_issued: int = 0

    def __post_init__(self):
        from joserfc.jwk import RSAKey

        self.key = RSAKey.generate_key(2048, parameters={"kid": "hostile-1", "use": "sig", "alg": "RS256"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "hostile-1", "use": "sig", "alg": "RS256"})
        self._codes: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    def metadata(self) -> dict[str, object]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, object]:
        return {"keys": [self.key.as_dict(private=False)]}

    def authorize(self, params: dict[str, str]) -> str:
        """Where the browser goes next: the redirect_uri with a fresh code and the request's state."""
        code = secrets.token_urlsafe(16)
        with self._lock:
            self.authorize_requests.append(params)
            self._codes[code] = params
        query = urllib.parse.urlencode({"code": code, "state": params.get("state", "")})
        return f"{params['redirect_uri']}?{query}"

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, object]]:
        with self._lock:
            request = self._codes.pop(form.get("code", ""), None)
        if request is None:
            return 400, {"error": "invalid_grant"}
        challenge = _b64url(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
        if request.get("code_challenge") and challenge != request["code_challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        with self._lock:
            self.tokens_issued += 1
        return 200, {
            "access_token": secrets.token_urlsafe(16),
            "token_type": "Bearer",
            "expires_in": 3600,
            "id_token": self.id_token(request),
        }

    def id_token(self, request: dict[str, str]) -> str:
        from joserfc import jwt

        now = int(time.time())
        claims = {
            **self.claims,
            "iss": self.issuer,
            "aud": request.get("client_id", ""),
            "iat": now,
            "exp": now + 600,
            "nonce": request.get("nonce", ""),
        }
        if self.scenario == OTHER_AUDIENCE:
            claims["aud"] = "another-client"
        elif self.scenario == OTHER_AUDIENCE_NAMING_US:
            claims.update(aud="another-client", azp=claims["aud"])
        elif self.scenario == EXPIRED:  # well past authlib's 120 s leeway
            claims.update(iat=now - 7200, exp=now - 3600)
        elif self.scenario == OTHER_ISSUER:
            claims["iss"] = "https://login.example.invalid"
        elif self.scenario == WRONG_NONCE:
            claims["nonce"] = secrets.token_urlsafe(16)
        key = self.other_key if self.scenario == OTHER_KEY else self.key
        token = jwt.encode({"alg": "RS256", "kid": "hostile-1"}, claims, key)
        return _flip_signature_byte(token) if self.scenario == CHANGED_SIGNATURE else token


def _hostile_handler(provider: HostileProvider):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _json(self, status: int, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            if url.path == DISCOVERY:
                self._json(200, provider.metadata())
            elif url.path == "/jwks":
                self._json(200, provider.jwks())
            elif url.path == "/authorize":
                params = dict(urllib.parse.parse_qsl(url.query))
                self.send_response(302)
                self.send_header("Location", provider.authorize(params))
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self):
            if urllib.parse.urlparse(self.path).path != "/token":
                self._json(404, {"error": "not_found"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            self._json(*provider.token(form))

    return Handler


@contextlib.contextmanager
def running_hostile_provider(claims: Mapping[str, object] = ORKLAND_EDITOR) -> Iterator[HostileProvider]:
    """A HostileProvider on a free loopback port, signing in everyone as `claims`."""
    port = free_port()
    provider = HostileProvider(issuer=f"http://127.0.0.1:{port}", claims=dict(claims))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _hostile_handler(provider))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
