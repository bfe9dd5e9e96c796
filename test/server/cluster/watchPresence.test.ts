/**
 * Unwatched views cost nothing with Redis too: a room asks `WatchPresence` whether anyone on any node
 * watches a channel. Regression: with Redis the answer was always "watched", so every view of every live
 * room built deltas that no socket received.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../server/logger.js";
import { PRESENCE_HELLO_MS, PRESENCE_LEAVE_MS, PRESENCE_TTL_MS, WatchPresence } from "../../../server/cluster/watchPresence.js";
import { connectRedis, type RedisClient } from "../../../server/redis.js";
import { keys } from "../../../rooms/keys.js";
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

  async function node(channels: Set<string>, now: () => number, id = `node-${randomUUID()}`) {
    const c = await connectRedis(redis.url!, log, "test");
    const p = new WatchPresence(
      id,
      c,
      (ch) => (channels.has(ch) ? 1 : 0),
      () => channels,
      now,
      log,
    );
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

  it("hears the other nodes' channels right after it starts (its hello), so its start-up window is short", async () => {
    let t = 1_000_000;
    const now = () => t;
    const watched = `class:${randomUUID()}#public`;
    const nobody = `class:${randomUUID()}#public`;
    await node(new Set([watched]), now);
    const a = await node(new Set(), now);
    // Regression guard: without the hello, A heard B only at B's next announcement, up to 10 s later.
    t += PRESENCE_HELLO_MS + 1;
    await eventually(() => expect(a.watchedElsewhere(watched)).toBe(true), 2_000);
    expect(a.watchedElsewhere(nobody)).toBe(false);
  });

  it("counts a channel as watched elsewhere from a join forwarded by another node, and its own sockets as here only", async () => {
    let t = 1_000_000;
    const now = () => t;
    const mine = `class:${randomUUID()}#staff`;
    const theirs = `class:${randomUUID()}#public`;
    const a = await node(new Set([mine]), now);
    t += PRESENCE_HELLO_MS + 1;
    expect(a.watched(mine)).toBe(true);
    expect(a.watchedElsewhere(mine)).toBe(false);
    expect(a.watchedElsewhere(theirs)).toBe(false);
    a.joinedElsewhere(theirs);
    expect(a.watchedElsewhere(theirs)).toBe(true);
    t += PRESENCE_TTL_MS + 1;
    expect(a.watchedElsewhere(theirs)).toBe(false);
  });

  it("stops counting a forwarded join soon after the watcher's node lost its last socket on it, not a TTL later", async () => {
    // Regression: members who looked at a class from another node and then moved to its owner kept every delta of that
    // class going through Redis (and decoded by every node) for 30 s.
    let t = 1_000_000;
    const now = () => t;
    const channel = `class:${randomUUID()}#public`;
    const onB = new Set<string>();
    const bId = `node-b-${randomUUID()}`;
    const a = await node(new Set(), now);
    const b = await node(onB, now, bId);
    t += PRESENCE_HELLO_MS + 1;
    onB.add(channel); // B's socket joins the channel, then B forwards the join to A with its stamp
    a.joinedElsewhere(channel, bId, b.stamp());
    expect(a.watchedElsewhere(channel)).toBe(true);
    onB.delete(channel);
    b.emptied(channel);
    // The clock stands still: only B's announcement made after the join can end it.
    await eventually(() => expect(a.watchedElsewhere(channel)).toBe(false), 2_000 + PRESENCE_LEAVE_MS);
  });

  it("keeps counting a forwarded join until its node announces after the join, and then by what that announcement lists", async () => {
    let t = 1_000_000;
    const now = () => t;
    const channel = `class:${randomUUID()}#public`;
    const marker = `class:${randomUUID()}#staff`;
    const onB = new Set([channel]);
    const bId = `node-b-${randomUUID()}`;
    const a = await node(new Set(), now);
    const b = await node(onB, now, bId);
    t += PRESENCE_HELLO_MS + 1;
    a.joinedElsewhere(channel, bId, b.stamp());
    // An announcement B made before the join, heard after it (another Redis connection): it does not list the channel.
    const raw = await connectRedis(redis.url!, log, "test");
    await raw.publish(keys.watchPresence, JSON.stringify({ from: bId, channels: [marker], seq: b.stamp() }));
    await raw.quit();
    await eventually(() => expect(a.watchedElsewhere(marker)).toBe(true), 2_000);
    expect(a.watchedElsewhere(channel)).toBe(true);
    // B's next announcement replaces the last one: the channel counts through it, the marker no longer.
    b.announce();
    await eventually(() => expect(a.watchedElsewhere(marker)).toBe(false), 2_000);
    expect(a.watchedElsewhere(channel)).toBe(true);
    onB.clear();
    b.announce();
    await eventually(() => expect(a.watchedElsewhere(channel)).toBe(false), 2_000);
  });

  it("answers from this node's sockets alone without Redis", () => {
    const here = new Set(["class:x#staff"]);
    const p = new WatchPresence(
      "solo",
      undefined,
      (ch) => (here.has(ch) ? 1 : 0),
      () => here,
      () => 0,
      log,
    );
    expect(p.watched("class:x#staff")).toBe(true);
    expect(p.watched("class:x#public")).toBe(false);
    expect(p.watchedElsewhere("class:x#staff")).toBe(false);
  });
});
