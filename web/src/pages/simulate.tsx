// Simulate: one training iteration (or one collective) at flow level: the timeline, per-tier link utilisation,
// simulated against analytical, and the trace for Perfetto.
import type { SimulationData } from "../../../src/report/scenario.js";
import { simulationSection } from "../../../src/report/sections.js";
import { FILE, type PageProps } from "../app.js";
import { download } from "../download.js";
import { PageHead } from "../form.js";
import { useJob } from "../hooks.js";
import { ErrorPanel, JsonView, Progress, SectionView } from "../ui.js";

export function SimulatePage(p: PageProps) {
  const r = useJob<SimulationData>(
    "simulate",
    p.summary ? { kind: "simulate", text: p.text, file: FILE } : undefined,
  );
  const d = r.value;
  return (
    <div class="page" data-page-view="simulate">
      <PageHead
        title="Simulate"
        lead="Flow-level simulation of one training iteration (one representative rank per equivalence class), or of the scenario's collective."
        cli={`zettasim simulate ${FILE} --json --trace trace.json`}
      />
      {p.checkError ? <ErrorPanel error={p.checkError} /> : null}
      {r.status === "running" ? (
        <Progress
          label={`Simulating… ${r.progress ? `${(r.progress.done / 1000).toFixed(1)} ms simulated` : ""}`}
          done={0}
          total={0}
        />
      ) : null}
      {r.status === "error" && r.error && !p.checkError ? <ErrorPanel error={r.error} /> : null}
      {d && p.summary && !p.checkError ? (
        <>
          <div class="toolbar">
            <button
              type="button"
              data-testid="download-trace"
              onClick={() => download("trace.json", JSON.stringify(d.trace), "application/json")}
            >
              Download trace (open in Perfetto)
            </button>
            <span class="muted small">
              ui.perfetto.dev or chrome://tracing;{" "}
              {r.ms !== undefined ? `simulated in ${(r.ms / 1000).toFixed(2)} s` : ""}
            </span>
          </div>
          <SectionView s={simulationSection(d.report, p.summary.systemName, d.segments)} />
          <JsonView value={d.report} command={`zettasim simulate ${FILE} --json`} testid="json-simulate" />
        </>
      ) : null}
    </div>
  );
}
