// The scenario: start from an example or the default, pick a system and a model, edit anything in the YAML. The
// same schema and error messages as the CLI, field by field.
import { useEffect, useRef, useState } from "preact/hooks";
import { formatPath } from "../../../src/core/errors.js";
import { FILE, type PageProps } from "../app.js";
import { DEFAULT_TEXT, EXAMPLES, exampleLabel, examplesWith } from "../examples.js";
import { issuesAt, PageHead, TextInput, TrainingFields } from "../form.js";
import { ErrorPanel, IssueLine } from "../ui.js";
import { fieldValue, getIn, readScenario, setIn } from "../yaml-edit.js";

/** Loads an example (all of them, or those with a section). */
export function ExamplePicker({ setText, section }: { setText: (t: string) => void; section?: string }) {
  const files = section ? examplesWith(section) : Object.keys(EXAMPLES);
  return (
    <label class="example-picker">
      <span>Load an example{section ? ` with a \`${section}\` section` : ""}:</span>
      <select
        value=""
        onChange={(e) => {
          const f = (e.currentTarget as HTMLSelectElement).value;
          if (f === "default") setText(DEFAULT_TEXT);
          else if (EXAMPLES[f]) setText(EXAMPLES[f]);
        }}
      >
        <option value="">choose…</option>
        {section ? null : <option value="default">default scenario (npx zettasim)</option>}
        {files.map((f) => (
          <option key={f} value={f}>
            {exampleLabel(f)} ({f})
          </option>
        ))}
      </select>
    </label>
  );
}

function SystemPicker(p: PageProps) {
  const doc = readScenario(p.text);
  const sys = doc?.system;
  const obj = sys && typeof sys === "object" ? (sys as Record<string, unknown>) : undefined;
  const base = typeof sys === "string" ? sys : typeof obj?.extends === "string" ? obj.extends : "";
  const custom = obj !== undefined && obj.extends === undefined;
  const catalogChips = p.catalog?.systems.find((s) => s.id === base)?.chips;
  const set = (path: (string | number)[], v: unknown) => {
    try {
      p.setText(setIn(p.text, path, v));
    } catch {
      /* not YAML yet */
    }
  };
  const pick = (id: string) => {
    if (id === "") return;
    if (obj && !custom) set(["system", "extends"], id);
    else set(["system"], id);
  };
  const chips = (raw: string) => {
    const v = fieldValue(raw);
    if (typeof sys === "string") {
      if (v !== undefined) set(["system"], { extends: sys, chips: v });
    } else if (
      obj &&
      !custom &&
      v === undefined &&
      Object.keys(obj).every((k) => k === "extends" || k === "chips")
    )
      set(["system"], obj.extends);
    else set(["system", "chips"], v);
  };
  const sysIssues = (p.checkError?.issues ?? []).filter((i) => i.path[0] === "system");
  return (
    <div class="fields">
      <div class={`field wide${sysIssues.length ? " invalid" : ""}`} data-field="system">
        <label for="f-system">system</label>
        <select
          id="f-system"
          value={custom ? "__custom" : base}
          disabled={!doc}
          onChange={(e) => pick((e.currentTarget as HTMLSelectElement).value)}
        >
          {custom ? (
            <option value="__custom">custom: {String(obj?.name ?? obj?.id ?? "inline system")}</option>
          ) : null}
          {base === "" && !custom ? <option value="">choose…</option> : null}
          {(p.catalog?.systems ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.id})
            </option>
          ))}
        </select>
        {sysIssues.map((i, k) => (
          <div key={k} class="field-error" role="alert">
            <IssueLine issue={i} />
          </div>
        ))}
      </div>
      <div
        class={`field${issuesAt(p.checkError, ["system", "chips"]).length ? " invalid" : ""}`}
        data-field="system.chips"
      >
        <label for="f-system-chips">chips</label>
        <TextInput
          id="f-system-chips"
          inputMode="numeric"
          disabled={!doc || custom}
          value={obj?.chips === undefined ? "" : String(obj.chips)}
          placeholder={catalogChips === undefined ? "" : String(catalogChips)}
          onCommit={chips}
        />
      </div>
      <ModelPicker {...p} />
    </div>
  );
}

function ModelPicker(p: PageProps) {
  const doc = readScenario(p.text);
  const m = doc?.model;
  const id = typeof m === "string" ? m : m && typeof m === "object" ? "__custom" : "";
  const issues = (p.checkError?.issues ?? []).filter((i) => i.path[0] === "model");
  return (
    <div class={`field wide${issues.length ? " invalid" : ""}`} data-field="model">
      <label for="f-model">model</label>
      <select
        id="f-model"
        value={id}
        disabled={!doc}
        onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          if (v === "__custom") return;
          try {
            p.setText(setIn(p.text, ["model"], v === "" ? undefined : v));
          } catch {
            /* not YAML yet */
          }
        }}
      >
        <option value="">none</option>
        {id === "__custom" ? <option value="__custom">custom (inline in the YAML)</option> : null}
        {(p.catalog?.models ?? []).map((x) => (
          <option key={x.id} value={x.id}>
            {x.id}
          </option>
        ))}
      </select>
      {issues.map((i, k) => (
        <div key={k} class="field-error" role="alert">
          <IssueLine issue={i} />
        </div>
      ))}
    </div>
  );
}

/** A YAML editor with line numbers; lines with errors are marked. */
function Editor(p: PageProps) {
  const [draft, setDraft] = useState(p.text);
  const sent = useRef(p.text);
  useEffect(() => {
    if (p.text !== sent.current) {
      setDraft(p.text);
      sent.current = p.text;
    }
  }, [p.text]);
  const bad = new Set((p.checkError?.issues ?? []).map((i) => i.line).filter((l) => l !== undefined));
  const lines = draft.split("\n").length;
  const gutter = useRef<HTMLPreElement>(null);
  return (
    <div class="editor">
      <pre class="gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => (
          <span key={i} class={bad.has(i + 1) ? "bad" : undefined}>
            {i + 1}
            {"\n"}
          </span>
        ))}
      </pre>
      <textarea
        spellcheck={false}
        aria-label="scenario YAML"
        data-testid="yaml"
        value={draft}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = (e.currentTarget as HTMLTextAreaElement).scrollTop;
        }}
        onInput={(e) => {
          const v = (e.currentTarget as HTMLTextAreaElement).value;
          setDraft(v);
          sent.current = v;
          p.setText(v, true);
        }}
      />
    </div>
  );
}

export function ScenarioPage(p: PageProps) {
  const doc = readScenario(p.text);
  const hasTraining = doc !== undefined && getIn(doc, ["training"]) !== undefined;
  const c = p.summary?.commands;
  return (
    <div class="page" data-page-view="scenario">
      <PageHead
        title="Scenario"
        lead="A system, a model and what to run on them. Every key carries its unit; the file downloads as YAML and runs unchanged in the CLI."
        cli={`zettasim train ${FILE}   (or spec, simulate, reliability, serve, report)`}
      />
      <div class="split">
        <div class="col">
          <section class="card">
            <h2>Start from</h2>
            <ExamplePicker setText={p.setText} />
          </section>
          <section class="card">
            <h2>System and model</h2>
            <SystemPicker {...p} />
          </section>
          {hasTraining ? (
            <section class="card">
              <h2>Training</h2>
              <TrainingFields text={p.text} setText={p.setText} error={p.checkError} />
            </section>
          ) : null}
          {c ? (
            <section class="card">
              <h2>What this scenario runs</h2>
              <ul class="runs">
                <li class={c.train ? "yes" : "no"}>
                  training estimate {c.train ? "" : "(needs model and training)"}
                </li>
                <li class={c.simulate ? "yes" : "no"}>
                  flow simulation {c.simulate ? "" : "(needs a simulation section, or model and training)"}
                </li>
                <li class={c.reliability ? "yes" : "no"}>
                  reliability {c.reliability ? "" : "(needs a reliability section or training.trainTokens)"}
                </li>
                <li class={c.serve ? "yes" : "no"}>serving {c.serve ? "" : "(needs a serving section)"}</li>
              </ul>
            </section>
          ) : null}
        </div>
        <div class="col">
          <section class="card">
            <h2>
              {FILE} <span class="muted small">YAML or JSON</span>
            </h2>
            <Editor {...p} />
            {p.checkError ? (
              <ErrorPanel error={p.checkError} />
            ) : (
              <p class="ok-line" data-testid="valid">
                valid: {p.summary?.name}
              </p>
            )}
            {p.checkError?.issues.length ? (
              <p class="muted small">
                Fields: {p.checkError.issues.map((i) => formatPath(i.path)).join(", ")}
              </p>
            ) : null}
          </section>
        </div>
      </div>
    </div>
  );
}
