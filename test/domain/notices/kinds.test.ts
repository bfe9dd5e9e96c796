import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DefaultChannels, NoticeKinds, packRunsLow } from "../../../domain/notices/kinds.js";

const doc = readFileSync(join(import.meta.dirname, "../../../docs/domain.md"), "utf8");

describe("notice kinds", () => {
  it("docs/domain.md lists every kind once, with its default channels", () => {
    for (const kind of NoticeKinds) {
      const rows = doc.split("\n").filter((l) => l.startsWith(`| \`${kind}\` |`));
      expect(rows, kind).toHaveLength(1);
      const cells = rows[0]!.split("|").map((c) => c.trim());
      expect([cells.at(-3) === "✓", cells.at(-2) === "✓"], kind).toEqual([
        DefaultChannels[kind].includes("push"),
        DefaultChannels[kind].includes("email"),
      ]);
    }
  });

  it("says a pack runs low once, when a booking crosses into the last two credits", () => {
    expect([packRunsLow(4, 3), packRunsLow(3, 2), packRunsLow(2, 1), packRunsLow(1, 2), packRunsLow(null, 0)]).toEqual([
      false,
      true,
      false,
      false,
      false,
    ]);
  });
});
