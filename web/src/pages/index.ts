// The pages, loaded as their own chunk (with the charts and Observable Plot) while the worker starts, so the shell
// and the first figures are not held up by chart code.
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
export { TrainPage } from "./train.js";

/** A scenario's results as the same self-contained HTML report `zettasim report` writes. */
export function reportFile(r: ScenarioResults, file: string): string {
  const doc = scenarioDocument(r, ["zettasim web app", `zettasim report ${file}`]);
  return reportHtml(doc, (spec) =>
    stableIds((renderChart(spec, document, 960) as unknown as Element).outerHTML, spec.id),
  );
}
