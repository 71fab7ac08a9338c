// Reliability: goodput, interruptions and availability once parts fail (Monte Carlo beside the closed form), and
// goodput against scale and checkpoint interval.
import type { ReliabilityData } from "../../../src/report/scenario.js";
import { reliabilitySection } from "../../../src/report/sections.js";
import { FILE, type PageProps } from "../app.js";
import { PageHead } from "../form.js";
import { useJob } from "../hooks.js";
import { ErrorPanel, JsonView, Progress, SectionView } from "../ui.js";
import { ExamplePicker } from "./scenario.js";

export function ReliabilityPage(p: PageProps) {
  const can = p.summary?.commands.reliability;
  const r = useJob<ReliabilityData>(
    "reliability",
    can ? { kind: "reliability", text: p.text, file: FILE } : undefined,
  );
  const d = r.value;
  return (
    <div class="page" data-page-view="reliability">
      <PageHead
        title="Reliability"
        lead="Failures of every component kind, what each does to the job (restart, spare migration, shrink, reroute), checkpoints, and the goodput that is left."
        cli={`zettasim reliability ${FILE} --json`}
      />
      {p.checkError ? <ErrorPanel error={p.checkError} /> : null}
      {p.summary && !can ? (
        <div class="empty card">
          <p>
            This scenario has no run length: add a <code>reliability</code> section (idealTrainingDays or
            wallDays), or <code>training.trainTokens</code> with a model.
          </p>
          <ExamplePicker setText={p.setText} section="reliability" />
        </div>
      ) : null}
      {r.status === "running" ? (
        <Progress label="Monte Carlo…" done={r.progress?.done ?? 0} total={r.progress?.total ?? 0} />
      ) : null}
      {r.status === "error" && r.error && can ? <ErrorPanel error={r.error} /> : null}
      {d && p.summary && !p.checkError && can ? (
        <>
          <SectionView s={reliabilitySection(d.report, p.summary.systemName, d.scale, d.interval)} />
          <JsonView
            value={d.report}
            command={`zettasim reliability ${FILE} --json`}
            testid="json-reliability"
          />
        </>
      ) : null}
    </div>
  );
}
