# Extracts SGLang's MLA decode-attention call tables (B200 trtllm_mla, H200 fa3; SGLang 0.5.10) from a checkout of
# ai-dynamo/aiconfigurator into data/kernels/mla-decode-aiconfigurator-2026.json and src/catalog/families/mla-decode-aiconfigurator.data.ts.
# Usage: python3 scripts/extract/mla-decode-aiconfigurator.py <aiconfigurator checkout or git dir> (needs pyarrow).
# Then format the generated TypeScript with `npx biome check --write src/catalog/families/mla-decode-aiconfigurator.data.ts`.
import io, json, subprocess, sys

REPO = sys.argv[1]
COMMIT = "095f58a51c4c"
BASE = "aic-core/src/aiconfigurator_core/systems/data"
CHIPS = {"b200": ("b200_sxm", "trtllm_mla"), "h200": ("h200_sxm", "flash_attention")}
HEADS = [16, 32, 64, 128]
BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
STEPS = [127, 255, 511, 1023, 2047, 4095, 8191, 16383, 32767, 65535, 131071]

import pyarrow.parquet as pq

out = {}
for chip, (d, src) in CHIPS.items():
    path = f"{BASE}/{d}/mla/sglang/0.5.10/generation_mla_perf.parquet"
    raw = subprocess.run(["git", "-C", REPO, "show", f"HEAD:{path}"], capture_output=True, check=True).stdout
    t = pq.read_table(io.BytesIO(raw)).to_pandas()
    assert set(t.kernel_source) == {src}, set(t.kernel_source)
    for kv in ("bfloat16", "fp8"):
        for h in HEADS:
            # One row per (local heads, tp): the local head count is what the kernel sees; take tp 1 for 128 and
            # the smallest tp giving h heads otherwise (the tables are the same call whatever tp labels them).
            s = t[(t.kv_cache_dtype == kv) & (t.num_heads == h)]
            tp = int(s.tp_size.min())
            s = s[s.tp_size == tp]
            grid = []
            for b in BATCHES:
                row = []
                for st in STEPS:
                    r = s[(s.batch_size == b) & (s.step == st)]
                    row.append(round(float(r.latency.median()) * 1000, 2) if len(r) else None)
                grid.append(row)
            out.setdefault(chip, {}).setdefault("bf16" if kv == "bfloat16" else "fp8", {})[str(h)] = grid

doc = {
    "format": "zettasim-kernel-measurements/1",
    "device": {"name": "NVIDIA B200 SXM and H200 SXM: SGLang 0.5.10 MLA decode-attention calls (DeepSeek-V3 latent cache), as NVIDIA's aiconfigurator measured them"},
    "source": f"ai-dynamo/aiconfigurator repository snapshot (commit {COMMIT}), {BASE}/{{b200_sxm,h200_sxm}}/mla/sglang/0.5.10/generation_mla_perf.parquet, read 2026-12-02 with pyarrow; collector: collector/sglang/collect_mla.py and collector/helper.py benchmark_with_power (same commit); extracted by scripts/extract/mla-decode-aiconfigurator.py",
    "note": "How measured: one SGLang RadixAttention MLA layer call in decode mode (layer(q, k, v, forward_batch, q_rope, k_rope), the attention backend's forward_decode: RoPE/quantisation of the new token where the backend fuses it, its latent K written into the paged pool, the decode kernel), SGLang's default MLA backend for DeepSeek V3 per chip (B200: trtllm_mla, the TRT-LLM-gen kernel through FlashInfer, page size 64; H200: fa3, page size 1), captured in a CUDA graph, 3 warm-ups, mean of 20 replays; one query token per sequence; kv_lora_rank 512 + rope 64. Grids: grids[chip][kvDtype][localHeads][batchIndex][stepIndex] in us (latency x 1000), batches and steps (KV length) as listed; null where the collector has no row (the KV pool would not fit). Local heads = heads per rank (128 at TP 1, 16 at TP 8).",
    "batches": BATCHES,
    "steps": STEPS,
    "grids": out,
}
with open("data/kernels/mla-decode-aiconfigurator-2026.json", "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")

def ts_grid(g):
    return "[\n" + "".join("      [" + ", ".join("NaN" if v is None else repr(v) for v in row) + "],\n" for row in g) + "    ]"

lines = [
    "// SGLang 0.5.10's MLA decode-attention call times on B200 (trtllm_mla) and H200 (fa3) by batch and KV length, us:",
    "// generated from data/kernels/mla-decode-aiconfigurator-2026.json by scripts/extract/mla-decode-aiconfigurator.py (do not edit).",
    "",
    f"export const MLA_DECODE_BATCHES: readonly number[] = {json.dumps(BATCHES)};",
    f"export const MLA_DECODE_STEPS: readonly number[] = {json.dumps(STEPS)};",
    "",
    "/** grids[chip][kv dtype][local heads]: rows by MLA_DECODE_BATCHES, columns by MLA_DECODE_STEPS, us; NaN where unmeasured. */",
    "export const MLA_DECODE_GRIDS_US: Readonly<Record<\"b200\" | \"h200\", Readonly<Record<\"bf16\" | \"fp8\", Readonly<Record<number, readonly (readonly number[])[]>>>>>> = {",
]
for chip in out:
    lines.append(f"  {chip}: {{")
    for kv in out[chip]:
        lines.append(f"    {kv}: {{")
        for h, g in out[chip][kv].items():
            lines.append(f"    {h}: {ts_grid(g)},")
        lines.append("    },")
    lines.append("  },")
lines.append("};")
with open("src/catalog/families/mla-decode-aiconfigurator.data.ts", "w") as f:
    f.write("\n".join(lines) + "\n")
