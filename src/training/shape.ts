// Model shape resolved once for the hot path: per-layer parameter and FLOP counts of dense, GQA/MLA and MoE transformers.
import { requireArgument, ZettasimError } from "../core/errors.js";
import type { ModelConfig } from "../schema/model.js";
import { type SlidingWindow, slidingWindowOf } from "./sliding-window.js";

/** The dimensions the training model reads, with every optional field filled in. Built once per model (cost O(1)). */
export interface ModelShape {
  layers: number;
  /** Layers with a dense MLP (all layers of a dense model; the leading `denseLayers` of an MoE). */
  denseLayers: number;
  /** Layers with an MoE block. */
  moeLayers: number;
  hidden: number;
  ffn: number;
  heads: number;
  kvHeads: number;
  /** Query/key head dimension (MLA: nope + rope). */
  qkHeadDim: number;
  /** Value head dimension. */
  vHeadDim: number;
  vocab: number;
  gated: boolean;
  tiedEmbeddings: boolean;
  /** Post-attention and post-MLP norms, and per-head query/key norms (extra-norms.ts); absent: none. */
  postNorms?: boolean;
  qkNorm?: boolean;
  mla: boolean;
  /** MLA ranks; zero when not MLA. */
  qLoraRank: number;
  kvLoraRank: number;
  qkRopeHeadDim: number;
  experts: number;
  topK: number;
  sharedExperts: number;
  expertFfn: number;
  /** Routed experts' linears carry biases; their gated activation is clamped (`moe.expertBias`, `moe.gluClamp`). */
  expertBias: boolean;
  gluClamp: boolean;
  mtpDepth: number;
  /** Parameters of one attention block (projections and norms). */
  attnParams: number;
  /** Parameters of one dense MLP. */
  mlpParams: number;
  /** Parameters of one routed expert (and one shared expert). */
  expertParams: number;
  /** Router parameters of one MoE layer. */
  routerParams: number;
  /** Input embedding parameters (vocab x hidden). */
  embedParams: number;
  /** Output head parameters (0 when tied). */
  headParams: number;
  /** Total parameters of the main model (MTP modules excluded, as model cards count them). */
  totalParams: number;
  /** Parameters used per token (routed experts counted top-k times). */
  activeParams: number;
  /** Extra parameters of the MTP modules (one MoE layer and a 2h x h projection each). */
  mtpParams: number;
  /** Sliding-window attention: window (Infinity when none) and the layers that use it. */
  slidingWindow: SlidingWindow;
}

/** The counts every model has, checked where a caller may pass a hand-built object instead of resolveModel's result. */
const MODEL_COUNTS = ["layers", "hiddenSize", "ffnHiddenSize", "heads", "vocabSize"] as const;

/**
 * Throws a ZettasimError naming the first of the model's required counts that is not a whole number >= 1: a model
 * built by hand (not through resolveModel, which validates every field) would otherwise give NaN shapes. O(1).
 */
function requireModelCounts(m: ModelConfig): void {
  for (const k of MODEL_COUNTS) {
    const v = (m as unknown as Record<string, unknown>)[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
      throw new ZettasimError([
        {
          path: ["model", k],
          message: v === undefined ? "missing" : "not a whole number >= 1",
          value: v,
          expected: "a whole number >= 1 (resolveModel validates a whole model from a catalog id or file)",
        },
      ]);
  }
}

/** Resolves a model configuration into a ModelShape. Cost O(1). */
export function modelShape(m: ModelConfig): ModelShape {
  requireArgument(m, "model", "object", "a model config (resolveModel gives one from a catalog id)");
  requireModelCounts(m);
  const h = m.hiddenSize;
  const heads = m.heads;
  const mlaCfg = m.attention && m.attention.type === "mla" ? m.attention : undefined;
  const kvHeads = mlaCfg ? heads : (m.kvHeads ?? heads);
  const headDim = m.headDim ?? h / heads;
  const qkHeadDim = mlaCfg ? mlaCfg.qkNopeHeadDim + mlaCfg.qkRopeHeadDim : headDim;
  const vHeadDim = mlaCfg ? mlaCfg.vHeadDim : headDim;
  const gated = m.gatedMlp ?? false;
  const mats = gated ? 3 : 2;
  let attnParams: number;
  if (mlaCfg) {
    const qLora = mlaCfg.qLoraRank ?? 0;
    const q = qLora > 0 ? h * qLora + qLora + qLora * heads * qkHeadDim : h * heads * qkHeadDim;
    const kv = h * (mlaCfg.kvLoraRank + mlaCfg.qkRopeHeadDim) + mlaCfg.kvLoraRank;
    const kvUp = mlaCfg.kvLoraRank * heads * (mlaCfg.qkNopeHeadDim + mlaCfg.vHeadDim);
    attnParams = q + kv + kvUp + heads * vHeadDim * h + h;
  } else {
    attnParams = h * heads * headDim + 2 * h * kvHeads * headDim + heads * headDim * h + h;
  }
  const mlpParams = mats * h * m.ffnHiddenSize + h;
  const moe = m.moe;
  const experts = moe?.experts ?? 0;
  const topK = moe?.topK ?? 0;
  const shared = moe?.sharedExperts ?? 0;
  const expertFfn = moe?.expertFfnHiddenSize ?? 0;
  const expertParams = mats * h * expertFfn;
  const routerParams = moe ? h * experts : 0;
  const freq = moe?.moeLayerFrequency ?? 1;
  const lead = moe ? Math.min(moe.denseLayers ?? 0, m.layers) : m.layers;
  // After the leading dense layers, every `freq`-th layer is MoE.
  const moeLayers = moe ? Math.floor((m.layers - lead) / freq) : 0;
  const denseLayers = m.layers - moeLayers;
  const moeBlock = routerParams + (experts + shared) * expertParams + h;
  const moeActive = routerParams + (topK + shared) * expertParams + h;
  const embedParams = m.vocabSize * h;
  const tied = m.tiedEmbeddings ?? false;
  const headParams = tied ? 0 : m.vocabSize * h;
  const layerBase = m.layers * attnParams + denseLayers * mlpParams;
  const totalParams = layerBase + moeLayers * moeBlock + embedParams + headParams + h;
  const activeParams = layerBase + moeLayers * moeActive + embedParams + headParams + h;
  const mtpDepth = m.mtpDepth ?? 0;
  const mtpLayer = attnParams + (moe ? moeBlock : mlpParams) + 2 * h * h + 2 * h;
  return {
    layers: m.layers,
    denseLayers,
    moeLayers,
    hidden: h,
    ffn: m.ffnHiddenSize,
    heads,
    kvHeads,
    qkHeadDim,
    vHeadDim,
    vocab: m.vocabSize,
    gated,
    tiedEmbeddings: tied,
    postNorms: m.postNorms ?? false,
    qkNorm: m.qkNorm ?? false,
    mla: mlaCfg !== undefined,
    qLoraRank: mlaCfg?.qLoraRank ?? 0,
    kvLoraRank: mlaCfg?.kvLoraRank ?? 0,
    qkRopeHeadDim: mlaCfg?.qkRopeHeadDim ?? 0,
    experts,
    topK,
    sharedExperts: shared,
    expertFfn,
    expertBias: moe?.expertBias ?? false,
    gluClamp: moe?.gluClamp !== undefined,
    mtpDepth,
    attnParams,
    mlpParams,
    expertParams,
    routerParams,
    embedParams,
    headParams,
    totalParams,
    activeParams,
    mtpParams: mtpDepth * mtpLayer,
    slidingWindow: slidingWindowOf(m),
  };
}
