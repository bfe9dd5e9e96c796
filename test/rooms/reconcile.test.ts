/**
 * A lost invalidation note (Redis pub/sub delivers at most once) must not leave a resident standing wrong for the
 * gym's lifetime: reconciliation compares every resident member's role, status, plan and credits with PostgreSQL
 * and marks the ones that differ stale, so the next read is fresh.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResidentStandings } from "../../rooms/residentStandings.js";
import { GymMembershipEntity } from "../../server/db/entities/index.js";
import { migrateUp, openDatabase, type Database } from "../../server/db/orm.js";
import { standingsSource } from "../../server/persistence/standingsSource.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { createTestDatabase, requirePostgres, type TestDatabase } from "../support/services.js";

const pg = await requirePostgres();

describe.skipIf(!pg.ok)("resident standings whose invalidation note was lost", () => {
  let made: TestDatabase;
  let db: Database;
  let gym: GymFixture;

  beforeAll(async () => {
    made = await createTestDatabase(pg.url!);
    db = await openDatabase({ kind: "postgres", url: made.url }, 4);
    await migrateUp(db);
    gym = await aGym(db.orm, { capacity: 5, members: 3 });
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await made?.drop();
  });

  it("finds a status, role or credits change nobody announced and reads those members again, only them", async () => {
    const resident = new ResidentStandings(standingsSource(db.orm), Date.now, 60_000, 0);
    const [frozen, promoted, topped, same] = [gym.members[0]!.id, gym.members[1]!.id, gym.members[2]!.id, gym.coachId];
    expect((await resident.member(gym.gymId, frozen))!.status).toBe("active");
    expect(await resident.reconcile()).toBe(0);
    // Changed in PostgreSQL with no note to this node (as when the note was lost).
    const em = db.orm.em.fork();
    await em.nativeUpdate(GymMembershipEntity, { gymId: gym.gymId, userId: frozen }, { status: "frozen" });
    await em.nativeUpdate(GymMembershipEntity, { gymId: gym.gymId, userId: promoted }, { role: "front_desk" });
    await em.nativeUpdate(GymMembershipEntity, { gymId: gym.gymId, userId: topped }, { credits: 7 });
    // Without reconciliation the copy stays as it was.
    expect((await resident.member(gym.gymId, frozen))!.status).toBe("active");
    expect(await resident.reconcile()).toBe(3);
    expect((await resident.member(gym.gymId, frozen))!.status).toBe("frozen");
    expect((await resident.member(gym.gymId, promoted))!.role).toBe("front_desk");
    expect((await resident.member(gym.gymId, topped))!.credits).toBe(7);
    expect((await resident.member(gym.gymId, same))!.role).toBe("coach");
    expect(await resident.reconcile()).toBe(0);
    resident.close();
  });
});
