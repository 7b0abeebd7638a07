"""What the crawler refuses to contact: non-http(s) schemes and non-public addresses.

Addresses are checked after DNS resolution and the connection is pinned to the checked address
(:func:`resolve_checked`), so a name cannot resolve to a public address for the check and to a private
one for the connection. The engine calls this for every request, so every redirect hop is checked too.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class Refused(Exception):
    """A request the safety rules forbid (the message says why)."""


@dataclass(frozen=True, slots=True)
class SafetyPolicy:
    """``allow_private`` lifts the address rule entirely; ``allowed`` lifts it for some networks only."""

    allow_private: bool = False
    allowed: tuple[IPNetwork, ...] = ()

    def address_ok(self, ip: IPAddress) -> bool:
        """True when ``ip`` may be contacted.

        >>> SafetyPolicy().address_ok(ipaddress.ip_address("10.0.0.1"))
        False
        >>> SafetyPolicy().address_ok(ipaddress.ip_address("8.8.8.8"))
        True
        """
        if self.allow_private or any(ip in net for net in self.allowed):
            return True
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        # is_global is False for loopback, private, link-local, CGNAT, reserved and unspecified ranges.
        return ip.is_global and not ip.is_multicast


def check_scheme(url: str) -> None:
    """Refuse anything but http and https.

    >>> try:
    ...     check_scheme("file:///etc/passwd")
    ... except Refused as exc:
    ...     print(exc)
    scheme 'file' is not http(s)
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused(f"scheme {scheme!r} is not http(s)")


async def resolve_checked(host: str, port: int, policy: SafetyPolicy) -> str:
    """Resolve ``host`` and return one address to connect to; refuse if any address is not allowed.

    Refusing when *any* resolved address is private (not only the first) closes the trick of a name
    with one public and one private record.
    """
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise OSError(f"DNS lookup failed for {host}: {exc}") from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
        if not addresses:
            raise OSError(f"DNS lookup for {host} returned no address")
    for ip in addresses:
        if not policy.address_ok(ip):
            raise Refused(f"{host} resolves to non-public address {ip} (use --allow-private to permit)")
    # Prefer IPv4: loopback test servers and many portals listen on IPv4 only.
    addresses.sort(key=lambda a: a.version)
    return str(addresses[0])
