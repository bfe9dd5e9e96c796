/**
 * Test files that share something machine-wide run one at a time per lane: the Chromium lane (a browser needs a
 * core of its own) and the Redis lane (Redis channels and leases are shared by every process on the machine).
 * The two lanes run side by side; a file in both (a browser on a Redis cluster) waits for both.
 * vitest.config.ts puts these files in a group of their own, ordered by `LaneSequencer`; `laneLock.ts` (their
 * setup file) holds each lane's lock from before a file's first hook until after its last.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";

export type Lane = "chromium" | "redis";

const LANES: readonly (readonly [Lane, RegExp])[] = [
  ["chromium", /support\/browser/],
  ["redis", /support\/cluster|requireRedis|TEST_REDIS_URL/],
];

/** Loopback ports held as the lanes' locks: the kernel grants each to one process and frees it when that process ends. */
export const LANE_PORTS: Readonly<Record<Lane, number>> = { chromium: 29411, redis: 29412 };

/** The lanes of a test file, from what it imports and reads (in lock order: Chromium, then Redis). */
export function lanesOf(file: string): Lane[] {
  const source = readFileSync(file, "utf8");
  return LANES.filter(([, pattern]) => pattern.test(source)).map(([lane]) => lane);
}

/** Listens on the loopback `port` as soon as no other process does (checking every 100 ms); close the server to let go. */
export function takePort(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const server = createServer();
      server.once("error", (err: NodeJS.ErrnoException) => {
        if (err.code === "EADDRINUSE") setTimeout(attempt, 100);
        else reject(err);
      });
      server.listen({ port, host: "127.0.0.1", exclusive: true }, () => resolve(server.unref()));
    };
    attempt();
  });
}
