/**
 * A lost invalidation note (Redis pub/sub delivers at most once) must not leave a resident standing wrong for the
 * gym's lifetime: reconciliation compares every resident member's role, status, plan and credits with PostgreSQL
 * and marks the ones that differ stale, so the next read is fresh.
 */
import { describe, expect, it } from "vitest";
import { ResidentStandings } from "../../rooms/residentStandings.js";
import { GymMembershipEntity } from "../../server/db/entities/index.js";
import { standingsSource } from "../../server/persistence/standingsSource.js";
import { postgresOrPglite } from "../support/services.js";
import { withMigratedGym } from "../support/migratedGym.js";

const pg = await postgresOrPglite();

describe("resident standings whose invalidation note was lost", () => {
  const t = withMigratedGym(pg, { capacity: 5, members: 3 });

  it("finds a status, role or credits change nobody announced and reads those members again, only them", async () => {
    const resident = new ResidentStandings(standingsSource(t.db.orm), Date.now, 60_000, 0);
    const [frozen, promoted, topped, same] = [t.gym.members[0]!.id, t.gym.members[1]!.id, t.gym.members[2]!.id, t.gym.coachId];
    expect((await resident.member(t.gym.gymId, frozen))!.status).toBe("active");
    expect(await resident.reconcile()).toBe(0);
    // Changed in PostgreSQL with no note to this node (as when the note was lost).
    const em = t.db.orm.em.fork();
    await em.nativeUpdate(GymMembershipEntity, { gymId: t.gym.gymId, userId: frozen }, { status: "frozen" });
    await em.nativeUpdate(GymMembershipEntity, { gymId: t.gym.gymId, userId: promoted }, { role: "front_desk" });
    await em.nativeUpdate(GymMembershipEntity, { gymId: t.gym.gymId, userId: topped }, { credits: 7 });
    // Without reconciliation the copy stays as it was.
    expect((await resident.member(t.gym.gymId, frozen))!.status).toBe("active");
    expect(await resident.reconcile()).toBe(3);
    expect((await resident.member(t.gym.gymId, frozen))!.status).toBe("frozen");
    expect((await resident.member(t.gym.gymId, promoted))!.role).toBe("front_desk");
    expect((await resident.member(t.gym.gymId, topped))!.credits).toBe(7);
    expect((await resident.member(t.gym.gymId, same))!.role).toBe("coach");
    expect(await resident.reconcile()).toBe(0);
    resident.close();
  });
});
