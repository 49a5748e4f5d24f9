"""The connection to Label Studio (SDK 2.x, ``LabelStudio(base_url, api_key)``).

Connect with clear errors (an unreachable server: its URL and the command that starts it; a
rejected token: said so, never printed). ``base_url`` and ``_request`` are the only code that
reaches into the SDK's private ``_client_wrapper`` (``_request`` for endpoints the SDK does not
wrap or wraps too slowly). The modules beside this one (projects, tasks, exports, predictions, ml_admin) make
their calls through the client ``connect`` returns; everything else in nisba receives plain data
from them: tasks come back as dicts (the API's JSON), projects as SDK objects with ``.id`` and
``.title``.

Not handled here: where the server is and its token (settings.py), starting it (server.py).
"""

from __future__ import annotations

import httpx

from annotation.errors import NisbaError
from annotation.labelstudio.settings import START_HINT, Settings, load_settings

TransportError = httpx.TransportError  # the connection failed or dropped: the server stopped answering


def check_server(settings: Settings, timeout: float = 5.0) -> None:
    """Raise NisbaError when the server does not answer, or answers but refuses the token."""
    try:
        health = httpx.get(f"{settings.url}/health", timeout=timeout)
    except httpx.HTTPError as exc:
        raise NisbaError(f"Label Studio is not reachable at {settings.url} ({type(exc).__name__}); "
                         f"{START_HINT}") from None
    if health.status_code != 200:
        raise NisbaError(f"{settings.url}/health answered HTTP {health.status_code}; is that Label Studio? "
                         f"{START_HINT}")
    try:
        who = httpx.get(f"{settings.url}/api/current-user/whoami",
                        headers={"Authorization": f"Token {settings.token}"}, timeout=timeout)
    except httpx.HTTPError as exc:
        raise NisbaError(f"Label Studio at {settings.url} stopped answering ({type(exc).__name__})") from None
    if who.status_code == 401:
        # a personal access token (JWT refresh token) is not accepted as "Token ..."; ask the SDK
        if _jwt_accepted(settings):
            return
        raise NisbaError(f"Label Studio at {settings.url} rejected the API token (LABEL_STUDIO_API_KEY) "
                         "with 401; the token belongs to another server or data dir. "
                         "`nisba server start` rewrites .env for the server it runs.")
    if who.status_code != 200:
        raise NisbaError(f"Label Studio at {settings.url} answered HTTP {who.status_code} to whoami")


def _jwt_accepted(settings: Settings) -> bool:
    if settings.token.count(".") != 2:  # not a JWT
        return False
    try:
        from label_studio_sdk import LabelStudio

        LabelStudio(base_url=settings.url, api_key=settings.token, max_retries=0).users.whoami()
    except Exception:  # noqa: BLE001 - any failure means "not accepted"
        return False
    return True


def connect(settings: Settings | None = None, timeout: float = 120.0):
    """An SDK client for the configured server, after checking it answers and accepts the token."""
    from label_studio_sdk import LabelStudio

    settings = settings or load_settings()
    check_server(settings)
    return LabelStudio(base_url=settings.url, api_key=settings.token, timeout=timeout)


def base_url(client) -> str:
    return client._client_wrapper.get_base_url().rstrip("/")


def _request(client, method: str, path: str, **kwargs):
    """An HTTP call through the SDK's own HTTP client (base URL, token and retries included),
    for endpoints the SDK does not wrap or wraps too slowly; the caller reads the response."""
    return client._client_wrapper.httpx_client.request(path, method=method, **kwargs)


def _api(client, method: str, path: str, **kwargs):
    """A JSON call through ``_request``; an error status raises NisbaError."""
    response = _request(client, method, path, **kwargs)
    if response.status_code >= 400:
        raise NisbaError(f"Label Studio {method} {path} answered {response.status_code}: {response.text[:300]}")
    return response.json() if response.content else None
