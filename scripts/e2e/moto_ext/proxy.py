"""A CONNECT-only forward proxy on 127.0.0.1 for the one host name the emulator cannot be
reached by directly: S3 Control (the provider's bucket tag reads, ListTagsForResource) prefixes
the endpoint host with the account id, https://123456789012.127.0.0.1:<port>/..., a name no
resolver knows. Clients get HTTPS_PROXY=http://127.0.0.1:<proxy port> (Go never proxies
loopback addresses, so every other call still goes straight to the emulator); the proxy
tunnels CONNECT <anything>.127.0.0.1:<port> to 127.0.0.1:<port> and refuses everything else.
"""

from __future__ import annotations

import re
import select
import socket
import threading

HOST = "127.0.0.1"


def _pipe(a: socket.socket, b: socket.socket) -> None:
    sockets = [a, b]
    try:
        while True:
            readable, _, _ = select.select(sockets, [], [], 300)
            if not readable:
                return
            for s in readable:
                data = s.recv(65536)
                if not data:
                    return
                (b if s is a else a).sendall(data)
    except OSError:
        return
    finally:
        a.close()
        b.close()


def _serve(client: socket.socket, target_port: int) -> None:
    try:
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 8192:
            chunk = client.recv(4096)
            if not chunk:
                client.close()
                return
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        m = re.fullmatch(r"CONNECT ([A-Za-z0-9.-]+\.)?127\.0\.0\.1:(\d+) HTTP/1\.[01]", line)
        if not m or int(m.group(2)) != target_port:
            client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            client.close()
            return
        upstream = socket.create_connection((HOST, target_port))
        client.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        _pipe(client, upstream)
    except OSError:
        client.close()


def start(proxy_port: int, target_port: int) -> socket.socket:
    """Listens on 127.0.0.1:proxy_port in a daemon thread; returns the listening socket."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, proxy_port))
    listener.listen(64)

    def accept_loop() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=_serve, args=(client, target_port), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True, name="moto_ext-proxy").start()
    return listener
