// Splits a strong-scaling series of training cases (same model and layout, fewer micro-batches per replica as the scale grows) into a per-step part and a per-micro-batch part, for the measured and the predicted steps, so a miss that grows with the scale can be told apart from one that is a fixed cost per step (docs/training.md, "MoE at scale, session 16").
//
// Usage: npx tsx scripts/step-intercept.ts <id-regex> [<id-regex> ...]   (default: NVIDIA's MLPerf v6.0 DeepSeek-V3
// GB200 series). Each regex is one series; a series needs at least two cases with different micro-batch counts.
// Prints, per case: micro-batches m, measured and predicted step (s), their difference, and the model's per-step parts
// (exposed DP communication, pipeline bubble, optimizer); per series: the least-squares line step = a x m + b for the
// measured and for the predicted steps. Reads validation/*.json; changes nothing. Holdouts printed here must be logged
// in validation/inspections.jsonl (COMMON rule 4).
import { leastSquaresLine } from "../src/core/fit.js";
import { analyze } from "../src/training/analyze.js";
import { estimateTraining, prepareTraining } from "../src/training/estimate.js";
import { trainingCaseInputs } from "../src/validate/training.js";
import { projectCases } from "./validation-files.js";

interface Point {
  id: string;
  m: number;
  measured: number;
  predicted: number;
  dpS: number;
  bubbleS: number;
  optimizerS: number;
}

const series = process.argv.slice(2);
if (series.length === 0) series.push("^mlperf60-deepseek-v3-\\d+xgb200-mxfp8$");
const all = projectCases();
for (const pattern of series) {
  const re = new RegExp(pattern);
  const points: Point[] = [];
  for (const { case: c } of all) {
    if (c.kind !== "training" || !re.test(c.id as string)) continue;
    const measured = (c.measured as { stepTimeS?: number }).stepTimeS;
    if (measured == null) continue;
    const inp = trainingCaseInputs(c);
    const e = estimateTraining(inp.system, inp.model, inp.training);
    const a = analyze(prepareTraining(inp.system, inp.model, inp.training));
    points.push({
      id: c.id as string,
      m: e.microBatches,
      measured,
      predicted: e.stepTimeS,
      dpS: a.dpExposedS,
      bubbleS: a.bubbleS,
      optimizerS: a.optimizerS,
    });
  }
  points.sort((p, q) => q.m - p.m);
  console.log(`series ${pattern}: ${points.length} cases`);
  for (const p of points) {
    const f = (x: number) => x.toFixed(3);
    console.log(
      `  ${p.id.padEnd(44)} m ${String(p.m).padStart(4)}  measured ${f(p.measured)}  predicted ${f(p.predicted)}` +
        `  miss ${f(p.measured - p.predicted)}  (model per step: dp ${f(p.dpS)} bubble ${f(p.bubbleS)} optimizer ${f(p.optimizerS)})`,
    );
  }
  if (points.length < 2) continue;
  const ms = points.map((p) => p.m);
  const meas = leastSquaresLine(
    ms,
    points.map((p) => p.measured),
  );
  const pred = leastSquaresLine(
    ms,
    points.map((p) => p.predicted),
  );
  console.log(`  measured  = ${meas.slope.toFixed(4)} s x m + ${meas.intercept.toFixed(3)} s`);
  console.log(`  predicted = ${pred.slope.toFixed(4)} s x m + ${pred.intercept.toFixed(3)} s`);
}
