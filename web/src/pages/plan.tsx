// Planner: the exact search of `zettasim plan train` in the page, its chunks on Web Workers; the Pareto chart and the
// top layouts, and a click (on a point or a row) loads that layout into the scenario.
import { useMemo } from "preact/hooks";
import type { Kpi } from "../../../src/report/blocks.js";
import { type PlanPoint, paretoChart } from "../../../src/report/charts.js";
import { numericColumns } from "../../../src/report/html.js";
import type { PlanData } from "../../../src/report/scenario.js";
import { planKpis, planPoints, planTopTable } from "../../../src/report/sections.js";
import { FILE, type PageProps } from "../app.js";
import { Field, PageHead, TextInput } from "../form.js";
import { useJob } from "../hooks.js";
import { BlockView, Chart, ErrorPanel, JsonView, Progress } from "../ui.js";
import { fieldValue, getIn, readScenario, setIn } from "../yaml-edit.js";
import { ExamplePicker } from "./scenario.js";

const THREADS = Math.max(1, Math.min(6, (navigator.hardwareConcurrency || 2) - 1));
/** `plan.chips` as typed: "8192", "1024,2048" or "1024-8192" (powers of two between). */
function chipsValue(raw: string): unknown {
  const t = raw.trim();
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(t);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  if (t.includes(",")) return t.split(",").map((x) => fieldValue(x));
  return fieldValue(t);
}
const chipsText = (v: unknown) =>
  v === undefined
    ? ""
    : Array.isArray(v)
      ? v.join(",")
      : typeof v === "object" && v
        ? `${(v as { min: number }).min}-${(v as { max: number }).max}`
        : String(v);

export function PlanPage(p: PageProps) {
  const can = p.summary?.commands.train;
  const r = useJob<PlanData>(
    "plan",
    can === false || p.checkError
      ? undefined
      : { kind: "plan-train", text: p.text, file: FILE, threads: THREADS },
  );
  const d = r.value;
  const doc = readScenario(p.text);
  const load = (training: unknown) => {
    try {
      p.setText(setIn(p.text, ["training"], training));
      p.go("train");
    } catch {
      /* not YAML */
    }
  };
  const points = useMemo<PlanPoint[]>(() => (d ? planPoints(d.json) : []), [d]);
  const pick = (datum: unknown) => {
    const key = (datum as PlanPoint).key;
    const [kind, i] = key.split("-");
    const t = kind === "best" ? d?.training.bestByChips[Number(i)] : d?.training.top[Number(i)];
    if (t) load(t);
  };
  const spec = useMemo(() => (points.length ? paretoChart(points) : undefined), [points]);
  const j = d?.json;
  const kpis: Kpi[] = j ? planKpis(j) : [];
  const table = j ? planTopTable(j) : undefined;
  const num = numericColumns(table?.rows ?? []);
  return (
    <div class="page" data-page-view="plan">
      <PageHead
        title="Planner"
        lead="Every training layout (TP, PP, VPP, DP, EP, CP, micro-batch, recompute, ZeRO, SP, overlap, schedule, precision), searched exactly with bounds; the best per chip count and the top layouts."
        cli={`zettasim plan train ${FILE} --json`}
      />
      <section class="card">
        <h2>What to search</h2>
        <div class="fields">
          <div class="field" data-field="plan.chips">
            <label for="f-plan-chips">chips</label>
            <TextInput
              id="f-plan-chips"
              placeholder="the training section's"
              value={chipsText(doc ? getIn(doc, ["plan", "chips"]) : undefined)}
              onCommit={(v) => {
                try {
                  p.setText(setIn(p.text, ["plan", "chips"], chipsValue(v)));
                } catch {
                  /* not YAML */
                }
              }}
            />
          </div>
          <Field
            text={p.text}
            setText={p.setText}
            error={p.checkError ?? r.error}
            path={["plan", "objective"]}
            label="objective"
            options={["stepTime", "timeToTrain", "cost", "energy"]}
            placeholder="stepTime"
          />
          <Field
            text={p.text}
            setText={p.setText}
            error={p.checkError ?? r.error}
            path={["plan", "top"]}
            label="top"
            placeholder="10"
          />
          <Field
            text={p.text}
            setText={p.setText}
            error={p.checkError ?? r.error}
            path={["training", "globalBatchSize"]}
            label="global batch"
          />
          <Field
            text={p.text}
            setText={p.setText}
            error={p.checkError ?? r.error}
            path={["training", "seqLength"]}
            label="sequence"
          />
          <Field
            text={p.text}
            setText={p.setText}
            error={p.checkError ?? r.error}
            path={["training", "trainTokens"]}
            label="tokens to train"
          />
        </div>
        <p class="muted small">
          Chips: one count, a list (1024,2048) or a range (1024-8192: powers of two between).
        </p>
      </section>
      {p.checkError ? <ErrorPanel error={p.checkError} /> : null}
      {p.summary && !can ? (
        <div class="empty card">
          <p>The planner needs a model and a training section (sequence length and global batch).</p>
          <ExamplePicker setText={p.setText} section="training" />
        </div>
      ) : null}
      {r.status === "running" ? (
        <Progress
          label={`Searching on ${THREADS} worker${THREADS > 1 ? "s" : ""}… (bound phase, then best-first search)`}
          done={r.progress?.done ?? 0}
          total={r.progress?.total ?? 0}
        />
      ) : null}
      {r.status === "error" && r.error && can ? <ErrorPanel error={r.error} /> : null}
      {d && j && can && !p.checkError ? (
        <>
          <section class="card">
            <h2>Result</h2>
            <p class="lead">
              {j.scenario} on {p.summary?.systemName}: objective {j.objective}
              {j.runnerUp ? `; why not #2: ${j.runnerUp.summary}` : ""}
            </p>
            <BlockView b={{ kind: "kpis", items: kpis }} />
            {spec ? <Chart spec={spec} onPick={pick} /> : null}
          </section>
          <section class="card">
            <h2>Top layouts</h2>
            <div class="tablewrap">
              <table data-testid="plan-top">
                <thead>
                  <tr>
                    {table?.head.map((h, k) => (
                      <th key={h} class={num[k] ? "num" : undefined}>
                        {h}
                      </th>
                    ))}
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {table?.rows.map((row, i) => (
                    <tr key={row[0]}>
                      {row.map((c, k) => (
                        <td key={k} class={num[k] ? "num" : undefined}>
                          {c}
                        </td>
                      ))}
                      <td>
                        <button
                          type="button"
                          class="small-btn"
                          data-testid={`load-${row[0]}`}
                          onClick={() => load(d.training.top[i])}
                        >
                          Load
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <JsonView value={j} command={`zettasim plan train ${FILE} --json`} testid="json-plan" />
        </>
      ) : null}
    </div>
  );
}
