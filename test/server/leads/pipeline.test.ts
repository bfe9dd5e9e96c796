/**
 * Issue 22, leads: staff add leads, move them between stages (lost with a reason), log touches that plan the next
 * follow-up, and convert a lead into a member with their details — each change audited, and every watching board
 * told at once (`leads:changed`). Coaches do not work the pipeline.
 */
import { describe, expect, it } from "vitest";
import type { LeadBoard } from "../../../domain/leads/pipeline.js";
import { localDate } from "../../../domain/schedule/timeZone.js";
import { AuditLogEntity, AuditOutboxEntity, GymMembershipEntity, LeadTouchEntity, UserEntity } from "../../../server/db/entities/index.js";
import { gymSuite } from "../../support/gymSuite.js";
import { postgresOrPglite } from "../../support/services.js";
import { eventually, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();

describe("the sales pipeline", () => {
  const suite = gymSuite({ pg, env: { SPOTTER_MODE: "embedded", JWT_SECRET: "l".repeat(40) }, members: 2, staff: true });
  const { sockets, em } = suite;
  const today = () => localDate(Date.now(), "Europe/Berlin");
  const result = <T>(ack: unknown) => (ack as { ok: true; result: T }).result;
  const board = async (s: TestSocket, watch?: boolean) =>
    result<LeadBoard>(await s.command(suite.room, "gym:leads", watch === undefined ? {} : { watch }));

  it("adds a lead as new, shows it in its column with the counts, and audits the change", async () => {
    const added = await suite.desk.command(suite.room, "gym:saveLead", {
      name: "Mia Park",
      email: "Mia@Example.com",
      phone: "+49 170 1",
      source: "walk_in",
      interest: "Weightlifting",
    });
    const { leadId } = result<{ leadId: string }>(added);
    const b = await board(suite.owner);
    expect(b.leads.find((l) => l.leadId === leadId)).toMatchObject({
      name: "Mia Park",
      email: "mia@example.com",
      stage: "new",
      source: "walk_in",
      interest: "Weightlifting",
    });
    expect(b.counts).toMatchObject({ new: 1, contacted: 0, tour_booked: 0, trial: 0, member: 0, lost: 0 });
    expect(await em().count(AuditLogEntity, { gymId: suite.gym.gymId, action: "gym:saveLead", entityId: leadId })).toBe(1);
    // Reading the board is a staff read of several people's contact details.
    await eventually(async () =>
      expect(
        (await em().count(AuditOutboxEntity, { gymId: suite.gym.gymId, action: "gym:leads" })) +
          (await em().count(AuditLogEntity, { gymId: suite.gym.gymId, action: "gym:leads" })),
      ).toBeGreaterThan(0),
    );
  });

  it("moves a lead between stages, refuses member without converting, and asks why a lead was lost", async () => {
    const { leadId } = result<{ leadId: string }>(
      await suite.desk.command(suite.room, "gym:saveLead", { name: "Tom Lee", source: "social" }),
    );
    expect(await suite.desk.command(suite.room, "gym:moveLead", { leadId, stage: "tour_booked" })).toEqual({
      ok: true,
      result: { leadId, stage: "tour_booked" },
    });
    expect(await suite.desk.command(suite.room, "gym:moveLead", { leadId, stage: "member" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { stage: expect.any(String) } },
    });
    expect(await suite.desk.command(suite.room, "gym:moveLead", { leadId, stage: "lost" })).toMatchObject({
      ok: false,
      error: { fields: { lostReason: "Say why the lead was lost" } },
    });
    expect(await suite.desk.command(suite.room, "gym:moveLead", { leadId, stage: "lost", lostReason: "Moved away" })).toMatchObject({
      ok: true,
    });
    const line = (await board(suite.owner)).leads.find((l) => l.leadId === leadId);
    expect(line).toMatchObject({ stage: "lost", lostReason: "Moved away" });
    const timeline = result<{ touches: { kind: string; note: string }[] }>(
      await suite.owner.command(suite.room, "gym:lead", { leadId }),
    ).touches;
    expect(timeline.map((x) => x.note).sort()).toEqual(["Added (social)", "Lost: Moved away", "Moved to tour booked"]);
  });

  it("edits a lead's details, and a lost lead's reason only", async () => {
    const { leadId } = result<{ leadId: string }>(
      await suite.desk.command(suite.room, "gym:saveLead", { name: "Ida Edit", source: "walk_in" }),
    );
    expect(
      await suite.desk.command(suite.room, "gym:saveLead", { leadId, name: "Ida Edit", source: "walk_in", lostReason: "Too far" }),
    ).toMatchObject({
      ok: false,
      error: { fields: { lostReason: "Only a lost lead has a lost reason — move it to Lost instead." } },
    });
    expect(
      await suite.desk.command(suite.room, "gym:saveLead", {
        leadId,
        name: "Ida Edited",
        source: "referral",
        phone: "+49 30 1234",
        interest: "Yoga",
        ownerId: suite.gym.deskId,
      }),
    ).toEqual({ ok: true, result: { leadId } });
    expect(await suite.desk.command(suite.room, "gym:moveLead", { leadId, stage: "lost", lostReason: "Price" })).toMatchObject({
      ok: true,
    });
    expect(
      await suite.desk.command(suite.room, "gym:saveLead", {
        leadId,
        name: "Ida Edited",
        source: "referral",
        lostReason: "Moved to Hamburg",
      }),
    ).toMatchObject({ ok: true });
    expect((await board(suite.owner)).leads.find((l) => l.leadId === leadId)).toMatchObject({
      name: "Ida Edited",
      source: "referral",
      phone: "+49 30 1234",
      interest: "Yoga",
      ownerId: suite.gym.deskId,
      stage: "lost",
      lostReason: "Moved to Hamburg",
    });
  });

  it("logs a touch that makes a new lead contacted and puts the lead on today's follow-up list of its owner", async () => {
    const { leadId } = result<{ leadId: string }>(
      await suite.desk.command(suite.room, "gym:saveLead", { name: "Ada Byron", source: "referral", ownerId: suite.gym.deskId }),
    );
    expect(
      await suite.desk.command(suite.room, "gym:touchLead", { leadId, kind: "call", note: "Wants to try Saturday", followUpOn: today() }),
    ).toMatchObject({ ok: true, result: { stage: "contacted" } });
    expect((await board(suite.desk)).followUpToday).toContain(leadId);
    // The owner's list holds leads that are theirs or nobody's: this one is the desk's.
    expect((await board(suite.owner)).followUpToday).not.toContain(leadId);
    expect(await em().count(LeadTouchEntity, { leadId, kind: "call" })).toBe(1);
  });

  it("tells every watching board when a lead changes", async () => {
    const watcher = await sockets.connect(suite.gym.ownerId);
    await board(watcher, true);
    const heard: unknown[] = [];
    watcher.socket.on("leads:changed", (c: unknown) => heard.push(c));
    await suite.desk.command(suite.room, "gym:saveLead", { name: "Live Lead", source: "website" });
    await eventually(() => expect(heard).toContainEqual({ gymId: suite.gym.gymId }));
  });

  it("converts a lead into an active member with their name, contact and interest, and refuses a second time", async () => {
    const { leadId } = result<{ leadId: string }>(
      await suite.desk.command(suite.room, "gym:saveLead", {
        name: "Noa Stein",
        email: "noa@example.com",
        phone: "+49 30 9",
        source: "walk_in",
        interest: "Open gym",
      }),
    );
    expect(await suite.desk.command(suite.room, "gym:convertLead", { leadId })).toMatchObject({
      ok: true,
      result: { leadId, memberId: expect.any(String) },
    });
    const { memberId } = (await board(suite.owner)).leads.find((l) => l.leadId === leadId)!;
    expect(await em().findOneOrFail(UserEntity, { id: memberId! })).toMatchObject({
      name: "Noa Stein",
      email: "noa@example.com",
      phone: "+49 30 9",
    });
    expect(await em().findOneOrFail(GymMembershipEntity, { gymId: suite.gym.gymId, userId: memberId! })).toMatchObject({
      role: "member",
      status: "active",
      notes: "Interested in: Open gym",
    });
    expect(await suite.desk.command(suite.room, "gym:convertLead", { leadId })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    expect(await em().count(AuditLogEntity, { gymId: suite.gym.gymId, action: "gym:convertLead", entityId: leadId })).toBe(1);
  });

  it("needs an email to convert, and links a lead to the member who already has that email", async () => {
    const { leadId: noEmail } = result<{ leadId: string }>(
      await suite.desk.command(suite.room, "gym:saveLead", { name: "No Mail", source: "walk_in" }),
    );
    expect(await suite.desk.command(suite.room, "gym:convertLead", { leadId: noEmail })).toMatchObject({
      ok: false,
      error: { fields: { email: expect.any(String) } },
    });
    const existing = suite.gym.members[0]!;
    const { leadId } = result<{ leadId: string }>(
      await suite.desk.command(suite.room, "gym:saveLead", { name: existing.name, email: existing.email, source: "referral" }),
    );
    expect(await suite.desk.command(suite.room, "gym:convertLead", { leadId })).toEqual({
      ok: true,
      result: { leadId, memberId: existing.id },
    });
    expect(await em().count(GymMembershipEntity, { gymId: suite.gym.gymId, userId: existing.id })).toBe(1);
  });

  it("keeps coaches and members off the pipeline", async () => {
    const [coach, member] = await Promise.all([sockets.connect(suite.gym.coachId), sockets.connect(suite.gym.members[1]!.id)]);
    for (const s of [coach, member]) {
      expect(await s.command(suite.room, "gym:leads", {})).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      expect(await s.command(suite.room, "gym:saveLead", { name: "X", source: "other" })).toMatchObject({
        ok: false,
        error: { code: "FORBIDDEN" },
      });
    }
  });
});
