"""The live preview behind ``build.py serve``: the site served on this machine, built again when
the content or the templates change, and the open pages reloaded.

The files on disk are the build's own. Only the responses change: each HTML page gets a small
script (``/__preview/reload.js``) and a Content-Security-Policy that lets it in and lets it
listen to ``/__preview/events``, a stream of Server-Sent Events saying which build made the
pages and what problems the last build found. A page made by an earlier build reloads; a build
with errors leaves the last good pages in place and the script shows its problems over the page.
"""
from __future__ import annotations

import html
import io
import json
import queue
import re
import secrets
import sys
import threading
import traceback
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from watchfiles import DefaultFilter, watch

EVENTS = "/__preview/events"
SCRIPT = "/__preview/reload.js"
KEEPALIVE_SECONDS = 15
RETRY_MILLISECONDS = 1000   # how soon a page listens again after the server went away

RELOAD_SCRIPT = (Path(__file__).parent / "preview.js").read_text(encoding="utf-8")

_POLICY_META = re.compile(r"<meta\b[^>]*\bhttp-equiv\s*=\s*[\"']?content-security-policy\b[^>]*>",
                          re.IGNORECASE)
_CONTENT = re.compile(r"(\bcontent\s*=\s*)(\"[^\"]*\"|'[^']*')", re.IGNORECASE)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class BuildOutcome:
    """What a build of the previewed pages came to, as the preview needs it."""
    wrote: bool                   # pages or their files were written
    failed: bool                  # an error: the pages on disk are the last good ones
    problems: list[str] = field(default_factory=list)   # one line each, as the terminal shows them


class PreviewState:
    """Which build made the pages on disk, and the problems of the last build while it failed:
    what every open page is told, now and after every build."""

    def __init__(self):
        self._changed = threading.Condition()
        self._server = secrets.token_hex(4)   # a page served by an earlier server reloads too
        self._builds = 0
        self._version = 0
        self._problems: list[str] = []
        self._closed = False

    @property
    def build(self) -> str:
        with self._changed:
            return self._build_name()

    def _build_name(self) -> str:
        return f"{self._server}-{self._builds}"

    def record(self, outcome: BuildOutcome) -> None:
        with self._changed:
            if outcome.wrote:
                self._builds += 1
            self._problems = list(outcome.problems) if outcome.failed else []
            self._version += 1
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def next_message(self, seen: int | None, timeout: float) -> tuple[int, str | None] | None:
        """The state as an event's data once it differs from version ``seen``: (version,
        JSON), or (``seen``, None) when ``timeout`` passed first; None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._version != seen, timeout)
            if self._closed:
                return None
            if self._version == seen:
                return seen, None
            data = {"build": self._build_name(), "problems": self._problems}
            return self._version, json.dumps(data, ensure_ascii=False)


def preview_policy(policy: str) -> str:
    """``policy`` that also lets the page load scripts from this server and connect to it."""
    directives: dict[str, list[str]] = {}
    for directive in policy.split(";"):
        name, *sources = directive.split() or [""]
        if name:
            directives.setdefault(name.lower(), sources)
    inherited = directives.get("default-src", [])
    for name in ("script-src", "connect-src"):
        sources = [s for s in directives.get(name, inherited) if s != "'none'"]
        directives[name] = sources if "'self'" in sources else [*sources, "'self'"]
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def _with_preview_policy(meta: re.Match) -> str:
    def replace(content: re.Match) -> str:
        policy = preview_policy(html.unescape(content.group(2)[1:-1]))
        return f'{content.group(1)}"{html.escape(policy)}"'
    return _CONTENT.sub(replace, meta.group(0), count=1)


def preview_page(page: str, build: str) -> str:
    """``page`` as the preview serves it: with the reload script, and a policy that allows it."""
    page = _POLICY_META.sub(_with_preview_policy, page)
    tag = f'<script src="{SCRIPT}" data-events="{EVENTS}" data-build="{html.escape(build)}"></script>\n'
    ends = list(_BODY_END.finditer(page))
    if not ends:
        return page + tag
    return page[:ends[-1].start()] + tag + page[ends[-1].start():]


def not_built_page(path: str, build: str) -> str:
    """What a page that is not there yet shows until a build makes it."""
    return preview_page(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>Not built yet</title>\n</head>\n<body>\n"
        f"<p>Nothing at {html.escape(path)} yet: the page opens here once a build has made it "
        "(<code>build.py serve</code> builds the languages given with <code>--lang</code>).</p>\n"
        "</body>\n</html>\n", build)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: Path, state: PreviewState):
        self.site = site
        self.state = state
        super().__init__(address, PreviewHandler)

    def handle_error(self, request, client_address):
        """A page that went away mid-answer (it reloaded) is no error worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


class PreviewHandler(SimpleHTTPRequestHandler):
    server: PreviewServer

    def __init__(self, request, client_address, server: PreviewServer):
        super().__init__(request, client_address, server, directory=str(server.site))

    def log_message(self, format, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_GET(self):
        path = urlsplit(self.path).path
        if path == EVENTS:
            self.send_events()
        elif path == SCRIPT:
            self.send_body(RELOAD_SCRIPT, "text/javascript; charset=utf-8")
        else:
            super().do_GET()

    def send_head(self):
        page = self.page_file()
        if page is None:
            return super().send_head()
        text = page.read_text(encoding="utf-8", errors="replace")
        body = preview_page(text, self.server.state.build).encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def page_file(self) -> Path | None:
        """The HTML file the request names, if any (a folder's index.html when the path ends
        with /)."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return None
            path = path / "index.html"
        return path if path.suffix == ".html" and path.is_file() else None

    def send_error(self, code, message=None, explain=None):
        path = urlsplit(self.path).path
        if code != HTTPStatus.NOT_FOUND or self.command != "GET" or not path.endswith(("/", ".html")):
            return super().send_error(code, message, explain)
        self.send_body(not_built_page(path, self.server.state.build), "text/html; charset=utf-8",
                       HTTPStatus.NOT_FOUND)

    def send_body(self, text: str, media_type: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            self.wfile.write(f"retry: {RETRY_MILLISECONDS}\n\n".encode())
            seen = None
            while (message := self.server.state.next_message(seen, KEEPALIVE_SECONDS)) is not None:
                seen, data = message
                self.wfile.write(f"data: {data}\n\n".encode() if data else b": waiting\n\n")
        except ConnectionError:
            pass


def run_build(rebuild: Callable[[], BuildOutcome]) -> BuildOutcome:
    """``rebuild()``; a build that raises is reported like a failed one, not the server's end."""
    try:
        return rebuild()
    except Exception as error:
        traceback.print_exc()
        line = f"the build stopped: {type(error).__name__}: {error} (the traceback is in the terminal)"
        print(line, file=sys.stderr)
        return BuildOutcome(wrote=False, failed=True, problems=[line])


class Watcher(threading.Thread):
    """``watchfiles.watch`` over ``paths`` in a thread of its own, each batch of changes queued
    for the builds; the paths are watched before ``start_watching`` returns, so a change made
    during the first build is not lost."""

    def __init__(self, paths: list[Path], ignored: list[Path]):
        super().__init__(name="preview watcher", daemon=True)
        self.paths = paths
        self.changes_of_interest = DefaultFilter(ignore_paths=[str(path.resolve()) for path in ignored])
        self.batches: queue.Queue[set | None] = queue.Queue()
        self.watching = threading.Event()
        self.stopping = threading.Event()
        self.failure: Exception | None = None

    def is_set(self) -> bool:
        """Whether to stop: watchfiles asks every step, from the first one on, once the paths
        are watched."""
        self.watching.set()
        return self.stopping.is_set()

    def run(self):
        try:
            for changes in watch(*self.paths, watch_filter=self.changes_of_interest, stop_event=self):
                self.batches.put(changes)
        except Exception as error:
            self.failure = error
        finally:
            self.batches.put(None)
            self.watching.set()

    def start_watching(self) -> None:
        self.start()
        self.watching.wait()

    def changed(self) -> list[str] | None:
        """The files changed since the last call (waiting for one), as a person would type
        them, those still there first; None once watching has ended (see ``failure``)."""
        batches = [self.batches.get()]
        while not self.batches.empty():
            batches.append(self.batches.get_nowait())
        if None in batches:
            return None
        return sorted({_shown(path) for batch in batches for _, path in batch},
                      key=lambda name: (not Path(name).exists(), name))

    def stop(self) -> None:
        self.stopping.set()


def serve(site: Path, watched: list[Path], ignored: list[Path],
          rebuild: Callable[[], BuildOutcome], host: str, port: int) -> int:
    """Build, serve ``site`` on ``host``:``port`` (0: a free port) and build again whenever a
    file under ``watched`` changes, until Ctrl-C."""
    missing = [path for path in watched if not path.is_dir()]
    if missing:
        print(f"cannot watch {', '.join(map(str, missing))}: no such folder", file=sys.stderr)
        return 2
    state = PreviewState()
    try:
        server = PreviewServer((host, port), site, state)
    except OSError as error:
        print(f"cannot serve on {host}:{port}: {error.strerror} — choose another port with --port",
              file=sys.stderr)
        return 2
    watcher = Watcher(watched, ignored)
    serving = None
    status = 0
    try:
        watcher.start_watching()
        state.record(run_build(rebuild))
        serving = threading.Thread(target=server.serve_forever, name="preview server", daemon=True)
        serving.start()
        print(f"serving {_shown(site)} at {server.url} — rebuilding when "
              f"{' or '.join(_shown(path) for path in watched)} change; Ctrl-C stops", flush=True)
        while (names := watcher.changed()) is not None:
            more = f" and {len(names) - 1} more" if len(names) > 1 else ""
            print(f"changed: {names[0]}{more}", file=sys.stderr, flush=True)
            state.record(run_build(rebuild))
        print(f"cannot watch {' or '.join(map(str, watched))} any longer: {watcher.failure}",
              file=sys.stderr)
        status = 1
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        state.close()
        if serving is not None:
            server.shutdown()
        server.server_close()
    print("stopped", file=sys.stderr)
    return status


def _shown(path: str | Path) -> str:
    """``path`` as a person would type it here: relative to the current folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
