"""The client's address, which login lockouts (django-axes) and the API's
rate limit count by: one answer for both.

The peer (REMOTE_ADDR) is the client unless it is one of ``TRUSTED_PROXIES``.
Only then is X-Forwarded-For read, from the right: each trusted proxy appends
the address it saw, so the right-most address that is not itself a trusted
proxy is the one the outermost trusted proxy saw. Anything to its left was
written by the client and may be anything: trusting it would let anyone lift
a lockout or a rate limit by rotating the header, or lock a victim out by
sending their address."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """``TRUSTED_PROXIES`` as networks (an address is a network of one)."""
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES must list IP addresses or networks (10.0.0.0/8), not {proxy!r}"
            ) from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in networks)


def client_ip(request) -> str | None:
    """The address of whoever sent ``request`` (see the module's doc)."""
    peer = request.META.get("REMOTE_ADDR")
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if not peer or not networks or not is_trusted(peer, networks):
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    nearest = peer
    for address in reversed(forwarded):
        if not address:
            continue
        if _address(address) is None:
            # Not an address: nothing left of it can be believed.
            return nearest
        if not is_trusted(address, networks):
            return address
        nearest = address
    # Every hop is a trusted proxy (a request from inside): the first of them.
    return nearest
