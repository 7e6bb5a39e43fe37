"""Serving for a hall: the address of this machine on the local network, to open and share."""

from __future__ import annotations

import socket

ALL_INTERFACES = "0.0.0.0"


def lan_address() -> str | None:
    """The IPv4 address this machine uses on its network (None when it has none but loopback).

    Connecting a UDP socket sends no packet: it only asks the kernel which interface would be used."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") or address == ALL_INTERFACES else address


def public_url_for(port: int) -> str | None:
    """http://<LAN address>:<port>, the address phones in the hall can open."""
    address = lan_address()
    return f"http://{address}:{port}" if address else None
