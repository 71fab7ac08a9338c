// Form fields bound to a path of the scenario's YAML: a change rewrites that value in the text, and the field shows
// the scenario's errors at its path (the same messages the CLI prints).
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { formatPath } from "../../src/core/errors.js";
import type { ErrorInfo } from "./protocol.js";
import { IssueLine } from "./ui.js";
import { fieldValue, getIn, readScenario, setIn } from "./yaml-edit.js";

export interface FieldProps {
  text: string;
  setText: (t: string) => void;
  path: (string | number)[];
  label: string;
  hint?: string;
  error?: ErrorInfo;
  /** Choices for a select; omitted: a text input. */
  options?: string[];
  /** Number of a checkbox. */
  checkbox?: boolean;
  placeholder?: string;
}

/** The issues of an error that name exactly this path. */
export function issuesAt(error: ErrorInfo | undefined, path: (string | number)[]) {
  const p = formatPath(path);
  return (error?.issues ?? []).filter((i) => formatPath(i.path) === p);
}

function apply(props: FieldProps, value: unknown) {
  try {
    props.setText(setIn(props.text, props.path, value));
  } catch {
    // The text is not YAML: the editor shows why; the form waits.
  }
}

/** A value as the field shows it: big round numbers in exponent form (3e13), as people write token counts. */
function show(v: unknown): string {
  if (v === undefined) return "";
  if (typeof v === "number" && Math.abs(v) >= 1e9 && Number.isInteger(v))
    return v.toExponential().replace("e+", "e");
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/**
 * A text input bound to a value of the scenario, applied on Enter or on leaving the field. What is being typed is
 * kept until then: a result arriving meanwhile re-renders the form, and would otherwise put the old value back.
 */
export function TextInput(p: {
  id: string;
  value: string;
  onCommit: (v: string) => void;
  placeholder?: string;
  disabled?: boolean;
  inputMode?: "decimal" | "numeric";
}) {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  return (
    <input
      id={p.id}
      type="text"
      inputMode={p.inputMode}
      value={draft ?? p.value}
      placeholder={p.placeholder}
      disabled={p.disabled}
      onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
      onChange={(e) => {
        setDraft(undefined);
        p.onCommit((e.currentTarget as HTMLInputElement).value);
      }}
    />
  );
}

export function Field(props: FieldProps) {
  const doc = readScenario(props.text);
  const current = doc ? getIn(doc, props.path) : undefined;
  const issues = issuesAt(props.error, props.path);
  const id = `f-${props.path.join("-")}`;
  let control: ComponentChildren;
  if (props.checkbox) {
    control = (
      <input
        id={id}
        type="checkbox"
        checked={current === true}
        disabled={!doc}
        onChange={(e) => apply(props, (e.currentTarget as HTMLInputElement).checked ? true : undefined)}
      />
    );
  } else if (props.options) {
    const opts =
      current !== undefined && !props.options.includes(String(current))
        ? [...props.options, String(current)]
        : props.options;
    control = (
      <select
        id={id}
        value={current === undefined ? "" : String(current)}
        disabled={!doc}
        onChange={(e) => apply(props, fieldValue((e.currentTarget as HTMLSelectElement).value))}
      >
        <option value="">{props.placeholder ?? "default"}</option>
        {opts.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    control = (
      <TextInput
        id={id}
        inputMode="decimal"
        value={show(current)}
        placeholder={props.placeholder ?? "default"}
        disabled={!doc}
        onCommit={(v) => apply(props, fieldValue(v))}
      />
    );
  }
  return (
    <div class={`field${issues.length ? " invalid" : ""}`} data-field={formatPath(props.path)}>
      <label for={id} title={props.hint}>
        {props.label}
      </label>
      {control}
      {issues.map((i, k) => (
        <div key={k} class="field-error" role="alert">
          <IssueLine issue={i} />
        </div>
      ))}
    </div>
  );
}

/** The training section's fields, as `zettasim train` flags name them. */
export function TrainingFields(p: { text: string; setText: (t: string) => void; error?: ErrorInfo }) {
  const f = (key: string, label: string, extra: Partial<FieldProps> = {}) => (
    <Field
      key={key}
      text={p.text}
      setText={p.setText}
      error={p.error}
      path={["training", key]}
      label={label}
      {...extra}
    />
  );
  return (
    <div class="fields">
      {f("chips", "chips", { hint: "chips the job uses (default: the whole system)", placeholder: "all" })}
      {f("tp", "tp", { hint: "tensor parallel", placeholder: "1" })}
      {f("pp", "pp", { hint: "pipeline stages", placeholder: "1" })}
      {f("vpp", "vpp", { hint: "virtual stages per rank", placeholder: "1" })}
      {f("ep", "ep", { hint: "expert parallel", placeholder: "1" })}
      {f("cp", "cp", { hint: "context parallel", placeholder: "1" })}
      {f("dp", "dp", { hint: "data parallel (derived when empty)", placeholder: "derived" })}
      {f("microBatchSize", "micro-batch", { hint: "sequences per micro-batch", placeholder: "1" })}
      {f("globalBatchSize", "global batch", {
        hint: "sequences per optimizer step",
        placeholder: "required",
      })}
      {f("seqLength", "sequence", { hint: "tokens per sequence", placeholder: "4096" })}
      {f("precision", "precision", { options: ["bf16", "fp8", "fp4"] })}
      {f("recompute", "recompute", { options: ["none", "selective", "full"] })}
      {f("zero", "ZeRO", { options: ["0", "1", "2", "3"] })}
      {f("schedule", "schedule", { options: ["1f1b", "interleaved", "zero-bubble", "dualpipe"] })}
      {f("trainTokens", "tokens to train", {
        hint: "for time and energy to train, e.g. 3e13",
        placeholder: "none",
      })}
      {f("sequenceParallel", "sequence parallel", { checkbox: true })}
    </div>
  );
}

/** A page's title, what it shows, and the CLI command that prints the same figures. */
export function PageHead({ title, lead, cli }: { title: string; lead: string; cli?: string }) {
  return (
    <div class="page-head">
      <h1>{title}</h1>
      <p class="lead">{lead}</p>
      {cli ? (
        <p class="cli">
          CLI: <code>{cli}</code>
        </p>
      ) : null}
    </div>
  );
}
