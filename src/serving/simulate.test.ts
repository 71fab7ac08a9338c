// Tests of the serving simulation: conservation, determinism, load monotonicity, preemption, single-request timing, errors.
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { scenarioFromValue } from "../scenario/load.js";
import type { ServingFile } from "../schema/serving.js";
import { servingPlan } from "./config.js";
import { simulateServing } from "./simulate.js";

function scenario(serving: Partial<ServingFile>, seed = 5) {
  const base: ServingFile = {
    mode: "disaggregated",
    precision: "fp8",
    prefill: { chip: "ascend-950pr", instances: 1, instanceChips: 16, ep: 16 },
    decode: { instances: 1, instanceChips: 16, ep: 16 },
    workload: {
      arrival: { kind: "poisson", ratePerS: 20 },
      requests: 200,
      inputTokens: { kind: "lognormal", meanTokens: 1500, cv: 0.5 },
      outputTokens: { kind: "uniform", minTokens: 20, maxTokens: 120 },
    },
  };
  return scenarioFromValue({
    seed,
    system: "atlas-950-superpod",
    model: "deepseek-v3",
    serving: { ...base, ...serving },
  });
}

describe("simulateServing", () => {
  it("conserves requests: arrived = completed + in flight + rejected, also when stopped early", () => {
    const full = simulateServing(scenario({}));
    expect(full.requests.arrived).toBe(200);
    expect(full.requests.completed).toBe(200);
    expect(full.requests.inFlight).toBe(0);
    const cut = simulateServing(scenario({ maxSimulatedS: 5 }));
    const r = cut.requests;
    expect(r.arrived).toBeLessThan(200);
    expect(r.inFlight).toBeGreaterThan(0);
    expect(r.completed + r.inFlight + r.rejected).toBe(r.arrived);
  });

  it("is deterministic for a seed", () => {
    expect(simulateServing(scenario({}, 11))).toEqual(simulateServing(scenario({}, 11)));
    expect(simulateServing(scenario({}, 11)).ttftMs).not.toEqual(simulateServing(scenario({}, 12)).ttftMs);
  });

  it("never lowers TTFT when the offered load rises", () => {
    let prev = 0;
    for (const rate of [2, 10, 40, 160]) {
      const r = simulateServing(
        scenario({
          workload: {
            ...scenario({}).file.serving?.workload,
            arrival: { kind: "poisson", ratePerS: rate },
            requests: 200,
          } as never,
        }),
      );
      expect(r.ttftMs.mean).toBeGreaterThanOrEqual(prev);
      prev = r.ttftMs.mean;
    }
  });

  it("times a lone request by the cost model: TTFT = one prefill step, TPOT = one decode step", () => {
    const trace = {
      arrival: { kind: "trace" as const, requests: [{ arrivalS: 1, inputTokens: 1000, outputTokens: 11 }] },
    };
    const sc = scenario({
      mode: "colocated",
      colocated: { instances: 1, instanceChips: 16, ep: 16 },
      workload: trace,
    });
    const r = simulateServing(sc);
    const cost = servingPlan(sc).pools[0].cost;
    const prefill = cost.step(
      {
        prefillTokens: 1000,
        prefillPairs: (1000 * 1001) / 2,
        decodeSeqs: 0,
        decodeKvTokens: 0,
        logitTokens: 1,
      },
      1000,
    ).timeS;
    expect(r.ttftMs.p50).toBeCloseTo(prefill * 1000, 6);
    const decode = cost.step(
      { prefillTokens: 0, prefillPairs: 0, decodeSeqs: 1, decodeKvTokens: 1005, logitTokens: 1 },
      1,
    ).timeS;
    expect(Math.abs(r.tpotMs.p50 - decode * 1000) / (decode * 1000)).toBeLessThan(0.01);
  });

  it("preempts when the KV cache fills and still completes every request", () => {
    const make = (memoryUtilization: number) =>
      scenario({
        mode: "colocated",
        colocated: { instances: 1, instanceChips: 32, ep: 32, maxBatchPerRank: 256 },
        memoryUtilization,
        workload: {
          arrival: { kind: "poisson", ratePerS: 400 },
          requests: 300,
          inputTokens: 3000,
          outputTokens: 400,
        },
      });
    // Leave room for about 24,000 KV tokens per rank: seven requests at full length.
    const cost = servingPlan(make(0.9)).pools[0].cost;
    const sc = make((cost.weightBytesPerChip() + 24000 * cost.kvBytesPerToken()) / cost.chip.memoryBytes);
    expect(servingPlan(sc).pools[0].kvPagesPerRank * 16).toBeLessThan(25000);
    const r = simulateServing(sc);
    expect(r.requests.preemptions).toBeGreaterThan(0);
    expect(r.requests.completed).toBe(300);
    expect(r.pools[0].kvUsedPeakFraction).toBeGreaterThan(0.8);
  });

  it("reports goodput no higher than throughput and cost only with a price", () => {
    const r = simulateServing(
      scenario({ slo: { ttftMs: 500, tpotMs: 30 }, pricePerChipHourUsd: { default: 2 } }),
    );
    expect(r.goodput?.requestsPerS).toBeLessThanOrEqual(r.throughput.requestsPerS + 1e-12);
    expect(r.costUsdPerMillionOutputTokens).toBeGreaterThan(0);
    expect(simulateServing(scenario({})).costUsdPerMillionOutputTokens).toBeUndefined();
  });

  it("rejects (and counts) a request that cannot fit in any rank's KV cache", () => {
    const trace = {
      arrival: {
        kind: "trace" as const,
        requests: [
          { arrivalS: 0, inputTokens: 100, outputTokens: 4 },
          { arrivalS: 0.1, inputTokens: 90000000, outputTokens: 4 },
        ],
      },
    };
    const r = simulateServing(scenario({ workload: trace }));
    expect(r.requests).toMatchObject({ arrived: 2, completed: 1, rejected: 1, inFlight: 0 });
  });

  it("names the missing pool, an oversized pool and weights that do not fit", () => {
    const path = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ZettasimError);
        return (e as ZettasimError).issues[0].path;
      }
      throw new Error("expected a ZettasimError");
    };
    expect(path(() => simulateServing(scenario({ decode: undefined })))).toEqual(["serving", "decode"]);
    expect(path(() => simulateServing(scenario({ decode: { instances: 1000, instanceChips: 16 } })))).toEqual(
      ["serving", "decode", "instances"],
    );
    expect(
      path(() => simulateServing(scenario({ decode: { instances: 1, instanceChips: 1, ep: 1 } }))),
    ).toEqual(["serving", "decode", "instanceChips"]);
  });
});

describe("disaggregated decode under KV pressure", () => {
  it("swaps sequences out and back in without losing any", () => {
    const make = (memoryUtilization: number) =>
      scenario({
        prefill: { instances: 1, instanceChips: 32, ep: 32 },
        decode: { instances: 1, instanceChips: 32, ep: 32 },
        memoryUtilization,
        workload: {
          arrival: { kind: "poisson", ratePerS: 300 },
          requests: 150,
          inputTokens: 3000,
          outputTokens: 1500,
        },
      });
    const cost = servingPlan(make(0.9)).pools[1].cost;
    const sc = make((cost.weightBytesPerChip() + 20000 * cost.kvBytesPerToken()) / cost.chip.memoryBytes);
    const r = simulateServing(sc);
    expect(r.requests.preemptions).toBeGreaterThan(0);
    expect(r.requests.completed).toBe(150);
    expect(r.pools[1].kvUsedPeakFraction).toBeGreaterThan(0.7);
  });
});

describe("hardware monotonicity in the simulation", () => {
  it("never decodes slower on a decode chip with more memory bandwidth", () => {
    let prev = Number.POSITIVE_INFINITY;
    for (const tbps of [2, 4, 8]) {
      const r = simulateServing(
        scenario({
          decode: {
            chip: { extends: "ascend-950dt", memoryBandwidthTBps: tbps },
            instances: 1,
            instanceChips: 16,
            ep: 16,
          },
        }),
      );
      expect(r.tpotMs.mean).toBeLessThanOrEqual(prev);
      prev = r.tpotMs.mean;
    }
  });
});

describe("figures that do not depend on the run's length", () => {
  const run = (requests: number) =>
    simulateServing(
      scenario({
        workload: {
          arrival: { kind: "poisson", ratePerS: 20 },
          requests,
          inputTokens: { kind: "lognormal", meanTokens: 1500, cv: 0.5 },
          outputTokens: { kind: "uniform", minTokens: 20, maxTokens: 120 },
        },
      }),
    );
  const short = run(1000);
  const long = run(8000);

  it("leaves out warm-up and drain requests and says how many", () => {
    expect(long.measurement).toEqual({ warmupRequests: 800, drainRequests: 800, measuredRequests: 6400 });
    expect(long.throughput.over).toBe("measurement window");
  });

  it("gives the same rates and mean latencies within their 95% intervals at 1,000 and 8,000 requests", () => {
    const agree = (a: number, ha: number, b: number, hb: number) =>
      expect(Math.abs(a - b)).toBeLessThanOrEqual(ha + hb + 1e-9);
    const s = short.throughput;
    const l = long.throughput;
    agree(
      s.outputTokensPerS,
      s.halfWidth95.outputTokensPerS,
      l.outputTokensPerS,
      l.halfWidth95.outputTokensPerS,
    );
    agree(s.requestsPerS, s.halfWidth95.requestsPerS, l.requestsPerS, l.halfWidth95.requestsPerS);
    agree(short.tpotMs.mean, short.tpotMs.meanHalfWidth95, long.tpotMs.mean, long.tpotMs.meanHalfWidth95);
    agree(short.ttftMs.mean, short.ttftMs.meanHalfWidth95, long.ttftMs.mean, long.ttftMs.meanHalfWidth95);
    // The offered load is served: the request rate matches the arrival rate.
    agree(l.requestsPerS, l.halfWidth95.requestsPerS, 20, 0);
  });

  it("narrows its intervals as the run grows", () => {
    expect(long.throughput.halfWidth95.outputTokensPerS).toBeLessThan(
      short.throughput.halfWidth95.outputTokensPerS,
    );
    expect(long.tpotMs.meanHalfWidth95).toBeLessThan(short.tpotMs.meanHalfWidth95);
    expect(long.tpotMs.meanHalfWidth95).toBeGreaterThan(0);
  });
});

/** A lightly loaded run (2 req/s, 1,000-token prompts, 100-300 output tokens) with `serving` fields changed. */
const lightRun = (serving: Partial<ServingFile>, requests = 120) =>
  simulateServing(
    scenario({
      ...serving,
      workload: {
        arrival: { kind: "poisson", ratePerS: 2 },
        requests,
        inputTokens: 1000,
        outputTokens: { kind: "uniform", minTokens: 100, maxTokens: 300 },
      },
    }),
  );

describe("speculative decoding in the simulation", () => {
  const light = (speculative?: ServingFile["speculative"]) => lightRun({ speculative });
  const plain = light();

  it("gains the expected tokens per step for the acceptance rate given", () => {
    for (const [k, a] of [
      [1, 0.8],
      [3, 0.7],
    ] as const) {
      const r = light({ method: "mtp", draftTokens: k, acceptanceRate: a });
      const s = r.speculative;
      expect(s?.expectedTokensPerStep).toBeCloseTo((1 - a ** (k + 1)) / (1 - a), 12);
      // Near the end of an output a step cannot gain more than is left: the simulated mean is a little lower.
      expect(s?.simulatedTokensPerStep).toBeLessThanOrEqual((s?.expectedTokensPerStep ?? 0) + 0.02);
      expect(s?.simulatedTokensPerStep).toBeGreaterThan((s?.expectedTokensPerStep ?? 0) * 0.95);
      expect(r.requests.completed).toBe(120);
    }
    expect(plain.speculative).toBeUndefined();
  });

  it("lowers TPOT of a lightly loaded decode when drafts are accepted, and raises it when none are", () => {
    const good = light({ draftTokens: 2, acceptanceRate: 0.9 });
    const none = light({ draftTokens: 2, acceptanceRate: 0 });
    expect(good.tpotMs.p50).toBeLessThan(plain.tpotMs.p50);
    expect(none.tpotMs.p50).toBeGreaterThan(plain.tpotMs.p50);
    expect(none.speculative?.simulatedTokensPerStep).toBe(1);
  });

  it("is deterministic and leaves arrivals unchanged", () => {
    const a = light({ draftTokens: 2, acceptanceRate: 0.6 });
    expect(light({ draftTokens: 2, acceptanceRate: 0.6 })).toEqual(a);
    expect(a.requests.arrived).toBe(plain.requests.arrived);
  });

  it("rejects an acceptance rate outside [0, 1] naming the field", () => {
    try {
      light({ draftTokens: 2, acceptanceRate: 1.5 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      expect((e as ZettasimError).issues[0].path).toEqual(["serving", "speculative", "acceptanceRate"]);
    }
  });
});

describe("engine profiles picked by a scenario", () => {
  // A light decode with the layout given, so only the engine's own profile differs between runs.
  const light = (engine: ServingFile["engine"], hostOverlap?: boolean) =>
    lightRun({ engine, hostOverlap }, 80);

  it("carries each named engine's profile into the plan", () => {
    for (const id of ["generic", "sglang", "vllm", "trtllm", "mindie"] as const) {
      const plan = servingPlan(scenario({ engine: id }));
      for (const p of plan.pools) expect(p.cost.engine.id).toBe(id);
    }
  });
  it("serves a light decode slower on vLLM's serial 1.5 ms host step than on SGLang's overlapped one", () => {
    const sglang = light("sglang");
    const vllm = light("vllm");
    expect(vllm.tpotMs.p50).toBeGreaterThan(sglang.tpotMs.p50);
    // Turning SGLang's overlap scheduler off (as --disable-overlap-schedule) adds its host step to each step.
    expect(light("sglang", false).tpotMs.p50).toBeGreaterThan(sglang.tpotMs.p50);
    expect(sglang.requests.completed).toBe(80);
  });
});
