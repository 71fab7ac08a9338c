// Staged evaluation of the training model for searches: per-layer costs computed once per layer knobs and reused across pp, dp, schedule, ZeRO and overlap; bit-identical to evaluateTraining.
import type { System } from "../catalog/types.js";
import { type Analysis, analyze, type LayerCosts, layerCosts } from "./analyze.js";
import type { ResolvedTraining } from "./config.js";
import type { TrainingEfficiency } from "./efficiency.js";
import { type PreparedTraining, summarize, type TrainingEstimate } from "./estimate.js";
import type { ModelShape } from "./shape.js";

/**
 * The knobs `layerCosts` reads, as one key: tp, cp, ep, etp, micro-batch size, sequence length, whether
 * sequence parallelism is in effect, precision and its scaling recipe, whether recompute is "none", the
 * framework (attention kernels, fusions), the MoE dispatcher, a published routing imbalance and whether the op policy
 * reruns attention. Two jobs with
 * the same key have the same per-layer costs. Cost O(1).
 */
export function layerKey(t: ResolvedTraining): string {
  const d = t.degrees;
  const sp = t.sequenceParallel && d.tp > 1;
  return `${d.tp}/${d.cp}/${d.ep}/${d.etp}/${t.microBatchSize}/${t.seqLength}/${sp ? 1 : 0}/${t.precision}/${t.recompute === "none" ? 1 : 0}/${t.recipe.id}/${t.framework.id}/${t.moeDispatcher}/${t.moeImbalance ?? ""}/${t.moeRouting}/${t.moeDispatch}/${t.moeCapacityFactor ?? ""}/${t.moePadToCapacity ? 1 : 0}/${t.opSacRecomputesAttention ? 1 : 0}`;
}

/** Whether two jobs agree on every knob `layerKey` reads. Cost O(1). */
function sameLayerKnobs(a: ResolvedTraining, b: ResolvedTraining): boolean {
  const x = a.degrees;
  const y = b.degrees;
  return (
    x.tp === y.tp &&
    x.cp === y.cp &&
    x.ep === y.ep &&
    x.etp === y.etp &&
    a.microBatchSize === b.microBatchSize &&
    a.seqLength === b.seqLength &&
    (a.sequenceParallel && x.tp > 1) === (b.sequenceParallel && y.tp > 1) &&
    a.precision === b.precision &&
    (a.recompute === "none") === (b.recompute === "none") &&
    a.recipe === b.recipe &&
    a.framework === b.framework &&
    a.moeDispatcher === b.moeDispatcher &&
    a.moeImbalance === b.moeImbalance &&
    a.moeRouting === b.moeRouting &&
    a.moeDispatch === b.moeDispatch &&
    a.moeCapacityFactor === b.moeCapacityFactor &&
    a.moePadToCapacity === b.moePadToCapacity &&
    a.opSacRecomputesAttention === b.opSacRecomputesAttention
  );
}

/**
 * One system, model and efficiency profile, evaluated for many resolved jobs. Per-layer costs are cached by
 * `layerKey` (at most `maxCached` entries, the oldest dropped first), so a job differing only in pp, dp, vpp,
 * schedule, ZeRO or overlap costs the pipeline assembly alone. Results equal `evaluateTraining` exactly.
 */
export class StagedTraining {
  private readonly cache = new Map<string, LayerCosts>();
  /** The last job seen with recompute "none" ([1]) and without ([0]), and its layer costs. */
  private readonly memo: ({ t: ResolvedTraining; layers: LayerCosts } | undefined)[] = [undefined, undefined];
  hits = 0;
  misses = 0;

  constructor(
    readonly system: System,
    readonly shape: ModelShape,
    readonly eff: TrainingEfficiency,
    readonly maxCached = 4096,
  ) {}

  /** The staged evaluator of a prepared job's system, model and efficiency profile. */
  static of(p: PreparedTraining): StagedTraining {
    return new StagedTraining(p.system, p.shape, p.eff);
  }

  /** Per-layer costs of `t`, from the cache when another job with the same layer knobs was seen. Cost O(1) on a hit. */
  layers(t: ResolvedTraining): LayerCosts {
    // Consecutive jobs of a search mostly share their layer knobs: compare them before building a key.
    const m = this.memo[t.recompute === "none" ? 1 : 0];
    if (m && sameLayerKnobs(m.t, t)) {
      this.hits++;
      return m.layers;
    }
    const layers = this.lookup(t);
    this.memo[t.recompute === "none" ? 1 : 0] = { t, layers };
    return layers;
  }

  private lookup(t: ResolvedTraining): LayerCosts {
    const key = layerKey(t);
    let l = this.cache.get(key);
    if (l) {
      this.hits++;
      return l;
    }
    this.misses++;
    l = layerCosts({ system: this.system, shape: this.shape, t, eff: this.eff });
    if (this.cache.size >= this.maxCached) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, l);
    return l;
  }

  /** The training model's analysis of `t` (what `evaluateTraining` summarises). Cost: the pipeline assembly on a cache hit. */
  analyze(t: ResolvedTraining, withComm = false): Analysis {
    return analyze({ system: this.system, shape: this.shape, t, eff: this.eff }, withComm, this.layers(t));
  }

  /** The full estimate of `t`, equal to `evaluateTraining` of the same job. */
  evaluate(t: ResolvedTraining): TrainingEstimate {
    const p: PreparedTraining = { system: this.system, shape: this.shape, t, eff: this.eff };
    return summarize(p, analyze(p, false, this.layers(t)));
  }
}
