import httpx
import pytest

from kg.errors import LinkError
from kg.linking.http import CachedClient

URL = "https://api.example.test/items"
HOSTS = frozenset({"api.example.test"})


def _client(tmp_path, handler, **options) -> tuple[CachedClient, list[float]]:
    slept: list[float] = []
    options.setdefault("min_interval_s", 0.0)
    client = CachedClient(
        tmp_path,
        "kg-tests/0 (test)",
        HOSTS,
        transport=httpx.MockTransport(handler),
        sleep=slept.append,
        clock=lambda: 0.0,
        **options,
    )
    return client, slept


def test_cached_client_sends_user_agent_and_caches_the_answer(tmp_path):
    seen = []

    def handler(request):
        seen.append(request.headers["User-Agent"])
        return httpx.Response(200, json={"n": 1})

    client, _ = _client(tmp_path, handler)
    assert client.get_json(URL, {"q": "x"}) == {"n": 1}
    assert client.get_json(URL, {"q": "x"}) == {"n": 1}
    assert seen == ["kg-tests/0 (test)"] and client.network_requests == 1


def test_cached_client_offline_answers_from_the_cache_only(tmp_path):
    online, _ = _client(tmp_path, lambda r: httpx.Response(200, json={"ok": True}))
    online.get_json(URL, {"q": "cached"})

    def refuse(request):
        raise AssertionError("offline client reached the transport")

    offline, _ = _client(tmp_path, refuse, offline=True)
    assert offline.get_json(URL, {"q": "cached"}) == {"ok": True}
    with pytest.raises(LinkError, match="offline and not cached"):
        offline.get_json(URL, {"q": "missing"})


def test_cached_client_retries_server_errors_with_backoff(tmp_path):
    answers = iter(
        [
            httpx.Response(503),
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(200, json={"ok": 1}),
        ]
    )
    client, slept = _client(tmp_path, lambda r: next(answers), backoff_s=0.5)
    assert client.get_json(URL) == {"ok": 1}
    assert slept == [0.5, 7.0] and client.network_requests == 3


def test_cached_client_gives_up_after_max_retries(tmp_path):
    client, slept = _client(tmp_path, lambda r: httpx.Response(502), max_retries=2, backoff_s=1.0)
    with pytest.raises(LinkError, match="HTTP 502"):
        client.get_json(URL)
    assert slept == [1.0, 2.0]


def test_cached_client_refuses_hosts_outside_its_list(tmp_path):
    client, _ = _client(tmp_path, lambda r: httpx.Response(200, json={}))
    with pytest.raises(LinkError, match="not among the configured hosts"):
        client.get_json("https://evil.example.test/x")
    assert client.network_requests == 0


def test_cached_client_waits_between_requests_for_the_rate_limit(tmp_path):
    client, slept = _client(tmp_path, lambda r: httpx.Response(200, json={}), min_interval_s=1.5)
    client.get_json(URL, {"q": "1"})
    client.get_json(URL, {"q": "2"})
    assert slept == [1.5]
