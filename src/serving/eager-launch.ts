// Host time of an eagerly launched step: a Python-driven PyTorch engine that does not replay a graph issues every op from Python.

/**
 * A published eager (no graph) batch-1 decode step of a Python-driven PyTorch engine, bounded by the host: each op
 * goes through Python module code, the PyTorch dispatcher and the launch, and the GPU waits on the CPU.
 */
export interface EagerDecodeMeasurement {
  /** Measured decode step without graphs, s. */
  stepS: number;
  /** Same step replayed from CUDA graphs, s (shows the eager step is bound by the host, not the device). */
  graphStepS: number;
  /** Model layers; kernels are counted with the cost model's `kernelCounts` for the same model. */
  model: string;
  source: string;
}

/**
 * SGLang PR 1401 (sgl-project/sglang, "Support cuda graph in the triton attention backend", 2024-09-12),
 * `sglang.bench_latency --model meta-llama/Meta-Llama-3-8B --batch-size 1 --input 128 --output 8`: decode median
 * latency with the FlashInfer backend 7.35 ms from CUDA graphs and 8.23 ms with `--disable-cuda-graph` (Triton
 * backend: 7.06 / 9.28 ms; its Python Triton launcher costs more per op, so the FlashInfer pair is taken). The same
 * PR times DeepSeek-Coder-V2-Lite with MLA at 6.22 ms from graphs and about 4x that eager, and sglang issue 1369
 * reports 31 ms per token eager against 8 ms with graphs for that model on A100: MLA + MoE layers launch more ops.
 */
export const SGLANG_EAGER_LLAMA3_8B: EagerDecodeMeasurement = {
  stepS: 8.23e-3,
  graphStepS: 7.35e-3,
  model: "llama3-8b",
  source:
    "sgl-project/sglang PR 1401 (2024-09-12), bench_latency Llama 3 8B batch 1, FlashInfer eager vs CUDA graph",
};

/**
 * Host time per launched kernel of an eager Python-driven step, s: the measured eager step over the kernels the
 * cost model counts for that model's step (the step is host-bound when it is slower than its graph replay, so all
 * of it is issue time; per-step Python work such as sampling is included, so this is an upper bound). O(1).
 */
export function eagerHostPerKernelS(m: EagerDecodeMeasurement, kernelsPerStep: number): number {
  if (!(kernelsPerStep > 0)) throw new RangeError(`kernelsPerStep must be > 0, got ${kernelsPerStep}`);
  return m.stepS / kernelsPerStep;
}

/**
 * Time the host needs to issue an eager step's kernels, s: `kernels x perKernelS` when the step is not replayed
 * from a graph, else 0 (a graph replay is one launch). Kernels are issued asynchronously, so the step lasts
 * max(device time, this), not their sum. Engines without a figure (`perKernelS` undefined) charge nothing. O(1).
 */
export function eagerHostLaunchS(kernels: number, graphs: boolean, perKernelS: number | undefined): number {
  if (graphs || perKernelS === undefined || kernels <= 0) return 0;
  return kernels * perKernelS;
}

/**
 * Host time per kernel of an eager Python-driven PyTorch decode step, s: SGLang's eager Llama 3 8B step (8.23 ms) over
 * the 356 kernels `kernelCounts` gives that model (32 layers x 11 + 4), 23.1 us (`eager-launch.test.ts` recomputes it).
 * Taken for every engine whose model code runs in Python on PyTorch (SGLang, vLLM, TensorRT-LLM's PyTorch backend):
 * one measurement, one host CPU (A for the others).
 */
export const PYTHON_EAGER_HOST_PER_KERNEL_S = 23.1e-6;
