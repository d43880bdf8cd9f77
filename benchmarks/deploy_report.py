"""Write deploy/run-deploy-bench.sh's measurement into docs/deploy.md (between markers)."""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import re
from pathlib import Path

from benchmarks.bench_users import TABLE_HEADER, goals, table_rows
from benchmarks.common import DOCS, machine, rss_mb

START = "<!-- deploy-measurement:start -->"
END = "<!-- deploy-measurement:end -->"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--users", type=Path, required=True)
    parser.add_argument("--viewer-ports", required=True)
    parser.add_argument("--writer-pid", type=int, required=True)
    parser.add_argument("--seconds", type=int, required=True)
    parser.add_argument("--levels", required=True)
    parser.add_argument("--duration", required=True)
    args = parser.parse_args(argv)
    measured = json.loads(args.users.read_text())
    lines = (args.state / "viewers-access.log").read_text().splitlines() if (
        args.state / "viewers-access.log").exists() else []
    first_visits = [ln for ln in lines if '"GET / HTTP' in ln][:20]
    spread = collections.Counter(re.search(r"-> (\S+)$", ln).group(1) for ln in first_visits
                                 if re.search(r"-> (\S+)$", ln))
    sticky = [ln for ln in lines if '"GET / HTTP' in ln][20:25]
    sticky_targets = {re.search(r"-> (\S+)$", ln).group(1) for ln in sticky
                      if re.search(r"-> (\S+)$", ln)}
    websockets = collections.Counter(
        re.search(r"-> (\S+)$", ln).group(1) for ln in lines
        if "/_stcore/stream" in ln and re.search(r"-> (\S+)$", ln))
    m = machine()
    try:
        writer_mb = f"{rss_mb(args.writer_pid):.0f} MB"
    except OSError:
        writer_mb = "n/a"
    body = [
        START,
        f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on this machine: "
        f"{m['cores']} cores, {m['memory_gb']} GB, load average {m['load_average'][0]:.1f} at "
        f"the end; streamlit {m['versions']['streamlit']}, duckdb {m['versions']['duckdb']}. "
        f"Command: `bash deploy/run-deploy-bench.sh` (levels {args.levels}, {args.duration} s "
        f"each; {args.seconds / 60:.1f} minutes in all).",
        "",
        f"- Viewer replicas on ports {args.viewer_ports}; first visits without a cookie were "
        f"spread {dict(spread)}; five requests carrying one cookie all went to "
        f"{', '.join(sorted(sticky_targets)) or 'n/a'} "
        f"({'sticky' if len(sticky_targets) == 1 else 'NOT sticky'}).",
        f"- Websocket sessions per replica during the benchmark: {dict(websockets)}.",
        f"- The writer (not under load) held {writer_mb} at the end.",
        "",
        "| " + " | ".join(TABLE_HEADER) + " |",
        "|" + "|".join("---" for _ in TABLE_HEADER) + "|",
        *("| " + " | ".join(str(c) for c in row) + " |" for row in table_rows(measured["levels"])),
        "",
        f"Memory is the sum over both viewer replicas. {measured['saturation']}",
        "",
        *(f"- Goal {goal}: {value} ({'met' if met else 'missed'})."
          for goal, value, met in goals(measured["levels"])),
        END,
    ]
    doc = DOCS / "deploy.md"
    text = doc.read_text()
    if START in text and END in text:
        text = text[: text.index(START)] + "\n".join(body) + text[text.index(END) + len(END):]
    else:
        text += "\n" + "\n".join(body) + "\n"
    doc.write_text(text)


if __name__ == "__main__":
    main()
