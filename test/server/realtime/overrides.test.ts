/**
 * Overrides with a reason over a real server (issue 18): a no-show undone (fee waived in the database, the member's
 * account and inbox say so in words), a charge waived (the member told), and who may do which.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BookingEntity } from "../../../server/db/entities/index.js";
import { gymSuite } from "../../support/gymSuite.js";
import { eventually } from "../../support/sockets.js";

const MIN = 60_000;

describe("overrides with a reason", () => {
  const s = gymSuite({ members: 3 });
  const { sockets } = s;

  /** A class that started 30 minutes ago with `memberId` booked, marked a no-show by the coach. */
  async function aNoShow(memberId: string) {
    const now = Date.now();
    const session = await s.gym.addSession({ startsAt: now - 30 * MIN, endsAt: now + 30 * MIN });
    const em = s.t.server.db.orm.em.fork();
    em.create(BookingEntity, {
      id: randomUUID(),
      gymId: s.gym.gymId,
      sessionId: session.id,
      memberId,
      status: "booked",
      creditUsed: false,
      promotedFromWaitlist: false,
      createdAt: now - 60 * MIN,
      updatedAt: now - 60 * MIN,
    });
    await em.flush();
    const coach = await sockets.connect(s.gym.coachId);
    const room = `class:${session.id}`;
    expect(await coach.command(room, "class:markNoShow", { sessionId: session.id, memberId })).toMatchObject({
      ok: true,
      result: { status: "no_show", feeCents: 1000 },
    });
    return { session, room, coach };
  }

  const inbox = (memberId: string) =>
    s.t.server.db.orm.em
      .fork()
      .getConnection()
      .execute<{ kind: string; text: string }[]>(`select kind, text from notice where user_id = ? order by at`, [memberId]);

  it("an admin undoes a no-show: the booking is cancelled, the fee waived for good, the member told why", async () => {
    const memberId = s.gym.members[0]!.id;
    const { session, room, coach } = await aNoShow(memberId);
    // The coach may not: the no-show carries a fee.
    expect(await coach.command(room, "class:undoNoShow", { sessionId: session.id, memberId, reason: "Sick" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN", message: expect.stringContaining("only owners and admins") },
    });
    const owner = await sockets.connect(s.gym.ownerId);
    const undone = await owner.command(room, "class:undoNoShow", {
      sessionId: session.id,
      memberId,
      reason: "Called in sick before class",
    });
    expect(undone).toMatchObject({ ok: true, result: { status: "excused", feeWaivedCents: 1000 } });
    const account = await owner.command(`gym:${s.gym.gymId}`, "gym:memberAccount", { memberId });
    expect(account).toMatchObject({
      ok: true,
      result: { owedCents: 0, charges: [expect.objectContaining({ kind: "no_show", status: "waived" })] },
    });
    await eventually(async () =>
      expect(await inbox(memberId)).toContainEqual({
        kind: "membership",
        text: expect.stringMatching(/no-show .* was excused .* no-show fee is waived\. Reason: Called in sick before class/),
      }),
    );
    const [booking] = await s.t.server.db.orm.em.fork().find(BookingEntity, { sessionId: session.id, memberId });
    expect(booking!.status).toBe("cancelled");
    // Audited as the room command, without the free-text reason.
    const audit = await s.t.server.db.orm.em
      .fork()
      .getConnection()
      .execute<{ action: string; summary: unknown }[]>(
        `select action, summary from audit_log where gym_id = ? and action = 'class:undoNoShow'`,
        [s.gym.gymId],
      );
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain("Called in sick");
  });

  it("waiving a charge tells the member what was waived and why", async () => {
    const memberId = s.gym.members[1]!.id;
    await aNoShow(memberId);
    const owner = await sockets.connect(s.gym.ownerId);
    const account = (await owner.command(`gym:${s.gym.gymId}`, "gym:memberAccount", { memberId })) as {
      result: { charges: { id: string }[] };
    };
    const chargeId = account.result.charges[0]!.id;
    expect(await owner.command(`gym:${s.gym.gymId}`, "gym:waiveCharge", { chargeId, reason: "First time, let it go" })).toMatchObject({
      ok: true,
      result: { status: "waived" },
    });
    expect(await inbox(memberId)).toContainEqual({
      kind: "membership",
      text: "Your no-show charge of €10.00 was waived by the gym. Reason: First time, let it go",
    });
  });
});
