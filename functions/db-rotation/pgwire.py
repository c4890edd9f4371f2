"""A minimal PostgreSQL client (protocol 3.0, standard library only) for the rotation function.

It does what rotating a password needs and nothing more: TLS (sslmode require or verify-full),
SCRAM-SHA-256 or MD5 password authentication (cleartext only inside TLS), simple queries with text
results. No third-party code runs with the database credentials, nothing is downloaded at build or
deploy time, and the package is the same bytes on every synth.

`scram_verifier` computes the SCRAM-SHA-256 verifier of a password on the client, as psql's
\\password does: `ALTER ROLE ... PASSWORD '<verifier>'` never puts the password itself into the
statement, so the server's statement log (log_statement = ddl in this project) cannot leak it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import socket
import ssl
import struct

PROTOCOL_3 = 196608
SSL_REQUEST = 80877103
SCRAM_ITERATIONS = 4096
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class PgError(Exception):
    """An ErrorResponse from the server: sqlstate (e.g. 28P01 bad password) and message."""

    def __init__(self, fields: dict[str, str]):
        self.sqlstate = fields.get("C", "")
        self.severity = fields.get("S", "ERROR")
        super().__init__(f"{self.severity} {self.sqlstate}: {fields.get('M', '')}")


class ProtocolError(Exception):
    """The server said something this client does not understand, or refused TLS."""


def quote_ident(name: str) -> str:
    """A role name as a quoted identifier; only plain lower-case names are accepted."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain role name: {name!r}")
    return f'"{name}"'


def quote_literal(value: str) -> str:
    """A string literal for values that carry no quote or backslash (verifiers, role names)."""
    if "'" in value or "\\" in value or "\x00" in value:
        raise ValueError("literal contains a quote, backslash or NUL")
    return f"'{value}'"


def scram_verifier(password: str, salt: bytes | None = None, iterations: int = SCRAM_ITERATIONS) -> str:
    """SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey> (RFC 5802/7677, PostgreSQL's format).

    Passwords here are ASCII letters and digits, for which SASLprep is the identity."""
    if not password.isascii():
        raise ValueError("only ASCII passwords are supported")
    salt = salt if salt is not None else os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


class Connection:
    """One session. Use as a context manager; `query()` returns rows of text values (None = NULL)."""

    def __init__(self, host: str, port: int, user: str, password: str, database: str, *, sslmode: str = "require", timeout: float = 10.0, cafile: str | None = None):
        if sslmode not in ("require", "verify-full", "disable"):
            raise ValueError(f"sslmode {sslmode!r}: expected require, verify-full or disable")
        self._user = user
        self._password = password
        self._buffer = b""
        raw = socket.create_connection((host, port), timeout=timeout)
        self._sock: socket.socket | ssl.SSLSocket = raw
        self.tls = False
        try:
            if sslmode != "disable":
                raw.sendall(struct.pack("!ii", 8, SSL_REQUEST))
                answer = self._recv_exact(1)
                if answer != b"S":
                    raise ProtocolError(f"the server at {host}:{port} does not offer TLS (sslmode={sslmode})")
                context = ssl.create_default_context(cafile=cafile)
                if sslmode == "require":  # encrypted, not verified: libpq's sslmode=require
                    context.check_hostname = False
                    context.verify_mode = ssl.CERT_NONE
                self._sock = context.wrap_socket(raw, server_hostname=host)
                self.tls = True
            params = b"".join(k.encode() + b"\0" + v.encode() + b"\0" for k, v in (("user", user), ("database", database), ("application_name", "markmail-db-rotation"), ("client_encoding", "UTF8")))
            body = struct.pack("!i", PROTOCOL_3) + params + b"\0"
            self._sock.sendall(struct.pack("!i", len(body) + 4) + body)
            self._authenticate()
            self._until_ready()
        except BaseException:
            self._sock.close()
            raise

    # -- context manager ------------------------------------------------------------------------

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._send(b"X", b"")
        except OSError:
            pass
        self._sock.close()

    # -- queries --------------------------------------------------------------------------------

    def query(self, sql: str) -> list[tuple[str | None, ...]]:
        """Runs one or more statements (simple query protocol); the rows of the last result."""
        self._send(b"Q", sql.encode() + b"\0")
        rows: list[tuple[str | None, ...]] = []
        error: PgError | None = None
        while True:
            kind, payload = self._read()
            if kind == b"T":
                rows = []
            elif kind == b"D":
                rows.append(self._data_row(payload))
            elif kind == b"E":
                error = PgError(_fields(payload))
            elif kind == b"Z":
                if error:
                    raise error
                return rows
            elif kind in (b"C", b"I", b"N", b"S"):
                continue
            else:
                raise ProtocolError(f"unexpected message {kind!r} during a query")

    def scalar(self, sql: str) -> str | None:
        rows = self.query(sql)
        return rows[0][0] if rows else None

    # -- protocol -------------------------------------------------------------------------------

    def _authenticate(self) -> None:
        while True:
            kind, payload = self._read()
            if kind == b"E":
                raise PgError(_fields(payload))
            if kind != b"R":
                raise ProtocolError(f"unexpected message {kind!r} during authentication")
            (code,) = struct.unpack("!i", payload[:4])
            if code == 0:
                return
            if code == 3:
                if not self.tls:
                    raise ProtocolError("the server asks for a cleartext password without TLS; refusing")
                self._send(b"p", self._password.encode() + b"\0")
            elif code == 5:
                salt = payload[4:8]
                inner = hashlib.md5(self._password.encode() + self._user.encode()).hexdigest()
                self._send(b"p", b"md5" + hashlib.md5(inner.encode() + salt).hexdigest().encode() + b"\0")
            elif code == 10:
                mechanisms = [m for m in payload[4:].split(b"\0") if m]
                if b"SCRAM-SHA-256" not in mechanisms:
                    raise ProtocolError(f"no supported SASL mechanism in {mechanisms!r}")
                self._scram()
                return self._authenticate_tail()
            else:
                raise ProtocolError(f"unsupported authentication request {code}")

    def _authenticate_tail(self) -> None:
        kind, payload = self._read()
        if kind == b"E":
            raise PgError(_fields(payload))
        if kind != b"R" or struct.unpack("!i", payload[:4])[0] != 0:
            raise ProtocolError("authentication did not complete")

    def _scram(self) -> None:
        nonce = base64.b64encode(os.urandom(18)).decode()
        client_first_bare = f"n=,r={nonce}"
        first = ("n,," + client_first_bare).encode()
        self._send(b"p", b"SCRAM-SHA-256\0" + struct.pack("!i", len(first)) + first)

        kind, payload = self._read()
        if kind == b"E":
            raise PgError(_fields(payload))
        if kind != b"R" or struct.unpack("!i", payload[:4])[0] != 11:
            raise ProtocolError("expected SASLContinue")
        server_first = payload[4:].decode()
        attrs = dict(part.split("=", 1) for part in server_first.split(","))
        if not attrs["r"].startswith(nonce):
            raise ProtocolError("the server's SCRAM nonce does not extend ours")
        salt = base64.b64decode(attrs["s"])
        iterations = int(attrs["i"])
        salted = hashlib.pbkdf2_hmac("sha256", self._password.encode(), salt, iterations)
        client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
        stored_key = hashlib.sha256(client_key).digest()
        without_proof = f"c=biws,r={attrs['r']}"
        auth_message = f"{client_first_bare},{server_first},{without_proof}".encode()
        signature = hmac.new(stored_key, auth_message, hashlib.sha256).digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        self._send(b"p", f"{without_proof},p={base64.b64encode(proof).decode()}".encode())

        kind, payload = self._read()
        if kind == b"E":
            raise PgError(_fields(payload))
        if kind != b"R" or struct.unpack("!i", payload[:4])[0] != 12:
            raise ProtocolError("expected SASLFinal")
        server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
        expected = base64.b64encode(hmac.new(server_key, auth_message, hashlib.sha256).digest()).decode()
        final = dict(part.split("=", 1) for part in payload[4:].decode().split(","))
        if not hmac.compare_digest(final.get("v", ""), expected):
            raise ProtocolError("the server's SCRAM signature is wrong (not the server that knows the password)")

    def _until_ready(self) -> None:
        while True:
            kind, payload = self._read()
            if kind == b"E":
                raise PgError(_fields(payload))
            if kind == b"Z":
                return
            if kind not in (b"S", b"K", b"N"):
                raise ProtocolError(f"unexpected message {kind!r} after authentication")

    @staticmethod
    def _data_row(payload: bytes) -> tuple[str | None, ...]:
        (count,) = struct.unpack("!h", payload[:2])
        pos, values = 2, []
        for _ in range(count):
            (length,) = struct.unpack("!i", payload[pos : pos + 4])
            pos += 4
            if length < 0:
                values.append(None)
            else:
                values.append(payload[pos : pos + length].decode())
                pos += length
        return tuple(values)

    def _send(self, kind: bytes, body: bytes) -> None:
        self._sock.sendall(kind + struct.pack("!i", len(body) + 4) + body)

    def _read(self) -> tuple[bytes, bytes]:
        header = self._recv_exact(5)
        kind, length = header[:1], struct.unpack("!i", header[1:])[0]
        return kind, self._recv_exact(length - 4)

    def _recv_exact(self, n: int) -> bytes:
        while len(self._buffer) < n:
            chunk = self._sock.recv(max(65536, n - len(self._buffer)))
            if not chunk:
                raise ProtocolError("the server closed the connection")
            self._buffer += chunk
        data, self._buffer = self._buffer[:n], self._buffer[n:]
        return data


def _fields(payload: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in payload.split(b"\0"):
        if part:
            out[chr(part[0])] = part[1:].decode(errors="replace")
    return out
