// Decode attention's matrix-unit rows: the family's row tile (TPU: the MXU's 8-row block) against the unit's width, and what it does to a TPU decode step (shapes built here, no validation case).
import { describe, expect, it } from "vitest";
import { decodeOnlyLoad, llama70bDecodeOnV5e16 } from "../../test/fixtures/serving.js";
import { chipFamily } from "../catalog/families/index.js";
import { TPU_DECODE_ATTENTION_ROW_TILE } from "../catalog/families/tpu.js";
import { resolveChip } from "../catalog/resolve.js";
import { InstanceCost } from "./cost.js";
import { decodeAttentionRows, unitRows } from "./decode-attention.js";

describe("decodeAttentionRows", () => {
  it("pads a query group to a multiple of the row tile where the family gives one", () => {
    expect(decodeAttentionRows(4, 128, 8)).toBe(8);
    expect(decodeAttentionRows(8, 128, 8)).toBe(8);
    expect(decodeAttentionRows(12, 128, 8)).toBe(16);
    expect(decodeAttentionRows(130, 128, 8)).toBe(136);
  });
  it("pads to the unit's width without a tile, and keeps the rows without either", () => {
    expect(decodeAttentionRows(4, 128, undefined)).toBe(128);
    expect(decodeAttentionRows(4, 256, undefined)).toBe(256);
    expect(decodeAttentionRows(300, 256, undefined)).toBe(300);
    expect(decodeAttentionRows(4, undefined, undefined)).toBe(4);
    expect(decodeAttentionRows(0, 128, 8)).toBe(0);
  });
  it("is the one row rule linears use (unitRows), so attention and linears pad alike", () => {
    for (const [w, t] of [
      [128, 8],
      [256, undefined],
      [undefined, undefined],
    ] as const)
      for (const m of [0, 1, 7, 8, 9, 130, 300]) expect(decodeAttentionRows(m, w, t)).toBe(unitRows(m, w, t));
  });
});

describe("the families' decode-attention row tile", () => {
  it("is the MXU's 8-row block on TPU and absent on GPU and Ascend families", () => {
    expect(TPU_DECODE_ATTENTION_ROW_TILE).toBe(8);
    expect(chipFamily("tpu").serving.decodeAttentionRowTile).toBe(8);
    for (const f of [
      "ampere",
      "hopper",
      "blackwell",
      "rubin",
      "cdna",
      "ascend-910",
      "ascend-950",
      "generic",
    ]) {
      expect(chipFamily(f).serving.decodeAttentionRowTile).toBeUndefined();
    }
  });
});

describe("GQA decode attention on TPU v5e (4 query heads per KV head per chip)", () => {
  const p = llama70bDecodeOnV5e16({ id: "test-decode-attention-rows", seqs: 32, contextTokens: 8192 });
  const load = decodeOnlyLoad(32, 8192);
  const withTile = new InstanceCost(p.model, p.system, p.layout, p.opts);
  const atWidth = new InstanceCost(p.model, p.system, p.layout, p.opts, {
    decodeAttentionRowTile: undefined,
  });
  it("is bound by its KV bytes at the family's memory rate (the scaling book's generation attention)", () => {
    const chip = resolveChip("tpu-v5e");
    const kvBytes = 32 * 8192 * withTile.kvBytesPerToken();
    const memS = kvBytes / (chip.memoryBandwidthBytesPerS * chipFamily("tpu").serving.memory);
    expect(withTile.step(load, 1).attentionCoreS).toBeCloseTo(memS, 9);
  });
  it("was compute-bound with the query group padded to the MXU's 128 rows, and is faster with the 8-row block", () => {
    const a = withTile.step(load, 1);
    const b = atWidth.step(load, 1);
    expect(b.attentionCoreS).toBeGreaterThan(1.5 * a.attentionCoreS);
    expect(a.timeS).toBeLessThan(b.timeS);
  });
  it("still grows with the context it reads", () => {
    const short = withTile.step(decodeOnlyLoad(32, 2048), 1).attentionCoreS;
    expect(withTile.step(load, 1).attentionCoreS).toBeCloseTo(4 * short, 9);
  });
});
