// Predicts a published serving measurement (validation case of kind "inference") from its inputs alone.

import { chipUsableMemoryBytes } from "../catalog/families/index.js";
import type { System } from "../catalog/types.js";
import { type InputIssue, ZettasimError } from "../core/errors.js";
import { MS } from "../core/units.js";
import { issuesFromZod } from "../schema/issues.js";
import { type ModelConfig, modelFile } from "../schema/model.js";
import { type ServingCase, servingCase } from "../schema/serving.js";
import { colocatedPrefillPerStepS } from "../serving/colocated.js";
import { DEFAULT_EXPERT_IMBALANCE } from "../serving/config.js";
import {
  type CostOptions,
  causalPrefillPairs,
  InstanceCost,
  type InstanceLayout,
  type KvPrecision,
  type StepCost,
} from "../serving/cost.js";
import type { KernelEfficiency } from "../serving/efficiency.js";
import { instanceLayout, type ServingEngine, servingEngine } from "../serving/engines/index.js";
import { twoBatchOverlapByDefault } from "../serving/moe-token-exchange.js";
import { offlineRunS } from "../serving/offline-run.js";
import { prefillPromptsPerRank } from "../serving/prefill-batch.js";
import { staticBatchKvCache } from "../serving/static-batch-kv.js";
import { systemFromCaseHardware } from "./hardware.js";
import { withoutNulls } from "./nulls.js";

/** Profile values to try instead of the catalog's (the fitting scripts use these; predictions use none). */
export interface ServingOverrides {
  efficiency?: Partial<KernelEfficiency>;
  engine?: Partial<ServingEngine>;
}

export interface ServingPrediction {
  predicted: Record<string, number>;
  measured: Record<string, number>;
  metric: string;
  errorPct: number;
  /** Step-time breakdown behind the prediction, s. */
  step: StepCost;
  /** Prefill of arriving requests a colocated closed-loop decode step carries, s (0 where not charged). */
  colocatedPrefillS: number;
}

type Path = (string | number)[];

function fail(id: string, issues: InputIssue[]): never {
  throw new ZettasimError(issues.map((i) => ({ ...i, message: `case ${id}: ${i.message}` })));
}

/**
 * A serving case's error as an error of the step time, %: a time metric (TPOT) as it is, a rate (tokens/s)
 * inverted, so that residuals of both kinds mean the same thing (positive: the model's step is too slow). O(1).
 */
export function stepTimeErrorPct(metric: string, errorPct: number): number {
  return metric === "tokensPerSecondPerChip" ? 100 / (1 + errorPct / 100) - 100 : errorPct;
}

/** A case parsed once, ready to be predicted under any profile overrides (what the fits and cross-validation refit with). */
export interface PreparedServingCase {
  id: string;
  /** Chip family id of the case's chip (its profile is what overrides replace). */
  family: string;
  /** Serving engine id the case names ("generic" when silent). */
  engine: string;
  serving: ServingCase;
  model: ModelConfig;
  system: System;
  layout: InstanceLayout;
  opts: CostOptions;
  measured: Record<string, number>;
  path: Path;
}

/**
 * Parses one inference case: its serving, model and hardware blocks, the layout (with the engine's defaults
 * where the case is silent) and the cost options. Throws ZettasimError naming the case id and field path.
 * Cost: schema parsing, about a millisecond; predict it with `evaluateServingCase` (microseconds).
 */
export function prepareServingCase(c: unknown, path: Path = []): PreparedServingCase {
  if (!c || typeof c !== "object") {
    throw new ZettasimError([
      {
        path,
        message: "a case must be an object",
        value: c,
        expected: "{id, kind, hardware, model, serving, measured}",
      },
    ]);
  }
  const raw = c as Record<string, unknown>;
  const id = typeof raw.id === "string" ? raw.id : "(no id)";
  // null means "not published": the key is dropped and the defaults below decide.
  const sv = servingCase.safeParse(withoutNulls(raw.serving), { reportInput: true });
  if (!sv.success) fail(id, issuesFromZod(sv.error, [...path, "serving"], servingCase));
  const md = modelFile.safeParse(raw.model, { reportInput: true });
  if (!md.success) fail(id, issuesFromZod(md.error, [...path, "model"], modelFile));
  let system: System;
  try {
    system = systemFromCaseHardware(raw.hardware, [...path, "hardware"]);
  } catch (e) {
    if (e instanceof ZettasimError) fail(id, e.issues);
    throw e;
  }
  const s = sv.data;
  const model = md.data;
  const chips = s.instanceChips;
  const named = servingEngine(s.engine, [...path, "serving", "engine"]);
  // A source that says whether host scheduling overlapped the device overrides the engine's default.
  const engine = s.hostOverlap === undefined ? named : { ...named, hostOverlap: s.hostOverlap };
  let tp = s.tp;
  // SGLang's flags count tp over the whole instance with DP attention inside it (--tp 32 --dp 32):
  // read that as attention TP = chips / attentionDp. So is a case silent on tp. Any other tp whose product
  // with attentionDp is not the instance's chips is left as given, and the layout check refuses it by name
  // (the case is then not modelled, with the reason), never rewritten into a layout the source did not state.
  if (
    s.attentionDp !== undefined &&
    (tp === undefined || tp === chips) &&
    (tp ?? 1) * s.attentionDp !== chips &&
    chips % s.attentionDp === 0
  ) {
    tp = chips / s.attentionDp;
  }
  // Silent on every layout field: the engine's default layout.
  const l = instanceLayout(engine, chips, model.moe !== undefined, {
    tp,
    attentionDp: s.attentionDp,
    ep: s.ep,
  });
  // An EP degree counted in dies (e.g. EP320 on 160 two-die packages) is capped at the chips.
  const layout: InstanceLayout = { ...l, ep: Math.min(l.ep, chips) };
  const opts: CostOptions = {
    precision: s.precision,
    attentionPrecision: s.attentionPrecision,
    quantization: s.quantization,
    kvCache: s.kvCache ?? "bf16",
    twoBatchOverlap: s.twoBatchOverlap ?? twoBatchOverlapByDefault(model.moe !== undefined, layout),
    expertImbalance: model.moe ? DEFAULT_EXPERT_IMBALANCE : 1,
    // Replicated expert slots the source publishes (EPLB); none where it is silent.
    redundantExperts: model.moe ? (s.redundantExperts ?? 0) : 0,
    allToAll: s.phase === "prefill" ? "normal" : "low-latency",
    memoryUtilization: 0.9,
    engine,
    speculativeMethod: s.speculativeMethod,
  };
  // Silent on the KV dtype: 16-bit, unless the engine holds a static batch's whole cache and a 16-bit one cannot fit.
  if (s.kvCache === undefined) opts.kvCache = silentKvCache(id, s, model, system, layout, opts, path);
  const measured: Record<string, number> = {};
  const m = raw.measured;
  if (m && typeof m === "object") {
    for (const [k, v] of Object.entries(m)) if (typeof v === "number" && Number.isFinite(v)) measured[k] = v;
  }
  return {
    id,
    family: system.chip.family,
    engine: engine.id,
    serving: s,
    model,
    system,
    layout,
    opts,
    measured,
    path,
  };
}

/**
 * The KV-cache precision of a case that does not state one: "bf16" (the engines' default, a 16-bit cache), except for
 * an engine that runs a static batch without preemption (`staticBatchWholeKv`) on a decode case stating its batch and
 * its prompt and output lengths, where `staticBatchKvCache` decides from the chip's memory (src/serving/static-batch-kv.ts).
 * Cost: one InstanceCost for such cases, microseconds; O(1) otherwise.
 */
function silentKvCache(
  id: string,
  s: ServingCase,
  model: ModelConfig,
  system: System,
  layout: InstanceLayout,
  opts: CostOptions,
  path: Path,
): KvPrecision {
  const b = s.batchPerChip;
  const inTok = s.inputTokens;
  const outTok = s.outputTokens;
  if (!opts.engine.staticBatchWholeKv || s.phase !== "decode") return "bf16";
  if (b === undefined || inTok === undefined || outTok === undefined) return "bf16";
  try {
    const cost = new InstanceCost(model, system, layout, { ...opts, kvCache: "bf16" }, undefined, [
      ...path,
      "serving",
    ]);
    return staticBatchKvCache(
      {
        sequencesPerRank: b * layout.tp,
        tokensPerSequence: inTok + outTok,
        weightBytesPerChip: cost.weightBytesPerChip(),
        kvBytesPerToken16Bit: cost.kvBytesPerToken(),
        usableMemoryBytes: chipUsableMemoryBytes(system.chip),
      },
      [...path, "serving"],
    );
  } catch (e) {
    if (e instanceof ZettasimError) fail(id, e.issues);
    throw e;
  }
}

/**
 * Predicts one inference case: prefill -> input tokens/s per chip; decode -> TPOT (ms) and output
 * tokens/s per chip. Uses only the case's hardware, model and serving fields, the chip catalog and
 * the per-chip efficiency profiles. Throws ZettasimError naming the case id and field path.
 * Cost: O(tiers) after parsing, about a millisecond in all.
 */
export function predictServingCase(
  c: unknown,
  path: Path = [],
  overrides: ServingOverrides = {},
): ServingPrediction {
  return evaluateServingCase(prepareServingCase(c, path), overrides);
}

/** Predicts a prepared case under profile `overrides`. Throws ZettasimError as predictServingCase. Cost: O(tiers), microseconds. */
export function evaluateServingCase(
  p: PreparedServingCase,
  overrides: ServingOverrides = {},
): ServingPrediction {
  const { id, serving: s, model, system, layout, path, measured } = p;
  const tp = layout.tp;
  const opts: CostOptions = overrides.engine
    ? { ...p.opts, engine: { ...p.opts.engine, ...overrides.engine } }
    : p.opts;
  let cost: InstanceCost;
  try {
    cost = new InstanceCost(model, system, layout, opts, overrides.efficiency, [...path, "serving"]);
  } catch (e) {
    if (e instanceof ZettasimError) fail(id, e.issues);
    throw e;
  }
  const predicted: Record<string, number> = {};
  let metric: string;
  let step: StepCost;
  let colocatedPrefillS = 0;
  if (s.phase === "prefill") {
    const n = s.inputTokens as number;
    // Prompt tokens found in the prefix cache are not computed but count as input served.
    const cached = Math.min(n - 1, Math.floor(n * (s.prefixHitRate ?? 0)));
    const pre = promptPrefillStep(cost, n, cached, layout.attentionDp, s.concurrency);
    step = pre.step;
    const seqs = pre.seqs;
    predicted.tokensPerSecondPerChip = (seqs * n) / tp / step.timeS;
    predicted.stepTimeS = step.timeS;
    // A one-wave offline run whose rate spans its decode steps too (offline-run.ts): the rate over the whole run.
    const run = offlineRun(p, cost, n, cached, seqs);
    if (run !== undefined) predicted.tokensPerSecondPerChip = (run.promptsPerRank * n) / tp / run.wallS;
    metric = "tokensPerSecondPerChip";
  } else {
    const b = s.batchPerChip as number;
    const ctx = s.contextTokens as number;
    const seqs = b * tp;
    // With multi-token prediction each step verifies `draft` more tokens per sequence and gains
    // `gained` tokens on average; TPOT is the step over the tokens gained.
    const draft = s.speculativeTokens ?? 0;
    const gained = draft > 0 ? (s.acceptedTokensPerStep as number) : 1;
    step = cost.step(
      {
        prefillTokens: 0,
        prefillPairs: 0,
        decodeSeqs: seqs,
        decodeKvTokens: seqs * ctx,
        logitTokens: seqs * (1 + draft),
        draftTokens: draft,
      },
      seqs * (1 + draft) * layout.attentionDp,
    );
    colocatedPrefillS = colocatedPrefill(p, cost, overrides, seqs * layout.attentionDp, gained);
    const stepS = step.timeS + colocatedPrefillS;
    predicted.tpotMs = stepS / gained / MS;
    predicted.tokensPerSecondPerChip = (b * gained) / stepS;
    // TPOT is the figure to predict; a case that publishes only throughput is judged on that.
    metric =
      measured.tpotMs === undefined && measured.tokensPerSecondPerChip !== undefined
        ? "tokensPerSecondPerChip"
        : "tpotMs";
  }
  const meas = measured[metric];
  if (meas === undefined || meas <= 0) {
    fail(id, [
      {
        path: [...path, "measured", metric],
        message: "the measured figure to compare against is missing",
        value: meas,
        expected: "a number > 0",
      },
    ]);
  }
  const errorPct = ((predicted[metric] - meas) / meas) * 100;
  return { predicted, measured, metric, errorPct, step, colocatedPrefillS };
}

/**
 * Prefill time per decode step of a colocated closed-loop case (`colocatedPrefillPerStepS`), each prompt priced
 * at the instance's own prefill throughput: a prefill step of the deployment (normal all-to-all, the engine's
 * prefill token budget per rank) over the prompts it holds; under attention DP the step of one rank prefilling
 * alone, the busiest rank's prompts setting the lockstep step (dp-prefill-straggler.ts). 0 unless the case states `colocated` with its
 * prompt and output lengths and concurrency. Cost: one more InstanceCost and step, microseconds.
 */
function colocatedPrefill(
  p: PreparedServingCase,
  decodeCost: InstanceCost,
  overrides: ServingOverrides,
  decodeSeqs: number,
  gained: number,
): number {
  const s = p.serving;
  const n = s.inputTokens;
  if (
    s.colocated !== true ||
    n === undefined ||
    s.outputTokens === undefined ||
    s.concurrency === undefined
  ) {
    return 0;
  }
  const opts: CostOptions = { ...decodeCost.opts, allToAll: "normal", speculativeMethod: undefined };
  const cost = new InstanceCost(p.model, p.system, p.layout, opts, overrides.efficiency, [
    ...p.path,
    "serving",
  ]);
  // Under attention DP a prompt is prefilled by the rank it lands on while the others decode: only that rank's
  // tokens reach the experts (one rank: the instance's own prefill step, as before).
  const dp = p.layout.attentionDp;
  const { step: pre, seqs } = promptPrefillStep(cost, n, 0, dp, undefined, 1);
  return colocatedPrefillPerStepS({
    decodeSeqs,
    concurrency: s.concurrency,
    outputTokens: s.outputTokens,
    tokensPerStep: gained,
    prefillSPerRequest: pre.timeS / seqs,
    lockstepRanks: dp,
  });
}

/**
 * Wall time of a prefill case that is a one-wave offline run on an aggregated engine (`colocated` true, `concurrency`
 * prompts submitted at once, each generating `outputTokens` > 1), priced by the serving core's offlineRunS
 * (offline-run.ts) with the prompts per step of the case's prefill step. undefined for any other prefill case (the
 * rate of its prefill step stands). Cost: one step per engine step of the run.
 */
function offlineRun(
  p: PreparedServingCase,
  cost: InstanceCost,
  n: number,
  cached: number,
  promptsPerStep: number,
): { wallS: number; promptsPerRank: number } | undefined {
  const s = p.serving;
  const out = s.outputTokens;
  if (s.colocated !== true || s.concurrency === undefined || out === undefined || out <= 1) return undefined;
  return offlineRunS(cost, {
    prompts: s.concurrency,
    inputTokens: n,
    cachedTokens: cached,
    outputTokens: out,
    promptsPerStep,
  });
}

/**
 * One prefill step of the deployment over whole prompts of `n` tokens, `cached` of them found in the prefix cache
 * (not computed), as many prompts per rank as the engine's prefill token budget holds
 * (prefillPromptsPerRank: the budget, at least one, and no more than `concurrency` spreads over the attention ranks
 * when the case states it): the step and its prompts per rank. The experts see the prompts of `prefillingRanks` of
 * the attention ranks (default all of them; 1 for a prompt that one attention-DP rank prefills alone). Cost: one step.
 */
function promptPrefillStep(
  cost: InstanceCost,
  n: number,
  cached: number,
  attentionDp: number,
  concurrency?: number,
  prefillingRanks: number = attentionDp,
): { step: StepCost; seqs: number } {
  const fresh = n - cached;
  const seqs = prefillPromptsPerRank(fresh, attentionDp, concurrency);
  const tokens = seqs * fresh;
  const step = cost.step(
    {
      prefillTokens: tokens,
      prefillPairs: seqs * causalPrefillPairs(fresh, cached),
      decodeSeqs: 0,
      decodeKvTokens: 0,
      logitTokens: seqs,
    },
    tokens * prefillingRanks,
  );
  return { step, seqs };
}
