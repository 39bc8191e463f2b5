"""Does the map stay fluid with 10,000 services? Chromium, the real page, frames counted.

benchmark: .venv/bin/python benchmarks/bench_map.py [--sizes 100,10000]

For each size: a throw-away SQLite database of synthetic services (benchmarks/synthetic.py), the
application under gunicorn (as in bench_services.py), and the home page in headless Chromium
(/usr/bin/chromium, the CDN unreachable, so Leaflet comes from this server as on these machines).
Measured: the time from navigation until the markers are on the map (a fresh browser on a
warmed server; the server's very first visit apart: the page asks for the compact
/api/v1/services.points while Leaflet loads, static/js/map.js counts the view's clusters),
how many marker elements the page holds once clustered, and the frames during a fixed sequence
of wheel zooms and drags: median, p95 and longest frame interval, and frames over 50 ms (the eye
sees those as jank). The smallest size is the reference: ratios against it hold across machines.
Writes benchmarks/reports/map.md. Every wait is bounded; the server is stopped at the end.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_services import Server, code_version  # noqa: E402
from synthetic import generate  # noqa: E402

REPORT = Path(__file__).parent / "reports" / "map.md"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 900}
LONG_FRAME_MS = 50
READY_TIMEOUT_MS = 60_000

# Collects the interval between animation frames until asked to stop: what the eye sees.
RECORD_FRAMES = """() => {
  window.__frames = [];
  let last = performance.now();
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (!window.__stopFrames) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def visit(browser, port: int):
    """Open the home page in a new context; return (ms until markers show, the page)."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    # No internet here: the CDN and the tiles fail fast, as a blocked network would.
    page.route(lambda url: not url.startswith(f"http://127.0.0.1:{port}/"),
               lambda route: route.abort())
    started = time.perf_counter()
    page.goto(f"http://127.0.0.1:{port}/fr/")
    page.wait_for_selector("#map[data-markers]", state="attached", timeout=READY_TIMEOUT_MS)
    page.wait_for_selector("#map .leaflet-marker-icon", timeout=READY_TIMEOUT_MS)
    return (time.perf_counter() - started) * 1000, page


def measure(port: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            # The first visit warms the server (its map cache, its templates); the second, in a
            # fresh browser context with an empty cache, is the one a citizen usually gets.
            cold_ms, page = visit(browser, port)
            page.context.close()
            ready_ms, page = visit(browser, port)
            markers = int(page.get_attribute("#map", "data-markers"))
            page.wait_for_timeout(1000)  # chunked loading finishes
            elements = page.locator("#map .leaflet-marker-icon").count()

            box = page.locator("#map").bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.evaluate(RECORD_FRAMES)
            page.mouse.move(x, y)
            for delta in (-300, -300, -300, 300, 300, 300):  # zoom in three steps, then out
                page.mouse.wheel(0, delta)
                page.wait_for_timeout(400)
            for dx, dy in ((200, 0), (0, 150), (-200, 0), (0, -150)):  # drag the map around
                page.mouse.move(x, y)
                page.mouse.down()
                page.mouse.move(x + dx, y + dy, steps=12)
                page.mouse.up()
                page.wait_for_timeout(300)
            frames = page.evaluate("() => { window.__stopFrames = true; return window.__frames; }")
        finally:
            browser.close()
    frames = frames[1:] or [0.0]  # the first interval starts before the recorder did
    return {
        "cold_ms": cold_ms, "ready_ms": ready_ms, "markers": markers, "elements": elements,
        "frames": len(frames),
        "frame_p50": statistics.median(frames),
        "frame_p95": statistics.quantiles(frames, n=20)[-1] if len(frames) > 1 else frames[0],
        "frame_max": max(frames), "long": sum(1 for f in frames if f > LONG_FRAME_MS),
    }


def report(runs: dict, load_before: float) -> str:
    reference = runs[min(runs)]
    lines = ["# Map benchmark", "", f"Code: {code_version()}.", "",
             f"Headless Chromium ({CHROMIUM}) at {VIEWPORT['width']}×{VIEWPORT['height']}, the "
             "home page of the application under gunicorn (1 worker, SQLite, production "
             "settings), the CDN and tiles unreachable (Leaflet from this server). Frames "
             "recorded with requestAnimationFrame during three wheel zooms in, three out and four "
             "drags. "
             f"Ratios against {min(runs):,} services in the same run. Load average (1 min): "
             f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, on "
             f"{os.cpu_count()} CPUs.", "",
             "| services | markers ready | × | first visit | marker elements | frames "
             "| frame p50 | frame p95 | × | longest frame | frames > 50 ms |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in runs.items():
        lines.append(
            f"| {n:,} | {r['ready_ms']:.0f} ms | {r['ready_ms'] / reference['ready_ms']:.1f}× "
            f"| {r['cold_ms']:.0f} ms | {r['elements']:,} of {r['markers']:,} | {r['frames']} "
            f"| {r['frame_p50']:.1f} ms | {r['frame_p95']:.1f} ms "
            f"| {r['frame_p95'] / reference['frame_p95']:.1f}× | {r['frame_max']:.0f} ms "
            f"| {r['long']} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,10000",
                        help="comma-separated numbers of services, the first the reference")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")
    runs, load_before = {}, os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-map-") as tmp:
        for n in sizes:
            url = f"sqlite:///{tmp}/map-{n}.sqlite"
            generate(url, n, echo=lambda *a: None)
            with Server(url, f"{tmp}/gunicorn-{n}.log") as server:
                runs[n] = measure(server.port)
            print(f"{n:,} services: {runs[n]}", file=sys.stderr)
    text = report(runs, load_before)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
