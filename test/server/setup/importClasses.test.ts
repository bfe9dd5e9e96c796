/**
 * Issue 18: a gym brings its classes over from another system — new class types and classes, past ones included
 * (which `schedule:createSession` refuses) — in one audited transaction; the same references as a new class are
 * checked, and a refusal imports nothing. Against a real server on PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminActor } from "../../../app/admin/ports.js";
import { importClasses } from "../../../app/setup/importClasses.js";
import type { SetupPorts } from "../../../app/setup/ports.js";
import { DomainError } from "../../../domain/errors.js";
import { AuditLogEntity, ClassSessionEntity, ClassTypeEntity, GymEntity } from "../../../server/db/entities/index.js";
import { setupStore } from "../../../server/persistence/setupStore.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { connectAs } from "../../support/sockets.js";

const HOUR = 3_600_000;

describe("importing classes from another system", () => {
  let t: TestServer;
  let gym: GymFixture;
  let ports: SetupPorts;
  const told: string[] = [];
  const em = () => t.server.db.orm.em.fork();
  const actor = (): AdminActor => ({ userId: gym.ownerId, role: "owner", gymId: gym.gymId, commandId: randomUUID(), now: Date.now() });

  beforeAll(async () => {
    t = await startTestServer();
    gym = await aGym(t.server.db.orm, { members: 1 });
    ports = {
      store: setupStore(t.server.db.orm),
      live: {
        catalogChanged: async (_gymId, change) => void told.push(change.kind),
        policyChanged: async () => undefined,
        timeZoneChanged: async () => undefined,
      },
      classes: { send: async () => ({ ok: false, error: { code: "UNAVAILABLE", message: "not used" } }) },
      newId: randomUUID,
      now: Date.now,
    };
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("creates class types and classes past and future: ended ones completed, the policy copied in, audited as one import", async () => {
    const now = Date.now();
    const { locationId, coachId } = gym.session;
    const c = (startsAt: number) => ({ classTypeId: "hiit", locationId, coachId, startsAt, durationMinutes: 60, capacity: 14 });
    const a = actor();
    const out = await importClasses(ports, a, {
      classTypes: [{ ref: "hiit", name: "Imported HIIT", color: "#112233" }],
      classes: [c(now - 30 * 24 * HOUR), c(now - 24 * HOUR), c(now + 24 * HOUR)],
    });
    if (out === null || out instanceof DomainError) throw new Error(`refused: ${String(out)}`);
    expect(out.sessionIds).toHaveLength(3);
    const [typeId] = out.classTypeIds;
    expect(await em().findOneOrFail(ClassTypeEntity, { id: typeId! })).toMatchObject({ name: "Imported HIIT", color: "#112233" });
    const policy = (await em().findOneOrFail(GymEntity, { id: gym.gymId })).policy;
    const sessions = await em().find(ClassSessionEntity, { id: { $in: out.sessionIds } }, { orderBy: { startsAt: "asc" } });
    expect(sessions.map((s) => [s.classTypeId, s.status, s.capacity, s.lateCancelMinutes])).toEqual([
      [typeId, "completed", 14, policy.lateCancelMinutes],
      [typeId, "completed", 14, policy.lateCancelMinutes],
      [typeId, "scheduled", 14, policy.lateCancelMinutes],
    ]);
    const audit = await em().find(AuditLogEntity, { gymId: gym.gymId, commandId: a.commandId }, { orderBy: { pos: "asc" } });
    expect(audit.map((r) => [r.action, r.entityType, r.actorId])).toEqual([
      ["gym:importClasses", "class_type", gym.ownerId],
      ["gym:importClasses", "session", gym.ownerId],
    ]);
    expect(audit[1]!.summary).toMatchObject({ after: { classes: 3, completed: 2 } });
    expect(told).toEqual(["classType"]);
  });

  it("checks the same references as a new class, and a refusal imports nothing", async () => {
    const now = Date.now();
    const { locationId } = gym.session;
    const before = await em().count(ClassSessionEntity, { gymId: gym.gymId });
    const out = await importClasses(ports, actor(), {
      classTypes: [{ ref: "row", name: "Imported Row" }],
      classes: [
        { classTypeId: "row", locationId, startsAt: now - HOUR * 48, durationMinutes: 45, capacity: 10 },
        { classTypeId: "row", locationId: randomUUID(), startsAt: now - HOUR * 24, durationMinutes: 45, capacity: 10 },
      ],
    });
    expect(out).toBeInstanceOf(DomainError);
    expect(out).toMatchObject({ code: "NOT_FOUND", message: "Class 2: That location doesn't exist in this gym (or is archived)." });
    expect(await em().count(ClassSessionEntity, { gymId: gym.gymId })).toBe(before);
    expect(await em().count(ClassTypeEntity, { gymId: gym.gymId, name: "Imported Row" })).toBe(0);
  });

  it("the schedule still refuses a new class in the past (only an import brings history)", async () => {
    const owner = await connectAs(t.server, gym.ownerId);
    try {
      const { locationId, classTypeId } = gym.session;
      const answer = await owner.command(`gym:${gym.gymId}`, "schedule:createSession", {
        classTypeId,
        locationId,
        startsAt: Date.now() - HOUR,
        durationMinutes: 60,
        capacity: 10,
      });
      expect(answer).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fields: { startsAt: "In the past" } } });
    } finally {
      owner.close();
    }
  });
});
