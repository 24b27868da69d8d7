#!/usr/bin/env python3
"""End-to-end latency of `amiris serve`: save a project's new title, poll its page until it shows.

Usage: bench/serve_e2e.py SITE [EDITS] [AMIRIS]   (defaults: 5 edits, target/release/amiris)
Environment: GAP, seconds between the page shown (first, or after an edit) and the next save
(default 0.3).

Starts `amiris serve` on SITE, opens the page of its first project (by file name), then EDITS
times saves that file with a new title (written beside it, then renamed over it, as editors
do) and polls the page every 10 ms until the new title is served; prints each delay and the
console lines of serve after each edit. The project's text is restored at the end.
"""

import os
import re
import subprocess
import sys
import threading
import time
import urllib.request

POLL = 0.01
GAP = float(os.environ.get("GAP", "0.3"))


def main():
    root = sys.argv[1]
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    here = os.path.dirname(os.path.abspath(__file__))
    binary = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "..", "target", "release", "amiris")
    folder = os.path.join(root, "content", "projets")
    first = sorted(f for f in os.listdir(folder) if f.endswith(".md"))[0]
    path, slug = os.path.join(folder, first), first[:-3]
    with open(path, encoding="utf-8") as f:
        original = f.read()

    serve = subprocess.Popen([binary, "serve", "--port", "0", "--root", root], stdout=subprocess.PIPE, text=True)
    url = None
    for line in serve.stdout:
        found = re.search(r"Aperçu du site : (\S+)", line)
        if found:
            url = found.group(1)
            break
    page = f"{url}projets/{slug}/"
    console = []

    def read_console():
        for line in serve.stdout:
            console.append((time.monotonic(), line.strip()))

    threading.Thread(target=read_console, daemon=True).start()

    def get():
        with urllib.request.urlopen(page) as answer:
            return answer.read().decode()

    get()  # The page is open in the browser.
    time.sleep(GAP)  # As between edits: nobody saves within milliseconds of opening the page.
    delays = []
    try:
        for edit in range(edits):
            title = f"Titre{edit}x{int(time.time())}"
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                f.write(original.replace('titre: "', f'titre: "{title} ', 1))
            start = time.monotonic()
            os.rename(path + ".tmp", path)
            while title not in get():
                time.sleep(POLL)
            delays.append((time.monotonic() - start) * 1000)
            time.sleep(GAP)
            for at, line in console:
                print(f"  +{(at - start) * 1000:.0f} ms: {line}")
            console.clear()
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        serve.terminate()
    delays_text = " ".join(f"{d:.0f}" for d in delays)
    print(f"save -> page shows the new title (ms): {delays_text}; median {sorted(delays)[len(delays) // 2]:.0f}")


if __name__ == "__main__":
    main()
