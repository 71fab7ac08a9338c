// Training: step time, MFU, memory per chip and where the step goes, with the layout editable in place.
import { useEffect, useState } from "preact/hooks";
import { trainingKpis, trainingLead } from "../../../src/report/training-kpis.js";
import type { TrainingData } from "../../../src/report/training-results.js";
import { FILE, firstResult, markFirstResult, type PageProps } from "../app.js";
import { PageHead, TrainingFields } from "../form.js";
import { useJob } from "../hooks.js";
import { chartCode, ErrorPanel, JsonView, SectionView } from "../ui.js";
import { ExamplePicker } from "./scenario.js";

export function TrainPage(p: PageProps) {
  const can = p.summary?.commands.train;
  // Runs at once, beside the check: a scenario without training gets an error the page does not show.
  const r = useJob<TrainingData>(
    "quick",
    can === false ? undefined : { kind: "train", text: p.text, file: FILE },
  );
  useEffect(() => {
    if (r.status === "done") markFirstResult();
  }, [r.status]);
  // The section with its charts once the chart code has loaded (after the first figures); until then its KPIs.
  const [charts, setCharts] = useState<Awaited<ReturnType<typeof chartCode>> | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void firstResult.then(chartCode).then((c) => {
      if (live) setCharts(c);
    });
    return () => {
      live = false;
    };
  }, []);
  const data = r.status === "done" || r.status === "running" ? r.value : undefined;
  return (
    <div class="page" data-page-view="train">
      <PageHead
        title="Training"
        lead="Step time, throughput, MFU, memory per chip, time and energy to train, and the time to train once parts fail."
        cli={`zettasim train ${FILE} --json`}
      />
      <section class="card">
        <h2>Layout</h2>
        <TrainingFields text={p.text} setText={p.setText} error={p.checkError ?? r.error} />
      </section>
      {p.checkError ? <ErrorPanel error={p.checkError} /> : null}
      {p.summary && !can ? (
        <div class="empty card">
          <p>
            This scenario has no {p.summary.modelId ? "`training` section" : "`model`"}: training needs both.
          </p>
          <ExamplePicker setText={p.setText} section="training" />
        </div>
      ) : null}
      {r.status === "error" && r.error && can ? <ErrorPanel error={r.error} /> : null}
      {data && p.summary && can && !p.checkError ? (
        <>
          {data.notFit ? <ErrorPanel error={data.notFit} title="Does not fit in memory" /> : null}
          <SectionView
            s={
              charts
                ? charts.trainingSection(data.report, p.summary.systemName, data.failures)
                : {
                    id: "training",
                    title: "Training",
                    lead: trainingLead(data.report, p.summary.systemName),
                    blocks: [{ kind: "kpis", items: trainingKpis(data.report, data.failures) }],
                  }
            }
          />
          <p class="timing" data-testid="timing">
            estimated in <span data-testid="page-ms">{(r.pageMs ?? 0).toFixed(1)}</span> ms, request to result
          </p>
          <JsonView value={data.report} command={`zettasim train ${FILE} --json`} testid="json-train" />
        </>
      ) : null}
    </div>
  );
}
