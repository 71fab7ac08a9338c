// Progress off a terminal: a short run prints nothing, a long one a few plain lines with counts and an ETA.
import { describe, expect, it } from "vitest";
import { etaText, PLAIN_EVERY_S, PLAIN_FIRST_S, PlainProgress, PlainTicker } from "./progress.js";

function run(times: number[], values: number[], total: number) {
  const lines: string[] = [];
  let t = 0;
  const p = new PlainProgress(
    "serving",
    "requests",
    (l) => lines.push(l),
    () => t,
  );
  p.start(total, 0);
  times.forEach((ti, i) => {
    t = ti;
    p.update(values[i]);
  });
  p.stop();
  return lines;
}

describe("PlainProgress", () => {
  it("a run shorter than the first interval prints nothing", () => {
    expect(run([0.5, 1, PLAIN_FIRST_S - 0.01], [10, 20, 100], 100)).toEqual([]);
  });

  it("a long run prints a line with count, share and the time left at the rate so far, then at most one per interval", () => {
    const ts = [PLAIN_FIRST_S, PLAIN_FIRST_S + 1, PLAIN_FIRST_S + PLAIN_EVERY_S];
    const lines = run(ts, [50, 60, 600], 1000);
    expect(lines).toHaveLength(2);
    // 50 of 1,000 in 2 s: 950 more at 25/s is 38 s.
    expect(lines[0]).toBe("zettasim: serving: 50/1,000 requests (5%), about 38.0 s left\n");
    expect(lines[1]).toMatch(/^zettasim: serving: 600\/1,000 requests \(60%\), about .* left\n$/);
  });

  it("a new phase restarts the rate (its unit from the payload's what)", () => {
    const lines: string[] = [];
    let t = 0;
    const p = new PlainProgress(
      "plan",
      "layouts",
      (l) => lines.push(l),
      () => t,
    );
    p.start(10, 0, { what: "groups bounded" });
    t = 100;
    p.start(1000, 0, { what: "layouts settled" });
    t = 102;
    p.update(500);
    expect(lines).toEqual(["zettasim: plan: 500/1,000 layouts settled (50%), about 2.00 s left\n"]);
  });

  it("no ETA before any progress, and never a negative or NaN one", () => {
    expect(etaText(5, 0, 100)).toBe("unknown");
    expect(etaText(0, 10, 100)).toBe("unknown");
    expect(etaText(5, 100, 100)).toBe("0 s");
    expect(etaText(Number.NaN, 10, 100)).toBe("unknown");
  });
});

describe("PlainTicker (a run with no known total)", () => {
  it("is silent before the first interval, then prints what and the time elapsed at most once per interval", () => {
    const lines: string[] = [];
    let t = 100;
    const p = new PlainTicker(
      "simulating",
      (l) => lines.push(l),
      () => t,
    );
    for (const dt of [0.5, PLAIN_FIRST_S - 0.01]) {
      t = 100 + dt;
      p.tick(() => "early");
    }
    expect(lines).toEqual([]);
    for (const dt of [PLAIN_FIRST_S, PLAIN_FIRST_S + 1, PLAIN_FIRST_S + PLAIN_EVERY_S]) {
      t = 100 + dt;
      p.tick(() => `at ${dt}`);
    }
    expect(lines).toEqual([
      `zettasim: simulating: at ${PLAIN_FIRST_S}, 2.00 s elapsed\n`,
      `zettasim: simulating: at ${PLAIN_FIRST_S + PLAIN_EVERY_S}, 12.0 s elapsed\n`,
    ]);
  });
});
