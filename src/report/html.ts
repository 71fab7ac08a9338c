// A report as one self-contained HTML file: inline CSS and inline SVG charts, no script and no network.
import type { Block, ReportDocument, Section } from "./blocks.js";
import type { ChartSpec } from "./charts.js";

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/** The report's stylesheet (also what the web app's tables and KPI cards look like in print). */
export const REPORT_CSS = `
:root{color-scheme:light;--fg:#0f172a;--muted:#64748b;--line:#e2e8f0;--accent:#2563eb;--warn:#dc2626;--bg:#f8fafc}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1080px;margin:0 auto;padding:32px 24px 64px}
header h1{font-size:26px;margin:0 0 4px}
header p{margin:0;color:var(--muted)}
nav.toc{margin:16px 0 8px;display:flex;flex-wrap:wrap;gap:8px}
nav.toc a{color:var(--accent);text-decoration:none;border:1px solid var(--line);background:#fff;border-radius:999px;padding:2px 12px;font-size:13px}
section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:20px 24px;margin:20px 0}
section h2{font-size:19px;margin:0 0 2px}
section .lead{color:var(--muted);margin:0 0 14px}
h3{font-size:14px;margin:18px 0 6px}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;margin:8px 0 14px}
.kpi{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:#fff}
.kpi .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.kpi .value{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.kpi .note{font-size:12px;color:var(--muted)}
.kpi.warn{border-color:#fecaca;background:#fef2f2}.kpi.warn .value{color:var(--warn)}
table{border-collapse:collapse;min-width:50%;font-size:13px;margin:4px 0 8px;font-variant-numeric:tabular-nums}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px}
th.num{text-align:right}
td.num{text-align:right;white-space:nowrap}
.tablewrap{overflow-x:auto}
figure.chart{margin:14px 0}
figure.chart figcaption{font-weight:600}
figure.chart .sub{color:var(--muted);font-size:12px;font-weight:400;display:block}
figure.chart svg{max-width:100%;height:auto}
p.note{color:var(--muted);font-size:12px;margin:2px 0 10px}
ul{margin:4px 0 10px;padding-left:20px}
footer{color:var(--muted);font-size:12px;margin-top:24px}
`;

const NUMERIC = /^[-+$~]?[\d,.]+(e[-+]?\d+)?\s*[%a-zA-Z/²x]*( \(.*\))?$/;

/** Which columns hold only numbers (right-aligned): every non-empty cell below the header looks like one. */
export function numericColumns(rows: string[][]): boolean[] {
  const n = Math.max(0, ...rows.map((r) => r.length));
  return Array.from(
    { length: n },
    (_, i) =>
      i > 0 &&
      rows.some((r) => /\d/.test(r[i] ?? "")) &&
      rows.every((r) => (r[i] ?? "-") === "-" || NUMERIC.test(r[i])),
  );
}

function tableHtml(b: Extract<Block, { kind: "table" }>): string {
  const num = numericColumns(b.rows);
  const head = `<tr>${b.head.map((h, i) => `<th${num[i] ? ' class="num"' : ""}>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const rows = b.rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${num[i] ? ' class="num"' : ""}>${escapeHtml(c)}</td>`).join("")}</tr>`,
    )
    .join("");
  return `${b.title ? `<h3>${escapeHtml(b.title)}</h3>` : ""}<div class="tablewrap"><table><thead>${head}</thead><tbody>${rows}</tbody></table></div>${b.note ? `<p class="note">${escapeHtml(b.note)}</p>` : ""}`;
}

function blockHtml(b: Block, svg: (spec: ChartSpec) => string): string {
  switch (b.kind) {
    case "kpis":
      return `<div class="kpis">${b.items
        .map(
          (k) =>
            `<div class="kpi${k.warn ? " warn" : ""}" data-key="${escapeHtml(k.key)}"><div class="label">${escapeHtml(k.label)}</div><div class="value">${escapeHtml(k.value)}</div>${k.note ? `<div class="note">${escapeHtml(k.note)}</div>` : ""}</div>`,
        )
        .join("")}</div>`;
    case "table":
      return tableHtml(b);
    case "chart":
      return `<figure class="chart" id="chart-${escapeHtml(b.spec.id)}"><figcaption>${escapeHtml(b.spec.title)}${b.spec.subtitle ? `<span class="sub">${escapeHtml(b.spec.subtitle)}</span>` : ""}</figcaption>${svg(b.spec)}</figure>`;
    case "text":
      return `<p>${escapeHtml(b.text)}</p>`;
    case "list":
      return `${b.title ? `<h3>${escapeHtml(b.title)}</h3>` : ""}<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`;
  }
}

function sectionHtml(s: Section, svg: (spec: ChartSpec) => string): string {
  return `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>${s.lead ? `<p class="lead">${escapeHtml(s.lead)}</p>` : ""}${s.blocks.map((b) => blockHtml(b, svg)).join("\n")}</section>`;
}

/**
 * Renders a report document as one HTML file. `svg` turns a chart into inline SVG markup (in Node, Plot with a
 * server-side document; in the browser, Plot with the page's). Cost: O(size of the output).
 */
export function reportHtml(doc: ReportDocument, svg: (spec: ChartSpec) => string): string {
  const toc = doc.sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.title)}</title><style>${REPORT_CSS}</style></head>
<body><main><header><h1>${escapeHtml(doc.title)}</h1>${doc.subtitle ? `<p>${escapeHtml(doc.subtitle)}</p>` : ""}</header>
<nav class="toc">${toc}</nav>
${doc.sections.map((s) => sectionHtml(s, svg)).join("\n")}
<footer>${doc.provenance.map((p) => `<div>${escapeHtml(p)}</div>`).join("")}</footer>
</main></body></html>
`;
}
