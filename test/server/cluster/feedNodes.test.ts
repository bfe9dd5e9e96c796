/**
 * Live feed delivery across nodes: two Spotter nodes sharing PostgreSQL and Redis. An event committed through
 * node A reaches a watcher connected to node B (Redis adapter), and a member blocked by the actor, also on
 * node B, receives none of it — asserted on that socket's raw frames.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { FeedCard } from "../../../domain/protocol/feed.js";
import { appendFeedEvents } from "../../../server/persistence/feedStore.js";
import { twoNodes } from "../../support/cluster.js";
import { requirePostgres, requireRedis } from "../../support/services.js";
import { connectAs, eventually } from "../../support/sockets.js";

const pg = await requirePostgres();
const redis = await requireRedis();

describe.skipIf(!pg.ok || !redis.ok)("the feed on two nodes sharing Redis", () => {
  const nodes = twoNodes(pg, redis, "feed", 4);

  it("pushes an event committed on one node to watchers on the other, except a member blocked by the actor", async () => {
    const { a, b, gym, sockets } = nodes;
    const [actor, friend, blocked] = [gym.members[0]!.id, gym.members[1]!.id, gym.members[2]!.id];
    const watch = async (userId: string) => {
      const s = await connectAs(b.server, userId);
      sockets.push(s);
      const posted: string[] = [];
      s.socket.on("feed:posted", (p: { card: FeedCard }) => posted.push(p.card.id));
      expect((await s.command(`gym:${gym.gymId}`, "feed:watch", {})).ok).toBe(true);
      return Object.assign(s, { posted });
    };
    const onB = await watch(friend);
    const blockedOnB = await watch(blocked);
    const actorOnA = await connectAs(a.server, actor);
    sockets.push(actorOnA);
    expect((await actorOnA.command(`gym:${gym.gymId}`, "feed:block", { memberId: blocked, block: true })).ok).toBe(true);

    const hidden = `hidden-${randomUUID()}`;
    await a.server.db.orm.em
      .fork()
      .transactional((tx) =>
        appendFeedEvents(tx, [
          { gymId: gym.gymId, actorId: actor, kind: "pr", visibility: "gym", payload: { marker: hidden }, at: Date.now() },
        ]),
      );
    const seen = `seen-${randomUUID()}`;
    await a.server.db.orm.em.fork().transactional((tx) =>
      appendFeedEvents(tx, [
        {
          gymId: gym.gymId,
          actorId: gym.members[3]!.id,
          kind: "workout_logged",
          visibility: "gym",
          payload: { marker: seen },
          at: Date.now(),
        },
      ]),
    );
    await eventually(() => expect(onB.frames.join("\n")).toContain(seen));
    await eventually(() => expect(blockedOnB.frames.join("\n")).toContain(seen));
    expect(onB.frames.join("\n")).toContain(hidden);
    expect(blockedOnB.frames.join("\n")).not.toContain(hidden);
    expect(blockedOnB.frames.join("\n")).not.toContain(actor);
  });
});
