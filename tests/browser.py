"""A real browser for the tests: Debian's Chromium driven by Playwright, on a local HTTP server."""
from __future__ import annotations

import functools
import gzip
import shutil
import socket
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt", ".bib", ".ris"}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _CompressingHandler(_QuietHandler):
    """Text sent gzip-compressed to a client that accepts it, as static hosts (GitHub Pages, any CDN) send it."""

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(site: Path, compressed: bool = False):
    """The built site on http://127.0.0.1:<free port>/ for the length of the block; `compressed`: text gzipped, as
    a static host serves it (what a reader's phone receives; the benchmark measures that)."""
    handler = _CompressingHandler if compressed else _QuietHandler
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:  # the suite fails rather than skips: `make test` installs it
        raise RuntimeError("Debian's chromium is not installed; run `make test` (it installs it) or apt-get install chromium")
    return path


@contextmanager
def chromium():
    """Debian's Chromium under Playwright, closed at the end of the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def check_rooted_404(browser, site: Path, tmp_path: Path) -> None:
    """Serve a preview `site` under /0.1.0/ and /latest/: its 404 page's absolute links point into that version, and
    each of them loads."""
    import shutil
    import urllib.request

    for prefix in ("0.1.0", "latest"):
        root = tmp_path / f"served-{prefix}"
        shutil.copytree(site, root / prefix)
        with serve(root) as served:
            base = served.rstrip("/")
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{base}/{prefix}/404.html")
            hrefs = page.locator("a[href^='/']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
            assert hrefs and all(h.startswith(f"/{prefix}/") for h in hrefs), hrefs
            for href in sorted(set(hrefs))[:12]:
                with urllib.request.urlopen(base + href) as response:
                    assert response.status == 200, href
            context.close()
