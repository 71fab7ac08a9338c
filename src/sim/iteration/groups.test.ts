// Where the simulator places an op's groups: on the plan's own strides, so both back ends cost the same ranks.
import { describe, expect, it } from "vitest";
import { dgxH100 } from "../../../test/fixtures/systems.js";
import { resolveModel } from "../../catalog/models-resolve.js";
import type { TrainingConfig } from "../../schema/training.js";
import { planTraining } from "../../training/index.js";
import { Fabric } from "../topology/fabric.js";
import { StageGroups } from "./comm.js";

describe("StageGroups places every op at the plan's stride", () => {
  it("a hybrid FSDP shard of 8 stays in one node; its replica all-reduce crosses nodes", () => {
    const sys = dgxH100(512);
    const cfg: TrainingConfig = {
      seqLength: 4096,
      globalBatchSize: 4096,
      microBatchSize: 1,
      tp: 1,
      pp: 1,
      zero: 3,
      precision: "bf16",
      recompute: "none",
      shardGroupSize: 8,
    };
    const plan = planTraining(sys, resolveModel("llama3-70b"), cfg);
    const groups = new StageGroups(new Fabric(sys, {}), plan);
    const op = (name: string) => {
      const o = plan.comm.find((x) => x.name === name);
      if (!o) throw new Error(`no ${name}`);
      return o;
    };
    // Before 2 December 2026 the shard was spread over the stage's 512 ranks (stride 64), across 8 nodes.
    const shard = groups.groupsFor(0, op("fsdp gradient reduce-scatter"));
    expect(shard.ranks).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(shard.all()).toHaveLength(64);
    const across = groups.groupsFor(0, op("hsdp gradient-shard all-reduce across replicas"));
    expect(across.ranks.slice(0, 3)).toEqual([0, 8, 16]);
    expect(across.ranks).toHaveLength(64);
  });
});
