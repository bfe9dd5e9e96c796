/**
 * Setup file of the lane group (see lanes.ts): holds the locks of the file's lanes from before its first hook until
 * after its last (`afterAll` hooks run in reverse order, so this one runs last). A lock is a listening loopback port.
 */
import type { Server } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { LANE_PORTS, lanesOf, takePort } from "./lanes.js";

const held: Server[] = [];

// Vitest hands hooks their fixtures first (none here), then the suite: at the top of a setup file, the test file.
beforeAll(async ({}, file) => {
  const path = (file as { filepath?: string }).filepath;
  if (!path) throw new Error("laneLock: the suite names no test file");
  for (const lane of lanesOf(path)) held.push(await takePort(LANE_PORTS[lane]));
}, 60 * 60_000); // waits for the lane's other files

afterAll(async () => {
  for (const server of held.splice(0).reverse()) await new Promise((resolve) => server.close(resolve));
});
