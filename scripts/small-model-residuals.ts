// What a training case's predicted step is made of: GEMMs, attention, memory-bound element-wise work, FSDP2 copies, output layer and loss, optimizer, exposed DP/TP/PP communication, host launch time and pipeline bubble (docs/training.md, "Small models and single nodes: where the predicted step goes").
//
// Usage: npx tsx scripts/small-model-residuals.ts [--set field=value ...] [id-regex ...]   (default: the issue-13
// small-model rows and controls). `--set` replaces a training field of every printed case before it is predicted (a
// what-if, e.g. `--set attentionBackend=unfused`; the value is read as JSON where it parses, else as a string).
// Reads validation/*.json; changes nothing. Times are ms per optimizer step on the slowest pipeline stage; layer
// pieces are device time (slowest-chip factor applied), `host` the launch time of the same passes (a pass costs the
// larger of the two), `copies` what is left of the stage's compute (FSDP2 copies, host-bound passes' excess).
// `miss` is measured - predicted, ms. Errors are (predicted - measured) / measured, % as `validate` prints them. Holdouts printed here must be logged
// in validation/inspections.jsonl (COMMON rule 4).
import { analyze, layerCosts } from "../src/training/analyze.js";
import { prepareTraining } from "../src/training/estimate.js";
import { FP32_LOSS_BYTES, lossKernel, outputLayerCost } from "../src/training/output-layer.js";
import { slowestChipFactor } from "../src/training/overheads.js";
import { predictTrainingCase, trainingCaseInputs } from "../src/validate/training.js";
import { projectCases } from "./validation-files.js";

const DEFAULT = [
  "^torchao-llama3-8b-8x",
  "^tprimat-",
  "^marin-speedrun-llama-(130m|300m)",
  "^mlperf51-cisco-llama31-8b-128xh100",
  "^flagperf-baichuan2-13b-16xh800",
  "^tt-llama31-8b-8xh100",
  "405b.*8192xh100",
  "^mb2511-llama3-8b-8xh100",
];
const args = process.argv.slice(2);
const overrides: Record<string, unknown> = {};
for (let i = args.indexOf("--set"); i >= 0; i = args.indexOf("--set")) {
  const [key, ...rest] = (args[i + 1] ?? "").split("=");
  if (!key || rest.length === 0)
    throw new Error(`--set expects field=value, got ${JSON.stringify(args[i + 1])}`);
  const text = rest.join("=");
  try {
    overrides[key] = JSON.parse(text);
  } catch {
    overrides[key] = text;
  }
  args.splice(i, 2);
}
const pats = (args.length > 0 ? args : DEFAULT).map((p) => new RegExp(p));
const ms = (x: number) => (x * 1e3).toFixed(0).padStart(6);

const header = [
  "err%",
  "miss",
  "step",
  "gemm",
  "attn",
  "mem",
  "host",
  "copies",
  "recomp",
  "out+CE",
  "(CE)",
  "optim",
  "dpExp",
  "(dpAll)",
  "tp",
  "pp",
  "bubble",
];
console.log(`${header.map((h) => h.padStart(7)).join("")}  id  [m x layers, tokens/mb, launch us]`);
for (const { case: raw } of projectCases()) {
  const id = raw.id as string;
  if (raw.kind !== "training" || !pats.some((p) => p.test(id))) continue;
  const c = { ...raw, training: { ...(raw.training as object), ...overrides } };
  const inp = trainingCaseInputs(c);
  const pred = predictTrainingCase(c);
  const p = prepareTraining(inp.system, inp.model, inp.training);
  const lc = layerCosts(p);
  const a = analyze(p, false, lc);
  const t = p.t;
  const st = a.stages[a.slowest];
  const m = t.microBatches;
  const n = st.layers;
  const l = lc.dense;
  const slow = slowestChipFactor(t.chips);
  const launchS = t.cudaGraphs
    ? p.eff.launchS.graph
    : p.eff.launchS.eager * inp.system.chip.hostOpTimeRelative;
  const T = (t.microBatchSize * t.seqLength) / t.degrees.cp;
  const lastStage = a.slowest === a.stages.length - 1;
  // The output layer and loss as analyze.ts's stageExtras charges them (without MTP modules or vocabulary tiling).
  const vShard = p.shape.vocab / t.degrees.tp;
  const low = t.lowPrecisionOutputLayer && t.recipe.matmul !== "bf16";
  const loss = lossKernel(t.crossEntropyFusion, t.framework);
  const fused = loss.fused;
  const lossBytes = loss.bytes ?? FP32_LOSS_BYTES;
  const out = lastStage
    ? outputLayerCost(
        lc.kernels,
        T,
        vShard,
        p.shape.hidden,
        low,
        t.recipe.quantBytesPerElement,
        fused,
        lossBytes,
      )
    : { forwardS: 0, backwardS: 0 };
  const perLogit = lossBytes.forwardPerLogit + lossBytes.backwardPerLogit;
  const ce = lastStage ? lc.kernels.mem(T * vShard * perLogit, fused ? "crossEntropyFused" : "softmax") : 0;
  const gemm = m * n * slow * (l.gemmF + l.gemmB);
  const attn = m * n * slow * (l.attnF + l.attnB);
  const mem = m * n * slow * (l.memF + l.memB);
  const host = m * n * launchS * (l.kernelsF + l.kernelsB);
  const outS = m * slow * (out.forwardS + out.backwardS);
  const copies = m * st.computeS - gemm - attn - mem - outS;
  const row = [
    pred.errorPct.toFixed(1).padStart(7),
    ms(inp.measuredStepTimeS - a.stepTimeS).padStart(7),
    ms(a.stepTimeS).padStart(7),
    ms(gemm).padStart(7),
    ms(attn).padStart(7),
    ms(mem).padStart(7),
    ms(host).padStart(7),
    ms(copies).padStart(7),
    ms(m * st.recomputeS).padStart(7),
    ms(outS).padStart(7),
    ms(m * slow * ce).padStart(7),
    ms(a.optimizerS).padStart(7),
    ms(a.dpExposedS).padStart(7),
    ms(a.dpTotalS).padStart(7),
    ms(m * st.tpS).padStart(7),
    ms(m * st.ppS).padStart(7),
    ms(a.bubbleS).padStart(7),
  ];
  console.log(
    `${row.join("")}  ${id}  [${m} x ${n}, ${T}, ${(launchS * 1e6).toFixed(1)}; ${t.framework.id}${t.framework.compiled ? " compiled" : ""}, zero ${t.zero}, ${t.recompute}]`,
  );
}
