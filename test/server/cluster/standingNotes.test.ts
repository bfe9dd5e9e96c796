/**
 * Standing notes go out once per gym per event-loop turn: under a storm many rooms' commits finish together, and
 * each published its own note (one Redis publish per commit, decoded by every node).
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { keys } from "../../../rooms/keys.js";
import type { StandingsSource } from "../../../rooms/residentMember.js";
import { ResidentStandings } from "../../../rooms/residentStandings.js";
import { StandingNotes } from "../../../server/cluster/standingNotes.js";
import { createLogger } from "../../../server/logger.js";
import { connectRedis } from "../../../server/redis.js";
import { requireRedis } from "../../support/services.js";
import { eventually } from "../../support/sockets.js";

const redis = await requireRedis();
const log = createLogger("silent", "test");
/** No gym is ever loaded in these tests: notes only invalidate. */
const nothing: StandingsSource = { loadGym: async () => null, loadMembers: async () => [] };

describe.skipIf(!redis.ok)("standing notes across nodes (real Redis)", () => {
  const closing: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
  });

  it("publishes the members one turn changed as one note per gym", async () => {
    const client = await connectRedis(redis.url!, log, "test");
    const listener = await connectRedis(redis.url!, log, "test");
    const resident = new ResidentStandings(nothing, Date.now, 60_000, 0);
    const notes = new StandingNotes(resident, `node-${randomUUID()}`, client, log);
    closing.push(
      () => client.quit(),
      () => listener.quit(),
      async () => resident.close(),
      () => notes.close(),
    );
    const [g1, g2] = [randomUUID(), randomUUID()];
    const heard: { gymId: string; userIds: string[] }[] = [];
    await listener.subscribe(keys.standingNotes, (raw) => {
      const note = JSON.parse(raw) as { gymId?: string; userIds?: string[] };
      if ((note.gymId === g1 || note.gymId === g2) && note.userIds) heard.push({ gymId: note.gymId, userIds: note.userIds });
    });

    resident.onChanged!(g1, ["a", "b"]);
    notes.invalidateMember(g1, "c");
    resident.onChanged!(g2, ["a"]);
    resident.onChanged!(g1, ["a"]);
    await eventually(() => expect(heard).toHaveLength(2));
    expect(heard).toEqual([
      { gymId: g1, userIds: ["a", "b", "c"] },
      { gymId: g2, userIds: ["a"] },
    ]);
    // The next turn's changes are a note of their own.
    resident.onChanged!(g1, ["d"]);
    await eventually(() => expect(heard).toHaveLength(3));
    expect(heard[2]).toEqual({ gymId: g1, userIds: ["d"] });
  });
});
