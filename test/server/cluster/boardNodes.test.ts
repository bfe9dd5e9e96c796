/**
 * Live gym leaderboards across nodes: two Spotter nodes sharing PostgreSQL and Redis. A workout logged
 * through node A moves the member on node B's cached board at once, and a watcher on node B is told.
 */
import { describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import { twoNodes } from "../../support/cluster.js";
import { requirePostgres, requireRedis } from "../../support/services.js";
import { connectAs, eventually } from "../../support/sockets.js";

const pg = await requirePostgres();
const redis = await requireRedis();

type Board = { entries: { memberId?: string; value: number | string }[] };
const ok = <T>(ack: Ack<unknown>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result as T;
};

describe.skipIf(!pg.ok || !redis.ok)("gym leaderboards on two nodes sharing Redis", () => {
  const nodes = twoNodes(pg, redis, "board", 3);

  it("updates node B's cached volume board and tells B's watchers when a workout is logged on node A", async () => {
    const { a, b, gym, sockets } = nodes;
    const lifter = gym.members[0]!.id;
    const coachOnB = await connectAs(b.server, gym.coachId);
    const lifterOnA = await connectAs(a.server, lifter);
    sockets.push(coachOnB, lifterOnA);
    const changed: string[][] = [];
    coachOnB.socket.on("board:changed", (c: { boards: string[] }) => changed.push(c.boards));
    const volumeOnB = async () =>
      ok<Board>(await coachOnB.command(`gym:${gym.gymId}`, "gym:leaderboard", { board: "volume", period: "week", watch: true })).entries;
    expect(await volumeOnB()).toEqual([]); // B builds and caches the (empty) board
    ok(
      await lifterOnA.command(`user:${lifter}`, "user:logWorkout", {
        gymId: gym.gymId,
        exercises: [{ movement: "Squat", sets: [{ reps: 10, grams: 100_000 }] }],
      }),
    );
    await eventually(() => expect(changed).toContainEqual(["volume"]));
    await eventually(async () => expect(await volumeOnB()).toEqual([expect.objectContaining({ memberId: lifter, value: 1000 })]));
  });
});
