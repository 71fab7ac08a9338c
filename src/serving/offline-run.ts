// The engine steps of a one-wave offline run (all prompts submitted at once, each generating a few tokens): prefill steps, then the decode tail, and the run's wall time priced step by step.
import { require_, requireArgument } from "../core/errors.js";
import { causalPrefillPairs, type InstanceCost } from "./cost.js";

/** One engine step of the run on one attention rank: whole prompts prefilled, sequences decoding and the KV they read. */
export interface OfflineRunStep {
  /** Prompts whose prefill runs in this step (0 in the decode tail). */
  prefillPrompts: number;
  /** Sequences generating one token in this step (prompts prefilled in earlier steps and not yet finished). */
  decodeSeqs: number;
  /** KV tokens those sequences read: their prompts plus the tokens generated so far. */
  decodeKvTokens: number;
}

/**
 * The steps of an offline run of `prompts` prompts of `inputTokens` tokens on one attention rank, each generating
 * `outputTokens` tokens, with `promptsPerStep` whole prompts prefilled per step (the engine's token budget:
 * prefillPromptsPerRank), O(steps). Why: vLLM's `vllm bench throughput` (vllm/benchmarks/throughput.py, run_vllm)
 * submits every request to one `llm.generate()` call and divides the prompt and output tokens by that call's wall time,
 * so the published "total tokens/s" of a prompt-heavy run spans its whole schedule, not its prefill steps alone. Under
 * chunked prefill vLLM V1's scheduler serves running requests first (vllm/v1/core/sched/scheduler.py, `schedule`: the
 * RUNNING queue, then WAITING within the remaining token budget), so a prompt's first token comes from its prefill step
 * and it decodes one token in every later step, alongside the later prompts' prefill; the last group of prompts then
 * needs `outputTokens - 1` decode-only steps, while the earlier groups finish one by one. Group g (1-based) is
 * prefilled in step g and has produced `t - g` tokens before step t; it decodes in step t while `t - g < outputTokens`.
 * Prompts are taken whole, as the rest of the prefill model takes them (a prompt split over two steps moves a chunk, not
 * the totals). Returns no steps for no prompts; with `outputTokens` 1, the prefill steps only. Throws ZettasimError on a
 * non-integer or out-of-range input, naming it.
 */
export function offlineRunSteps(
  prompts: number,
  promptsPerStep: number,
  inputTokens: number,
  outputTokens: number,
): OfflineRunStep[] {
  const ints: Record<string, [number, number]> = {
    prompts: [prompts, 0],
    promptsPerStep: [promptsPerStep, 1],
    inputTokens: [inputTokens, 1],
    outputTokens: [outputTokens, 1],
  };
  for (const [k, [v, min]] of Object.entries(ints)) {
    require_(
      Number.isInteger(v) && v >= min,
      [k],
      `must be an integer >= ${min}`,
      v,
      `a whole number >= ${min}`,
    );
  }
  const groups = Math.ceil(prompts / promptsPerStep);
  const size = (g: number) => Math.min(promptsPerStep, prompts - (g - 1) * promptsPerStep);
  const steps: OfflineRunStep[] = [];
  const last = groups + outputTokens - 1;
  for (let t = 1; t <= (groups === 0 ? 0 : last); t++) {
    let decodeSeqs = 0;
    let decodeKvTokens = 0;
    for (let g = 1; g < Math.min(t, groups + 1); g++) {
      const made = t - g;
      if (made >= outputTokens) continue;
      decodeSeqs += size(g);
      decodeKvTokens += size(g) * (inputTokens + made);
    }
    steps.push({ prefillPrompts: t <= groups ? size(t) : 0, decodeSeqs, decodeKvTokens });
  }
  return steps;
}

/** A one-wave offline run on one serving instance: every prompt submitted at once, each generating `outputTokens`. */
export interface OfflineRun {
  /** Prompts submitted at once to the whole instance (spread over its attention ranks). */
  prompts: number;
  /** Tokens per prompt, and of them the ones found in the prefix cache (not computed; 0 to inputTokens - 1). */
  inputTokens: number;
  cachedTokens: number;
  /** Tokens each prompt generates (the first from its prefill step). */
  outputTokens: number;
  /** Whole prompts prefilled per step per attention rank: the engine's token budget (prefill-batch.ts, prefillPromptsPerRank). */
  promptsPerStep: number;
}

/**
 * Wall time of a one-wave offline run on the instance `cost` prices, s, and the prompts each attention rank holds
 * (`ceil(prompts / attentionDp)`): every step of offlineRunSteps priced on its own by `cost.step` (prefill of
 * `promptsPerStep` whole prompts, only their uncached tokens computed, with the decode of the earlier ones, then the
 * decode tail). The published rate of such a run (vLLM's `vllm bench throughput`: prompt and output tokens over the
 * `llm.generate()` call's wall time) is its tokens over `wallS`. Throws ZettasimError naming a non-integer or
 * out-of-range input. Cost: one step per engine step of the run.
 */
export function offlineRunS(cost: InstanceCost, run: OfflineRun): { wallS: number; promptsPerRank: number } {
  requireArgument(cost, "cost", "object", "an InstanceCost (new InstanceCost(model, system, layout, opts))");
  requireArgument(
    run,
    "run",
    "object",
    "an OfflineRun {prompts, inputTokens, cachedTokens, outputTokens, ...}",
  );
  const { inputTokens: n, cachedTokens: cached, outputTokens: out, promptsPerStep } = run;
  require_(
    Number.isInteger(cached) && cached >= 0 && cached < n,
    ["run", "cachedTokens"],
    `must be an integer from 0 to inputTokens - 1 (${n - 1})`,
    cached,
    "a whole number of prompt tokens already in the prefix cache, below inputTokens",
  );
  require_(
    Number.isInteger(run.prompts) && run.prompts >= 0,
    ["run", "prompts"],
    "must be an integer >= 0",
    run.prompts,
  );
  const dp = cost.layout.attentionDp;
  const promptsPerRank = Math.ceil(run.prompts / dp);
  const fresh = n - cached;
  let wallS = 0;
  for (const st of offlineRunSteps(promptsPerRank, promptsPerStep, n, out)) {
    const tokens = st.prefillPrompts * fresh + st.decodeSeqs;
    wallS += cost.step(
      {
        prefillTokens: st.prefillPrompts * fresh,
        prefillPairs: st.prefillPrompts * causalPrefillPairs(fresh, cached),
        decodeSeqs: st.decodeSeqs,
        decodeKvTokens: st.decodeKvTokens,
        logitTokens: st.prefillPrompts + st.decodeSeqs,
      },
      tokens * dp,
    ).timeS;
  }
  return { wallS, promptsPerRank };
}
