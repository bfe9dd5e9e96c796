/**
 * Issue 15 (cold room): a class's first access check does not start loading the gym's members beside the room's own
 * read (the two ran on the same cores and the gym's first join waited for both): the room's load starts it once its
 * read answered, or the check's grace ends. A decision that needs the standings loads them at once whatever the grace.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import type { StandingsSource } from "../../../rooms/residentMember.js";
import { ResidentStandings } from "../../../rooms/residentStandings.js";
import { accessReads } from "../../../server/persistence/accessReads.js";
import { standingsSource } from "../../../server/persistence/standingsSource.js";
import { AccessControl } from "../../../server/realtime/access.js";
import { withMigratedGym } from "../../support/migratedGym.js";
import { postgresOrPglite } from "../../support/services.js";

const pg = await postgresOrPglite();

describe("access checks of a gym whose members are not in memory", () => {
  const t = withMigratedGym(pg, { capacity: 2, members: 2 });

  const aNode = () => {
    const loads: string[] = [];
    const source = standingsSource(t.db.orm);
    const counted: StandingsSource = { ...source, loadGym: (gymId, since) => (loads.push(gymId), source.loadGym(gymId, since)) };
    const resident = new ResidentStandings(counted, Date.now, 60_000, 0);
    return { access: new AccessControl(accessReads(t.db.orm), resident), resident, loads };
  };

  const loadStarted = async (loads: string[]) => {
    for (let i = 0; i < 100 && loads.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    return loads;
  };

  // Regression: a join that left the gym's members unloaded made the member's first booking wait for the whole gym.
  it("starts loading the gym's members when a member joins a class", async () => {
    const { access, resident, loads } = aNode();
    const room = `class:${t.gym.sessionId}` as RoomId;
    expect(await access.check(t.gym.members[0]!.id, room)).toMatchObject({ ok: true, audience: "public" });
    expect(await loadStarted(loads)).toEqual([t.gym.gymId]);
    resident.close();
  });

  // Issue 15: started at the check, the gym's bulk read ran beside the cold room's own read and the first join waited for both.
  it("does not start the gym's load beside the room's read: after it (the room's `ready`), or a moment after the check", async () => {
    const { access, resident, loads } = aNode();
    const room = `class:${t.gym.sessionId}` as RoomId;
    expect(await access.check(t.gym.members[0]!.id, room)).toMatchObject({ ok: true });
    expect(loads).toEqual([]);
    // The room's load asks once its read answered: the gym loads after this turn, not after the check's grace.
    resident.warmSoon(t.gym.gymId);
    expect(loads).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(loads).toEqual([t.gym.gymId]);
    await new Promise((r) => setTimeout(r, 150));
    expect(loads).toEqual([t.gym.gymId]);
    resident.close();
  });

  it("finds a class's gym and the caller's membership together, and nothing for strangers or unknown classes", async () => {
    const { access, resident } = aNode();
    const room = `class:${t.gym.sessionId}` as RoomId;
    const [found, stranger, unknown] = await Promise.all([
      access.check(t.gym.members[0]!.id, room),
      access.check(randomUUID(), room),
      access.check(t.gym.members[0]!.id, `class:${randomUUID()}` as RoomId),
    ]);
    expect(found).toMatchObject({ ok: true, gymId: t.gym.gymId, caller: { membership: { gymId: t.gym.gymId, role: "member" } } });
    expect(stranger).toEqual({ ok: false, code: "NOT_FOUND" });
    expect(unknown).toEqual({ ok: false, code: "NOT_FOUND" });
    expect(await access.gymOf(room)).toBe(t.gym.gymId);
    resident.close();
  });

  it("starts loading the gym's members when a member acts in a class", async () => {
    const { access, resident, loads } = aNode();
    const room = `class:${t.gym.sessionId}` as RoomId;
    expect(await access.check(t.gym.members[1]!.id, room)).toMatchObject({ ok: true, audience: "public" });
    expect(await loadStarted(loads)).toEqual([t.gym.gymId]);
    resident.close();
  });
});
