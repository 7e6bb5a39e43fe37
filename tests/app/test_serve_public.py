"""`barometer up --public`: listen on all interfaces and name this machine's network address in links."""

from __future__ import annotations

import ipaddress
import os
import socket

import pytest

from app.components.qr import is_loopback
from app.web.venue import ALL_INTERFACES, lan_address, public_url_for
from barometer.cli import _serve_public


def test_lan_address_is_an_address_of_this_machine_and_not_loopback() -> None:
    address = lan_address()
    if address is None:
        pytest.skip("this machine has no network interface besides loopback")
    assert not ipaddress.ip_address(address).is_loopback
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:  # bindable: it is one of ours
        probe.bind((address, 0))
    assert public_url_for(8050) == f"http://{address}:8050" and not is_loopback(public_url_for(8050))


def test_public_serving_listens_everywhere_and_sets_the_public_url(monkeypatch) -> None:
    monkeypatch.setenv("PUBLIC_URL", "")  # unset for the settings, and restored after the test
    assert _serve_public(8123) == ALL_INTERFACES
    expected = public_url_for(8123)
    assert (os.environ.get("PUBLIC_URL") or None) == expected  # None without a network (then a warning)


def test_public_serving_keeps_a_configured_public_url(monkeypatch) -> None:
    monkeypatch.setenv("PUBLIC_URL", "https://talk.example")
    assert _serve_public(None) == ALL_INTERFACES
    assert os.environ["PUBLIC_URL"] == "https://talk.example"
