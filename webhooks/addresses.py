"""Which addresses a webhook may reach: public ones only, checked on save and again on connect.

An endpoint is an address an admin types and the worker then POSTs to from inside our network,
so it must never be this machine, our private network or a cloud metadata service (SSRF). The
URL is checked when it is saved (``check_url``), and the worker checks every address the name
resolves to at the moment it connects, then connects to that checked address itself
(``connect``), so a name that answers public on save and private later (DNS rebinding) fails.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Names that only ever mean something inside a network (RFC 6761, 6762, 8375 and cloud
# providers' internal zones), refused however they resolve from here.
INTERNAL_SUFFIXES = (
    ".localhost",
    ".local",
    ".localdomain",
    ".internal",
    ".intranet",
    ".lan",
    ".home.arpa",
    ".corp",
    ".private",
    ".test",
    ".invalid",
    ".in-addr.arpa",
    ".ip6.arpa",
)
LOOPBACK_NAMES = {"localhost"}

# Metadata services on addresses that the address classes below do not already refuse.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean (link-local anyway)
        "168.63.129.16",  # Azure WireServer: a public address, routed only inside Azure
        "100.100.100.200",  # Alibaba Cloud (CGNAT range anyway)
        "fd00:ec2::254",  # AWS IPv6 (unique-local anyway)
    )
)
CGNAT = ipaddress.ip_network("100.64.0.0/10")
# IPv6 ranges that carry an IPv4 address inside: NAT64 and the deprecated IPv4-compatible form.
EMBEDDING_V4 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class BlockedAddressError(OSError):
    """The worker refused to connect: the address is not a public one."""


def loopback_allowed() -> bool:
    """Development and tests only: a receiver on this machine (never any other internal address)."""
    return bool(settings.WEBHOOKS_ALLOW_INSECURE_LOCALHOST)


def parse_ip(text: str) -> IPAddress | None:
    """The address, if ``text`` is one in canonical form (brackets, zone id and trailing dot ignored)."""
    text = text.strip("[]").rstrip(".")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        return ipaddress.IPv6Address(text.split("%", 1)[0])
    return address


def looks_like_ipv4(host: str) -> bool:
    """``2130706433``, ``0x7f000001``, ``017700000001``, ``127.1``: forms the C resolver reads as IPv4."""
    try:
        socket.inet_aton(host.rstrip("."))
    except (OSError, ValueError):
        return False
    return True


# The reasons below are English noun phrases, marked with gettext_noop: the worker and the tests read
# them as they are, and check_url translates one only when it puts it into the form's error.


def why_internal(address: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why the worker must not connect to ``address``, or None when it is a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None or (address in IPV4_COMPATIBLE and not address.is_loopback):
            return gettext_noop("an IPv4 address written as IPv6")
        if address.sixtofour is not None or address.teredo is not None or any(address in n for n in EMBEDDING_V4):
            return gettext_noop("an IPv6 tunnel or translation address")
    if address.is_loopback:
        return None if allow_loopback else gettext_noop("this machine (loopback)")
    if address in METADATA_ADDRESSES:
        return gettext_noop("a cloud metadata service")
    reasons = [
        (address.is_unspecified, gettext_noop("the unspecified address")),
        (address.is_link_local, gettext_noop("a link-local address")),
        (address.is_multicast, gettext_noop("a multicast address")),
        (isinstance(address, ipaddress.IPv4Address) and address in CGNAT, gettext_noop("a carrier-grade NAT address")),
        (isinstance(address, ipaddress.IPv6Address) and address.is_site_local, gettext_noop("a site-local address")),
        (address.is_private, gettext_noop("a private or unique-local address")),
        (address.is_reserved, gettext_noop("a reserved address")),
        (not address.is_global, gettext_noop("not a public address")),
    ]
    return next((reason for refused, reason in reasons if refused), None)


def why_internal_name(host: str) -> str | None:
    """Why a host *name* (not an address) is internal whatever it resolves to, or None."""
    name = host.rstrip(".").lower()
    if name in LOOPBACK_NAMES:
        return None if loopback_allowed() else gettext_noop("this machine (localhost)")
    if "." not in name:
        return gettext_noop("a single-label (internal) host name")
    if name.endswith(INTERNAL_SUFFIXES):
        return gettext_noop("an internal host name")
    if name.rsplit(".", 1)[-1].isdigit():
        return gettext_noop("not a valid public host name")
    return None


def resolve(host: str, port: int) -> Sequence[tuple[int, int, int, str, tuple]]:
    """The resolver, in one place so the tests can stand in for DNS."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


def _addresses(infos: Sequence[tuple[int, int, int, str, tuple]]) -> list[IPAddress]:
    found = [parse_ip(str(info[4][0])) for info in infos]
    return [address for address in found if address is not None]


def check_url(url: str) -> str | None:
    """Why ``url`` may not be a webhook endpoint (the form's error), or None when it may.

    A name that does not resolve now is accepted: the check on connect still holds.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return gettext("Enter a valid URL.")
    host = _ascii_host(parts.hostname or "")
    if not host:
        return gettext("Enter a valid URL.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return gettext("Webhook URLs may not carry a user name or password.")
    problem, resolved = _why_host_refused(host, port or (443 if parts.scheme == "https" else 80))
    if problem is None:
        return None
    if resolved:
        # Translators: %(host)s is a host name; %(reason)s a reason translated on its own, such as "a private
        # or unique-local address" or "a link-local address".
        message = gettext("Webhook endpoints must be public addresses; %(host)s is resolving to %(reason)s.")
    else:
        # Translators: %(host)s is a host name or address; %(reason)s a reason translated on its own, such as
        # "a private or unique-local address" or "a single-label (internal) host name".
        message = gettext("Webhook endpoints must be public addresses; %(host)s is %(reason)s.")
    return message % {"host": host, "reason": gettext(problem)}


def _ascii_host(host: str) -> str:
    """The name as the resolver will see it: IDNA folds fullwidth ``ｌｏｃａｌｈｏｓｔ`` to ``localhost``."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return ""


def _why_host_refused(host: str, port: int) -> tuple[str | None, bool]:
    """Why ``host`` is refused (an English reason, or None), and whether that is what its name resolves to."""
    address = parse_ip(host)
    if address is not None:
        return why_internal(address, allow_loopback=loopback_allowed()), False
    if looks_like_ipv4(host):
        return gettext_noop("an IPv4 address not written in dotted decimal"), False
    if "%" in host or ":" in host:
        return gettext_noop("not a valid host"), False
    problem = why_internal_name(host)
    if problem is not None:
        return problem, False
    try:
        infos = resolve(host, port)
    except (OSError, UnicodeError):
        return None, False
    for address in _addresses(infos):
        problem = why_internal(address, allow_loopback=loopback_allowed())
        if problem is not None:
            return problem, True
    return None, False


def is_plain_http_allowed(parts: SplitResult) -> bool:
    """Plain HTTP only to a loopback receiver, and only when the development setting allows it."""
    host = parts.hostname or ""
    address = parse_ip(host)
    is_loopback = host.rstrip(".").lower() in LOOPBACK_NAMES or (address is not None and address.is_loopback)
    return loopback_allowed() and is_loopback


def connect(host: str, port: int, timeout: float | None) -> socket.socket:
    """A socket connected to a checked, public address of ``host``; else ``BlockedAddressError``.

    Resolves once, refuses if ANY answer is internal, then connects to those very addresses (no
    second lookup for DNS to change its mind) and checks the peer it ended up with.
    """
    if parse_ip(host) is None and why_internal_name(host) is not None:
        raise BlockedAddressError(host)
    infos = resolve(host, port)
    allow_loopback = loopback_allowed()
    addresses = _addresses(infos)
    if not addresses or any(why_internal(address, allow_loopback=allow_loopback) for address in addresses):
        raise BlockedAddressError(host)
    last_error: OSError = BlockedAddressError(host)
    for family, kind, proto, _, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
            peer = parse_ip(str(sock.getpeername()[0]))
            if peer is None or why_internal(peer, allow_loopback=allow_loopback):
                raise BlockedAddressError(host)
        except OSError as error:
            sock.close()
            if isinstance(error, BlockedAddressError | TimeoutError):
                raise
            last_error = error
            continue
        return sock
    raise last_error
