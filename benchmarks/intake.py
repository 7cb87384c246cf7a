"""Benchmark: `load_client` on a large client (CSV and XLSX) against bare pandas reads.

Generates, in a temporary folder, a client of 20,000 respondents x 30 items
(wide CSV, and the same as an XLSX workbook) plus 1,000,000 KPI rows, then
times each measurement in a fresh subprocess (wall seconds after imports, and
peak RSS from ``VmHWM`` in ``/proc/self/status``: unlike ``getrusage``'s
``ru_maxrss`` it is not inherited from the parent across exec) and prints ratios to the named baseline measured in
the same run.

Run: ``.venv/bin/python benchmarks/intake.py``
Targets: CSV path under 3 s, XLSX path under 20 s, peak memory under 1.5 GB.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
N_RESPONDENTS, N_KPIS, N_DEPTS, N_DAYS = 20_000, 10, 100, 1_000  # 10*100*1000 = 1,000,000 KPI rows
TARGETS = {"load_client CSV": 3.0, "load_client XLSX": 20.0,
           "load_client XLSX, openpyxl fallback (no calamine)": 20.0}
MEMORY_TARGET_MB = 1536

CONFIG = """\
name: Benchmark Co
wave: 2026-Q1
strategy: Scale without losing consistency
customer_promise: value
management_style: accountability
kpis:
{kpis}
"""


def make_client(folder: Path, rng: np.random.Generator) -> None:
    """Write client.yaml, interviews.csv, interviews.xlsx (in a sibling folder) and operations.csv."""
    bank = pd.read_csv(ROOT / "templates" / "question_bank.csv")
    items = bank["question_id"].tolist()[:30]
    kpis = "\n".join(f"  - {{id: kpi_{i:02d}, name: KPI {i}, area: proven_processes, better: higher, target: 50}}"
                     for i in range(N_KPIS))
    csv_dir, xlsx_dir = folder / "bench-csv", folder / "bench-xlsx"
    for sub in (csv_dir, xlsx_dir):
        sub.mkdir()
        (sub / "client.yaml").write_text(CONFIG.format(kpis=kpis))
    depts = np.array([f"Dept {i:03d}" for i in range(40)])
    levels = np.array(["executive", "manager", "frontline"])
    wide = pd.DataFrame({
        "respondent_id": [f"R{i:06d}" for i in range(N_RESPONDENTS)],
        "department": depts[rng.integers(0, len(depts), N_RESPONDENTS)],
        "level": levels[rng.choice(3, N_RESPONDENTS, p=[0.1, 0.3, 0.6])],
    })
    answers = rng.integers(1, 6, size=(N_RESPONDENTS, len(items))).astype(float)
    answers[rng.random(answers.shape) < 0.03] = np.nan  # 3 % skipped
    wide = pd.concat([wide, pd.DataFrame(answers, columns=items).astype("Int64")], axis=1)
    wide.to_csv(csv_dir / "interviews.csv", index=False)
    with pd.ExcelWriter(xlsx_dir / "interviews.xlsx", engine="xlsxwriter") as xw:
        wide.to_excel(xw, sheet_name="Interviews", index=False)
    days = pd.date_range("2023-01-01", periods=N_DAYS, freq="D").strftime("%Y-%m-%d").to_numpy()
    k, d, p = np.meshgrid(np.arange(N_KPIS), np.arange(N_DEPTS), np.arange(N_DAYS), indexing="ij")
    ops = pd.DataFrame({
        "kpi_id": np.char.add("kpi_", np.char.zfill(k.ravel().astype(str), 2)),
        "department": np.char.add("Dept ", np.char.zfill(d.ravel().astype(str), 3)),
        "period": days[p.ravel()],
        "value": np.round(rng.normal(50, 10, k.size), 2),
    })
    ops.to_csv(csv_dir / "operations.csv", index=False)
    ops.to_csv(xlsx_dir / "operations.csv", index=False)


MEASURE = textwrap.dedent("""\
    import json, sys, time
    t0 = time.perf_counter()
    {setup}
    {body}
    dt = time.perf_counter() - t0
    hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
    print(json.dumps({{"seconds": dt, "peak_mb": int(hwm.split()[1]) / 1024}}))
""")

CASES = {
    "baseline CSV (pandas.read_csv both files)": (
        "import pandas as pd",
        "pd.read_csv('{d}/bench-csv/interviews.csv'); pd.read_csv('{d}/bench-csv/operations.csv')"),
    "load_client CSV": (
        "from toolkit.intake import load_client",
        "data = load_client('{d}/bench-csv'); assert len(data.ratings) > 500_000"),
    "baseline XLSX (pandas.read_excel + read_csv)": (
        "import pandas as pd",
        "pd.read_excel('{d}/bench-xlsx/interviews.xlsx'); pd.read_csv('{d}/bench-xlsx/operations.csv')"),
    "baseline XLSX calamine (read_excel calamine + read_csv)": (
        "import pandas as pd",
        "pd.read_excel('{d}/bench-xlsx/interviews.xlsx', engine='calamine'); "
        "pd.read_csv('{d}/bench-xlsx/operations.csv')"),
    "load_client XLSX": (
        "from toolkit.intake import load_client",
        "data = load_client('{d}/bench-xlsx'); assert len(data.ratings) > 500_000"),
    "load_client XLSX, openpyxl fallback (no calamine)": (
        "from toolkit.intake import load_client; import toolkit.intake.files as f; "
        "f.excel_engine = lambda: 'openpyxl'",
        "data = load_client('{d}/bench-xlsx'); assert len(data.ratings) > 500_000"),
}


def measure(setup: str, body: str, folder: Path) -> dict[str, float]:
    """Run one measurement in a fresh interpreter; return seconds (after imports) and peak RSS in MB."""
    code = MEASURE.format(setup="", body=f"{setup}\nt0 = time.perf_counter()\n{body.format(d=folder)}")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    if res.returncode != 0:
        raise RuntimeError(res.stderr[-3000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    """Generate the data, measure every case, print a table with ratios and targets."""
    rng = np.random.default_rng(20261101)
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as tmp:
        folder = Path(tmp)
        make_client(folder, rng)
        sizes = {p.relative_to(folder).as_posix(): p.stat().st_size / 1e6 for p in folder.rglob("*.*")}
        print(f"data: {N_RESPONDENTS:,} respondents x 30 items, {N_KPIS * N_DEPTS * N_DAYS:,} KPI rows")
        for name, mb in sorted(sizes.items()):
            print(f"  {name:32s} {mb:7.1f} MB")
        results = {name: measure(setup, body, folder) for name, (setup, body) in CASES.items()}
    base = {"CSV": results["baseline CSV (pandas.read_csv both files)"],
            "XLSX": results["baseline XLSX (pandas.read_excel + read_csv)"]}
    print(f"\n{'measurement':56s} {'seconds':>8s} {'peak MB':>8s} {'x baseline':>10s}  target")
    ok = True
    for name, r in results.items():
        kind = "XLSX" if "XLSX" in name else "CSV"
        ratio = r["seconds"] / base[kind]["seconds"]
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            passed = r["seconds"] < target and r["peak_mb"] < MEMORY_TARGET_MB
            ok &= passed
            verdict = f"< {target:g} s, < {MEMORY_TARGET_MB} MB: {'ok' if passed else 'MISSED'}"
        print(f"{name:56s} {r['seconds']:8.2f} {r['peak_mb']:8.0f} {ratio:10.2f}  {verdict}")
    print("\nall targets met" if ok else "\nSOME TARGETS MISSED")


if __name__ == "__main__":
    main()
