/**
 * Unwatched views cost nothing with Redis too: a room asks `WatchPresence` whether anyone on any node
 * watches a channel. Regression: with Redis the answer was always "watched", so every view of every live
 * room built deltas that no socket received.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../server/logger.js";
import { PRESENCE_TTL_MS, WatchPresence } from "../../../server/cluster/watchPresence.js";
import { connectRedis, type RedisClient } from "../../../server/redis.js";
import { requireRedis } from "../../support/services.js";
import { eventually } from "../../support/sockets.js";

const redis = await requireRedis();
const log = createLogger("silent", "test");

describe.skipIf(!redis.ok)("watch presence across nodes (real Redis)", () => {
  const opened: { p: WatchPresence; c: RedisClient }[] = [];
  afterEach(async () => {
    for (const { p, c } of opened.splice(0)) {
      await p.close();
      await c.quit();
    }
  });

  async function node(channels: Set<string>, now: () => number) {
    const c = await connectRedis(redis.url!, log, "test");
    const p = new WatchPresence(`node-${randomUUID()}`, c, (ch) => (channels.has(ch) ? 1 : 0), () => channels, now, log);
    await p.start();
    opened.push({ p, c });
    return p;
  }

  it("counts a channel watched on another node as watched, and stops once that node's watchers left", async () => {
    let t = 1_000_000;
    const now = () => t;
    const watched = `class:${randomUUID()}#public`;
    const nobody = `class:${randomUUID()}#public`;
    const onB = new Set([watched]);
    const a = await node(new Set(), now);
    const b = await node(onB, now);
    // Just started: A may have missed announcements, so everything counts as watched.
    expect(a.watched(nobody)).toBe(true);
    t += PRESENCE_TTL_MS + 1;
    b.announce();
    await eventually(() => expect(a.watched(watched)).toBe(true));
    expect(a.watched(nobody)).toBe(false);
    // B's sockets on it are local there.
    expect(b.watched(watched)).toBe(true);
    onB.clear();
    b.announce();
    t += PRESENCE_TTL_MS + 1;
    a.announce();
    expect(a.watched(watched)).toBe(false);
  });

  it("answers from this node's sockets alone without Redis", () => {
    const here = new Set(["class:x#staff"]);
    const p = new WatchPresence("solo", undefined, (ch) => (here.has(ch) ? 1 : 0), () => here, () => 0, log);
    expect(p.watched("class:x#staff")).toBe(true);
    expect(p.watched("class:x#public")).toBe(false);
  });
});
