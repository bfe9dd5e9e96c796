/**
 * domain/'s layers are a lint rule (eslint.config.js, `domainLayers`): an import from a domain folder into one of its
 * own layer or above fails the lint, as one that goes down passes. Probes are linted as if they stood in domain/.
 */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint();

async function layerErrors(file: string, from: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import type * as probe from "${from}";\nexport type Probe = typeof probe;\n`, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === "boundaries/dependencies").map((m) => m.message);
}

describe("domain's layers", () => {
  it("refuses an import from a lower domain folder into a higher one (the back arrows that were folded away)", async () => {
    expect(await layerErrors("domain/feed/probe.ts", "../views/people.js")).toEqual([
      expect.stringContaining("domain/feed/ imports only lower layers"),
    ]);
    expect(await layerErrors("domain/schedule/probe.ts", "../protocol/commands.js")).toHaveLength(1);
    expect(await layerErrors("domain/checkin/probe.ts", "../class/state.js")).toHaveLength(1);
    expect(await layerErrors("domain/admin/probe.ts", "../class/draft.js")).toHaveLength(1);
  });

  it("refuses an import sideways, between two folders of one layer, and from a root file into any folder", async () => {
    expect(await layerErrors("domain/workouts/probe.ts", "../checkin/denials.js")).toHaveLength(1);
    expect(await layerErrors("domain/probe.ts", "./schedule/timeZone.js")).toEqual([
      expect.stringContaining("root files are its lowest layer"),
    ]);
  });

  it("allows imports down the layers, inside a folder and into domain's root files", async () => {
    expect(await layerErrors("domain/class/probe.ts", "../workouts/classBoard.js")).toEqual([]);
    expect(await layerErrors("domain/views/probe.ts", "../class/index.js")).toEqual([]);
    expect(await layerErrors("domain/class/probe.ts", "./state.js")).toEqual([]);
    expect(await layerErrors("domain/admin/probe.ts", "../format.js")).toEqual([]);
  });
});
