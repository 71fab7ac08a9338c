// Sliding-window (local) attention: which layers attend to a window, and the causal (query, key) pairs and KV a window leaves.
import type { ModelConfig } from "../schema/model.js";

/** A model's sliding-window attention resolved: window length and how many layers use it. */
export interface SlidingWindow {
  /** Keys each query attends to on a windowed layer (itself included), tokens; Infinity when none. */
  windowTokens: number;
  /** Layers with windowed attention (0 when the model has none). */
  windowedLayers: number;
}

/**
 * Windowed layers among `layers`: the pattern `localLayers` windowed then `globalLayers` full repeats from layer 0
 * (HF `layer_types`, Gemma 3's `sliding_window_pattern`). Cost O(1).
 */
export function slidingWindowOf(m: ModelConfig): SlidingWindow {
  const w = m.slidingWindow;
  if (!w) return { windowTokens: Number.POSITIVE_INFINITY, windowedLayers: 0 };
  const local = w.localLayers ?? 1;
  const period = local + (w.globalLayers ?? 0);
  const windowed = Math.floor(m.layers / period) * local + Math.min(m.layers % period, local);
  return { windowTokens: w.windowTokens, windowedLayers: windowed };
}

/**
 * Causal (query, key) pairs of one sequence of `seq` tokens under a window of `window` keys, in the continuous
 * form the full-attention cost uses (seq^2/2 when window >= seq; seq*window - window^2/2 beyond). Cost O(1).
 */
export function causalPairs(seq: number, window: number): number {
  return seq <= window ? (seq * seq) / 2 : seq * window - (window * window) / 2;
}

/**
 * Attention-core work of the average layer relative to full causal attention over `seq` tokens: 1 when no layer is
 * windowed or the window covers the sequence; the windowed layers' share scaled by their pair ratio. Cost O(1).
 */
export function windowedAttentionFactor(w: SlidingWindow, layers: number, seq: number): number {
  if (w.windowedLayers === 0 || w.windowTokens >= seq) return 1;
  const ratio = causalPairs(seq, w.windowTokens) / causalPairs(seq, seq);
  return 1 - (w.windowedLayers / layers) * (1 - ratio);
}

/**
 * Work of a windowed layer over a full causal layer for a block-sparse attention kernel whose query and key blocks
 * are `block` tokens (MaxText's splash attention): each query block computes, in full, every key block its band
 * touches (the diagonal block and ceil((window - 1) / block) before it) and skips the rest, where the causal layer
 * computes every key block up to the diagonal. Over the seq / block query blocks of a sequence: sum of min(i + 1, t)
 * over sum of (i + 1). 1 when the window covers the sequence; the pair count's ratio when blocks are no wider than
 * one token. Cost O(1).
 */
export function blockedWindowShare(seq: number, window: number, block: number): number {
  if (window >= seq) return 1;
  const n = Math.ceil(seq / block);
  const t = Math.min(n, Math.ceil((window - 1) / block) + 1);
  const windowed = (t * (t + 1)) / 2 + (n - t) * t;
  return windowed / ((n * (n + 1)) / 2);
}
