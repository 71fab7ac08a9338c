// Planner: waits for `zettasim plan` (src/plan) to land on main; says so plainly instead of showing a stub.
import { FILE, type PageProps } from "../app.js";
import { PageHead } from "../form.js";

export function PlanPage(_p: PageProps) {
  return (
    <div class="page" data-page-view="plan">
      <PageHead
        title="Planner"
        lead="The best layouts for the scenario's job: the Pareto front and the top-k table, a click loads a configuration."
        cli={`zettasim plan train ${FILE}`}
      />
      <div class="card empty" data-testid="plan-unavailable">
        <p>
          The planner's search (<code>src/plan</code>, <code>zettasim plan</code>) is not part of this build
          yet. This page appears here once it is; until then, use the Training page to try layouts one at a
          time.
        </p>
      </div>
    </div>
  );
}
