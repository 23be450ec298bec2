"""Where archiver may send a request: each service's own hosts, and never a private address.

A `Fence` names the hosts one kind of request may reach, redirects included: a source stays on
its service's hosts, a short link walks only through known shorteners, media comes only from the
media hosts. Apart from routes the user gave with `--connect-to`, no request goes to a loopback,
private, link-local or otherwise non-public address, whatever a payload or a redirect names.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Fence:
    """Hosts a request may reach: exact names, and names under `suffixes` (e.g. `twimg.com`)."""

    name: str
    hosts: frozenset[str] = frozenset()
    suffixes: frozenset[str] = frozenset()
    anywhere: bool = False  # only for what the user explicitly asked (--follow-media-links)

    def allows(self, host: str | None) -> bool:
        host = (host or "").lower().rstrip(".")
        if not host:
            return False
        if self.anywhere or host in self.hosts:
            return True
        return any(host.endswith("." + suffix) or host == suffix for suffix in self.suffixes)

    def refusal(self, host: str | None, shown: str = "") -> str | None:
        """Why `host` is not asked (None when the fence allows it); `shown` names it if empty."""
        return (
            None
            if self.allows(host)
            else f"{host or shown} is off the {self.name} hosts: not asked"
        )


def fence(name: str, hosts: str = "", suffixes: str = "") -> Fence:
    return Fence(name, frozenset(hosts.split()), frozenset(suffixes.split()))


# Hosts whose whole job is to redirect: a short link is followed through these only.
SHORTENERS = fence(
    "short links",
    """
    t.co bit.ly bitly.com j.mp buff.ly ow.ly dlvr.it ift.tt tinyurl.com goo.gl trib.al fb.me
    lnkd.in is.gd wp.me tiny.cc rebrand.ly cutt.ly shorturl.at t.ly spr.ly amzn.to
    www.bit.ly www.tinyurl.com
    """,
)
MEDIA = fence("media", "pbs.twimg.com video.twimg.com abs.twimg.com ton.twimg.com", "twimg.com")
ANYWHERE = Fence("linked media", anywhere=True)
SAVE_PAGE_NOW = fence("Wayback Machine", "web.archive.org")


def public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local,
    multicast, reserved or unspecified; an IPv6 address that stands for an IPv4 one is judged
    as that IPv4 address)."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in LOCAL_NAT64:
            return False
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return embedded.is_global and not embedded.is_multicast
    return ip.is_global and not ip.is_multicast


NAT64 = ipaddress.ip_network("64:ff9b::/96")
LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215's, for a network's own use


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, NAT64, 6to4, IPv4-compatible), which
    is the one reached: `64:ff9b::7f00:1` is 127.0.0.1."""
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if ip in NAT64 or (int(ip) >> 32 == 0 and int(ip) > 1):  # (`::` and `::1` are their own)
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def non_public(host: str, addresses: list[str]) -> str | None:
    """Why `host` is not asked when it resolves to `addresses` (None when all are public)."""
    private = next((a for a in addresses if not public_address(a)), None)
    return f"{host} is a non-public address ({private}): not asked" if private else None


class NonPublic(Exception):
    """A connection that reached a non-public address (a name that resolved to a public one
    when checked and to another when connected: DNS rebinding): closed before a byte was sent."""


def check_peer(peername: tuple[Any, ...], host: str) -> None:
    """Raise NonPublic unless `peername` (a connected socket's) is a public address. Called on
    every new connection not on a user's route, so that what was checked is what is reached."""
    if refused := non_public(host, [str(peername[0])]):
        raise NonPublic(refused)


def literal_address(host: str) -> bool:
    """Whether `host` is an IP address rather than a name."""
    try:
        ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return False
    return True
