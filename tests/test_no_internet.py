"""pytest-socket (pyproject addopts): a test reaches this machine only. The WeChat tests talk
to a fake platform on 127.0.0.1; a call that slipped past the base-URL setting fails here."""
import socket

import pytest
import pytest_socket


def test_a_connection_beyond_this_machine_is_refused():
    with pytest.raises(pytest_socket.SocketConnectBlockedError):
        socket.create_connection(("203.0.113.1", 443), timeout=1)


def test_loopback_is_allowed():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    try:
        socket.create_connection(server.getsockname(), timeout=1).close()
    finally:
        server.close()
