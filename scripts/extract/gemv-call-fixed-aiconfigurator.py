# Extracts the M = 1 BF16 GEMM rows of 2 MiB to 2 GiB of weights from NVIDIA's aiconfigurator per-chip GEMM tables into
# data/kernels/gemv-call-fixed-published.json, with the least-squares line latency = intercept + bytes x slope per table:
# the fixed cost of one decode-sized BF16 linear call beyond its weight bytes (src/serving/linear-call-fixed.ts).
# Usage: python3 scripts/extract/gemv-call-fixed-aiconfigurator.py <aiconfigurator checkout or git dir> (needs pyarrow).
import io, json, subprocess, sys

import pyarrow.parquet as pq

REPO = sys.argv[1]
OUT = "data/kernels/gemv-call-fixed-published.json"
COMMIT = "095f58a51c4c"
BASE = "aic-core/src/aiconfigurator_core/systems/data"
LO, HI = 2 * 2**20, 2 * 2**30
# catalog chip id -> (aiconfigurator system, tables (framework/version) read: the same as hbm-achieved-aiconfigurator.py)
CHIPS = {
    "a100-sxm-80gb": ("a100_sxm", ["sglang/0.5.10", "vllm/0.14.0", "trtllm/1.0.0"]),
    "h100-sxm": ("h100_sxm", ["sglang/0.5.10", "vllm/0.19.0", "trtllm/1.3.0rc10"]),
    "h200-sxm": ("h200_sxm", ["sglang/0.5.10", "vllm/0.19.0", "trtllm/1.3.0rc10"]),
    "b200": ("b200_sxm", ["sglang/0.5.10", "vllm/0.19.0", "trtllm/1.3.0rc10"]),
}


def line(points):
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    b = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    return my - b * mx, b


tables = []
for chip, (system, versions) in CHIPS.items():
    for v in versions:
        path = f"{BASE}/{system}/gemm/{v}/gemm_perf.parquet"
        raw = subprocess.run(["git", "-C", REPO, "show", f"HEAD:{path}"], capture_output=True, check=True).stdout
        rows = pq.read_table(io.BytesIO(raw)).to_pylist()
        sel = [r for r in rows if r["gemm_dtype"] == "bfloat16" and r["m"] == 1 and LO <= r["n"] * r["k"] * 2 < HI]
        sel.sort(key=lambda r: (r["n"], r["k"]))
        assert sel, (chip, v)
        a, b = line([(r["n"] * r["k"] * 2, r["latency"] * 1e-3) for r in sel])
        tables.append(
            {
                "chip": chip,
                "table": f"{system}/gemm/{v}/gemm_perf.parquet",
                "device": sel[0]["device"],
                "kernelSource": sel[0]["kernel_source"],
                "interceptUs": round(a * 1e6, 3),
                "bytesPerSAtSlope": round(1 / b),
                "rows": [{"n": r["n"], "k": r["k"], "latencyMs": round(r["latency"], 6)} for r in sel],
            }
        )

doc = {
    "format": "zettasim-kernel-measurements/1",
    "device": {"name": "NVIDIA A100 SXM4 80GB, H100 SXM, H200 SXM, B200: BF16 linear calls at one token row (decode GEMV)"},
    "source": "Published kernel-level measurements; no measurement was run here. src/serving/linear-call-fixed.test.ts recomputes the family figures from these rows.",
    "sections": {
        "gemv_m1_bf16_small": {
            "method": "ai-dynamo/aiconfigurator at commit " + COMMIT + ", per-op GEMM tables " + BASE + "/<system>/gemm/<framework>/<version>/gemm_perf.parquet (CUDA-graph replay in the collector), extracted by scripts/extract/gemv-call-fixed-aiconfigurator.py (pyarrow). Rows kept: gemm_dtype bfloat16, m = 1, weights n x k x 2 bytes in [2 MiB, 2 GiB). Per table the least-squares line latency = intercept + bytes / bytesPerSAtSlope; the intercept is the fixed cost of one call beyond its weight bytes.",
            "sourceUrl": "https://github.com/ai-dynamo/aiconfigurator/tree/" + COMMIT + "/" + BASE,
            "minWeightBytes": LO,
            "maxWeightBytes": HI,
            "tables": tables,
        }
    },
}
with open(OUT, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
for t in tables:
    print(t["chip"], t["table"], t["interceptUs"], "us", t["bytesPerSAtSlope"] / 1e12, "TB/s", len(t["rows"]))
