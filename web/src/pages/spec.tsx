// Spec and compare: the scenario system's derived figures, systems side by side, and Huawei's claims checked.
import { useState } from "preact/hooks";
import type { ClaimCheck } from "../../../src/report/claims.js";
import { claimsDocument } from "../../../src/report/claims-report.js";
import type { Comparison } from "../../../src/report/compare.js";
import type { SystemSpec } from "../../../src/report/derive.js";
import { claimsSection, compareSection, specSection } from "../../../src/report/sections.js";
import type { ClaimsStudy } from "../../../src/report/study.js";
import { STUDY_FILES } from "../../../src/report/study-files.js";
import { FILE, type PageProps } from "../app.js";
import { EXAMPLES } from "../examples.js";
import { PageHead } from "../form.js";
import { useJob } from "../hooks.js";
import { ErrorPanel, JsonView, Progress, SectionView } from "../ui.js";

interface SpecData {
  spec: SystemSpec;
  comparison?: Comparison;
  claims: ClaimCheck[];
}

/** The example files the claims study reads, sent to the worker as text. */
const STUDY_EXAMPLE_FILES = Object.values(STUDY_FILES).flatMap((pair) => Object.values(pair));

function ComparePicker(p: { cmp: string[]; setCmp: (c: string[]) => void; catalog: PageProps["catalog"] }) {
  const all = p.catalog?.systems ?? [];
  return (
    <div class="compare-picker" data-testid="compare-picker">
      {p.cmp.map((id, i) => (
        <span key={id} class="pill">
          {i === 0 ? <span class="muted">reference </span> : null}
          {id}
          <button
            type="button"
            class="x"
            title={`remove ${id}`}
            onClick={() => p.setCmp(p.cmp.filter((x) => x !== id))}
          >
            ×
          </button>
        </span>
      ))}
      <select
        value=""
        aria-label="add a system to compare"
        onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          if (v && !p.cmp.includes(v)) p.setCmp([...p.cmp, v]);
        }}
      >
        <option value="">add a system…</option>
        {all
          .filter((s) => !p.cmp.includes(s.id))
          .map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.id})
            </option>
          ))}
      </select>
    </div>
  );
}

function Study({ claims }: { claims: ClaimCheck[] }) {
  const [run, setRun] = useState(false);
  const examples = Object.fromEntries(STUDY_EXAMPLE_FILES.map((f) => [f, EXAMPLES[`examples/${f}`] ?? ""]));
  const r = useJob<ClaimsStudy>("study", run ? { kind: "claims-study", examples } : undefined);
  if (!run)
    return (
      <section class="card">
        <h2>What the claims mean for a job</h2>
        <p class="lead">
          Scaling from 1,024 to 1,048,576 chips (MFU, goodput, time to train), Atlas against NVL72, NVL144 and
          TPU pods at equal power and floor area, UBoE against RoCE, and whether 8,192 chips "think as one".
          Takes a few seconds.
        </p>
        <button type="button" class="primary" onClick={() => setRun(true)} data-testid="run-study">
          Run the claims study
        </button>
        <p class="cli">
          CLI: <code>zettasim report --claims --out claims.html</code>
        </p>
      </section>
    );
  if (r.status === "error" && r.error) return <ErrorPanel error={r.error} />;
  if (!r.value) return <Progress label="Running the claims study…" done={0} total={0} />;
  const doc = claimsDocument(claims, r.value, []);
  return (
    <>
      {doc.sections.slice(1).map((s) => (
        <SectionView key={s.id} s={s} />
      ))}
    </>
  );
}

export function SpecPage(p: PageProps & { cmp: string[]; setCmp: (c: string[]) => void }) {
  const r = useJob<SpecData>(
    "quick",
    p.summary ? { kind: "spec", text: p.text, file: FILE, compare: p.cmp } : undefined,
  );
  const d = r.value;
  return (
    <div class="page" data-page-view="spec">
      <PageHead
        title="Spec & compare"
        lead="Every figure derived from per-chip and per-group facts: compute, memory, bandwidth, cabinets, floor, power."
        cli={`zettasim spec ${FILE} --json; zettasim compare ${p.cmp.join(" ")} --json`}
      />
      {p.checkError ? <ErrorPanel error={p.checkError} /> : null}
      {r.status === "error" && r.error && !p.checkError ? <ErrorPanel error={r.error} /> : null}
      {d && !p.checkError ? (
        <>
          <SectionView s={specSection(d.spec)} />
          <section class="card">
            <h2>Compare</h2>
            <p class="lead">
              Ratios are to the first system (Huawei's convention puts Vera Rubin NVL144 first).
            </p>
            <ComparePicker cmp={p.cmp} setCmp={p.setCmp} catalog={p.catalog} />
          </section>
          {d.comparison ? (
            <SectionView s={compareSection(d.comparison)} headless />
          ) : (
            <p class="muted">Pick two or more systems.</p>
          )}
          <SectionView s={claimsSection(d.claims)} />
          <Study claims={d.claims} />
          <JsonView value={d.spec} command={`zettasim spec ${FILE} --json`} testid="json-spec" />
          {d.comparison ? (
            <JsonView
              value={d.comparison}
              command={`zettasim compare ${p.cmp.join(" ")} --json`}
              testid="json-compare"
            />
          ) : null}
        </>
      ) : null}
    </div>
  );
}
