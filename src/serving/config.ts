// Turns a scenario's `serving` section into pools of instances with their cost models, defaults filled in.

import { chipUsableMemoryBytes } from "../catalog/families/index.js";
import { resolveChip } from "../catalog/resolve.js";
import type { System } from "../catalog/types.js";
import { requireArgument, SCENARIO_ARG, SCENARIO_KEYS, ZettasimError } from "../core/errors.js";
import { own } from "../core/records.js";
import { MS, US } from "../core/units.js";
import type { Scenario } from "../scenario/load.js";
import type { ModelConfig } from "../schema/model.js";
import type { ServingConfig } from "../schema/serving.js";
import {
  type CostOptions,
  InstanceCost,
  type InstanceLayout,
  type KvPrecision,
  type MatmulPrecision,
} from "./cost.js";
import type { KernelEfficiency } from "./efficiency.js";
import {
  deriveEngine,
  engineIds,
  instanceLayout,
  type ServingEngine,
  servingEngine,
} from "./engines/index.js";
import { twoBatchOverlapByDefault } from "./moe-token-exchange.js";
import { meanRequestTokens, type WorkloadSpec } from "./workload.js";

export type PoolRole = "prefill" | "decode" | "colocated";

/** KV-cache page size, tokens (a sequence holds whole pages). */
export const PAGE_TOKENS = 16;
/** Default chunked-prefill budget of a colocated rank, tokens per step (decode tokens included). */
export const DEFAULT_COLOCATED_CHUNK = 4096;
/** Default most sequences per decoding rank (DeepEP low-latency buffers are sized for <= 256 tokens per rank). */
export const DEFAULT_MAX_BATCH = 256;

/**
 * New prompt tokens one attention rank processes per prefill step when a case does not say:
 * whole prompts up to this budget (SGLang's large-EP prefill runs use chunks of this order;
 * DeepEP's "normal" kernels are benchmarked at 4,096 tokens per rank and upward).
 */
export const DEFAULT_PREFILL_TOKENS_PER_RANK = 16384;

/**
 * Expert-load skew left after load balancing (max/mean over chips), beyond random-routing noise.
 * SGLang (LMSYS 2025-05-05) and DeepSeek's EPLB report balancedness around 0.8-0.9 with
 * redundant experts; 1.15 is taken for every case.
 */
export const DEFAULT_EXPERT_IMBALANCE = 1.15;

/** One pool of identical instances, ready to simulate. */
export interface PoolPlan {
  role: PoolRole;
  system: System;
  instances: number;
  layout: InstanceLayout;
  cost: InstanceCost;
  chunkTokens: number;
  maxBatchPerRank: number;
  /** KV pages one attention rank holds. */
  kvPagesPerRank: number;
  chips: number;
  /** Draft tokens each decoding sequence verifies per step (0: no speculative decoding; prefill pools: 0). */
  draftTokens: number;
  /** Probability a draft is accepted given the drafts before it were. */
  acceptanceRate: number;
}

export interface ServingPlan {
  mode: "disaggregated" | "colocated";
  pools: PoolPlan[];
  model: ModelConfig;
  workload: WorkloadSpec;
  ttftSloS?: number;
  tpotSloS?: number;
  /** USD per chip-hour for each pool (undefined when no price given). */
  priceUsdPerChipHour: (number | undefined)[];
  /** Bytes/s per chip and one-way latency of the tier that carries KV from prefill to decode. */
  kvLink: { bytesPerS: number; latencyS: number; name: string };
  maxSimulatedS: number;
}

type Path = (string | number)[];

function effOverride(c: ServingConfig): Partial<KernelEfficiency> | undefined {
  const e = c.efficiency;
  if (!e) return undefined;
  const o: Partial<KernelEfficiency> = {};
  if (e.gemm !== undefined) o.gemm = e.gemm;
  if (e.groupedGemm !== undefined) o.groupedGemm = e.groupedGemm;
  if (e.attentionCompute !== undefined) o.attentionCompute = e.attentionCompute;
  if (e.memory !== undefined) o.memory = e.memory;
  if (e.allToAll !== undefined) o.allToAll = e.allToAll;
  if (e.allToAllFixedUs !== undefined) o.allToAllFixedS = e.allToAllFixedUs * US;
  if (e.allToAllScaleOutFixedUs !== undefined) o.allToAllScaleOutFixedS = e.allToAllScaleOutFixedUs * US;
  if (e.weightStreaming !== undefined) o.weightStreaming = e.weightStreaming;
  if (e.groupedWeightStreaming !== undefined) o.groupedWeightStreaming = e.groupedWeightStreaming;
  if (e.kernelFloorUs !== undefined) o.kernelFloorS = e.kernelFloorUs * US;
  if (e.launchEagerUs !== undefined) o.launchEagerS = e.launchEagerUs * US;
  if (e.allReduceFixedUs !== undefined) o.allReduceFixedS = e.allReduceFixedUs * US;
  if (e.overlapNormal !== undefined) o.overlapNormal = e.overlapNormal;
  if (e.overlapLowLatency !== undefined) o.overlapLowLatency = e.overlapLowLatency;
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith("overlap") && !k.endsWith("S") && v === 0) {
      throw new ZettasimError([
        {
          path: ["serving", "efficiency", k],
          message: "an efficiency must be > 0",
          value: 0,
          expected: "a fraction in (0, 1]",
        },
      ]);
    }
  }
  return o;
}

/**
 * The scenario's engine: a built-in profile by id, or a custom one (`{extends, id, ...}`) derived from its built-in
 * with `deriveEngine`, so it inherits the built-in's lineage and with it the chip families' per-engine figures. A
 * custom id that names a built-in is refused (it would take that engine's figures). Cost O(1).
 */
function scenarioEngine(e: ServingConfig["engine"]): ServingEngine {
  if (e === undefined || typeof e === "string") return servingEngine(e);
  const { extends: base, ...fields } = e;
  if (engineIds.includes(fields.id))
    throw new ZettasimError([
      {
        path: ["serving", "engine", "id"],
        message:
          "expected a name of the custom engine's own, not a built-in engine id (`extends` names the built-in)",
        value: fields.id,
      },
    ]);
  const parent = servingEngine(base, ["serving", "engine", "extends"]);
  const engine = deriveEngine(parent, {
    ...fields,
    name: fields.name ?? fields.id,
    source: `scenario engine extending ${parent.id}`,
  });
  return engine;
}

/** The engine with its host scheduling overlapped or in series as the scenario asks (its default when silent). */
function withHostOverlap(e: ServingEngine, hostOverlap: boolean | undefined): ServingEngine {
  return hostOverlap === undefined ? e : { ...e, hostOverlap };
}

function buildPool(
  role: PoolRole,
  p: NonNullable<ServingConfig["prefill"]>,
  base: System,
  model: ModelConfig,
  c: ServingConfig,
  path: Path,
): PoolPlan {
  const chip = p.chip === undefined ? base.chip : resolveChip(p.chip, [...path, "chip"]);
  const system: System = chip === base.chip ? base : { ...base, chip };
  const engine = withHostOverlap(scenarioEngine(c.engine), c.hostOverlap);
  const layout: InstanceLayout = instanceLayout(engine, p.instanceChips, model.moe !== undefined, p);
  const tp = layout.tp;
  if (p.instanceChips % tp !== 0) {
    throw new ZettasimError([
      {
        path: [...path, "tp"],
        message: "tp must divide the instance's chips",
        value: tp,
        expected: `a divisor of ${p.instanceChips}`,
      },
    ]);
  }
  const chips = p.instances * p.instanceChips;
  if (chips > base.chips) {
    throw new ZettasimError([
      {
        path: [...path, "instances"],
        message: `the pool needs ${chips} chips but the system has ${base.chips}`,
        value: p.instances,
        expected: `at most ${Math.floor(base.chips / p.instanceChips)} instances`,
      },
    ]);
  }
  const opts: CostOptions = {
    precision: (c.precision ?? "fp8") as MatmulPrecision,
    attentionPrecision: c.attentionPrecision as MatmulPrecision | undefined,
    quantization: c.quantization,
    kvCache: (c.kvCache ?? "bf16") as KvPrecision,
    twoBatchOverlap: p.twoBatchOverlap ?? twoBatchOverlapByDefault(model.moe !== undefined, layout),
    expertImbalance: c.expertImbalance ?? (model.moe ? DEFAULT_EXPERT_IMBALANCE : 1),
    redundantExperts: c.redundantExperts ?? 0,
    allToAll: role === "prefill" ? "normal" : "low-latency",
    memoryUtilization: p.memoryUtilization ?? c.memoryUtilization ?? 0.9,
    engine,
    speculativeMethod: c.speculative?.method,
  };
  const cost = new InstanceCost(model, system, layout, opts, effOverride(c), path);
  // Sliding-window layers keep at most their window per sequence: pages are charged at the workload's mean
  // request length (prompt + output), so those layers' share is amortised over it.
  const mean = meanRequestTokens(c.workload);
  const kvPagesPerRank = Math.floor(cost.kvCapacityTokensPerRank(mean.inTok + mean.outTok) / PAGE_TOKENS);
  if (kvPagesPerRank < 1) {
    throw new ZettasimError([
      {
        path: [...path, "instanceChips"],
        message: `the weights (${(cost.weightBytesPerChip() / 1e9).toFixed(1)} GB per chip) leave no room for KV cache on ${chip.id} (${(chipUsableMemoryBytes(chip) / 1e9).toFixed(0)} GB usable)`,
        value: p.instanceChips,
        expected: "more chips per instance (a larger tp or ep) or a narrower precision",
      },
    ]);
  }
  return {
    role,
    system,
    instances: p.instances,
    layout,
    cost,
    chunkTokens:
      p.chunkTokens ?? (role === "colocated" ? DEFAULT_COLOCATED_CHUNK : DEFAULT_PREFILL_TOKENS_PER_RANK),
    maxBatchPerRank: p.maxBatchPerRank ?? DEFAULT_MAX_BATCH,
    kvPagesPerRank,
    chips,
    draftTokens: role === "prefill" ? 0 : (c.speculative?.draftTokens ?? 0),
    acceptanceRate: c.speculative?.acceptanceRate ?? 0,
  };
}

/** Builds the plan of a scenario with a `serving` section. Throws ZettasimError naming the field. Cost: O(tiers). */
export function servingPlan(s: Scenario): ServingPlan {
  requireArgument(s, "scenario", "object", SCENARIO_ARG, SCENARIO_KEYS);
  const c = s.file.serving as ServingConfig | undefined;
  if (!c) {
    throw new ZettasimError([
      { path: ["serving"], message: "the scenario has no serving section", expected: "a `serving:` mapping" },
    ]);
  }
  if (!s.model) {
    throw new ZettasimError([
      {
        path: ["model"],
        message: "serving needs a model",
        expected: "a catalog model id or an inline model",
      },
    ]);
  }
  const model = s.model;
  const pools: PoolPlan[] = [];
  const need = (key: "prefill" | "decode" | "colocated") => {
    const p = c[key];
    if (!p) {
      throw new ZettasimError([
        {
          path: ["serving", key],
          message: `${c.mode} serving needs a ${key} pool`,
          expected: "{instances, instanceChips, ...}",
        },
      ]);
    }
    return p;
  };
  if (c.mode === "disaggregated") {
    pools.push(buildPool("prefill", need("prefill"), s.system, model, c, ["serving", "prefill"]));
    pools.push(buildPool("decode", need("decode"), s.system, model, c, ["serving", "decode"]));
    const total = pools[0].chips + pools[1].chips;
    if (total > s.system.chips) {
      throw new ZettasimError([
        {
          path: ["serving", "decode", "instances"],
          message: `prefill and decode pools together need ${total} chips but the system has ${s.system.chips}`,
          value: c.decode?.instances,
          expected: "fewer instances",
        },
      ]);
    }
  } else {
    pools.push(buildPool("colocated", need("colocated"), s.system, model, c, ["serving", "colocated"]));
  }
  const tiers = s.system.tiers;
  let tier = tiers[tiers.length - 1];
  if (c.kvTransferTier !== undefined) {
    const t = tiers.find((x) => x.name === c.kvTransferTier);
    if (!t) {
      throw new ZettasimError([
        {
          path: ["serving", "kvTransferTier"],
          message: "no such network tier in the system",
          value: c.kvTransferTier,
          expected: `one of ${tiers.map((x) => x.name).join(", ")}`,
        },
      ]);
    }
    tier = t;
  }
  const prices = c.pricePerChipHourUsd ?? {};
  return {
    mode: c.mode,
    pools,
    model,
    workload: c.workload,
    ttftSloS: c.slo?.ttftMs === undefined ? undefined : c.slo.ttftMs * MS,
    tpotSloS: c.slo?.tpotMs === undefined ? undefined : c.slo.tpotMs * MS,
    priceUsdPerChipHour: pools.map((p) => own(prices, p.system.chip.id) ?? own(prices, "default")),
    kvLink: {
      bytesPerS: (tier.bandwidthBytesPerS * tier.protocol.headerEfficiency) / tier.oversubscription,
      latencyS: tier.latencyS + tier.protocol.staticLatencyS,
      name: tier.name,
    },
    maxSimulatedS: c.maxSimulatedS ?? 86400,
  };
}
