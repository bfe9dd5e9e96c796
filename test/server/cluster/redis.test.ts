import { createServer as createTcpServer } from "node:net";
import { describe, expect, it } from "vitest";
import { StartupError } from "../../../server/createServer.js";
import { requireRedis, startTestServer } from "../../support/services.js";

const redis = await requireRedis();

describe.skipIf(!redis.ok)("a node with REDIS_URL", () => {
  it("reports Redis in /ready", async () => {
    const t = await startTestServer({ REDIS_URL: redis.url });
    try {
      const res = await fetch(`${t.server.url}/ready`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ready: true, redis: { ok: true, configured: true } });
    } finally {
      await t.cleanup();
    }
  });
});

/** A port nothing listens on: bound once to learn a free number, then closed. */
async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("a node whose REDIS_URL does not answer", () => {
  // Regression: connectRedis() used to retry the first connect forever, so createServer never settled.
  it("refuses to start with a StartupError naming REDIS_URL", async () => {
    const started = startTestServer({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    const outcome = await Promise.race([
      started.then(
        async (t) => {
          await t.cleanup();
          return "started";
        },
        (err: unknown) => err,
      ),
      new Promise((resolve) => setTimeout(() => resolve("still starting after 4 s"), 4_000)),
    ]);
    expect(outcome).toBeInstanceOf(StartupError);
    expect((outcome as Error).message).toMatch(/REDIS_URL/);
  });
});
