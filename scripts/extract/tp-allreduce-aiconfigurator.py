# Extracts the CUDA-graph bf16 tensor-parallel all-reduce rows of NVIDIA's aiconfigurator H100 tables (SGLang, vLLM,
# TensorRT-LLM) into the sections of data/kernels/tp-allreduce-aiconfigurator-2026.json (the file's other keys are kept).
# Usage: python3 scripts/extract/tp-allreduce-aiconfigurator.py <aiconfigurator checkout or git dir> (needs pyarrow).
import io, json, subprocess, sys

REPO = sys.argv[1]
OUT = "data/kernels/tp-allreduce-aiconfigurator-2026.json"
BASE = "aic-core/src/aiconfigurator_core/systems/data/h100_sxm/comm"
# section -> (table, the framework's own graph-replayed implementation)
TABLES = {
    "h100_sglang": ("sglang/0.5.10", "SGLang_CustomAllReduce_graph"),
    "h100_vllm": ("vllm/0.19.0", "vLLM_custom_graph"),
    "h100_trtllm": ("trtllm/1.3.0rc20", "TRTLLM"),
}
MIN_ELEMENTS, MAX_ELEMENTS = 1024, 33554432

import pyarrow.parquet as pq

doc = json.load(open(OUT))
for section, (table, impl) in TABLES.items():
    raw = subprocess.run(
        ["git", "-C", REPO, "show", f"HEAD:{BASE}/{table}/custom_allreduce_perf.parquet"], capture_output=True, check=True
    ).stdout
    rows = pq.read_table(io.BytesIO(raw)).to_pylist()
    sel = [
        r
        for r in rows
        if r["allreduce_dtype"] == "bfloat16"
        and impl in (r.get("kernel_source"), r.get("implementation"))
        and MIN_ELEMENTS <= r["message_size"] <= MAX_ELEMENTS
    ]
    sel.sort(key=lambda r: (r["num_gpus"], r["message_size"]))
    assert sel, section
    doc["sections"][section]["rows"] = [
        {"gpus": r["num_gpus"], "messageElements": r["message_size"], "latencyMs": round(r["latency"], 5)} for r in sel
    ]
json.dump(doc, open(OUT, "w"), indent=1)
