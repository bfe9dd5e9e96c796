/**
 * How `npm test` places test files (vitest.config.ts, test/support/lanes.ts): Chromium files in one lane, Redis files
 * in the other, a browser on a Redis cluster in both, the rest two at a time; a lane's lock lets one process in at once.
 */
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { lanesOf, takePort } from "../support/lanes.js";

describe("test lanes", () => {
  it.each([
    ["test/web-admin/adminApp.test.ts", ["chromium"]],
    ["test/server/cluster/feeNodes.test.ts", ["redis"]],
    ["test/server/cluster/directory.test.ts", ["redis"]],
    ["test/web-admin/offlineDesk.test.ts", ["chromium", "redis"]],
    // It names REDIS_URL only as a config variable to validate: no Redis, so two at a time.
    ["test/server/config.test.ts", []],
    ["test/server/admin/members.test.ts", []],
  ])("%s runs in lanes %j", (file, lanes) => {
    expect(lanesOf(file)).toEqual(lanes);
  });

  it("lets a second taker of a lane in only when the first let go", async () => {
    const probe = createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => probe.once("listening", resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));

    const first = await takePort(port);
    let secondIn = false;
    const second = takePort(port).then((server) => {
      secondIn = true;
      return server;
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(secondIn).toBe(false);
    await new Promise((resolve) => first.close(resolve));
    const held = await second;
    expect(secondIn).toBe(true);
    await new Promise((resolve) => held.close(resolve));
  });
});
