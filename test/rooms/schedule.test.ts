/** Schedule management through the gym room: class types, single sessions, weekly series, edits. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../domain/protocol/envelope.js";
import { applyPatch } from "../../domain/protocol/patch.js";
import type { StaffGymView } from "../../domain/views/gymView.js";
import { ClassSessionEntity } from "../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs, eventually, type TestSocket } from "../support/sockets.js";

const ok = <T>(ack: Ack<T>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result;
};

describe("managing the schedule", () => {
  let t: TestServer;
  let gym: GymFixture;
  let owner: TestSocket;
  let view: () => StaffGymView;

  beforeAll(async () => {
    t = await startTestServer({ COMMANDS_PER_SECOND: "1000" });
    gym = await aGym(t.server.db.orm, { members: 2 });
    owner = await connectAs(t.server, gym.ownerId);
    const joined = ok(await owner.join(`gym:${gym.gymId}`)) as { snapshot: StaffGymView };
    let v = joined.snapshot;
    owner.socket.on("room:delta", (d: { room: string; ops: never[] }) => {
      if (d.room === `gym:${gym.gymId}`) v = applyPatch(v, d.ops);
    });
    view = () => v;
  }, 60_000);

  afterAll(async () => {
    owner?.close();
    await t?.cleanup();
  });

  it("creates a class type and a weekly series that appears live in this week's schedule", async () => {
    const room = `gym:${gym.gymId}`;
    const { classTypeId } = ok(await owner.command(room, "schedule:createClassType", { name: "Rowing", color: "#123456" })) as {
      classTypeId: string;
    };
    await eventually(() => expect(view().classTypes[classTypeId]?.name).toBe("Rowing"));
    const locationId = Object.keys(view().locations)[0]!;
    const today = new Date().toISOString().slice(0, 10);
    const inFour = new Date(Date.now() + 4 * 86_400_000).toISOString().slice(0, 10);
    const all = [0, 1, 2, 3, 4, 5, 6];
    const series = ok(
      await owner.command(room, "schedule:createSeries", {
        classTypeId,
        locationId,
        coachId: gym.coachId,
        capacity: 8,
        durationMinutes: 45,
        weekdays: all,
        startTime: "23:30",
        startDate: today,
        endDate: inFour,
        exceptions: [inFour],
      }),
    ) as { sessionIds: string[] };
    expect(series.sessionIds.length).toBeGreaterThanOrEqual(3);
    expect(series.sessionIds.length).toBeLessThanOrEqual(4);
    await eventually(() =>
      expect(Object.values(view().schedule).filter((s) => s.className === "Rowing").length).toBe(series.sessionIds.length),
    );
    const stored = await t.server.db.orm.em.fork().find(ClassSessionEntity, { id: { $in: series.sessionIds } });
    expect(stored.every((s) => s.capacity === 8 && s.endsAt - s.startsAt === 45 * 60_000)).toBe(true);
  });

  it("edits a session's capacity and coach through its class room", async () => {
    const room = `gym:${gym.gymId}`;
    ok(await owner.command(room, "schedule:updateSession", { sessionId: gym.sessionId, capacity: 33, coachId: null }));
    const row = await t.server.db.orm.em.fork().findOneOrFail(ClassSessionEntity, { id: gym.sessionId });
    expect(row).toMatchObject({ capacity: 33, coachId: null });
  });

  it("refuses schedule changes from coaches and members, and unknown class types", async () => {
    const room = `gym:${gym.gymId}`;
    const coach = await connectAs(t.server, gym.coachId);
    expect(await coach.command(room, "schedule:createClassType", { name: "Nope" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    coach.close();
    const member = await connectAs(t.server, gym.members[0]!.id);
    expect(await member.command(room, "schedule:createClassType", { name: "Nope" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    member.close();
    const bad = await owner.command(room, "schedule:createSession", {
      classTypeId: "00000000-0000-4000-8000-00000000dead",
      locationId: Object.keys(view().locations)[0],
      capacity: 5,
      durationMinutes: 60,
      startsAt: Date.now() + 86_400_000,
    });
    expect(bad).toMatchObject({ ok: false, error: { code: "NOT_FOUND", fields: { classTypeId: expect.any(String) } } });
  });
});
