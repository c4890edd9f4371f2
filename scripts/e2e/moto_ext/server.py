"""The extended moto server: moto's own WSGI dispatcher with the patches of this package applied
and the extra service (codeconnections) mounted in front of it. Binds 127.0.0.1 only.

Usage: python -m moto_ext -p PORT [--tls-dir DIR --proxy-port PORT2]   (PYTHONPATH=scripts/e2e)
  --tls-dir DIR     serve HTTPS with a throwaway CA written to DIR/ca.pem (clients: AWS_CA_BUNDLE)
  --proxy-port P2   also run the CONNECT proxy for <account>.127.0.0.1 (clients: HTTPS_PROXY)
Prints "moto_ext ready on http(s)://127.0.0.1:PORT" once listening.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import Any

from . import apply

HOST = "127.0.0.1"


def build_app() -> Any:
    apply()
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from .cloudwatch_cbor import CloudWatchCborMiddleware
    from .codeconnections import CodeConnectionsMiddleware
    from .inventory import ExtApiMiddleware
    from .s3_policy import RequestContextMiddleware

    dispatcher = DomainDispatcherApplication(create_backend_app)
    return RequestContextMiddleware(ExtApiMiddleware(CloudWatchCborMiddleware(CodeConnectionsMiddleware(dispatcher))))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="moto_ext", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-p", "--port", type=int, required=True)
    parser.add_argument("--tls-dir", type=Path)
    parser.add_argument("--proxy-port", type=int)
    args = parser.parse_args(argv)
    if args.proxy_port and not args.tls_dir:
        parser.error("--proxy-port needs --tls-dir (the proxy only tunnels TLS)")

    os.environ.setdefault("MOTO_PORT", str(args.port))
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from werkzeug.serving import make_server

    class RequestHandler(MotoRequestHandler):
        def make_environ(self) -> dict[str, Any]:
            environ = super().make_environ()
            version = getattr(self.connection, "version", None)
            if callable(version):
                environ["moto_ext.tls_version"] = version()
            return environ

        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            super().log_request(code, size)
            # The Go SDK numbers its attempts (amz-sdk-request: attempt=N; max=M): a retry of a
            # request the emulator already answered shows here, e.g. before a Duplicate error.
            attempt = self.headers.get("amz-sdk-request", "") if self.headers else ""
            if attempt and not attempt.startswith("attempt=1;"):
                self.log("info", "SDK retry (%s) of %s %s, answered %s", attempt, self.command, self.path, code)

    def stop(_signum: int, _frame: Any) -> None:
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    app = build_app()
    ssl_context = None
    if args.tls_dir:
        from .tls import make_certificates, server_context

        _, cert, key = make_certificates(args.tls_dir, DEFAULT_ACCOUNT_ID)
        ssl_context = server_context(cert, key)
    if args.proxy_port:
        from .proxy import start

        start(args.proxy_port, args.port)
    server = make_server(HOST, args.port, app, threaded=True, request_handler=RequestHandler, ssl_context=ssl_context)
    print(f"moto_ext ready on {'https' if ssl_context else 'http'}://{HOST}:{args.port}", flush=True)
    server.serve_forever()
