// Fits the block-scaled FP8 GEMM K-loop lines (`blockScaledGemmKLoop`) of Hopper (Triton; DeepGEMM under SGLang) and CDNA to the published decode-M kernel rows. Run: npx tsx scripts/fit/kernels-block-fp8.ts
import { pathToFileURL } from "node:url";
import { leastSquaresLine } from "../../src/core/fit.js";
import { kernelFile, roundSig } from "./lib.js";

/** Published block-scaled FP8 GEMM times at decode M (data/kernels/block-fp8-gemm-decode-published.json). */
const BLOCK_FP8_FILE = "block-fp8-gemm-decode-published.json";
/** Width of one K step: the 128-wide scaling block the kernels loop over. */
const K_STEP = 128;

type KRow = { k: number; us: number };

/** The sections the fits read: Hopper's Triton rows, aiconfigurator's SGLang DeepGEMM rows per chip, CDNA's default-config rows at one K. */
export function blockFp8Sections(): {
  hopperTriton: KRow[];
  hopperDeepGemm: Record<string, KRow[]>;
  cdna: { k: number; rows: { us: number }[] };
} {
  const f = kernelFile(BLOCK_FP8_FILE) as unknown as Record<string, Record<string, unknown>>;
  return {
    hopperTriton: f.hopper_triton_decode.rows as KRow[],
    hopperDeepGemm: f.hopper_sglang_deepgemm_aiconfigurator.rows as Record<string, KRow[]>,
    cdna: f.cdna_triton_default_decode as unknown as { k: number; rows: { us: number }[] },
  };
}

/** Least-squares line of call time (us) on K steps (ceil(K / 128)) through `rows`. */
export function kStepLineUs(rows: readonly KRow[]): { fixedUs: number; perKStepUs: number } {
  const { slope, intercept } = leastSquaresLine(
    rows.map((r) => Math.ceil(r.k / K_STEP)),
    rows.map((r) => r.us),
  );
  return { fixedUs: intercept, perKStepUs: slope };
}

/**
 * Fitted values by parameter path (relative to families), in seconds: the fixed time (3 significant digits) and time
 * per K step (4) of the least-squares line through Hopper's Triton rows (the family's figure) and through the H100
 * DeepGEMM rows (its figure under SGLang); CDNA's time per K step is the default-config MI350X rows' mean over their K
 * steps (4 digits; its fixed time is held at 0, not fitted). Cost O(rows).
 */
export function fitBlockScaledKLoop(): Record<string, number> {
  const s = blockFp8Sections();
  const out: Record<string, number> = {};
  const put = (path: string, line: { fixedUs: number; perKStepUs: number }) => {
    out[`${path}.blockScaledGemmKLoop.fixedS`] = roundSig(line.fixedUs * 1e-6, 3);
    out[`${path}.blockScaledGemmKLoop.perKStepS`] = roundSig(line.perKStepUs * 1e-6, 4);
  };
  put("hopper.serving", kStepLineUs(s.hopperTriton));
  put("hopper.servingByEngine.sglang", kStepLineUs(s.hopperDeepGemm.h100));
  const mean = s.cdna.rows.reduce((a, r) => a + r.us, 0) / s.cdna.rows.length;
  out["cdna.serving.blockScaledGemmKLoop.perKStepS"] = roundSig(
    (mean / Math.ceil(s.cdna.k / K_STEP)) * 1e-6,
    4,
  );
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(fitBlockScaledKLoop(), null, 2)}\n`);
}
