"""Respondent page weight: the HTML plus every CSS/JS/image it references, as a phone loads it.

Each resource is fetched with ``Accept-Encoding: gzip``; "wire" is what crossed the
network (gzip when the server compressed it), "raw" the decoded size.  Every reference
must be served by the app itself: relative, or absolute on 127.0.0.1/localhost.

Standalone:  python -m bench.page_weight http://127.0.0.1:5000/s/<unit-token>
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from bench.client import Client

BUDGET_BYTES = 30 * 1024
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class AssetRefs(HTMLParser):
    """Collect <link href>, <script src> and <img src> in document order."""

    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            self.refs.append((f"link rel={attrs.get('rel', '')}", attrs["href"]))
        elif tag in ("script", "img") and attrs.get("src"):
            self.refs.append((tag, attrs["src"]))


def measure(page_url: str) -> dict:
    """Fetch the page and its assets; return per-resource sizes, totals and checks."""
    base = urlsplit(page_url)
    client = Client(base.hostname, base.port or 80)
    rows, external = [], []

    def fetch(kind: str, url: str) -> str:
        parts = urlsplit(url)
        reply = client.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        rows.append({
            "kind": kind, "path": parts.path, "status": reply.status,
            "encoding": reply.headers.get("Content-Encoding", "identity"),
            "raw": len(reply.body), "wire": len(reply.wire),
        })
        return reply.text

    parser = AssetRefs()
    parser.feed(fetch("html", page_url))
    for kind, ref in parser.refs:
        url = urljoin(page_url, ref)
        parts = urlsplit(url)
        if parts.hostname not in LOCAL_HOSTS or parts.port != base.port:
            external.append(ref)  # never fetched: the budget is about our own server
            continue
        fetch(kind, url)
    client.close()
    total_raw = sum(r["raw"] for r in rows)
    total_wire = sum(r["wire"] for r in rows)
    return {
        "url": page_url,
        "resources": rows,
        "total_raw": total_raw,
        "total_wire": total_wire,
        "budget": BUDGET_BYTES,
        "within_budget": total_wire <= BUDGET_BYTES,
        "external_refs": external,
        "all_ok": all(r["status"] == 200 for r in rows),
    }


def report(result: dict) -> str:
    lines = [f"{'resource':<42} {'status':>6} {'encoding':>8} {'raw B':>8} {'gzip B':>8}"]
    for r in result["resources"]:
        name = r["kind"][:5] + " " + r["path"][-36:]
        lines.append(f"{name:<42} {r['status']:>6} {r['encoding']:>8} {r['raw']:>8} {r['wire']:>8}")
    verdict = "OK" if result["within_budget"] else "OVER BUDGET"
    lines.append(f"{'total (' + str(len(result['resources'])) + ' requests)':<42} {'':>6} {'':>8} "
                 f"{result['total_raw']:>8} {result['total_wire']:>8}  budget {result['budget']} B gzip: {verdict}")
    ext = result["external_refs"]
    lines.append("assets served by the app itself: " + ("yes" if not ext else f"NO, external: {ext}")
                 + ("" if result["all_ok"] else "  (some resource did not answer 200)"))
    return "\n".join(lines)


if __name__ == "__main__":
    outcome = measure(sys.argv[1])
    print(report(outcome))
    sys.exit(0 if outcome["within_budget"] and not outcome["external_refs"] and outcome["all_ok"] else 1)
