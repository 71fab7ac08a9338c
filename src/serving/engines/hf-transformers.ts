// HuggingFace transformers generate() with a graph-compiled forward (torch.compile, Ascend torchair): a static batch whose host loop waits on the device every step.
import { GENERIC_ENGINE } from "./generic.js";
import { deriveEngine } from "./lineage.js";
import type { ServingEngine } from "./types.js";

/**
 * HF transformers `generate()` (greedy search, transformers 4.31-4.37) around a forward compiled to a device graph
 * (torchair's NPU backend for torch.compile; Ascend/torchair npu_tuned_model/llm READMEs: '图模式'). The forward
 * replays as a graph (`decodeGraphs`), but the loop around it is not an overlapped scheduler: after each forward,
 * transformers' greedy search (src/transformers/generation/utils.py, `greedy_search`) takes the argmax, appends it,
 * updates the attention mask and, when the model has an end-of-sequence id (Llama 2/3, Qwen2 do), evaluates
 * `unfinished_sequences.max() == 0` in Python, which reads a device tensor on the host: 'creates a synchronization
 * point' (huggingface/transformers PR 22875, merged 2023-04-20, which moved the check under the eos condition). The
 * host therefore prepares and launches step n+1 only after step n has finished on the device: host time adds to the
 * step (`hostOverlap` false). How much host time one step takes (Python loop, input preparation, the graph launch) is
 * not published for this stack: the generic 1 ms per step and 5 us per sequence are kept (A). DeepSpeed inference's
 * automatic tensor parallelism is how the torchair samples split a model (A for other uses): tensor-parallel layout.
 */
export const HF_TRANSFORMERS: ServingEngine = deriveEngine(GENERIC_ENGINE, {
  id: "hf-transformers",
  name: "HuggingFace transformers generate() (graph-compiled forward, host in series)",
  hostOverlap: false,
  defaultLayout: "tensor-parallel",
  source:
    "transformers 4.31-4.37 generation/utils.py greedy_search (unfinished_sequences.max() host read each step); huggingface/transformers PR 22875 ('creates a synchronization point'); host figures as generic (A)",
});
