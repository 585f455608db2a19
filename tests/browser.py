"""Debian's Chromium driven by Playwright (never Playwright's own browser download), and a
local server for the site: what the browser tests share."""
from __future__ import annotations

import functools
import gzip
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGUMENTS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run"]


def launch(playwright, **options):
    """Debian's Chromium; ``options`` go to Playwright's ``launch``."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS, **options)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files as a static host does: text compressed for a browser that accepts it."""
    requested: list[str]
    compressed = (".html", ".css", ".js", ".txt", ".xml", ".svg")

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.requested.append(self.path)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in self.compressed and path.is_file() \
                and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes(), mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@contextmanager
def serving(folder: Path):
    """``folder`` served on 127.0.0.1 at a free port: yields (base URL, the paths requested)."""
    requested: list[str] = []
    handler = functools.partial(type("Handler", (_QuietHandler,), {"requested": requested}),
                                directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", requested
    finally:
        server.shutdown()
        server.server_close()
