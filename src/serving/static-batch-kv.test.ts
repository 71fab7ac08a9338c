// staticBatchKvCache: a static batch's unstated KV precision is 16-bit exactly while the whole batch's 16-bit cache fits beside the weights, else 8-bit; bad sizes are refused by name.
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { staticBatchKvCache } from "./static-batch-kv.js";

// Llama 2 70B (80 layers, 8 KV heads of 128) at TP 2: 80 x 2 x 8 x 128 x 2 B / 2 = 163,840 B of 16-bit KV per token
// per chip; 70e9 FP8 weights over two chips. The H200launch blog's BS 512 TP 2 row (TensorRT-LLM v0.5, 128 in, 2,048
// out): 512 sequences on each TP rank.
const KV16_70B_TP2 = (80 * 2 * 8 * 128 * 2) / 2;
const base = {
  sequencesPerRank: 512,
  tokensPerSequence: 128 + 2048,
  weightBytesPerChip: 70e9 / 2,
  kvBytesPerToken16Bit: KV16_70B_TP2,
  usableMemoryBytes: 141e9,
};

describe("staticBatchKvCache", () => {
  it("takes an 8-bit cache where the published static batch cannot hold a 16-bit one, and that 8-bit cache fits", () => {
    // 512 x 2,176 x 163,840 B = 182.5 GB of 16-bit KV per chip: more than an H200 holds with no weights at all.
    expect(base.sequencesPerRank * base.tokensPerSequence * KV16_70B_TP2).toBeGreaterThan(
      base.usableMemoryBytes,
    );
    expect(staticBatchKvCache(base)).toBe("fp8");
    const kv8 = (base.sequencesPerRank * base.tokensPerSequence * KV16_70B_TP2) / 2;
    expect(base.weightBytesPerChip + kv8).toBeLessThan(base.usableMemoryBytes);
  });

  it("keeps the 16-bit default while it fits, up to the exact boundary, and is monotone in every size", () => {
    expect(staticBatchKvCache({ ...base, sequencesPerRank: 256 })).toBe("bf16");
    // Boundary: weights + sequences x tokens x bytes equal to the memory still fits; one byte less of memory does not.
    const exact = base.weightBytesPerChip + 256 * base.tokensPerSequence * KV16_70B_TP2;
    expect(staticBatchKvCache({ ...base, sequencesPerRank: 256, usableMemoryBytes: exact })).toBe("bf16");
    expect(staticBatchKvCache({ ...base, sequencesPerRank: 256, usableMemoryBytes: exact - 1 })).toBe("fp8");
    let switched = false;
    for (let seqs = 1; seqs <= 1024; seqs *= 2) {
      const p = staticBatchKvCache({ ...base, sequencesPerRank: seqs });
      if (switched) expect(p).toBe("fp8");
      if (p === "fp8") switched = true;
    }
    expect(switched).toBe(true);
    expect(staticBatchKvCache({ ...base, sequencesPerRank: 256, tokensPerSequence: 4 * 2176 })).toBe("fp8");
    expect(staticBatchKvCache({ ...base, sequencesPerRank: 256, weightBytesPerChip: 70e9 })).toBe("fp8");
  });

  it("refuses sizes that are not finite and positive, naming the field", () => {
    for (const [field, v] of [
      ["sequencesPerRank", 0],
      ["tokensPerSequence", Number.NaN],
      ["weightBytesPerChip", -1],
      ["kvBytesPerToken16Bit", Number.POSITIVE_INFINITY],
      ["usableMemoryBytes", 0],
    ] as const) {
      try {
        staticBatchKvCache({ ...base, [field]: v }, ["serving"]);
        expect.unreachable(`${field} = ${v} accepted`);
      } catch (e) {
        expect(e).toBeInstanceOf(ZettasimError);
        expect((e as ZettasimError).issues[0].path).toEqual(["serving", field]);
      }
    }
    expect(staticBatchKvCache({ ...base, weightBytesPerChip: 0 })).toBe("fp8");
  });
});
