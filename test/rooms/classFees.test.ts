/**
 * Issue 18 (reviewer): an open class room kept the fees it loaded with after the owner changed them. The change now
 * reaches the open room: the next late cancel charges the new fee; a class that already closed keeps what it charged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClassRoomState } from "../../domain/views/classView.js";
import { withFees } from "../../rooms/classFees.js";
import { FeeEntity } from "../../server/db/entities/index.js";
import { aClassState } from "../support/domainBuilders.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";

const roomState = (session: Parameters<typeof aClassState>[0]): ClassRoomState =>
  ({ cls: aClassState(session), people: {} }) as unknown as ClassRoomState;

describe("a fee change and the class rooms open now", () => {
  let t: TestServer;
  let gym: GymFixture;

  beforeAll(async () => {
    t = await startTestServer({ COMMANDS_PER_SECOND: "1000" });
    gym = await aGym(t.server.db.orm, { members: 2 });
  }, 60_000);
  afterAll(() => t?.cleanup());

  it("charges the new late-cancel fee in a class room that was open when the owner changed it", async () => {
    const [m1, m2] = gym.members;
    const other = await gym.addSession({ startsAt: Date.now() + 48 * 3_600_000, endsAt: Date.now() + 49 * 3_600_000, capacity: 5 });
    const room = `class:${other.id}`;
    const coach = await connectAs(t.server, gym.coachId);
    const owner = await connectAs(t.server, gym.ownerId);
    try {
      for (const m of [m1!, m2!])
        expect(await coach.command(room, "class:book", { sessionId: other.id, memberId: m.id })).toMatchObject({ ok: true });
      expect(await coach.command(room, "class:cancelBooking", { sessionId: other.id, memberId: m1!.id, withFee: true })).toMatchObject({
        ok: true,
      });
      expect(await owner.command(`gym:${gym.gymId}`, "gym:setPolicy", { lateCancelFeeCents: 900 })).toMatchObject({ ok: true });
      expect(t.server.registry.peek(room as never)).toBeDefined();
      expect(await coach.command(room, "class:cancelBooking", { sessionId: other.id, memberId: m2!.id, withFee: true })).toMatchObject({
        ok: true,
      });
      const fees = await t.server.db.orm.em.fork().find(FeeEntity, { sessionId: other.id }, { orderBy: { createdAt: "asc" } });
      expect(fees.map((f) => [f.memberId, f.amountCents])).toEqual([
        [m1!.id, 500],
        [m2!.id, 900],
      ]);
    } finally {
      coach.close();
      owner.close();
    }
  });

  it("leaves a closed class, another gym's class and a repeated change as they are", () => {
    const fees = { currency: "EUR", lateCancelFeeCents: 900, noShowFeeCents: 1500 };
    const open = roomState({ session: { gymId: "g1", status: "scheduled" } });
    const changed = withFees(open, "g1", fees);
    expect(changed.cls.feePolicy).toEqual(fees);
    expect(withFees(changed, "g1", { ...fees })).toBe(changed);
    expect(withFees(open, "g2", fees)).toBe(open);
    const closed = roomState({ session: { gymId: "g1", status: "completed" } });
    expect(withFees(closed, "g1", fees)).toBe(closed);
  });
});
