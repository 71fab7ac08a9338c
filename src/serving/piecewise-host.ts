// Host time of a decode step replayed as piecewise graphs: each layer's eager attention between captured pieces is issued from Python.

/**
 * A published host-bound decode layer under piecewise graph replay: the layer's wall time on the device timeline and
 * the part of it the device sat idle waiting for the host.
 */
export interface PiecewiseLayerMeasurement {
  /** Wall time of one decoder layer in the decode step, s. */
  layerS: number;
  /** Of it, device idle time ("free"), s: the layer is host-bound when this is most of it. */
  idleS: number;
  source: string;
}

/**
 * vllm-project/vllm-ascend issue 9404 (2026-05-21): Qwen3-VL-30B-A3B on two 910B3, CANN 8.5, vLLM 0.18.0 with
 * vllm-ascend 0.18.0rc1 in its default graph mode, profiled decode: 'decode阶段，一个transformer block执行 832us,
 * 中间free为591us，有严重的host bound问题' (one transformer block takes 832 us in decode, of which 591 us free: badly
 * host-bound); the reporter later found `cudagraph_mode: FULL_DECODE_ONLY` made decode speed normal, i.e. the default
 * left attention between graph pieces.
 */
export const VLLM_ASCEND_PIECEWISE_LAYER: PiecewiseLayerMeasurement = {
  layerS: 832e-6,
  idleS: 591e-6,
  source:
    "vllm-project/vllm-ascend issue 9404 (2026-05-21): Qwen3-VL-30B-A3B, 2 x 910B3, vllm-ascend 0.18.0rc1, default graph mode: 832 us per decode layer, 591 us of it device idle",
};

/**
 * Host time per layer of a host-bound piecewise decode step, s: the measured layer's wall time, all of it issue time
 * when the device idles for most of it (an upper bound, as `eagerHostPerKernelS` is: the layer cannot finish before
 * its host work, and may take longer only on the device). Throws RangeError unless 0 <= idle <= layer and the layer is
 * host-bound (idle at least half of it). O(1).
 */
export function piecewiseHostPerLayerS(m: PiecewiseLayerMeasurement): number {
  if (!(m.layerS > 0) || !(m.idleS >= 0) || m.idleS > m.layerS)
    throw new RangeError(`expected 0 <= idleS <= layerS, got idleS ${m.idleS}, layerS ${m.layerS}`);
  if (m.idleS < m.layerS / 2)
    throw new RangeError(
      `the layer is not host-bound (idle ${m.idleS} s of ${m.layerS} s): its wall time is not host time`,
    );
  return m.layerS;
}

/**
 * Time the host needs to issue a piecewise-replayed step of `layers` decoder layers (per micro-batch already counted),
 * s: layers x `perLayerS` when the step replays graphs and the engine gives a figure, else 0 (an eager step is charged
 * by `eagerHostLaunchS`, a full-graph replay is one launch). Launches are asynchronous, so the step lasts max(device
 * time, this). O(1).
 */
export function piecewiseHostS(layers: number, graphs: boolean, perLayerS: number | undefined): number {
  if (!graphs || perLayerS === undefined || layers <= 0) return 0;
  return layers * perLayerS;
}
