// The measured time of an engine's whole fused-MoE layer call, read from its table by model shape, layout, format and tokens.

import type {
  FusedMoeCallSeries,
  FusedMoeCallTable,
  GroupedMoeFormat,
  KernelEfficiency,
} from "../catalog/families/types.js";
import type { Precision } from "../catalog/types.js";
import { requireAt } from "../core/errors.js";
import type { ModelConfig } from "../schema/model.js";
import type { WeightQuantization } from "./block-fp8-gemm.js";
import { groupedMoeFormat } from "./grouped-moe.js";

export type { FusedMoeCallSeries, FusedMoeCallTable } from "../catalog/families/types.js";

/** The routed-expert shape and layout a series is measured at (what the model and its layout must match). */
export interface FusedMoeCallKey {
  hiddenSize: number;
  /** One expert's intermediate (FFN) width, before any tensor-parallel split. */
  expertFfnHiddenSize: number;
  experts: number;
  topK: number;
  /** Ranks an expert's intermediate width is split over (instance chips / EP). */
  moeTp: number;
  /** Ranks the experts are spread over. */
  moeEp: number;
  format: GroupedMoeFormat;
}

/** Each series' non-decreasing envelope, built once per series. */
const ENVELOPES = new WeakMap<readonly number[], number[]>();

/**
 * The series' non-decreasing envelope over tokens: each measured point raised to the largest measured point at fewer
 * tokens (a call that routes more tokens does not finish sooner; the raw tables dip by a few us where timing noise or a
 * kernel-configuration switch shows). NaN (unmeasured) stays NaN. O(points).
 */
export function fusedMoeEnvelope(us: readonly number[]): number[] {
  const cached = ENVELOPES.get(us);
  if (cached !== undefined) return cached;
  const out = [...us];
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(out[i])) continue;
    m = Math.max(m, out[i]);
    out[i] = m;
  }
  ENVELOPES.set(us, out);
  return out;
}

/** The table's series for `key`, or undefined when it has none (other shape, layout or format). O(series). */
export function fusedMoeSeriesFor(
  t: FusedMoeCallTable,
  key: FusedMoeCallKey,
): FusedMoeCallSeries | undefined {
  return t.series.find(
    (s) =>
      s[0] === key.hiddenSize &&
      s[1] === key.expertFfnHiddenSize &&
      s[2] === key.experts &&
      s[3] === key.topK &&
      s[4] === key.moeTp &&
      s[5] === key.moeEp &&
      s[6] === key.format,
  );
}

const FUSED_MOE_PATH: readonly (string | number)[] = ["fusedMoeCall"];

/**
 * Time of one fused-MoE layer call of `series` when `tokens` tokens enter the layer on a rank, s: the series'
 * non-decreasing envelope at the largest measured token count at or below `tokens` (the first point below it; the last
 * beyond the axis), a lower bound of the call at any count since a call that routes more tokens does not finish sooner.
 * 0 for no tokens. Undefined where that point is unmeasured. `tokens` not a finite number >= 0 is a named error at
 * `path`. O(points) after the envelope's first build.
 */
export function fusedMoeCallS(
  tokensAxis: readonly number[],
  series: FusedMoeCallSeries,
  tokens: number,
  path: readonly (string | number)[] = FUSED_MOE_PATH,
): number | undefined {
  requireAt(Number.isFinite(tokens) && tokens >= 0, path, "tokens", "expected tokens per rank >= 0", tokens);
  if (tokens <= 0) return 0;
  const v = fusedMoeEnvelope(series[7])[fusedMoePointAt(tokensAxis, tokens)];
  return Number.isFinite(v) ? v * 1e-6 : undefined;
}

/**
 * Index of the table point `fusedMoeCallS` reads for `tokens` tokens: the largest measured token count at or below
 * `tokens`, the first point below the axis. O(points).
 */
export function fusedMoePointAt(tokensAxis: readonly number[], tokens: number): number {
  let at = 0;
  while (at + 1 < tokensAxis.length && tokensAxis[at + 1] <= tokens) at++;
  return at;
}

/**
 * The fused-MoE call table that prices experts stored in `format` on a chip whose native matrix formats are `formats`:
 * the profile's `fusedMoeCallUpcast` where the chip has no matrix instructions for the weight format (block-scaled FP8
 * counts as FP8) and the profile gives such a table, since the engine's kernel then converts the weight tiles inside its
 * K loop (a different kernel: vLLM's Triton MXFP4 MoE on a CDNA3 MI300X, data/kernels/cdna-mxfp4-moe-decode-published.json);
 * `fusedMoeCall` otherwise (a table measured on a chip that lacks the format too, as vLLM's MXFP4 rows on H200, stays
 * where the family puts it). O(formats).
 */
export function fusedMoeCallTableFor(
  eff: Pick<KernelEfficiency, "fusedMoeCall" | "fusedMoeCallUpcast">,
  formats: readonly Precision[],
  format: GroupedMoeFormat,
): FusedMoeCallTable | undefined {
  const native = formats.includes(format === "fp8-block" ? "fp8" : format);
  return !native && eff.fusedMoeCallUpcast !== undefined ? eff.fusedMoeCallUpcast : eff.fusedMoeCall;
}

/**
 * The series of `table` for `model`'s routed experts under `layout` (expert TP = chips / EP, EP) at `format`, with the
 * table's token axis; undefined without a table, for a dense model, with redundant expert slots (the collector places
 * exactly the model's experts) or where the table has no such series. O(series).
 */
export function fusedMoeCallFor(
  table: FusedMoeCallTable | undefined,
  model: ModelConfig,
  layout: { chips: number; ep: number },
  format: GroupedMoeFormat,
  redundantExperts: number,
): { tokens: readonly number[]; series: FusedMoeCallSeries } | undefined {
  if (table === undefined || model.moe === undefined || redundantExperts > 0) return undefined;
  const series = fusedMoeSeriesFor(table, {
    hiddenSize: model.hiddenSize,
    expertFfnHiddenSize: model.moe.expertFfnHiddenSize,
    experts: model.moe.experts,
    topK: model.moe.topK,
    moeTp: layout.chips / layout.ep,
    moeEp: layout.ep,
    format,
  });
  return series === undefined ? undefined : { tokens: table.tokens, series };
}

/**
 * The series that bounds `model`'s routed experts from below on a chip with native matrix formats `formats`, for
 * weights stored at `w.precision` (block-scaled where `w.quantization` says so): `fusedMoeCallFor` over the table
 * `fusedMoeCallTableFor` picks for the chip; undefined as there. O(series).
 */
export function fusedMoeCallOnChip(
  eff: Pick<KernelEfficiency, "fusedMoeCall" | "fusedMoeCallUpcast">,
  formats: readonly Precision[],
  model: ModelConfig,
  layout: { chips: number; ep: number },
  w: {
    precision: "bf16" | "fp16" | "fp8" | "int8" | "fp4";
    quantization?: WeightQuantization;
    redundantExperts: number;
  },
): { tokens: readonly number[]; series: FusedMoeCallSeries } | undefined {
  const format = groupedMoeFormat(w.precision, w.quantization);
  return fusedMoeCallFor(
    fusedMoeCallTableFor(eff, formats, format),
    model,
    layout,
    format,
    w.redundantExperts,
  );
}
