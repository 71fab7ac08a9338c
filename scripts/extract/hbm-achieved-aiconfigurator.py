# Extracts the M = 1 BF16 GEMM rows (decode weight streaming) of NVIDIA's aiconfigurator per-chip GEMM tables into the
# "gemv_m1_bf16" section of data/kernels/hbm-achieved-published.json (the other sections of that file are kept as they are).
# Usage: python3 scripts/extract/hbm-achieved-aiconfigurator.py <aiconfigurator checkout or git dir> (needs pyarrow).
import io, json, subprocess, sys

REPO = sys.argv[1]
OUT = "data/kernels/hbm-achieved-published.json"
COMMIT = "095f58a51c4c"
BASE = "aic-core/src/aiconfigurator_core/systems/data"
# Weights of at least 512 MiB: four times the largest L2 here (B200/B300 126 MB), so no repetition re-reads them from cache.
MIN_BYTES = 512 * 2**20
# catalog chip id -> (aiconfigurator system, tables (framework/version) read)
CHIPS = {
    "a100-sxm-80gb": ("a100_sxm", ["sglang/0.5.10", "vllm/0.14.0", "trtllm/1.0.0"]),
    "h100-sxm": ("h100_sxm", ["sglang/0.5.10", "vllm/0.19.0", "trtllm/1.3.0rc10"]),
    "h200-sxm": ("h200_sxm", ["sglang/0.5.10", "vllm/0.19.0", "trtllm/1.3.0rc10"]),
    "b200": ("b200_sxm", ["sglang/0.5.10", "vllm/0.19.0", "trtllm/1.3.0rc10"]),
    "gb200": ("gb200", ["sglang/0.5.10", "vllm/0.19.0", "trtllm/1.3.0rc10"]),
    "b300": ("b300_sxm", ["sglang/0.5.10", "vllm/0.19.0", "trtllm/1.3.0rc10"]),
    "gb300": ("gb300", ["sglang/0.5.10", "vllm/0.19.0", "trtllm/1.3.0rc10"]),
}

import pyarrow.parquet as pq

tables = []
for chip, (system, versions) in CHIPS.items():
    for v in versions:
        path = f"{BASE}/{system}/gemm/{v}/gemm_perf.parquet"
        raw = subprocess.run(["git", "-C", REPO, "show", f"HEAD:{path}"], capture_output=True, check=True).stdout
        rows = pq.read_table(io.BytesIO(raw)).to_pylist()
        sel = [r for r in rows if r["gemm_dtype"] == "bfloat16" and r["m"] == 1 and r["n"] * r["k"] * 2 >= MIN_BYTES]
        sel.sort(key=lambda r: (r["n"], r["k"]))
        assert sel, (chip, v)
        tables.append(
            {
                "chip": chip,
                "table": f"{system}/gemm/{v}/gemm_perf.parquet",
                "device": sel[0]["device"],
                "kernelSource": sel[0]["kernel_source"],
                "rows": [{"n": r["n"], "k": r["k"], "latencyMs": round(r["latency"], 6)} for r in sel],
            }
        )

with open(OUT) as f:
    doc = json.load(f)
doc["sections"]["gemv_m1_bf16"]["minWeightBytes"] = MIN_BYTES
doc["sections"]["gemv_m1_bf16"]["tables"] = tables
with open(OUT, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
