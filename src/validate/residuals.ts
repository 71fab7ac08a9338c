// Out-of-sample residuals of every validation case, tagged with the band class it belongs to: what the uncertainty bands are generated from.

import type { BandQuery } from "../catalog/families/bands.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveChip } from "../catalog/resolve.js";
import type { DeclarationsFile } from "./declarations.js";
import { runValidation, validationCases } from "./run.js";
import { stepTimeErrorPct } from "./serving.js";

/**
 * Residuals (percent) of every modelled training and inference case, each the out-of-sample one: the plain
 * error of a case no fit has seen, the leave-one-source-out error of one a fit has. Cost: a validation run
 * with cross-validation.
 */
export function outOfSampleResiduals(
  files: { name: string; value: unknown }[],
  declarations: DeclarationsFile | undefined,
): { id: string; q: BandQuery; errorPct: number }[] {
  const report = runValidation(files, { declarations });
  const raw = files.flatMap((f) => validationCases(f.value, f.name));
  const out: { id: string; q: BandQuery; errorPct: number }[] = [];
  report.cases.forEach((c, i) => {
    if (c.kind !== "training" && c.kind !== "inference") return;
    const err = c.inSample ? c.cvErrorPct : c.errorPct;
    if (err === null || err === undefined) return;
    // Serving residuals are read as step-time errors, whether the case published a time or a rate.
    const e = c.kind === "inference" ? stepTimeErrorPct(c.metric, err) : err;
    const rc = raw[i];
    const hw = rc.hardware as Record<string, unknown>;
    let family: string;
    try {
      family = chipFamily(resolveChip(hw.chip).family).id;
    } catch {
      return;
    }
    const model = rc.model as Record<string, unknown>;
    out.push({
      id: c.id,
      q: {
        family,
        kind: c.kind === "training" ? "training" : "serving",
        moe: model.moe != null,
        chips: hw.chips as number,
      },
      errorPct: e,
    });
  });
  return out;
}
