// HuggingFace transformers generate() with a graph-compiled forward (torch.compile, Ascend torchair): a static batch whose host loop waits on the device every step.
import { GENERIC_ENGINE } from "./generic.js";
import { deriveEngine } from "./lineage.js";
import type { ServingEngine } from "./types.js";

/**
 * HF transformers `generate()` (greedy search, transformers 4.31-4.40) around a forward compiled to a device graph
 * (torchair's NPU backend for torch.compile; Ascend/torchair npu_tuned_model/llm READMEs: '图模式'). The forward
 * replays as a graph (`decodeGraphs`), but the loop around it is not an overlapped scheduler: after each forward,
 * transformers' greedy search (src/transformers/generation/utils.py, `greedy_search`) takes the argmax, appends it,
 * updates the attention mask and, when the model has an end-of-sequence id (Llama 2/3, Qwen2 do), evaluates
 * `unfinished_sequences.max() == 0` in Python, which reads a device tensor on the host: 'creates a synchronization
 * point' (huggingface/transformers PR 22875, merged 2023-04-20, which moved the check under the eos condition). The
 * host therefore prepares and launches step n+1 only after step n has finished on the device: host time adds to the
 * step (`hostOverlap` false).
 *
 * What the torchair samples time (s17-torchair, issue 13): their READMEs' '图模式适配' section puts
 * `torch.npu.synchronize()` before and after the compiled forward `self(**model_inputs)` inside `greedy_search` and
 * times only that call ('全量耗时统计的是模型第一个step数据，增量耗时统计后续step数据的均值'; llama/README.md at
 * 18b6477f, qwen/README.md at 023f5b26). The published step is therefore the forward's own host side (dynamo's guards,
 * torchair's input conversion, the graph launch), started on an idle device, plus the device graph: still host in
 * series, but generate()'s loop work outside the call (argmax, stop check, `prepare_inputs_for_generation` with its
 * `.cpu().tolist()` of the positions) is not in the published figure. How long the call's host side is on the
 * samples' Arm host is not published: the generic 1 ms per step and 5 us per sequence are kept (A).
 *
 * Layout: DeepSpeed inference's automatic tensor parallelism is how the torchair samples split a model (A for other
 * uses): tensor-parallel layout. The runners load the model with `from_pretrained` and hand it to
 * `deepspeed.init_inference` without a checkpoint description (benchmark/deepspeed/benchmark_llama.py at 18b6477f,
 * benchmark_qwen.py at 023f5b26); DeepSpeed v0.14.1/v0.14.2 (the versions the READMEs name) splits the LM head
 * (`set_lm_head`) only on its checkpoint-loading paths (deepspeed/module_inject/replace_module.py,
 * `replace_transformer_layer`), and AutoTP replaces only `nn.Linear` layers inside the decoder layers, so the
 * embedding and the LM head stay whole on every rank (`lmHeadReplicated`): each rank streams the whole head each
 * step and computes every logit, with no gather. The README's own figure confirms it: the Llama 3 70B weights per
 * NPU at TP 8 were 'llama3网络 权重（19.8543G）' (llama/README.md at e5391fc8, the batch-48 OOM note), which whole
 * vocabulary tables give (19.85 GiB; sharded ones would give 16.43).
 */
export const HF_TRANSFORMERS: ServingEngine = deriveEngine(GENERIC_ENGINE, {
  id: "hf-transformers",
  name: "HuggingFace transformers generate() (graph-compiled forward, host in series)",
  hostOverlap: false,
  defaultLayout: "tensor-parallel",
  lmHeadReplicated: true,
  source:
    "transformers 4.31-4.40 generation/utils.py greedy_search (unfinished_sequences.max() host read each step); huggingface/transformers PR 22875 ('creates a synchronization point'); torchair llm READMEs' timing (torch.npu.synchronize() around the forward); DeepSpeed v0.14.1-0.14.2 replace_module.py (LM head split only when loading a checkpoint); host figures as generic (A)",
});
