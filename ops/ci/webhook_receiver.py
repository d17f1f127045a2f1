#!/usr/bin/env python3
"""A customer's app for .ci/ops-check: receives dlrgate's webhooks on 127.0.0.1:<port> and answers 204, except
every 7th request, answered 500 (so the failure series and the retries exist too). Runs until killed."""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

count = 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(min(length, 16 * 1024 * 1024))
        count += 1
        self.send_response(500 if count % 7 == 0 else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
