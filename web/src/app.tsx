// The app shell: the scenario and page state (kept in the URL), the navigation, and the actions on the scenario.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ScenarioResults } from "../../src/report/scenario.js";
import { JobError, runJob } from "./client.js";
import { download } from "./download.js";
import { DEFAULT_TEXT } from "./examples.js";
import { useJob } from "./hooks.js";
import { TrainPage } from "./pages/train.js";
import type { CatalogInfo, ErrorInfo, ScenarioSummary } from "./protocol.js";
import { fromHash, type Page, toHash, type UrlState } from "./state.js";

/** The file name the scenario has in error messages and downloads, as the CLI would name it. */
export const FILE = "scenario.yaml";
export const DEFAULT_CMP = ["vr-nvl144", "atlas-950-superpod"];

const NAV: { page: Page; label: string; hint: string }[] = [
  { page: "scenario", label: "Scenario", hint: "system, model, workload" },
  { page: "spec", label: "Spec & compare", hint: "derived figures, claims" },
  { page: "train", label: "Training", hint: "step time, MFU, memory" },
  { page: "plan", label: "Planner", hint: "best layouts" },
  { page: "simulate", label: "Simulate", hint: "flow-level timeline" },
  { page: "reliability", label: "Reliability", hint: "goodput, failures" },
  { page: "serve", label: "Serving", hint: "TTFT, TPOT, throughput" },
];

/** What every page gets: the scenario and how to change it. */
export interface PageProps {
  text: string;
  /** Replaces the scenario text; `typing` waits for a pause (200 ms) before anything is recomputed. */
  setText: (t: string, typing?: boolean) => void;
  summary?: ScenarioSummary;
  checkError?: ErrorInfo;
  catalog?: CatalogInfo;
  go: (p: Page) => void;
}

let firstResultSeen: () => void = () => {};
/** Settles once the first result is on screen: what waits for it (the other pages' code) loads after. */
export const firstResult = new Promise<void>((resolve) => {
  firstResultSeen = resolve;
});

/** Marks the first result on screen, for the load-time benchmark, and lets the code that waited for it load. */
export function markFirstResult(): void {
  const w = window as unknown as { __zettasim?: { firstResultMs?: number } };
  w.__zettasim ??= {};
  w.__zettasim.firstResultMs ??= performance.now();
  firstResultSeen();
}

/** Marks when the app's code started, for the load-time benchmark (the rest is the worker's start and the estimate). */
export function markAppStart(): void {
  const w = window as unknown as { __zettasim?: { appStartMs?: number } };
  w.__zettasim ??= {};
  w.__zettasim.appStartMs ??= performance.now();
}

type Pages = typeof import("./pages/index.js");
let pagesChunk: Promise<Pages> | undefined;
/**
 * The pages other than training (with the planner, simulator, serving and report code), a chunk of its own: the
 * training page is in the entry, so the first figures need only the shell and the core estimate.
 */
const loadPages = (): Promise<Pages> => {
  pagesChunk ??= import("./pages/index.js");
  return pagesChunk;
};

export function App() {
  const [loaded, setLoaded] = useState(false);
  const [page, setPage] = useState<Page>("train");
  const [jobText, setJobText] = useState(DEFAULT_TEXT);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** Edits from fields apply at once; typing in the editor applies after a 200 ms pause. */
  const setText = (t: string, typing = false) => {
    clearTimeout(typingTimer.current);
    if (typing) typingTimer.current = setTimeout(() => setJobText(t), 200);
    else setJobText(t);
  };
  const [cmp, setCmp] = useState<string[]>(DEFAULT_CMP);
  const [rates, setRates] = useState<number[] | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [pages, setPages] = useState<Pages | undefined>(undefined);
  const lastHash = useRef("");
  // Another page needs its chunk now; on the training page it loads once the first figures are on screen.
  useEffect(() => {
    if (pages || !loaded) return;
    let live = true;
    void (page === "train" ? firstResult : Promise.resolve()).then(loadPages).then((p) => {
      if (live) setPages(p);
    });
    return () => {
      live = false;
    };
  }, [page, pages, loaded]);

  // Read the state from the URL at start and when the user goes back or pastes a link.
  useEffect(() => {
    const apply = async () => {
      if (location.hash === lastHash.current) return;
      const s = await fromHash(location.hash);
      setPage(s.page);
      setJobText(s.text ?? DEFAULT_TEXT);
      setCmp(s.cmp ?? DEFAULT_CMP);
      setRates(s.rates);
      if (s.damaged) setNotice("The link's scenario could not be read; showing the default scenario.");
      lastHash.current = location.hash;
      setLoaded(true);
    };
    void apply();
    window.addEventListener("popstate", apply);
    window.addEventListener("hashchange", apply);
    return () => {
      window.removeEventListener("popstate", apply);
      window.removeEventListener("hashchange", apply);
    };
  }, []);

  // Write the state back to the URL (a new history entry only when the page changes).
  const state: UrlState = useMemo(
    () => ({
      page,
      text: jobText === DEFAULT_TEXT ? undefined : jobText,
      cmp: cmp.join() === DEFAULT_CMP.join() ? undefined : cmp,
      rates,
    }),
    [page, jobText, cmp, rates],
  );
  const prevPage = useRef(page);
  useEffect(() => {
    if (!loaded) return;
    void toHash(state).then((h) => {
      if (h === location.hash) return;
      lastHash.current = h;
      if (prevPage.current !== state.page) history.pushState(null, "", h);
      else history.replaceState(null, "", h);
      prevPage.current = state.page;
    });
  }, [state, loaded]);

  // The pickers' catalog, asked for only where there are pickers: the first estimate does not queue behind it.
  const catalog = useJob<CatalogInfo>(
    "quick",
    loaded && (page === "scenario" || page === "spec") ? { kind: "catalog" } : undefined,
  );
  const check = useJob<ScenarioSummary>(
    "quick",
    loaded ? { kind: "check", text: jobText, file: FILE } : undefined,
  );
  const summary = check.status === "done" ? check.value : undefined;
  const checkError = check.status === "error" ? check.error : undefined;

  const go = (p: Page) => {
    setPage(p);
    window.scrollTo(0, 0);
  };
  const props: PageProps = {
    text: jobText,
    setText,
    summary,
    checkError,
    catalog: catalog.value,
    go,
  };
  const [busy, setBusy] = useState<string | undefined>(undefined);

  const share = async () => {
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      setNotice("Link copied: it reproduces this page exactly.");
    } catch {
      setNotice(`Link: ${url}`);
    }
  };
  const report = async () => {
    setBusy("report");
    try {
      const r = await runJob<ScenarioResults>("report", { kind: "report", text: jobText, file: FILE });
      const html = (await loadPages()).reportFile(r, FILE);
      download(`${(summary?.name ?? "scenario").replace(/[^\w.-]+/g, "-")}.html`, html, "text/html");
    } catch (e) {
      setNotice(e instanceof JobError ? e.info.message : String(e));
    } finally {
      setBusy(undefined);
    }
  };

  if (!loaded) return <div class="loading">Loading zettasim…</div>;
  return (
    <div class="app">
      <header class="topbar">
        <button type="button" class="brand" onClick={() => go("train")} title="Training estimate">
          <span class="logo">Z</span> zettasim
        </button>
        <div class="scenario-name" data-testid="scenario-name">
          {summary ? (
            <>
              <strong>{summary.name}</strong>
              <span class="muted"> · {summary.systemName}</span>
            </>
          ) : checkError ? (
            <span class="bad">scenario has errors</span>
          ) : (
            <span class="muted">checking…</span>
          )}
        </div>
        <div class="actions">
          <button type="button" onClick={share} title="Copy a link that reproduces this page">
            Share link
          </button>
          <button
            type="button"
            onClick={() => download(FILE, jobText, "application/yaml")}
            title="Runs unchanged in the CLI"
          >
            Download YAML
          </button>
          <button type="button" class="primary" onClick={report} disabled={busy === "report" || !summary}>
            {busy === "report" ? "Building report…" : "HTML report"}
          </button>
        </div>
      </header>
      <nav class="sidebar">
        {NAV.map((n) => (
          <a
            key={n.page}
            href={`#/${n.page}`}
            class={n.page === page ? "active" : undefined}
            data-page={n.page}
            onClick={(e) => {
              e.preventDefault();
              go(n.page);
            }}
          >
            <span class="nav-label">{n.label}</span>
            <span class="nav-hint">{n.hint}</span>
          </a>
        ))}
        <div class="sidebar-foot">
          Same core as the CLI: every figure matches <code>zettasim … --json</code> for the same scenario.
        </div>
      </nav>
      <main class="content">
        {notice ? (
          <div class="notice" role="status">
            {notice}
            <button type="button" class="link" onClick={() => setNotice(undefined)}>
              dismiss
            </button>
          </div>
        ) : null}
        {!pages && page !== "train" ? <div class="loading">Loading…</div> : null}
        {pages && page === "scenario" ? <pages.ScenarioPage {...props} /> : null}
        {pages && page === "spec" ? <pages.SpecPage {...props} cmp={cmp} setCmp={setCmp} /> : null}
        {page === "train" ? <TrainPage {...props} /> : null}
        {pages && page === "plan" ? <pages.PlanPage {...props} /> : null}
        {pages && page === "simulate" ? <pages.SimulatePage {...props} /> : null}
        {pages && page === "reliability" ? <pages.ReliabilityPage {...props} /> : null}
        {pages && page === "serve" ? <pages.ServePage {...props} rates={rates} setRates={setRates} /> : null}
      </main>
    </div>
  );
}
