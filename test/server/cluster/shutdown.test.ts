/**
 * Shutting one node down on a shared Redis: only that node's sockets close. `io.disconnectSockets()` goes
 * through the Redis adapter to every node, so stopping one node (a deploy, a test's cleanup, a bench server)
 * disconnected every client of the cluster.
 */
import { describe, expect, it } from "vitest";
import { twoNodes } from "../../support/cluster.js";
import { requirePostgres, requireRedis } from "../../support/services.js";
import { connectAs } from "../../support/sockets.js";

const pg = await requirePostgres();
const redis = await requireRedis();

describe.skipIf(!pg.ok || !redis.ok)("stopping one of two nodes sharing Redis", () => {
  const nodes = twoNodes(pg, redis, "shutdown", 2);

  it("regression: closing one node disconnected every socket on every node sharing its Redis", async () => {
    const { a, b, gym, sockets } = nodes;
    const onA = await connectAs(a.server, gym.members[0]!.id);
    const onB = await connectAs(b.server, gym.members[1]!.id);
    sockets.push(onA, onB);
    const reasons: string[] = [];
    onB.socket.on("disconnect", (reason) => reasons.push(reason));
    const aClosed = new Promise<void>((resolve) => onA.socket.once("disconnect", () => resolve()));

    await a.cleanup();
    await aClosed;
    // The cluster-wide broadcast reached node B within milliseconds; a second is ample (this waits, it times nothing).
    await new Promise((r) => setTimeout(r, 1_000));
    expect(reasons).toEqual([]);
    expect(await onB.join(`class:${gym.sessionId}`)).toMatchObject({ ok: true });
  });
});
