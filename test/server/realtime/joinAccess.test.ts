/**
 * Issue 15 (cold room): a join's access check does not start loading the gym's members. The join answers from its
 * room's own read; the gym's load, started beside that read, ran with it on the same cores and the gym's first join
 * waited for both. A command's check still starts the load at once (its decision needs the standings).
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

  // Regression: a join that left the gym's members unloaded made the member's first booking wait for the whole gym.
  it("starts loading the gym's members when a member joins a class", async () => {
    const { access, resident, loads } = aNode();
    const room = `class:${t.gym.sessionId}` as RoomId;
    expect(await access.check(t.gym.members[0]!.id, room)).toMatchObject({ ok: true, audience: "public" });
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
    expect(loads).toEqual([t.gym.gymId]);
    resident.close();
  });
});
