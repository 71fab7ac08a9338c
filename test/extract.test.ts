// Tests of the extraction scripts' pure parts (scripts/extract/): Python-compatible JSON, the row selections and
// aggregations, on small inline tables. No network and no aiconfigurator checkout: the scripts' full runs against the
// pinned commits are the byte-for-byte check (commands in scripts/extract/README.md).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import {
  deepepRows,
  mlaModuleRows,
  trtllmModuleRows,
} from "../scripts/extract/aiconfigurator-2026-extract.js";
import { binRow, parseIni } from "../scripts/extract/ascend-950-platform.js";
import {
  blockFp8Rows,
  kLoopLine,
  replaceSection,
  sectionText,
} from "../scripts/extract/block-fp8-gemm-aiconfigurator.js";
import {
  decodeAttentionRows,
  qwen3MoeRows,
  rankValue,
  smallMGemmFit,
} from "../scripts/extract/decode-attention-aiconfigurator.js";
import {
  DTYPES as EXPERT_DTYPES,
  MS as EXPERT_MS,
  SHAPES as EXPERT_SHAPES,
  expertLinearRows,
} from "../scripts/extract/expert-linear-aiconfigurator.js";
import {
  computeScaleUs,
  fp8CallRows,
  fp8CallTable,
} from "../scripts/extract/fp8-call-fixed-aiconfigurator.js";
import { callFixedTable } from "../scripts/extract/gemv-call-fixed-aiconfigurator.js";
import { MS as H20_MS, h20Rows, parseCsv, SHAPES } from "../scripts/extract/h20-gemm-aiconfigurator.js";
import { gemvRows, gemvTable } from "../scripts/extract/hbm-achieved-aiconfigurator.js";
import {
  PyFloat,
  type PyJson,
  PyJsonError,
  parsePreserving,
  pyDumps,
  pyFloatRepr,
  pyRound,
} from "../scripts/extract/lib/py-json.js";
import {
  ExtractError,
  openSource,
  type Row,
  readParquet,
  readSourceFile,
} from "../scripts/extract/lib/source.js";
import { BATCHES, mlaGrid, STEPS } from "../scripts/extract/mla-decode-aiconfigurator.js";
import { allReduceRows as ncclAllReduceRows } from "../scripts/extract/nccl-small-allreduce-aiconfigurator.js";
import {
  customAllReduceRows,
  ncclRows,
  perPeerLine,
} from "../scripts/extract/nccl-small-gather-aiconfigurator.js";
import { allReduceRows } from "../scripts/extract/tp-allreduce-aiconfigurator.js";
import { moeSeries, SHAPE, TOKENS } from "../scripts/extract/trtllm-moe-aiconfigurator.js";
import { seriesOf, TOKENS as VLLM_MOE_TOKENS } from "../scripts/extract/vllm-moe-aiconfigurator.js";
import { median } from "../src/core/stats.js";

/** What the dumped value looks like (PyFloat/RawNumber as their text), for comparing rows. */
const plain = (v: unknown): unknown => JSON.parse(pyDumps(v as never, { indent: 1 }));

describe("Ascend 950 platform .ini rows", () => {
  const ini = (cores: number, mhz: number, fp8 = "16,32,16") =>
    parseIni(
      [
        "# comment=ignored",
        "[version]",
        "SoC_version=Ascend950DT_test",
        "[SoCInfo]",
        `ai_core_cnt=${cores}`,
        `cube_core_cnt=${cores}`,
        `vector_core_cnt=${2 * cores}`,
        "memory_size=154618822656",
        "l2_size=134217728",
        "[AICoreSpec]",
        `cube_freq=${mhz}`,
        "cube_m_size=16",
        "cube_n_size=16",
        "cube_k_size=16",
        "[AICoreMemoryRates]",
        "ddr_read_rate=80",
        "[VectorCoreSpec]",
        `vec_freq=${mhz}`,
        "[VectorCoreMemoryRates]",
        "ddr_read_rate=40",
        "[DtypeMKN]",
        "Default=16,16,16",
        `DT_FLOAT8_E4M3FN=${fp8}`,
        "DT_HIFLOAT8=16,32,16",
        "DT_FLOAT4_E2M1=16,64,16",
        "DT_INT8=16,32,16",
      ].join("\n"),
    );

  it("reads sections and keys, skipping comments", () => {
    const m = ini(32, 1650);
    expect(m.get("SoCInfo/cube_core_cnt")).toBe("32");
    expect(m.get("DtypeMKN/Default")).toBe("16,16,16");
    expect([...m.keys()].some((k) => k.includes("comment"))).toBe(false);
  });

  it("derives peaks from cores x tile x 2 x clock: 32 cores at 1,650 MHz give 432.5 bf16, 865.1 fp8, 4.224 TB/s", () => {
    const r = binRow("Ascend950DT_test", ini(32, 1650)) as Record<string, unknown>;
    expect(pyDumps(r.peakTflopsBf16 as PyJson, { indent: 1 })).toBe("432.5");
    expect(pyDumps(r.peakTflopsFp8 as PyJson, { indent: 1 })).toBe("865.1");
    expect(pyDumps(r.peakTflopsFp4 as PyJson, { indent: 1 })).toBe("1730.2");
    expect(pyDumps(r.cubeCoreReadTBps as PyJson, { indent: 1 })).toBe("4.224");
    expect(pyDumps(r.memoryGiB as PyJson, { indent: 1 })).toBe("144.0");
    const wide = binRow("Ascend950DT_test", ini(32, 1650, "16,64,16")) as Record<string, unknown>;
    expect(pyDumps(wide.peakTflopsFp8 as PyJson, { indent: 1 })).toBe("1730.2");
  });

  it("refuses a bin whose vector clock differs from its cube clock, naming the bin", () => {
    const m = ini(28, 1650);
    m.set("VectorCoreSpec/vec_freq", "1800");
    expect(() => binRow("Ascend950DT_bad", m)).toThrow(/Ascend950DT_bad: ai_core_cnt or vec_freq/);
  });
});

describe("Python-compatible JSON", () => {
  it("writes floats as Python's repr does (CPython 3 outputs)", () => {
    const cases: [number, string][] = [
      [5, "5.0"],
      [1e-5, "1e-05"],
      [1.5e16, "1.5e+16"],
      [1e16, "1e+16"],
      [9999999999999998, "9999999999999998.0"],
      [0.0001, "0.0001"],
      [2.5e-7, "2.5e-07"],
      [0.1 + 0.2, "0.30000000000000004"],
      [4.8e12, "4800000000000.0"],
      [-0, "-0.0"],
      [1e22, "1e+22"],
    ];
    for (const [x, text] of cases) expect(pyFloatRepr(x)).toBe(text);
  });

  it("rounds like Python's round(): the exact binary value, ties to even", () => {
    const cases: [number, number, number][] = [
      [0.125, 2, 0.12], // exact tie: even
      [0.375, 2, 0.38], // exact tie: even
      [2.675, 2, 2.67], // the double is below 2.675
      [1.0005, 3, 1.0], // the double is below 1.0005
      [0.5, 0, 0],
      [1.5, 0, 2],
      [2.5, 0, 2],
      [72.37333556016286, 2, 72.37],
      [0.004502399861812592, 5, 0.0045],
      [-12.1988, 2, -12.2],
    ];
    for (const [x, n, want] of cases) expect(pyRound(x, n)).toBe(want);
    expect(() => pyRound(1, -1)).toThrow(PyJsonError);
    expect(() => pyRound(1e21, 2)).toThrow(PyJsonError);
  });

  it("dumps as json.dump(indent=1) (ensure_ascii, empty containers, float/int kept apart)", () => {
    const doc = {
      a: [1, new PyFloat(2), []],
      b: {},
      s: 'caf\u00e9 "q" \\ \t\u007f',
      n: null,
      t: true,
      rows: [
        [1, 2.5],
        [3, new PyFloat(4)],
      ],
    };
    // json.dumps(doc, indent=1) from CPython 3 for the same document
    const python =
      '{\n "a": [\n  1,\n  2.0,\n  []\n ],\n "b": {},\n "s": "caf\\u00e9 \\"q\\" \\\\ \\t\\u007f",\n "n": null,\n' +
      ' "t": true,\n "rows": [\n  [\n   1,\n   2.5\n  ],\n  [\n   3,\n   4.0\n  ]\n ]\n}';
    expect(pyDumps(doc, { indent: 1 })).toBe(python);
    expect(pyDumps(doc, { indent: 1, inline: (p) => p.startsWith("/rows/") })).toContain(
      '"rows": [\n  [1, 2.5],\n  [3, 4.0]\n ]',
    );
  });

  it("with ensureAscii false writes non-ASCII characters as they are, still escaping control characters", () => {
    expect(pyDumps({ q: "20 \u00b5s\n" }, { indent: 1, ensureAscii: false })).toBe(
      '{\n "q": "20 \u00b5s\\n"\n}',
    );
  });

  it("reads a file back with its number literals, so an untouched file is written back byte for byte", () => {
    const text =
      '{\n "x": 1.50,\n "y": [\n  1e-05,\n  2.0,\n  -0\n ],\n "z": {\n  "16": 1,\n  "32": 2\n }\n}';
    expect(pyDumps(parsePreserving(text), { indent: 1 })).toBe(text);
  });

  it("refuses what it cannot keep: keys a JS object would reorder, duplicate keys, trailing text", () => {
    expect(() => parsePreserving('{"b": 1, "1": 2}')).toThrow(PyJsonError);
    expect(() => parsePreserving('{"a": 1, "a": 2}')).toThrow(/duplicate key "a"/);
    expect(() => parsePreserving('{"a": 1} x')).toThrow(/trailing text/);
  });
});

describe("source", () => {
  it("names a missing argument, a missing path and a missing file; a plain folder is read as the commit's files", () => {
    expect(() => openSource(undefined, "abc", "usage")).toThrow(/missing argument: usage/);
    expect(() => openSource("/nonexistent/zettasim-extract", "abc", "usage")).toThrow(ExtractError);
    const dir = mkdtempSync(join(tmpdir(), "zettasim-extract-"));
    writeFileSync(join(dir, "t.csv"), "a\n1\n");
    const stderr = process.stderr.write;
    process.stderr.write = () => true; // the "plain folder" note
    try {
      const source = openSource(dir, "abc", "usage");
      expect(source.kind).toBe("folder");
      expect(readSourceFile(source, "t.csv").toString()).toBe("a\n1\n");
      expect(() => readSourceFile(source, "missing.csv")).toThrow(ExtractError);
    } finally {
      process.stderr.write = stderr;
    }
  });
});

describe("parquet rows", () => {
  it("come back as plain objects with INT64 columns as numbers", async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: "m", data: [1n, 2n], type: "INT64" },
        { name: "latency", data: [0.5, 0.25], type: "DOUBLE" },
        { name: "gemm_dtype", data: ["bfloat16", "fp8"], type: "STRING" },
      ],
    });
    const rows = await readParquet(new Uint8Array(buffer));
    expect(rows).toEqual([
      { m: 1, latency: 0.5, gemm_dtype: "bfloat16" },
      { m: 2, latency: 0.25, gemm_dtype: "fp8" },
    ]);
  });
});

describe("tp all-reduce rows", () => {
  const row = (impl: string, gpus: number, size: number, latency: number, dtype = "bfloat16"): Row => ({
    kernel_source: impl,
    allreduce_dtype: dtype,
    num_gpus: gpus,
    message_size: size,
    latency,
  });
  it("keep the graph implementation's bf16 rows inside 1K-32M elements, by GPUs then size, ms to 5 decimals", () => {
    const rows = [
      row("G", 8, 4096, 0.0123456),
      row("G", 2, 4096, 0.00512344),
      row("G", 2, 1024, 0.004),
      row("G", 2, 512, 0.004), // below the window
      row("G", 2, 67108864, 1), // above it
      row("eager", 2, 2048, 0.02),
      row("G", 2, 2048, 0.01, "float16"),
      { implementation: "G", allreduce_dtype: "bfloat16", num_gpus: 4, message_size: 2048, latency: 0.006 },
    ];
    expect(plain(allReduceRows(rows, "G"))).toEqual([
      { gpus: 2, messageElements: 1024, latencyMs: 0.004 },
      { gpus: 2, messageElements: 4096, latencyMs: 0.00512 },
      { gpus: 4, messageElements: 2048, latencyMs: 0.006 },
      { gpus: 8, messageElements: 4096, latencyMs: 0.01235 },
    ]);
  });
});

describe("hbm gemv rows", () => {
  it("keep bf16 M = 1 rows with weights >= the floor, by n then k, and name the table's device and kernel", () => {
    const r = (m: number, n: number, k: number, dtype = "bfloat16"): Row => ({
      gemm_dtype: dtype,
      m,
      n,
      k,
      latency: 0.1234567,
      device: "NVIDIA B200",
      kernel_source: "torch",
    });
    const sel = gemvRows(
      [r(1, 8192, 8192), r(1, 4096, 8192), r(2, 8192, 8192), r(1, 8192, 8192, "fp8"), r(1, 64, 64)],
      2 ** 26,
    );
    expect(sel.map((x) => [x.n, x.k])).toEqual([
      [4096, 8192],
      [8192, 8192],
    ]);
    expect(plain(gemvTable("b200", "t", sel))).toMatchObject({
      device: "NVIDIA B200",
      kernelSource: "torch",
    });
    expect(() => gemvTable("b200", "t", [])).toThrow(ExtractError);
  });
});

describe("gemv call-fixed lines", () => {
  const r = (n: number, k: number, latencyMs: number): Row => ({
    gemm_dtype: "bfloat16",
    m: 1,
    n,
    k,
    latency: latencyMs,
    device: "NVIDIA H200",
    kernel_source: "torch",
  });
  it("keep weights in [min, max) and fit latency = intercept + bytes / rate through the kept rows", () => {
    // 4 us fixed plus 4 TB/s: 2 MiB -> 4.524 us, 8 MiB -> 6.097 us, 32 MiB -> 12.389 us (ms in the table).
    const line = (bytes: number) => (4e-6 + bytes / 4e12) * 1e3;
    const rows = [r(1024, 1024, line(2 ** 21)), r(2048, 2048, line(2 ** 23)), r(4096, 4096, line(2 ** 25))];
    const sel = gemvRows([...rows, r(512, 512, 1), r(65536, 32768, 1)], 2 ** 21, 2 ** 31);
    expect(sel).toHaveLength(3);
    const t = plain(callFixedTable("h200-sxm", "t", sel)) as Record<string, unknown>;
    expect(t.interceptUs).toBeCloseTo(4, 3);
    expect(t.bytesPerSAtSlope).toBe(4e12);
    expect(Object.keys(t)).toEqual([
      "chip",
      "table",
      "device",
      "kernelSource",
      "interceptUs",
      "bytesPerSAtSlope",
      "rows",
    ]);
  });
  it("refuses a table with fewer than two rows or one weight size", () => {
    expect(() => callFixedTable("h200-sxm", "t", [])).toThrow(ExtractError);
    expect(() => callFixedTable("h200-sxm", "t", [r(1024, 1024, 0.01)])).toThrow(RangeError);
    expect(() => callFixedTable("h200-sxm", "t", [r(1024, 1024, 0.01), r(1024, 1024, 0.02)])).toThrow(
      /distinct x/,
    );
  });
});

describe("FP8 call lines", () => {
  const r = (dtype: string, m: number, n: number, k: number, latencyMs: number): Row => ({
    gemm_dtype: dtype,
    m,
    n,
    k,
    latency: latencyMs,
    device: "NVIDIA H100 80GB HBM3",
    kernel_source: "torch_flow",
  });
  // 10 us fixed plus 3 TB/s over one byte per FP8 weight (ms in the table).
  const line = (bytes: number) => (10e-6 + bytes / 3e12) * 1e3;
  it("keep the dtype's m = 1 rows of [min, max) FP8 weight bytes, by n then k, and fit their line", () => {
    const rows = [
      r("fp8", 1, 4096, 4096, line(2 ** 24)),
      r("fp8", 1, 2048, 2048, line(2 ** 22)),
      r("fp8", 1, 8192, 4096, line(2 ** 25)),
      r("fp8", 2, 2048, 2048, 1),
      r("fp8_block", 1, 2048, 2048, 1),
      r("fp8", 1, 1024, 1024, 1), // 1 MiB: below the window
      r("fp8", 1, 65536, 32768, 1), // 2 GiB: at the (open) top
    ];
    const sel = fp8CallRows(rows, "fp8", 2 ** 21, 2 ** 31);
    expect(sel.map((x) => [x.n, x.k])).toEqual([
      [2048, 2048],
      [4096, 4096],
      [8192, 4096],
    ]);
    const t = plain(fp8CallTable("h100-sxm", "t", "fp8", sel)) as Record<string, unknown>;
    expect(t.interceptUs).toBeCloseTo(10, 3);
    expect(t.bytesPerSAtSlope).toBe(3e12);
    expect(Object.keys(t)).toEqual([
      "chip",
      "table",
      "dtype",
      "device",
      "kernelSource",
      "interceptUs",
      "bytesPerSAtSlope",
      "rows",
    ]);
    expect(fp8CallRows(rows, "fp8_block", 2 ** 21, 2 ** 31)).toHaveLength(1);
  });
  it("refuses a table with no rows or one weight size", () => {
    expect(() => fp8CallTable("h100-sxm", "t", "fp8", [])).toThrow(ExtractError);
    expect(() => fp8CallTable("h100-sxm", "t", "fp8", [r("fp8", 1, 2048, 2048, 0.01)])).toThrow(RangeError);
  });
  it("take the median m = 1 fp8 compute-scale latency in us, and refuse a table without one", () => {
    const cs = (m: number, k: number, latency: number, quant_dtype = "fp8"): Row => ({
      m,
      k,
      latency,
      quant_dtype,
    });
    const rows = [
      cs(1, 1024, 0.006),
      cs(1, 2048, 0.0058),
      cs(1, 4096, 0.0062),
      cs(1, 8192, 0.0065),
      cs(2, 1024, 1),
    ];
    expect(plain(computeScaleUs(rows))).toBe(6.1); // median of 5.8, 6.0, 6.2, 6.5 us
    expect(plain(computeScaleUs([...rows, cs(1, 512, 0.0059, "nvfp4")]))).toBe(6.1);
    expect(() => computeScaleUs([cs(2, 1024, 0.006)])).toThrow(ExtractError);
  });
});

describe("MLA decode grid", () => {
  it("takes the smallest tp per head count, the median of repeated cells in us, null where unmeasured", () => {
    const r = (tp: number, b: number, step: number, latency: number): Row => ({
      kv_cache_dtype: "bfloat16",
      num_heads: 16,
      tp_size: tp,
      batch_size: b,
      step,
      latency,
    });
    const rows = [
      r(8, 1, 127, 0.01),
      r(8, 1, 127, 0.012),
      r(8, 1, 127, 0.02),
      r(8, 1, 127, 0.03),
      r(16, 1, 127, 9),
    ];
    const grid = mlaGrid(rows, "bfloat16", 16) as (PyFloat | null)[][];
    expect(grid).toHaveLength(BATCHES.length);
    expect(grid[0]).toHaveLength(STEPS.length);
    expect(grid[0][0]?.value).toBe(16); // median of 10, 12, 20, 30 us
    expect(grid[0][1]).toBeNull();
    expect(() => mlaGrid(rows, "fp8", 16)).toThrow(ExtractError);
  });
});

describe("TensorRT-LLM MoE series", () => {
  it("needs exactly one row per token count and converts ms to us at 2 decimals", () => {
    const rows: Row[] = TOKENS.map((t) => ({
      ...SHAPE,
      kernel_source: "k",
      moe_dtype: "fp8",
      num_tokens: t,
      latency: t / 1e5,
    }));
    const out = plain(moeSeries(rows, "k", "fp8")) as { tokens: number; us: number }[];
    expect(out[0]).toEqual({ tokens: 1, us: 0.01 });
    expect(out.at(-1)).toEqual({ tokens: 16384, us: 163.84 });
    expect(() => moeSeries([...rows, rows[0]], "k", "fp8")).toThrow(/2 rows at num_tokens 1/);
    expect(() => moeSeries(rows.slice(1), "k", "fp8")).toThrow(/0 rows at num_tokens 1/);
  });
});

describe("decode-attention rows", () => {
  const r = (b: number, step: number, kvh: number, latency: number, extra: Row = {}): Row => ({
    kernel_source: "fa",
    kv_cache_dtype: "bfloat16",
    head_dim: 128,
    num_heads: 8,
    num_key_value_heads: kvh,
    batch_size: b,
    step,
    latency,
    ...extra,
  });
  it("keep bf16, head dim 128, no window and KV reads <= the cap, once per key, by heads, kvHeads, batch, step", () => {
    const rows = [
      r(2, 1, 1, 0.01),
      r(1, 3, 1, 0.02),
      r(1, 3, 1, 0.02), // a repeat with the same latency: kept once
      r(1, 1, 8, 0.03),
      r(1, 4095, 1, 0.04), // 2,096,640 bytes: over 2 MB
      r(1, 1, 1, 0.05, { window_size: 8192 }),
      r(1, 1, 1, 0.06, { head_dim: 256 }),
      r(1, 1, 1, 0.07, { kv_cache_dtype: "fp8" }),
    ];
    const sel = decodeAttentionRows(rows, "fa", 2e6);
    expect(sel.map((x) => [x.num_key_value_heads, x.batch_size, x.step])).toEqual([
      [1, 1, 3],
      [1, 2, 1],
      [8, 1, 1],
    ]);
    expect(() => decodeAttentionRows([r(1, 3, 1, 0.02), r(1, 3, 1, 0.03)], "fa", 2e6)).toThrow(
      /different latencies/,
    );
  });
  it("summarise by the median and the sorted values at floor(n x 0.1) and floor(n x 0.9)", () => {
    const us = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(median(us)).toBe(5.5);
    expect(rankValue(us, 0.1)).toBe(2);
    expect(rankValue(us, 0.9)).toBe(10);
    expect(() => median([])).toThrow(/empty sample/);
  });
  it("small-M GEMM check: recovers the fixed part and the streamed fraction of a line, over M 1-16 and weights >= 4 MB", () => {
    // latency = 5 us + bytes / (0.8 x 8e12 B/s); an M 32 row and a 1 MB row that would pull the line are left out
    const rows: Row[] = [];
    for (const [n, k] of [
      [2048, 2048],
      [4096, 4096],
      [8192, 4096],
      [512, 1024],
    ]) {
      for (const m of [1, 16, 32]) {
        const bytes = n * k * 2;
        const us = 5 + (bytes / (0.8 * 8e12)) * 1e6 + (m === 32 || bytes < 4e6 ? 40 : 0);
        rows.push({ gemm_dtype: "bfloat16", m, n, k, latency: us / 1000 });
      }
    }
    expect(smallMGemmFit(rows, "bfloat16", 2, 8e12)).toEqual({
      rows: 6,
      fixedUs: 5,
      streamFractionOfHbm: 0.8,
    });
    expect(() => smallMGemmFit(rows, "fp8", 1, 8e12)).toThrow(ExtractError);
  });
  it("Qwen3 fused-MoE rows: the shape's bf16 rows up to 128 tokens, once each", () => {
    const r = (tokens: number, extra: Row = {}): Row => ({
      kernel_source: "sglang_fused_moe_triton",
      hidden_size: 4096,
      inter_size: 1536,
      num_experts: 128,
      topk: 8,
      moe_tp_size: 8,
      moe_ep_size: 1,
      distribution: "balanced",
      moe_dtype: "bfloat16",
      num_tokens: tokens,
      latency: 0.0344949,
      ...extra,
    });
    const out = plain(qwen3MoeRows([r(2), r(1), r(256), r(1, { moe_ep_size: 8 })]));
    expect(out).toEqual([
      { tokens: 1, dtype: "bfloat16", us: 34.49 },
      { tokens: 2, dtype: "bfloat16", us: 34.49 },
    ]);
    expect(() => qwen3MoeRows([r(1), r(1)])).toThrow(/two rows at num_tokens 1/);
  });
});

describe("aiconfigurator 2026 extract", () => {
  it("DeepEP rows: one and two nodes up to 128 tokens per rank, sorted, us to 2 decimals; repeats refused", () => {
    const r = (nodes: number, experts: number, tokens: number): Row => ({
      node_num: nodes,
      num_experts: experts,
      num_token: tokens,
      dispatch_avg_t_us: 16.2849,
      combine_avg_t_us: 12.1988,
    });
    const rows = [r(2, 256, 2), r(1, 256, 1), r(4, 256, 1), r(1, 256, 256), r(1, 288, 1)];
    expect(plain(deepepRows(rows))).toEqual([
      { nodes: 1, experts: 256, tokensPerRank: 1, dispatchUs: 16.28, combineUs: 12.2 },
      { nodes: 1, experts: 288, tokensPerRank: 1, dispatchUs: 16.28, combineUs: 12.2 },
      { nodes: 2, experts: 256, tokensPerRank: 2, dispatchUs: 16.28, combineUs: 12.2 },
    ]);
    expect(() => deepepRows([r(1, 256, 1), r(1, 256, 1)])).toThrow(ExtractError);
  });
  it("module rows keep the listed batches and contexts in order, us to 1 decimal", () => {
    const m = (kernel: string, heads: number, b: number, isl: number): Row => ({
      kernel_source: kernel,
      kv_cache_dtype: "fp8",
      num_heads: heads,
      batch_size: b,
      isl,
      latency: 0.04554,
    });
    const out = plain(
      mlaModuleRows(
        [m("fa3", 16, 1, 1024), m("fa3", 16, 8, 1), m("fa3", 16, 1, 4), m("fa3", 16, 1, 1)],
        "H200",
      ),
    );
    expect(out).toEqual([
      {
        device: "H200",
        kernel: "fa3",
        kvCache: "fp8",
        headsPerRank: 16,
        batch: 1,
        contextTokens: 1,
        us: 45.5,
      },
      {
        device: "H200",
        kernel: "fa3",
        kvCache: "fp8",
        headsPerRank: 16,
        batch: 1,
        contextTokens: 1024,
        us: 45.5,
      },
    ]);
    const t = (gemm: string, step: number): Row => ({
      gemm_type: gemm,
      kv_cache_dtype: "bfloat16",
      num_heads: 16,
      batch_size: 1,
      step,
      latency: 0.0519,
    });
    const trt = plain(
      trtllmModuleRows([t("nvfp4", 256), t("bfloat16", 1024), t("bfloat16", 256), t("fp8", 256)]),
    ) as Row[];
    expect(trt.map((x) => [x.gemm, x.contextTokens])).toEqual([
      ["bfloat16", 256],
      ["bfloat16", 1024],
      ["nvfp4", 256],
    ]);
  });
});

describe("block-FP8 K loop", () => {
  const rows: Row[] = [];
  for (const n of [128, 256, 512]) {
    for (const k of [128, 1024, 4096]) {
      for (const m of [1, 2, 4, 8, 16]) {
        const us = 4 + 0.12 * Math.ceil(k / 128) + (m === 16 ? 50 : m === 1 ? 0.02 : 0);
        rows.push({ gemm_dtype: "fp8_block", n, k, m, latency: us / 1000 });
      }
    }
  }
  it("takes the median over m 1-8 at n 128 and 256, and fits us = fixed + perKStep x ceil(k / 128)", () => {
    const sel = blockFp8Rows(rows);
    expect(sel.map((r) => [r.n, r.k])).toEqual([
      [128, 128],
      [128, 1024],
      [128, 4096],
      [256, 128],
      [256, 1024],
      [256, 4096],
    ]);
    expect(sel[0].us).toBe(4.12); // m 16 and the m 1 bump are outside the median
    const line = kLoopLine(sel);
    expect(line).toEqual({ fixedUs: 4, perKStepUs: 0.12, maxResidualUs: 0 });
    expect(() => blockFp8Rows(rows.filter((r) => r.m !== 4))).toThrow(/3 of m/);
    expect(() => kLoopLine(sel.slice(0, 1))).toThrow(ExtractError);
  });
  it("rewrites only the section's rows and derivedLines text", () => {
    const file =
      '{\n  "sections": {\n    "hopper_sglang_deepgemm_aiconfigurator": {\n      "method": "m",\n      "rows": {},\n' +
      '      "usedBy": "u"\n    }\n  }\n}\n';
    const sel = blockFp8Rows(rows);
    const next = replaceSection(file, sectionText({ h100: sel.slice(0, 1) }, { h100: kLoopLine(sel) }));
    expect(next).toContain('          { "n": 128, "k": 128, "us": 4.12 }\n');
    expect(next).toContain('"h100": { "fixedUs": 4, "perKStepUs": 0.12, "maxResidualUs": 0 }');
    expect(JSON.parse(next).sections.hopper_sglang_deepgemm_aiconfigurator.usedBy).toBe("u");
    expect(() => replaceSection("{}", "")).toThrow(ExtractError);
  });
});

describe("H20 GEMM table", () => {
  it("parses the CSV, refuses a Git LFS pointer and a short line", () => {
    const rows = parseCsv("gemm_dtype,m,n,k,latency\nfp8,1,4096,4096,0.0102864\n");
    expect(rows).toEqual([{ gemm_dtype: "fp8", m: 1, n: 4096, k: 4096, latency: 0.0102864 }]);
    expect(() => parseCsv("version https://git-lfs.github.com/spec/v1\noid sha256:0\n")).toThrow(
      /LFS pointer/,
    );
    expect(() => parseCsv("a,b\n1\n")).toThrow(/1 cells, expected 2/);
  });
  it("lists every dtype x shape x M in the file's order and names a missing cell", () => {
    const lines = ["gemm_dtype,m,n,k,latency"];
    for (const d of ["float16", "fp8_block", "fp8"]) {
      for (const [n, k] of SHAPES) for (const m of H20_MS) lines.push(`${d},${m},${n},${k},0.0102864`);
    }
    const out = plain(h20Rows(parseCsv(lines.join("\n")))) as Row[];
    expect(out).toHaveLength(3 * SHAPES.length * H20_MS.length);
    expect(out[0]).toEqual({ dtype: "bf16", m: 1, n: 4096, k: 4096, latencyMs: 0.010286 });
    expect(out.at(-1)).toMatchObject({ dtype: "fp8_per_tensor", m: 128, n: 5120, k: 65536 });
    expect(() => h20Rows(parseCsv(lines.slice(0, -1).join("\n")))).toThrow(
      /fp8 m 128 n 5120 k 65536: 0 rows/,
    );
  });
});

describe("expert-linear rows (TensorRT-LLM's H100 GEMM table)", () => {
  const table = (): Row[] => {
    const rows: Row[] = [{ gemm_dtype: "fp8_block", m: 4096, n: 1536, k: 2048, latency: 1 }];
    for (const shapes of Object.values(EXPERT_SHAPES))
      for (const d of EXPERT_DTYPES)
        for (const [n, k] of shapes)
          for (const m of EXPERT_MS) rows.push({ gemm_dtype: d, m, n, k, latency: 0.0358794 });
    return rows;
  };
  it("keeps one row per model, format, shape and row count, latency to 6 decimals, other formats dropped", () => {
    const out = expertLinearRows(table());
    expect(out).toHaveLength(2 * EXPERT_DTYPES.length * 2 * EXPERT_MS.length);
    expect(out[0]).toEqual({
      model: "qwen3-30b-a3b",
      dtype: "bfloat16",
      m: 1024,
      n: 1536,
      k: 2048,
      latencyMs: 0.035879,
    });
  });
  it("names a missing or doubled row", () => {
    expect(() => expertLinearRows(table().slice(0, -1))).toThrow(/fp8 m 8192 n 4096 k 1536 appears 0 times/);
    const doubled = table();
    doubled.push({ ...doubled[1] });
    expect(() => expertLinearRows(doubled)).toThrow(/appears 2 times/);
  });
});

describe("NCCL small gathers", () => {
  const r = (op: string, gpus: number, size: number, latency: number, dtype = "half"): Row => ({
    op_name: op,
    nccl_dtype: dtype,
    num_gpus: gpus,
    message_size: size,
    latency,
  });
  it("keep half all-gather/reduce-scatter at 8-64K elements by op, ranks, size, repeated runs in table order", () => {
    const rows = [
      r("reduce_scatter", 2, 8192, 0.0094),
      r("all_gather", 4, 8192, 0.01226),
      r("all_gather", 2, 8192, 0.00578),
      r("all_reduce", 2, 8192, 0.001),
      r("all_gather", 2, 4096, 0.001),
      r("all_gather", 2, 8192, 0.001, "int8"),
      r("all_gather", 2, 8192, 0.006), // the second run of the same key
    ];
    expect(ncclRows(rows).map((x) => [x.op, x.ranks, x.us])).toEqual([
      ["all_gather", 2, 5.78],
      ["all_gather", 2, 6],
      ["all_gather", 4, 12.26],
      ["reduce_scatter", 2, 9.4],
    ]);
    expect(() => ncclRows([r("all_reduce", 2, 8192, 0.001)])).toThrow(ExtractError);
  });
  it("fit the per-rank-count medians in (ranks - 1)", () => {
    // medians 6, 9, 15 at ranks 2, 4, 8: x 1, 3, 7 lie on 4.5 + 1.5 x
    const rows = [
      { ranks: 2, us: 5 },
      { ranks: 2, us: 7 },
      { ranks: 4, us: 9 },
      { ranks: 8, us: 15 },
      { ranks: 8, us: 14 },
      { ranks: 8, us: 99 },
    ];
    expect(perPeerLine(rows)).toEqual({ fixedUs: 4.5, perPeerUs: 1.5 });
    expect(() => perPeerLine(rows.slice(0, 2))).toThrow(ExtractError);
  });
  it("custom all-reduce rows: graph implementation, bf16, 8-32K elements, us to 3 decimals", () => {
    const c = (impl: string, gpus: number, size: number): Row => ({
      kernel_source: impl,
      allreduce_dtype: "bfloat16",
      num_gpus: gpus,
      message_size: size,
      latency: 0.0069923,
    });
    const rows = [
      c("SGLang_CustomAllReduce_graph", 4, 8192),
      c("SGLang_CustomAllReduce_graph", 2, 65536),
      c("eager", 2, 8192),
    ];
    expect(plain(customAllReduceRows(rows))).toEqual([{ ranks: 4, messageSize: 8192, us: 6.992 }]);
  });
});

describe("NCCL small all-reduces", () => {
  const r = (op: string, gpus: number, size: number, latency: number, dtype = "half"): Row => ({
    op_name: op,
    nccl_dtype: dtype,
    num_gpus: gpus,
    message_size: size,
    latency,
  });
  it("keep half all_reduce rows up to 65,536 elements by GPUs then size, the smaller of a repeated key, us to 2 decimals", () => {
    const rows = [
      r("all_reduce", 8, 256, 0.016041),
      r("all_reduce", 2, 512, 0.00586),
      r("all_reduce", 2, 256, 0.00597),
      r("all_reduce", 8, 256, 0.0171), // the second run of the same key
      r("all_gather", 2, 256, 0.001),
      r("all_reduce", 2, 256, 0.001, "int8"),
      r("all_reduce", 2, 131072, 0.009),
    ];
    expect(ncclAllReduceRows(rows).map((x) => [x.gpus, x.messageElements, x.us])).toEqual([
      [2, 256, 5.97],
      [2, 512, 5.86],
      [8, 256, 16.04],
    ]);
    expect(() => ncclAllReduceRows([r("all_gather", 2, 256, 0.001)])).toThrow(ExtractError);
  });
});

describe("vLLM fused-MoE series", () => {
  const row = (over: Record<string, unknown>) => ({
    distribution: "balanced",
    moe_dtype: "fp8_block",
    num_tokens: 1,
    hidden_size: 3072,
    inter_size: 1536,
    num_experts: 256,
    topk: 8,
    moe_tp_size: 1,
    moe_ep_size: 8,
    kernel_source: "vllm_fused_moe",
    latency: 0.0421,
    ...over,
  });
  it("keeps balanced rows of serving formats and one-server layouts, one series per shape, layout and format", () => {
    const s = seriesOf([
      row({}),
      row({ num_tokens: 16, latency: 0.0917 }),
      row({ distribution: "power_law_1.2", num_tokens: 2, latency: 0.05 }),
      row({ moe_dtype: "w4a16_mxfp4", kernel_source: "vllm_mxfp4_moe" }),
      row({ moe_dtype: "int4_wo" }),
      row({ moe_ep_size: 16 }),
      row({ num_tokens: 12288 }),
    ]);
    expect(s).toHaveLength(1);
    expect(s[0].format).toBe("fp8-block");
    expect(s[0].us[VLLM_MOE_TOKENS.indexOf(1)]).toBe(42.1);
    expect(s[0].us[VLLM_MOE_TOKENS.indexOf(16)]).toBe(91.7);
    expect(s[0].us[VLLM_MOE_TOKENS.indexOf(2)]).toBeNull();
  });
  it("takes the smaller of duplicate rows and refuses two kernels at one format", () => {
    const s = seriesOf([row({ latency: 0.05 }), row({ latency: 0.04 })]);
    expect(s[0].us[0]).toBe(40);
    expect(() => seriesOf([row({}), row({ kernel_source: "other" })])).toThrow(/kernels/);
  });
});
