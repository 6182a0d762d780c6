"""The Markdown a `make bench` run prints and appends to bench/RESULTS.md: one table per
scale and part (anonymous, signed in) and the targets of each part."""

from __future__ import annotations

import os
import platform
import re
import socket
from pathlib import Path

from bench.measures import Row, ScaleResult
from bench.signed_in import COMMITTEE_RUNS, SignedRow

# pretalx's CfP page, measured on this machine in the same hour as issue 20's figures.
PRETALX_CFP_RPS = 31


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else cpu
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return (
        f"{socket.gethostname()}: {os.cpu_count()} CPUs ({cpu}), {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; "
        f"load average {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f} at the end of the run"
    )


def ceiling_rps(rows: list[Row]) -> float:
    """The ceiling, measured first and last: the mean of both, as the machine's load drifts."""
    runs = [r.rps for r in rows if r.name.startswith("no-op ceiling")]
    return sum(runs) / len(runs) if runs else 0.0


def _data(result: ScaleResult) -> str:
    if result.reused:
        return "data of an earlier run, kept with BENCH_REUSE"
    return f"data generated in {result.generate_seconds:.0f} s"


def table(result: ScaleResult) -> str:
    ceiling = ceiling_rps(result.rows)
    lines = [
        f"### Scale {result.scale} ({_data(result)})",
        "",
        "| page | req/s | p50 ms | p99 ms | non-2xx/3xx | queries (cached / uncached) "
        "| ratio to ceiling (mean of both runs) "
        "| uncached req/s | uncached p50 ms | uncached ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result.rows:
        ratio = row.rps / ceiling if ceiling else 0
        cold_ratio = row.cold_rps / ceiling if ceiling else 0
        lines.append(
            f"| {row.name} (`{row.path}`) | {row.rps:.0f} | {row.p50_ms:.2f} | {row.p99_ms:.2f} "
            f"| {row.errors} | {row.queries} / {row.cold_queries} | {ratio:.2f} "
            f"| {row.cold_rps:.0f} | {row.cold_p50_ms:.2f} | {cold_ratio:.2f} |"
        )
    lines.append("")
    for label, s in result.submissions.items():
        lines.append(
            f"- Abstract submissions, {label}: {s['count']} complete abstracts (3 authors each), "
            f"{s['per_second']:.1f} submissions/s, {s['redirects']} accepted (302), "
            f"{s['other']} other; p50 {s['p50_ms']:.0f} ms, p99 {s['p99_ms']:.0f} ms; "
            f"queries per submission {s['queries']}"
        )
    search = result.search
    if search:
        lines.append(
            f"- Search, uncached, 20 queries x 5 requests: p50 {search['p50_ms']:.1f} ms, "
            f"p99 {search['p99_ms']:.1f} ms, max {search['max_ms']:.1f} ms"
        )
        worst = sorted(search["per_query"].items(), key=lambda item: -item[1][0])[:3]
        lines.append(
            "  (slowest medians: "
            + "; ".join(f"`{q}` {ms:.1f} ms, {queries} queries" for q, (ms, queries, _) in worst)
            + ")"
        )
    return "\n".join(lines)


def _growth(large: float, small: float) -> float:
    return large / small if small else 0.0


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def targets(results: list[ScaleResult]) -> str:
    by_scale = {r.scale: r for r in results}
    if 1 not in by_scale or 10 not in by_scale:
        return "(targets need both scale 1 and scale 10)"
    small, large = by_scale[1], by_scale[10]
    ceiling = ceiling_rps(large.rows)

    verdict = _verdict
    lines = [
        "| page | ratio to ceiling at scale 10 (≥ 0.5) | p50 scale 10 / scale 1 (≤ 1.1) "
        "| uncached p50 scale 10 / scale 1 (≤ 1.1) | queries uncached (≤ 10) |",
        "|---|---|---|---|---|",
    ]
    for row in large.rows:
        if row.name.startswith("no-op ceiling"):
            continue
        before = next(r for r in small.rows if r.name == row.name)
        ratio = row.rps / ceiling
        growth = _growth(row.p50_ms, before.p50_ms)
        cold_growth = _growth(row.cold_p50_ms, before.cold_p50_ms)
        queries_ok = row.cold_queries.isdigit() and int(row.cold_queries) <= 10
        lines.append(
            f"| {row.name} | {ratio:.2f} {verdict(ratio >= 0.5)} "
            f"| {growth:.2f} {verdict(growth <= 1.1)} "
            f"| {cold_growth:.2f} {verdict(cold_growth <= 1.1)} "
            f"| {row.cold_queries} {verdict(queries_ok)} |"
        )
    for label, s in large.submissions.items():
        fast = s["per_second"] >= 50
        few = max(s["queries"]) <= 15
        lines.append(
            f"\nSubmissions ({label}, scale 10): {s['per_second']:.1f}/s "
            f"({verdict(fast)} ≥ 50/s), queries {s['queries']} ({verdict(few)} ≤ 15)"
        )
    if small.search and large.search:
        growth = _growth(large.search["p50_ms"], small.search["p50_ms"])
        lines.append(
            f"\nSearch, uncached, 20 queries: p50 {small.search['p50_ms']:.1f} ms at scale 1, "
            f"{large.search['p50_ms']:.1f} ms at scale 10 ({growth:.2f}, {verdict(growth <= 1.1)} "
            "≤ 1.1)"
        )
    return "\n".join(lines)


# --- the signed-in part (bench/signed_in.py) --------------------------------------------


def _ms_or_dash(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _statuses(row: SignedRow) -> str:
    return ", ".join(f"{count} x {status}" for status, count in sorted(row.statuses.items()))


def signed_table(result: ScaleResult) -> str:
    """The signed-in pages of one scale with the ceiling each was divided by, then the
    committee pages."""
    lines = [
        f"### Scale {result.scale}, signed in ({_data(result)})",
        "",
        "| page | req/s | ceiling req/s (same minute) | ratio | p50 ms | p99 ms "
        "| non-2xx/3xx | first answers (one per member) | queries "
        "| CPU ms/request gunicorn | CPU ms/request PostgreSQL |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for row in result.signed_ceilings[:1] + result.signed:
        name = f"{row.name} (`{row.path}`)" + (f" — {row.note}" if row.note else "")
        lines.append(
            f"| {name} | {row.rps:.0f} | {row.ceiling_rps:.0f} | {row.ratio:.2f} "
            f"| {row.p50_ms:.2f} | {row.p99_ms:.2f} | {row.errors} | {_statuses(row)} "
            f"| {row.queries} | {_ms_or_dash(row.cpu_ms)} | {_ms_or_dash(row.db_cpu_ms)} |"
        )
    ceilings = [f"{c.rps:.0f}" for c in result.signed_ceilings]
    lines += [
        "",
        f"No-op ceiling before each group (req/s, wrk as above, no cookie): {', '.join(ceilings)}.",
        "",
        f"Committee pages, {COMMITTEE_RUNS} requests one after another with one committee "
        "member's session:",
        "",
        "| page | HTTP | queries | p50 ms | CPU ms/request gunicorn | CPU ms/request PostgreSQL |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, (path, status, queries, p50, cpu, db_cpu) in result.committee.items():
        lines.append(
            f"| {name} (`{path}`) | {status} | {queries} | {_ms_or_dash(p50, 1)} "
            f"| {_ms_or_dash(cpu)} | {_ms_or_dash(db_cpu)} |"
        )
    return "\n".join(lines)


def signed_targets(results: list[ScaleResult]) -> str:
    """Issue 20's targets, from the signed-in part."""
    by_scale = {r.scale: r for r in results}
    if 1 not in by_scale or 10 not in by_scale:
        return "(targets need both scale 1 and scale 10)"
    small, large = by_scale[1], by_scale[10]
    lines = [
        "| page (signed in) | ratio to ceiling at scale 10 (≥ 0.25) "
        "| p50 scale 10 / scale 1 (≤ 1.1) | CPU ms/request gunicorn, scale 1 / 10 |",
        "|---|---|---|---|",
    ]
    for row in large.signed:
        before = next((r for r in small.signed if r.name == row.name), None)
        if row.name.startswith("no-op ceiling") or before is None:
            continue
        growth = _growth(row.p50_ms, before.p50_ms)
        lines.append(
            f"| {row.name} | {row.ratio:.2f} {_verdict(row.ratio >= 0.25)} "
            f"| {growth:.2f} {_verdict(0 < growth <= 1.1)} "
            f"| {_ms_or_dash(before.cpu_ms)} / {_ms_or_dash(row.cpu_ms)} |"
        )
    lines += [
        "",
        "| committee page | p50 ms at scale 10 (≤ 25) | queries at scale 10 (≤ 20) "
        "| p50 scale 10 / scale 1 |",
        "|---|---|---|---|",
    ]
    for name, (_, status, queries, p50, _, _) in large.committee.items():
        few = str(queries).isdigit() and int(queries) <= 20
        small_p50 = small.committee.get(name, (None,) * 6)[3]
        fast = p50 is not None and status == 200 and p50 <= 25
        growth = f"{_growth(p50, small_p50):.2f}" if p50 and small_p50 else "-"
        lines.append(
            f"| {name} (HTTP {status}) | {_ms_or_dash(p50, 1)} {_verdict(fast)} "
            f"| {queries} {_verdict(few)} | {growth} |"
        )
    call = next((r for r in large.signed if r.name == "call page"), None)
    if call is not None:
        times = call.rps / PRETALX_CFP_RPS
        lines.append(
            f"\nSigned-in call page at scale 10: {call.rps:.0f} req/s, {times:.1f} times "
            f"pretalx's CfP page ({PRETALX_CFP_RPS} req/s on this machine; "
            f"{_verdict(times >= 20)} ≥ 20 times), "
            f"{call.ratio:.2f} of the no-op ceiling measured in the same minute."
        )
    return "\n".join(lines)
