// A scenario's results as a report document: one section per command that ran. Imports no engine, so a page can
// build it from results a Web Worker computed.
import type { ReportDocument, Section } from "./blocks.js";
import type { ScenarioResults } from "./scenario.js";
import {
  planSection,
  reliabilitySection,
  servingSection,
  simulationSection,
  specSection,
  trainingSection,
} from "./sections.js";

/** The report document of a scenario's results: one section per command that ran. */
export function scenarioDocument(r: ScenarioResults, provenance: string[]): ReportDocument {
  const sections: Section[] = [specSection(r.spec)];
  if (r.training) sections.push(trainingSection(r.training.report, r.systemName, r.training.failures));
  if (r.plan) sections.push(planSection(r.plan.json, r.systemName));
  if (r.simulation)
    sections.push(simulationSection(r.simulation.report, r.systemName, r.simulation.segments));
  if (r.reliability)
    sections.push(
      reliabilitySection(r.reliability.report, r.systemName, r.reliability.scale, r.reliability.interval),
    );
  if (r.serving) sections.push(servingSection(r.serving.report, r.systemName, r.serving.cdf));
  if (r.skipped.length)
    sections.push({ id: "not-run", title: "Not run", blocks: [{ kind: "list", items: r.skipped }] });
  return { title: r.name, subtitle: `zettasim report of ${r.file}`, provenance, sections };
}
