// Serving: TTFT and TPOT distributions, throughput and goodput per chip, pools; a load sweep of throughput and
// latency against the arrival rate, its runs spread over several workers.
import { useEffect, useState } from "preact/hooks";
import type { SweepRow } from "../../../src/report/results.js";
import type { ServingData } from "../../../src/report/scenario.js";
import { servingSection, sweepBlocks } from "../../../src/report/sections.js";
import { FILE, type PageProps } from "../app.js";
import { Cancelled, JobError, runJob, stopLane } from "../client.js";
import { PageHead } from "../form.js";
import { useJob } from "../hooks.js";
import type { ErrorInfo } from "../protocol.js";
import { BlockView, ErrorPanel, JsonView, Progress, SectionView } from "../ui.js";
import { getIn, readScenario } from "../yaml-edit.js";
import { ExamplePicker } from "./scenario.js";

const LANES = Math.max(1, Math.min(6, (navigator.hardwareConcurrency || 2) - 1));

/** Runs a load sweep: one job per rate over several worker lanes; rows in the order of the rates. */
function useSweep(text: string, rates: number[] | undefined) {
  const [rows, setRows] = useState<(SweepRow | undefined)[]>([]);
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);
  const key = rates?.join(",") ?? "";
  useEffect(() => {
    setRows([]);
    setError(undefined);
    if (!rates?.length) return;
    let live = true;
    const out: (SweepRow | undefined)[] = rates.map(() => undefined);
    let next = 0;
    const lane = async (k: number) => {
      while (live && next < rates.length) {
        const i = next++;
        const row = await runJob<SweepRow>(`sweep-${k}`, {
          kind: "sweep-row",
          text,
          file: FILE,
          ratePerS: rates[i],
        });
        out[i] = row;
        if (live) setRows([...out]);
      }
    };
    Promise.all(Array.from({ length: Math.min(LANES, rates.length) }, (_, k) => lane(k))).catch((e) => {
      if (!live || e instanceof Cancelled) return;
      setError(e instanceof JobError ? e.info : { message: String(e), issues: [], internal: true });
    });
    return () => {
      live = false;
      for (let k = 0; k < LANES; k++) stopLane(`sweep-${k}`);
    };
  }, [text, key]);
  return { rows, error };
}

function SweepPanel(p: {
  text: string;
  rates?: number[];
  setRates: (r: number[] | undefined) => void;
  scenario: string;
  system: string;
}) {
  const doc = readScenario(p.text);
  const base = Number(getIn(doc, ["serving", "workload", "arrival", "ratePerS"]));
  const suggest =
    Number.isFinite(base) && base > 0
      ? [0.25, 0.5, 0.75, 1, 1.25, 1.5].map((f) => +(f * base).toPrecision(3))
      : [];
  const [draft, setDraft] = useState((p.rates ?? suggest).join(", "));
  const [bad, setBad] = useState<string | undefined>(undefined);
  const { rows, error } = useSweep(p.text, p.rates);
  const done = rows.filter(Boolean) as SweepRow[];
  const run = () => {
    const r = draft.split(",").map((x) => Number(x.trim()));
    if (r.length === 0 || r.some((x) => !Number.isFinite(x) || x <= 0)) {
      setBad(`--sweep: bad value (got "${draft}", expected comma-separated numbers > 0)`);
      return;
    }
    setBad(undefined);
    p.setRates(r);
  };
  return (
    <section class="card">
      <h2>Load sweep</h2>
      <p class="lead">
        One simulation per mean arrival rate, spread over {LANES} {LANES === 1 ? "worker" : "workers"}.
      </p>
      <div class={`field inline${bad ? " invalid" : ""}`} data-field="--sweep">
        <label for="f-rates">rates, requests/s</label>
        <input
          id="f-rates"
          type="text"
          value={draft}
          onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="button" class="primary" onClick={run} data-testid="run-sweep">
          Run sweep
        </button>
        {p.rates ? (
          <button type="button" onClick={() => p.setRates(undefined)}>
            Clear
          </button>
        ) : null}
        {bad ? (
          <div class="field-error" role="alert">
            {bad}
          </div>
        ) : null}
      </div>
      <p class="cli">
        CLI:{" "}
        <code>
          zettasim serve {FILE} --sweep {(p.rates ?? suggest).join(",")} --json
        </code>
      </p>
      {error ? <ErrorPanel error={error} /> : null}
      {p.rates && done.length < p.rates.length ? (
        <Progress
          label={`${done.length} of ${p.rates.length} rates simulated`}
          done={done.length}
          total={p.rates.length}
        />
      ) : null}
      {p.rates && done.length === p.rates.length ? (
        <>
          {sweepBlocks(done).map((b, i) => (
            <BlockView key={i} b={b} />
          ))}
          <JsonView
            value={{ scenario: p.scenario, system: p.system, sweep: done }}
            command={`zettasim serve ${FILE} --sweep ${p.rates.join(",")} --json`}
            testid="json-sweep"
          />
        </>
      ) : null}
    </section>
  );
}

export function ServePage(p: PageProps & { rates?: number[]; setRates: (r: number[] | undefined) => void }) {
  const can = p.summary?.commands.serve;
  const r = useJob<ServingData>(
    "serve",
    can === false || p.checkError ? undefined : { kind: "serve", text: p.text, file: FILE },
  );
  const d = r.value;
  return (
    <div class="page" data-page-view="serve">
      <PageHead
        title="Serving"
        lead="Request-level simulation: continuous batching, chunked prefill, paged KV, prefill/decode disaggregation; latency, throughput, goodput under the SLO, cost."
        cli={`zettasim serve ${FILE} --json`}
      />
      {p.checkError ? <ErrorPanel error={p.checkError} /> : null}
      {p.summary && !can ? (
        <div class="empty card">
          <p>
            This scenario has no <code>serving</code> section.
          </p>
          <ExamplePicker setText={p.setText} section="serving" />
        </div>
      ) : null}
      {r.status === "running" ? (
        <Progress label="Simulating requests…" done={r.progress?.done ?? 0} total={r.progress?.total ?? 0} />
      ) : null}
      {r.status === "error" && r.error && can ? <ErrorPanel error={r.error} /> : null}
      {d && p.summary && can && !p.checkError ? (
        <>
          <SectionView s={servingSection(d.report, p.summary.systemName, d.cdf)} />
          <SweepPanel
            text={p.text}
            rates={p.rates}
            setRates={p.setRates}
            scenario={d.report.scenario}
            system={d.report.system}
          />
          <JsonView value={d.report} command={`zettasim serve ${FILE} --json`} testid="json-serve" />
        </>
      ) : null}
    </div>
  );
}
