"""An admin cannot aim the webhook worker at our own network (SSRF): internal addresses, in any
spelling, are refused when the endpoint is saved, and again when the worker connects, after DNS,
so a name that answers public on save and private later (DNS rebinding) gets nothing. A failed
try tells the admin no more than "could not connect", never which ports answer."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from api.keys import api_key_create
from api.models import ApiKey
from tests import factories
from webhooks import addresses
from webhooks.delivery import ERROR_BLOCKED, ERROR_CONNECT, ERROR_TLS
from webhooks.models import Delivery, WebhookEndpoint, validate_endpoint_url
from webhooks.services import endpoint_save, endpoint_send_test

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.216.34"

# Every internal form from the security probe, refused at save with the development setting off.
INTERNAL_URLS = [
    "https://127.0.0.1/hooks",
    "https://127.0.0.1:6379/",  # Redis
    "https://127.0.0.1:5432/",  # PostgreSQL
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata
    "https://10.0.0.5/hooks",
    "https://172.16.0.1/hooks",
    "https://192.168.1.1/hooks",
    "https://[::1]/hooks",
    "https://[::ffff:127.0.0.1]/hooks",
    "https://[fd00::1]/hooks",
    "https://localhost/hooks",
    "https://0.0.0.0/hooks",
    "https://redis:6379/",  # an internal single-label host name
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://2130706433/hooks",  # 127.0.0.1 in decimal
    "https://0x7f000001/hooks",  # … in hex
    "https://017700000001/hooks",  # … in octal
    "https://127.1/hooks",
    "https://[::ffff:7f00:1]/hooks",
    "https://[fe80::1%25eth0]/hooks",  # an IPv6 zone id
    "https://localhost./hooks",  # trailing dots
    "https://127.0.0.1./hooks",
    "https://LOCALHOST/hooks",
    "https://example.com@127.0.0.1/hooks",  # userinfo: the host is 127.0.0.1
    "https://100.64.0.1/hooks",  # carrier-grade NAT
    "https://224.0.0.1/hooks",  # multicast
    "https://printer.local/hooks",
]
MORE_INTERNAL_URLS = [
    "https://[ff02::1]/hooks",
    "https://240.0.0.1/hooks",
    "https://[fd00:ec2::254]/latest/meta-data/",
    "https://168.63.129.16/machine",
    "https://100.100.100.200/latest/meta-data/",
    "https://[::]/hooks",
    "https://[2002:7f00:1::1]/hooks",  # 6to4 around 127.0.0.1
    "https://[64:ff9b::a00:1]/hooks",  # NAT64 around 10.0.0.1
    "https://postgres.default.svc.cluster.local/",
    "https://db.internal/",
    "https://user:pass@partner.example/hooks",
    "https://0177.0.0.1/hooks",
    "https://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/hooks",  # fullwidth "localhost"
    "https://127\u30020\u30020\u30021/hooks",  # ideographic full stops
]


def resolving(mapping: dict[str, list[str]]):
    """A stand-in for DNS: each name answers the next list of addresses (the last one repeats);
    addresses and ``localhost`` resolve as usual, without the network."""
    calls: dict[str, int] = {}

    def resolve(host: str, port: int) -> list[tuple]:
        if host.rstrip(".").lower() not in mapping:
            return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        answers = mapping[host.rstrip(".").lower()]
        index = min(calls.get(host, 0), len(answers) - 1)
        calls[host] = calls.get(host, 0) + 1
        found = answers[index].split(",")
        return [
            (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in found
        ]

    return resolve


@pytest.fixture
def a_key():
    return api_key_create(name="Daily Planet", owner=factories.ViewerFactory())[0]


@pytest.fixture(autouse=True)
def _production_like(settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_INSECURE_LOCALHOST = False
    settings.WEBHOOKS_TIMEOUT_SECONDS = 2
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    monkeypatch.setattr(addresses, "resolve", resolving({"partner.example": [PUBLIC]}))


@pytest.fixture
def a_listener() -> Iterator[tuple[int, list[socket.socket]]]:
    """A TCP port on 127.0.0.1 that counts who connects (and answers nothing)."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    accepted: list[socket.socket] = []
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], accepted
    finally:
        done.set()
        thread.join(timeout=2)
        server.close()
        for connection in accepted:
            connection.close()


def run_worker() -> None:
    call_command("deliver_webhooks", "--once", verbosity=0)


def run_worker_while(answer: Callable[[], None], server: socket.socket) -> None:
    """Run the worker once while a thread ``answer``s on ``server``; then close the server."""
    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        run_worker()
    finally:
        thread.join(timeout=2)
        server.close()


def send_a_test(key: ApiKey, url: str) -> None:
    """Save an endpoint at ``url`` and queue a test delivery to it."""
    endpoint = WebhookEndpoint(api_key=key, url=url)
    endpoint_save(endpoint=endpoint, saved_by=None)
    endpoint_send_test(endpoint=endpoint)


def test_the_27_internal_forms_of_the_probe_are_counted():
    assert len(INTERNAL_URLS) == 27
    assert len(set(INTERNAL_URLS)) == 27


@pytest.mark.parametrize("url", INTERNAL_URLS + MORE_INTERNAL_URLS)
def test_an_internal_address_in_any_spelling_is_refused_on_save(url, a_key):
    with pytest.raises(ValidationError) as refused:
        validate_endpoint_url(url)
    assert refused.value.code in {"internal_address", "insecure_url", "invalid"}

    with pytest.raises(ValidationError) as refused:
        endpoint_save(endpoint=WebhookEndpoint(api_key=a_key, url=url), saved_by=None)
    assert "url" in refused.value.message_dict
    assert not WebhookEndpoint.objects.exists()


def test_a_public_https_address_is_accepted(a_key):
    endpoint_save(endpoint=WebhookEndpoint(api_key=a_key, url="https://partner.example/hooks"), saved_by=None)
    endpoint_save(endpoint=WebhookEndpoint(api_key=a_key, url=f"https://{PUBLIC}:8443/hooks"), saved_by=None)

    assert WebhookEndpoint.objects.count() == 2


def test_a_name_is_refused_if_any_of_its_addresses_is_internal(a_key, monkeypatch):
    monkeypatch.setattr(addresses, "resolve", resolving({"mixed.example": [f"{PUBLIC},10.1.2.3"]}))

    with pytest.raises(ValidationError, match="resolving to a private"):
        endpoint_save(endpoint=WebhookEndpoint(api_key=a_key, url="https://mixed.example/hooks"), saved_by=None)


def test_the_admin_form_names_the_refusal(client, a_key):
    admin = factories.UserFactory(username="chief")
    admin.groups.add(Group.objects.get(name="Admins"))
    client.force_login(admin)

    response = client.post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {"api_key": a_key.pk, "url": "https://169.254.169.254/latest/meta-data/", "is_active": "on"},
    )

    assert response.status_code == 200
    assert "must be public addresses" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_development_setting_allows_loopback_only(settings, a_key):
    settings.WEBHOOKS_ALLOW_INSECURE_LOCALHOST = True

    for url in ["http://127.0.0.1:8000/hooks", "http://localhost:8000/hooks", "https://[::1]:8443/hooks"]:
        validate_endpoint_url(url)
    for url in ["http://10.0.0.1/hooks", "https://169.254.169.254/", "https://[::ffff:127.0.0.1]/", "http://redis/"]:
        with pytest.raises(ValidationError):
            validate_endpoint_url(url)


def test_a_name_that_turns_internal_after_the_save_is_refused_on_connect(a_key, a_listener, monkeypatch):
    port, accepted = a_listener
    monkeypatch.setattr(addresses, "resolve", resolving({"rebind.example": [PUBLIC, "127.0.0.1"]}))
    send_a_test(a_key, f"https://rebind.example:{port}/hooks")

    run_worker()

    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_response_code, delivery.last_error) == ("pending", None, ERROR_BLOCKED)
    assert accepted == []


@pytest.mark.parametrize("answer", ["10.0.0.7", f"{PUBLIC},169.254.169.254", "::ffff:127.0.0.1"])
def test_the_worker_checks_every_address_it_would_connect_to(answer, a_key, monkeypatch):
    endpoint = WebhookEndpoint(api_key=a_key, url="https://partner.example/hooks")
    endpoint_save(endpoint=endpoint, saved_by=None)
    monkeypatch.setattr(addresses, "resolve", resolving({"partner.example": [answer]}))
    connected: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: connected.append(address))
    endpoint_send_test(endpoint=endpoint)

    run_worker()

    assert Delivery.objects.get().last_error == ERROR_BLOCKED
    assert connected == []


def test_a_closed_port_and_a_reset_connection_look_the_same_to_the_admin(settings, a_key):
    settings.WEBHOOKS_ALLOW_INSECURE_LOCALHOST = True
    closed = socket.create_server(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    resetting = socket.create_server(("127.0.0.1", 0))

    def reset_each() -> None:
        connection = resetting.accept()[0]
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()

    for port in (closed_port, resetting.getsockname()[1]):
        send_a_test(a_key, f"http://127.0.0.1:{port}/hooks")

    run_worker_while(reset_each, resetting)

    assert list(Delivery.objects.values_list("last_error", flat=True)) == [ERROR_CONNECT, ERROR_CONNECT]


def test_a_tls_failure_is_reported_as_such_and_nothing_more(settings, a_key):
    settings.WEBHOOKS_ALLOW_INSECURE_LOCALHOST = True
    plain = socket.create_server(("127.0.0.1", 0))

    def answer_in_plain_http() -> None:
        connection = plain.accept()[0]
        connection.recv(4096)
        connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        connection.close()

    send_a_test(a_key, f"https://127.0.0.1:{plain.getsockname()[1]}/hooks")

    run_worker_while(answer_in_plain_http, plain)

    assert Delivery.objects.get().last_error == ERROR_TLS


def test_the_deploy_check_refuses_the_development_allowance(settings):
    from webhooks.checks import insecure_localhost_is_off

    assert insecure_localhost_is_off() == []
    settings.WEBHOOKS_ALLOW_INSECURE_LOCALHOST = True
    assert [message.id for message in insecure_localhost_is_off()] == ["webhooks.E001"]
