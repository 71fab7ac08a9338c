// `npm run fit`: reruns every fit (kernel profiles from data/kernels/, case-fitted figures from validation/, and the
// serving fits of scripts/fit/serving.ts), fails when a value in the code differs from what its script computes, and
// regenerates the uncertainty bands and docs/accuracy.md. `npm run fit -- --write` rewrites the case-fitted values
// (src/catalog/families/case-fits.data.ts, serving-fits.data.ts) first.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bandStats } from "../../src/catalog/families/bands.js";
import { CASE_FITS } from "../../src/catalog/families/case-fits.data.js";
import { chipFamily, familyIds } from "../../src/catalog/families/index.js";
import { resolveChip } from "../../src/catalog/resolve.js";
import type { FitRecord } from "../../src/core/fit.js";
import { fleetBandStats } from "../../src/reliability/fleet-band.js";
import {
  CASE_FIT_SPECS,
  caseFitRecords,
  type FitCase,
  fitCaseParameters,
} from "../../src/validate/case-fits.js";
import type { DeclarationsFile } from "../../src/validate/declarations.js";
import { reliabilityRateRatios } from "../../src/validate/reliability-band.js";
import { outOfSampleResiduals } from "../../src/validate/residuals.js";
import { runValidation, validationCases } from "../../src/validate/run.js";
import { trainingCaseInputs } from "../../src/validate/training.js";
import { projectValidation } from "../validation-files.js";
import { accuracyDoc, readmeWithAccuracy } from "./accuracy-doc.js";
import { deriveAmpereKernels } from "./kernels-ampere.js";
import { fitAscendKernels } from "./kernels-ascend.js";
import { deriveAscendCollective } from "./kernels-ascend-hccl.js";
import { deriveBlackwellKernels } from "./kernels-blackwell.js";
import { fitBlockScaledKLoop } from "./kernels-block-fp8.js";
import { deriveCdnaKernels } from "./kernels-cdna.js";
import { fitDecodeAttentionCall } from "./kernels-decode-attention.js";
import { fitFp8CallLines } from "./kernels-fp8-call.js";
import { deriveHopperFp8Gemm } from "./kernels-fp8-gemm.js";
import { fitFusedMoeStreaming } from "./kernels-fused-moe.js";
import { fitHopperKernels } from "./kernels-hopper.js";
import { fitLinearCallFixed } from "./kernels-linear-call.js";
import { fitGatherScatter } from "./kernels-nccl-gather.js";
import { fitTpuKernels } from "./kernels-tpu.js";
import { fitTrtllmMoe } from "./kernels-trtllm-moe.js";
import { ROOT } from "./lib.js";

/**
 * Each kernel fit script and the parameter path its values are relative to: it recomputes every family record that
 * names it, at the record's path less that prefix.
 */
const KERNEL_SCRIPTS: Record<string, { prefix: string; run: () => Record<string, number> }> = {
  "scripts/fit/kernels-hopper.ts": { prefix: "families.hopper.training", run: fitHopperKernels },
  "scripts/fit/kernels-blackwell.ts": { prefix: "families.blackwell.training", run: deriveBlackwellKernels },
  "scripts/fit/kernels-ampere.ts": { prefix: "families.ampere.training", run: deriveAmpereKernels },
  "scripts/fit/kernels-ascend.ts": { prefix: "families.ascend-910.training", run: fitAscendKernels },
  "scripts/fit/kernels-ascend-hccl.ts": {
    prefix: "families.ascend-910.training",
    run: deriveAscendCollective,
  },
  "scripts/fit/kernels-tpu.ts": { prefix: "families.tpu.servingByEngine.sglang-jax", run: fitTpuKernels },
  "scripts/fit/kernels-linear-call.ts": { prefix: "families", run: fitLinearCallFixed },
  "scripts/fit/kernels-decode-attention.ts": { prefix: "families", run: fitDecodeAttentionCall },
  "scripts/fit/kernels-block-fp8.ts": { prefix: "families", run: fitBlockScaledKLoop },
  "scripts/fit/kernels-fused-moe.ts": { prefix: "families", run: fitFusedMoeStreaming },
  "scripts/fit/kernels-fp8-call.ts": { prefix: "families", run: fitFp8CallLines },
  "scripts/fit/kernels-nccl-gather.ts": { prefix: "families", run: fitGatherScatter },
  "scripts/fit/kernels-cdna.ts": { prefix: "families.cdna", run: deriveCdnaKernels },
  "scripts/fit/kernels-trtllm-moe.ts": { prefix: "families", run: fitTrtllmMoe },
  "scripts/fit/kernels-fp8-gemm.ts": { prefix: "families.hopper.serving", run: deriveHopperFp8Gemm },
};

/** The declared-fit training cases on the families some case fit uses, parsed once. */
export function fitPool(files: { name: string; value: unknown }[], decl: DeclarationsFile): FitCase[] {
  const pool: FitCase[] = [];
  for (const f of files)
    for (const c of validationCases(f.value, f.name)) {
      if (c.kind !== "training" || decl.cases[c.id as string]?.role !== "fit") continue;
      const family = resolveChip((c.hardware as Record<string, unknown>).chip).family;
      if (!CASE_FIT_SPECS.some((s) => s.families.includes(family))) continue;
      pool.push({ id: c.id as string, family, inputs: trainingCaseInputs(c) });
    }
  return pool;
}

/** Source text of case-fits.data.ts for `records`. */
function caseFitsModule(records: FitRecord[]): string {
  return `// Generated by \`npm run fit -- --write\` (scripts/fit/run.ts): the model parameters fitted on validation cases, each with the cases it was fitted on. Do not edit by hand.
import type { FitRecord } from "../../core/fit.js";

export const CASE_FITS: readonly FitRecord[] = ${JSON.stringify(records, null, 2)};
`;
}

/** Source text of bands.data.ts for the current residuals. */
export function bandsModule(): string {
  const { files, declarations } = projectValidation();
  const stats = bandStats(outOfSampleResiduals(files, declarations));
  return `// Generated by \`npm run fit\` (scripts/fit/run.ts) from the validation cases' out-of-sample and cross-validated residuals. Do not edit by hand.
import type { BandStats } from "./bands.js";

export const BANDS: Readonly<Record<string, BandStats>> = ${JSON.stringify(stats, null, 2)};
`;
}

/** Source text of fleet-band.data.ts: the failure studies' rate-ratio band (src/reliability/fleet-band.ts). */
export function fleetBandModule(): string {
  const { files, declarations } = projectValidation();
  const stats = fleetBandStats(reliabilityRateRatios(files, declarations));
  return `// Generated by \`npm run fit\` (scripts/fit/run.ts) from the failure studies' out-of-sample rate ratios (measured / predicted). Do not edit by hand.
import type { FleetBandStats } from "./fleet-band.js";

export const FLEET_BAND: FleetBandStats = ${JSON.stringify(stats, null, 2)};
`;
}

/** Writes a generated module and formats it as the project's formatter does. */
function writeModule(path: string, text: string): void {
  writeFileSync(path, text);
  execFileSync(
    process.execPath,
    [join(ROOT, "node_modules/@biomejs/biome/bin/biome"), "format", "--write", path],
    {
      stdio: "ignore",
    },
  );
}

function main(): void {
  const write = process.argv.includes("--write");
  const bandsOnly = process.argv.includes("--bands-only");
  const problems: string[] = [];
  if (!bandsOnly) {
    // Kernel-level fits: every record a family lists against what its script computes now.
    const familyFits = familyIds.flatMap((id) => chipFamily(id).fits);
    for (const [script, k] of Object.entries(KERNEL_SCRIPTS)) {
      const got = k.run();
      const mine = familyFits.filter((x) => x.script === script);
      for (const r of mine) {
        const key = r.parameter.startsWith(`${k.prefix}.`) ? r.parameter.slice(k.prefix.length + 1) : "";
        if (got[key] !== r.value)
          problems.push(`${r.parameter}: code ${r.value}, ${script} computes ${got[key]}`);
      }
      process.stdout.write(`${script}: ${mine.length} values checked\n`);
    }
    for (const id of familyIds)
      for (const r of chipFamily(id).fits)
        if (!(r.script in KERNEL_SCRIPTS))
          problems.push(`${r.parameter}: no script ${r.script} in scripts/fit/run.ts`);
    // Case fits: refit on the declared-fit cases and compare values and case lists.
    const { files, declarations } = projectValidation();
    const records = caseFitRecords(fitCaseParameters(fitPool(files, declarations)));
    const same = JSON.stringify(records) === JSON.stringify(CASE_FITS);
    for (const r of records) process.stdout.write(`${r.parameter} = ${r.value} (${r.cases.length} cases)\n`);
    if (!same) {
      if (write) {
        writeModule(join(ROOT, "src/catalog/families/case-fits.data.ts"), caseFitsModule(records));
        process.stdout.write(
          "wrote src/catalog/families/case-fits.data.ts; checking again with the new values\n",
        );
        execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
          stdio: "inherit",
        });
        return;
      }
      problems.push(
        "case-fitted values or their cases differ from src/catalog/families/case-fits.data.ts (run `npm run fit -- --write`)",
      );
    }
  }
  if (problems.length) {
    process.stderr.write(`npm run fit: ${problems.length} problem(s):\n  ${problems.join("\n  ")}\n`);
    process.exit(1);
  }
  if (!bandsOnly) {
    // The serving fits (scripts/fit/serving.ts) come before the bands, which rest on their predictions.
    const data = join(ROOT, "src/catalog/families/serving-fits.data.ts");
    const before = readFileSync(data, "utf8");
    execFileSync(
      process.execPath,
      [...process.execArgv, join(ROOT, "scripts/fit/serving.ts"), write ? "--write" : "--check"],
      { stdio: "inherit" },
    );
    if (readFileSync(data, "utf8") !== before) {
      process.stdout.write("serving fits rewritten; computing the bands with the new values\n");
      execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--bands-only"], {
        stdio: "inherit",
      });
      return;
    }
  }
  writeModule(join(ROOT, "src/catalog/families/bands.data.ts"), bandsModule());
  process.stdout.write("wrote src/catalog/families/bands.data.ts\n");
  writeModule(join(ROOT, "src/reliability/fleet-band.data.ts"), fleetBandModule());
  process.stdout.write("wrote src/reliability/fleet-band.data.ts\n");
  const { files, declarations } = projectValidation();
  // One validation run (with cross-validation) feeds both documents.
  const report = runValidation(files, { declarations });
  writeFileSync(join(ROOT, "docs/accuracy.md"), accuracyDoc(report, declarations));
  process.stdout.write("wrote docs/accuracy.md\n");
  const readme = join(ROOT, "README.md");
  writeFileSync(readme, readmeWithAccuracy(readFileSync(readme, "utf8"), report));
  process.stdout.write("wrote README.md's accuracy table\n");
}

if (import.meta.url === `file://${process.argv[1]}`) main();
