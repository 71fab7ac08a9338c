// Shared UI pieces: headline figures, tables, charts and lists from report blocks; errors; progress; JSON views.
import { useEffect, useRef, useState } from "preact/hooks";
import type { InputIssue } from "../../src/core/errors.js";
import { formatPath } from "../../src/core/errors.js";
import type { Block, Section } from "../../src/report/blocks.js";
import type { ChartSpec } from "../../src/report/charts.js";
import { numericColumns } from "../../src/report/html.js";
import type { ErrorInfo } from "./protocol.js";

type Draw = typeof import("./charts-chunk.js");
let drawChunk: Promise<Draw> | undefined;
/** The chart code (Observable Plot and the sections with charts), a chunk of its own: the first figures go on screen before it has loaded. */
export const chartCode = (): Promise<Draw> => {
  drawChunk ??= import("./charts-chunk.js");
  return drawChunk;
};

/**
 * A chart drawn with the shared definition at the width of its container, redrawn when that changes. With
 * `onPick`, a click hands over the datum under the pointer (Plot's pointer marks set the figure's value).
 */
export function Chart({ spec, onPick }: { spec: ChartSpec; onPick?: (datum: unknown) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [draw, setDraw] = useState<Draw | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void chartCode().then((d) => {
      if (live) setDraw(d);
    });
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    ro.observe(el);
    setWidth(Math.floor(el.clientWidth));
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    const el = box.current;
    if (!el || width <= 0 || !draw) return;
    const fig = draw.renderChart(spec, document, Math.min(width, 1100)) as unknown as HTMLElement & {
      value?: unknown;
    };
    el.replaceChildren(fig);
    if (onPick) {
      fig.style.cursor = "pointer";
      fig.addEventListener("click", () => {
        if (fig.value != null) onPick(fig.value);
      });
    }
  }, [spec, width, onPick, draw]);
  return (
    <figure class="chart" data-chart={spec.id}>
      <figcaption>
        {spec.title}
        {spec.subtitle ? <span class="sub">{spec.subtitle}</span> : null}
      </figcaption>
      <div ref={box} class="plot" />
    </figure>
  );
}

function Table({ b }: { b: Extract<Block, { kind: "table" }> }) {
  const num = numericColumns(b.rows);
  return (
    <div class="block-table">
      {b.title ? <h3>{b.title}</h3> : null}
      <div class="tablewrap">
        <table>
          <thead>
            <tr>
              {b.head.map((h, i) => (
                <th key={i} class={num[i] ? "num" : undefined}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {b.rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (
                  <td key={j} class={num[j] ? "num" : undefined}>
                    {c}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {b.note ? <p class="note">{b.note}</p> : null}
    </div>
  );
}

/** One report block. */
export function BlockView({ b }: { b: Block }) {
  switch (b.kind) {
    case "kpis":
      return (
        <div class="kpis">
          {b.items.map((k) => (
            <div key={k.key} class={`kpi${k.warn ? " warn" : ""}`} data-kpi={k.key}>
              <div class="label">{k.label}</div>
              <div class="value">{k.value}</div>
              {k.note ? <div class="note">{k.note}</div> : null}
            </div>
          ))}
        </div>
      );
    case "table":
      return <Table b={b} />;
    case "chart":
      return <Chart spec={b.spec} />;
    case "text":
      return <p class="text">{b.text}</p>;
    case "list":
      return (
        <div class="block-list">
          {b.title ? <h3>{b.title}</h3> : null}
          <ul>
            {b.items.map((i, k) => (
              <li key={k}>{i}</li>
            ))}
          </ul>
        </div>
      );
  }
}

/** Runs of neighbouring charts (not wide ones) or narrow tables, which the page shows two abreast. */
function groups(blocks: Block[]): Block[][] {
  // Narrow tables (a few columns) pair up; wide ones need the page's width.
  const key = (b: Block) =>
    b.kind === "chart"
      ? b.spec.wide
        ? ""
        : "chart"
      : b.kind === "table" && b.head.length <= 4
        ? "table"
        : "";
  const out: Block[][] = [];
  for (const b of blocks) {
    const last = out.at(-1);
    if (last && key(b) !== "" && key(last[0]) === key(b)) last.push(b);
    else out.push([b]);
  }
  return out;
}

/** A report section: title, lead and blocks; neighbouring charts and tables flow two abreast. */
export function SectionView({ s, headless }: { s: Section; headless?: boolean }) {
  return (
    <section class="card" id={`section-${s.id}`}>
      {headless ? null : <h2>{s.title}</h2>}
      {s.lead ? <p class="lead">{s.lead}</p> : null}
      {groups(s.blocks).map((g, i) =>
        g.length === 1 ? (
          <BlockView key={i} b={g[0]} />
        ) : (
          <div key={i} class="grid2">
            {g.map((b, j) => (
              <div key={j} class="cell">
                <BlockView b={b} />
              </div>
            ))}
          </div>
        ),
      )}
    </section>
  );
}

/** An error as the CLI prints it, with each issue's field path, line and reason. */
export function ErrorPanel({ error, title }: { error: ErrorInfo; title?: string }) {
  return (
    <div class="error-panel" role="alert" data-testid="error">
      <div class="error-title">
        {title ?? (error.internal ? "Internal error" : "The scenario has a problem")}
      </div>
      {error.issues.length ? (
        <ul>
          {error.issues.map((i, k) => (
            <li key={k} data-path={formatPath(i.path)}>
              <IssueLine issue={i} />
            </li>
          ))}
        </ul>
      ) : null}
      <details>
        <summary>as the CLI prints it</summary>
        <pre class="cli-message">zettasim: {error.message}</pre>
      </details>
    </div>
  );
}

export function IssueLine({ issue }: { issue: InputIssue }) {
  const extras: string[] = [];
  if ("value" in issue) extras.push(`got ${JSON.stringify(issue.value)?.slice(0, 80) ?? "nothing"}`);
  if (issue.expected) extras.push(`expected ${issue.expected}`);
  return (
    <span>
      <code class="path">{formatPath(issue.path)}</code>
      {issue.line !== undefined ? <span class="where"> line {issue.line}</span> : null}: {issue.message}
      {extras.length ? <span class="extras"> ({extras.join(", ")})</span> : null}
    </span>
  );
}

/** A progress bar, determinate when `total` > 0. */
export function Progress({ label, done, total }: { label: string; done: number; total: number }) {
  const frac = total > 0 ? Math.min(1, done / total) : undefined;
  return (
    <div class="progress" data-testid="progress">
      <div class="progress-label">{label}</div>
      <div class={`progress-track${frac === undefined ? " indeterminate" : ""}`}>
        <div
          class="progress-bar"
          style={frac === undefined ? undefined : { width: `${(frac * 100).toFixed(1)}%` }}
        />
      </div>
    </div>
  );
}

/** The raw result, exactly as `zettasim <command> --json` prints it, and the command that prints it. */
export function JsonView({ value, command, testid }: { value: unknown; command: string; testid: string }) {
  return (
    <details class="json card">
      <summary>
        JSON, as <code>{command}</code> prints it
      </summary>
      <pre data-testid={testid}>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}
