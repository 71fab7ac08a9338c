import { openSource, type Row, readParquet, readSourceFile } from "./lib/source.js";

const s = openSource("/work/.mirror/ai-dynamo+aiconfigurator/repo", "095f58a51c4c", "x");
const B = "aic-core/src/aiconfigurator_core/systems/data/";
const moe = await readParquet(readSourceFile(s, B + "b200_sxm/moe/sglang/0.5.10/moe_perf.parquet"));
const q = moe.filter(
  (r) =>
    r.kernel_source === "sglang_fused_moe_triton" &&
    r.hidden_size === 4096 &&
    r.inter_size === 1536 &&
    r.num_experts === 128 &&
    r.topk === 8 &&
    r.moe_tp_size === 8 &&
    r.moe_ep_size === 1 &&
    r.distribution === "balanced" &&
    r.moe_dtype === "bfloat16" &&
    (r.num_tokens as number) <= 128,
);
console.log(
  q.length,
  q
    .map((r) => [r.num_tokens, Math.round((r.latency as number) * 1e5) / 100])
    .sort((a, b) => (a[0] as number) - (b[0] as number)),
);
const tables: [string, number][] = [
  ["b200_sxm/gemm/sglang/0.5.10", 8e12],
  ["b200_sxm/gemm/trtllm/1.3.0rc20", 8e12],
  ["h200_sxm/gemm/sglang/0.5.10", 4.8e12],
  ["h200_sxm/gemm/trtllm/1.3.0rc10", 4.8e12],
];
for (const [t, hbm] of tables) {
  const rows = await readParquet(readSourceFile(s, B + t + "/gemm_perf.parquet"));
  for (const [dtype, bpe] of [
    ["bfloat16", 2],
    ["fp8", 1],
  ] as const) {
    for (const min of [4e6, 4 * 2 ** 20]) {
      for (const incl of [true, false]) {
        const sel = rows.filter(
          (r) =>
            r.gemm_dtype === dtype &&
            (r.m as number) >= 1 &&
            (r.m as number) <= 16 &&
            (incl
              ? (r.n as number) * (r.k as number) * bpe >= min
              : (r.n as number) * (r.k as number) * bpe > min),
        );
        const x = sel.map((r) => (r.n as number) * (r.k as number) * bpe),
          y = sel.map((r) => (r.latency as number) * 1000);
        const n = x.length,
          mx = x.reduce((a, b) => a + b) / n,
          my = y.reduce((a, b) => a + b) / n;
        let sxy = 0,
          sxx = 0;
        for (let i = 0; i < n; i++) {
          sxy += (x[i] - mx) * (y[i] - my);
          sxx += (x[i] - mx) ** 2;
        }
        const b = sxy / sxx,
          a = my - b * mx;
        console.log(t, dtype, min, incl, n, a.toFixed(3), (1 / (b * 1e-6 * hbm)).toFixed(4));
      }
    }
  }
}
