"""`build.py serve`: the web pages served on this machine, rebuilt and reloaded in the browser
as the content changes, with the build's problems shown in the page while it has errors."""
from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time

from playwright.sync_api import expect, sync_playwright

from publisher.preview import BuildOutcome, preview_page, preview_policy, run_build

from tests.browser import launch
from tests.conftest import ROOT

STARTUP_SECONDS = 120   # the first build: the English booklet, EPUB and web page
REBUILD_MS = 90_000


class Server:
    """``build.py serve`` in its own process, its terminal read line by line."""

    def __init__(self, *arguments: str):
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", *arguments],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, seconds: float) -> re.Match:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for line in self.lines:
                if found := re.search(pattern, line):
                    return found
            assert self.process.poll() is None, "the server stopped:\n" + self.terminal
            time.sleep(0.1)
        raise AssertionError(f"no line matching {pattern!r} in {seconds} s:\n{self.terminal}")

    @property
    def terminal(self) -> str:
        return "\n".join(self.lines)

    def stop(self) -> int:
        """Ctrl-C, as a person stops it."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=60)
        self.reader.join(timeout=10)
        return code

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def test_serve_rebuilds_and_reloads_the_page_and_shows_content_errors_in_it(project_copy):
    section = project_copy / "content" / "en" / "01-opening.md"
    original = section.read_text(encoding="utf-8")
    heading = re.search(r"^# .*?( \{#[\w-]+\})$", original, re.MULTILINE)
    assert "wooden house" in original and heading
    server = Server("--port", "0", "--lang", "en", "--content", "content", "--output", "output")
    try:
        url = server.wait_for(r"http://127\.0\.0\.1:\d+/", STARTUP_SECONDS).group(0)
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page()
            refused = []
            page.on("console", lambda message: refused.append(message.text)
                    if "Content Security Policy" in message.text else None)
            page.goto(url + "en/index.html")
            text = page.locator("main")
            expect(text).to_contain_text("wooden house")
            page.evaluate("window.openedOnce = true")

            section.write_text(original.replace("wooden house", "teak house"), encoding="utf-8")
            expect(text).to_contain_text("teak house", timeout=REBUILD_MS)
            assert page.evaluate("window.openedOnce") is None, "the page was not reloaded"
            assert "teak house" in (project_copy / "output" / "site" / "en" / "index.html").read_text(encoding="utf-8")

            edited = original.replace("wooden house", "teak house")
            section.write_text(edited.replace(heading.group(0), heading.group(0).removesuffix(heading.group(1))),
                               encoding="utf-8")
            overlay = page.get_by_role("alert")
            expect(overlay).to_contain_text("LOAD-004", timeout=REBUILD_MS)
            expect(overlay).to_contain_text("content/en/01-opening.md")
            expect(text).to_contain_text("teak house")
            assert server.process.poll() is None
            server.wait_for(r"^content/en/01-opening\.md:\d+: LOAD-004 ", 5)

            section.write_text(edited, encoding="utf-8")
            expect(overlay).to_have_count(0, timeout=REBUILD_MS)
            expect(text).to_contain_text("teak house")
            assert not refused, refused
            browser.close()
        on_disk = (project_copy / "output" / "site" / "en" / "index.html").read_text(encoding="utf-8")
        assert "__preview" not in on_disk and not re.search(r"script-src[^;]*'self'", on_disk)
        assert server.stop() == 0
        assert "Traceback" not in server.terminal
    finally:
        server.kill()


def test_the_preview_lets_its_script_into_a_page_with_a_strict_policy():
    policy = ("default-src 'none'; style-src 'sha256-a'; script-src 'sha256-b'; "
              "font-src 'self'; base-uri 'none'")
    assert preview_policy(policy) == ("default-src 'none'; style-src 'sha256-a'; "
                                      "script-src 'sha256-b' 'self'; font-src 'self'; "
                                      "base-uri 'none'; connect-src 'self'")
    assert "script-src 'self'" in preview_policy("default-src 'none'; script-src 'none'")
    page = ('<html><head><meta http-equiv="Content-Security-Policy" content="default-src '
            '&#39;none&#39;; script-src &#39;sha256-b&#39;"></head><body><p>text</p></body></html>')
    served = preview_page(page, "build-1")
    assert "script-src &#x27;sha256-b&#x27; &#x27;self&#x27;; connect-src &#x27;self&#x27;" in served
    assert served.endswith('<p>text</p><script src="/__preview/reload.js" data-events="/__preview/events" data-build="build-1"></script>\n'
                           "</body></html>")


def test_a_build_that_raises_is_reported_not_the_end_of_the_server(capsys):
    def failing():
        raise RuntimeError("the disk went away")
    outcome = run_build(failing)
    assert outcome == BuildOutcome(wrote=False, failed=True, problems=[
        "the build stopped: RuntimeError: the disk went away (the traceback is in the terminal)"])
    assert "the disk went away" in capsys.readouterr().err
