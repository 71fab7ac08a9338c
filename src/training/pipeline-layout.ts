// Decoder layers per pipeline rank: the model's split when a run does not publish its layout, or the published one (first and last rank).
import { ZettasimError } from "../core/errors.js";

/** Decoder layers on the first, each middle and the last pipeline rank (all its virtual stages together). */
export interface StageLayers {
  first: number;
  middle: number;
  last: number;
}

/**
 * Layers per pipeline stage when the run does not publish its layout: first, middle, last. When the layers do
 * not divide evenly, the first and last stages (which also hold the embedding and the output layer, and the first
 * the most micro-batches in flight) are the short ones, as Llama 3 (one layer fewer on each, sec. 3.3.2) and
 * Megatron's account_for_embedding/loss_in_pipeline_split lay them out; when that would empty them, the last
 * stage takes the remainder. Cost O(1).
 */
export function stageLayers(layers: number, p: number): StageLayers {
  if (p <= 1) return { first: layers, middle: layers, last: layers };
  const base = Math.ceil(layers / p);
  const deficit = p * base - layers;
  const first = base - Math.ceil(deficit / 2);
  const last = base - Math.floor(deficit / 2);
  if (first >= 1 && last >= 1) return { first, middle: base, last };
  return { first: base, middle: base, last: Math.max(1, layers - (p - 1) * base) };
}

/**
 * A published layout's layers per rank: `first` and `last` as given, the middle ranks sharing the rest (the
 * busiest middle rank when they do not divide evenly: it paces the pipeline). Megatron-Bridge's DeepSeek-V3
 * recipes, for instance, put the embedding and 4 layers on the first of 16 ranks and 1 layer with the MTP module
 * and the loss on the last (recipes/deepseek/deepseek_v3.py, layout_map (16, 1)), where an even split leaves the
 * last rank 3 layers besides MTP and loss. Throws ZettasimError naming `path` when the layout cannot hold the
 * model's layers on `p` ranks. Cost O(1).
 */
export function publishedStageLayers(
  published: { first: number; last: number },
  layers: number,
  p: number,
  path: (string | number)[],
): StageLayers {
  const { first, last } = published;
  const fail = (message: string, expected: string): never => {
    throw new ZettasimError([{ path, message, value: published, expected }]);
  };
  if (p < 2) fail("a pipeline layout needs at least 2 pipeline stages", "null, or pp >= 2");
  const rest = layers - first - last;
  if (p === 2 && rest !== 0)
    fail(
      `with 2 pipeline stages the first and last hold all ${layers} layers (given ${first + last})`,
      `first + last = ${layers}`,
    );
  if (p > 2 && rest < p - 2)
    fail(
      `the ${p - 2} middle stages need at least one of the model's ${layers} layers each (first + last = ${first + last})`,
      `first + last <= ${layers - (p - 2)}`,
    );
  return { first, middle: p > 2 ? Math.ceil(rest / (p - 2)) : Math.max(first, last), last };
}
