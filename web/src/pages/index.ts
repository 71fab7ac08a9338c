// The pages other than training, loaded as their own chunk (with the report's code) after the first figures are on
// screen or when one of them is opened, so the shell and the first estimate are not held up by them.
import { renderChart, stableIds } from "../../../src/report/charts.js";
import { reportHtml } from "../../../src/report/html.js";
import type { ScenarioResults } from "../../../src/report/scenario.js";
import { scenarioDocument } from "../../../src/report/scenario-document.js";

export { PlanPage } from "./plan.js";
export { ReliabilityPage } from "./reliability.js";
export { ScenarioPage } from "./scenario.js";
export { ServePage } from "./serve.js";
export { SimulatePage } from "./simulate.js";
export { SpecPage } from "./spec.js";

/** A scenario's results as the same self-contained HTML report `zettasim report` writes. */
export function reportFile(r: ScenarioResults, file: string): string {
  const doc = scenarioDocument(r, ["zettasim web app", `zettasim report ${file}`]);
  return reportHtml(doc, (spec) =>
    stableIds((renderChart(spec, document, 960) as unknown as Element).outerHTML, spec.id),
  );
}
