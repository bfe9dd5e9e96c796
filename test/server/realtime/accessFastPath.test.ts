/**
 * Issue 15: an access check whose gym, session and member are known here is decided from memory. Regressions: a
 * session known only from an earlier read (not from a loaded class room) always took the reading path, and one
 * check reading anywhere on the node sent every other check to the reading path too — in a booking storm every
 * command but the first few (3,995 of 4,000) read instead of deciding from memory. A check still takes the reading
 * path behind checks of its own room that are reading (a gym loading: they resolve in arrival order).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import { ResidentStandings } from "../../../rooms/residentStandings.js";
import { accessReads } from "../../../server/persistence/accessReads.js";
import { standingsSource } from "../../../server/persistence/standingsSource.js";
import { AccessControl } from "../../../server/realtime/access.js";
import { withMigratedGym } from "../../support/migratedGym.js";
import { postgresOrPglite } from "../../support/services.js";

const pg = await postgresOrPglite();

describe("access checks decided from memory", () => {
  const t = withMigratedGym(pg, { capacity: 2, members: 3 });

  /** A node whose session-membership reads wait for `release()`. */
  const aNode = () => {
    const reads = accessReads(t.db.orm);
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let gated = false;
    const held = {
      ...reads,
      sessionMemberships: async (asked: Parameters<typeof reads.sessionMemberships>[0]) => {
        if (gated) await gate;
        return reads.sessionMemberships(asked);
      },
    };
    const resident = new ResidentStandings(standingsSource(t.db.orm), Date.now, 60_000, 0);
    const access = new AccessControl(held, resident);
    const reading = vi.spyOn(access as unknown as { read(userId: string, room: RoomId): Promise<unknown> }, "read");
    return { access, resident, reading, hold: () => (gated = true), release };
  };

  const loaded = async (resident: ResidentStandings) => {
    for (let i = 0; i < 200 && !resident.isLoaded(t.gym.gymId); i++) await new Promise((r) => setTimeout(r, 10));
    expect(resident.isLoaded(t.gym.gymId)).toBe(true);
  };

  it("reads a class's gym once, then decides its members' checks from memory, also for a session outside the gym's load", async () => {
    const { access, resident, reading } = aNode();
    const room = `class:${t.gym.sessionId}` as RoomId;
    expect(await access.check(t.gym.members[0]!.id, room)).toMatchObject({ ok: true, audience: "public" });
    await loaded(resident);
    expect(reading).toHaveBeenCalledTimes(1);
    // As for a session outside the gym's load (and no class room loaded here): known only from the read above.
    vi.spyOn(resident, "gymOfSession").mockReturnValue(undefined);
    for (const m of t.gym.members) expect(await access.check(m.id, room)).toMatchObject({ ok: true, gymId: t.gym.gymId });
    expect(reading).toHaveBeenCalledTimes(1);
    resident.close();
  });

  it("does not send a room's checks to the reading path while another room's check reads", async () => {
    const { access, resident, reading, hold, release } = aNode();
    const room = `class:${t.gym.sessionId}` as RoomId;
    await access.check(t.gym.members[0]!.id, room);
    await loaded(resident);
    hold();
    const elsewhere = access.check(t.gym.members[1]!.id, `class:${randomUUID()}` as RoomId); // waits at the gate
    expect(reading).toHaveBeenCalledTimes(2);
    expect(await access.check(t.gym.members[2]!.id, room)).toMatchObject({ ok: true });
    expect(reading).toHaveBeenCalledTimes(2);
    release();
    expect(await elsewhere).toEqual({ ok: false, code: "NOT_FOUND" });
    resident.close();
  });
});
