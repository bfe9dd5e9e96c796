/**
 * Orders the lane group (see lanes.ts) so that both lanes always have a file coming: the Chromium lane's and the
 * Redis lane's files interleaved in proportion to their counts, the files in both lanes last. Each lane keeps
 * Vitest's own order (slowest first when it knows, else largest first). Other groups keep Vitest's order.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { lanesOf } from "./lanes.js";

export class LaneSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const byLane = { chromium: [] as TestSpecification[], redis: [] as TestSpecification[], both: [] as TestSpecification[] };
    const rest: TestSpecification[] = [];
    for (const spec of sorted) {
      const lanes = lanesOf(spec.moduleId);
      if (lanes.length === 0) rest.push(spec);
      else byLane[lanes.length === 2 ? "both" : lanes[0]!].push(spec);
    }
    if (rest.length === sorted.length) return sorted;
    const share = (list: TestSpecification[]) => list.map((spec, i) => ({ spec, at: (i + 0.5) / list.length }));
    const interleaved = [...share(byLane.chromium), ...share(byLane.redis)].sort((a, b) => a.at - b.at).map((e) => e.spec);
    return [...rest, ...interleaved, ...byLane.both];
  }
}
