/**
 * Two desks offline at once (two doors) while staff change things online, then both reconnect (issue 21):
 * nothing is lost, nothing is stored twice, and every provisional ✔ either matches the server's verdict at the
 * device's time or is in "needs attention". The server here decides exactly as the gym room does: the same
 * function, as of the clamped device time with the membership's status then (`statusAsOf`), answering a repeated
 * command id with its first answer.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  admits,
  decideDeskCheckIn,
  DefaultDeskRules,
  offlineDecisionTime,
  type DeskVerdict,
} from "../../../domain/checkin/deskDecision.js";
import { decideFromSnapshot, withProvisional, type DeskSnapshot } from "../../../domain/checkin/deskSnapshot.js";
import {
  deskBanner,
  queuedPayload,
  settle,
  type AttentionItem,
  type QueuedCheckIn,
  type SentAnswer,
} from "../../../domain/checkin/offlineQueue.js";
import type { MembershipStatus } from "../../../domain/model.js";
import { statusAsOf, type StatusChange } from "../../../domain/checkin/statusAsOf.js";
import { GYM, MINUTE, STARTS_AT } from "../../support/domainBuilders.js";

const MEMBERS = ["m0", "m1", "m2", "m3"];
const T0 = STARTS_AT - 40 * MINUTE;
const SESSION = {
  sessionId: "s1",
  className: "WOD",
  status: "scheduled" as const,
  startsAt: STARTS_AT,
  checkInOpensAt: STARTS_AT - 60 * MINUTE,
  checkInClosesAt: STARTS_AT + 30 * MINUTE,
};

/** The server side: current standings and rosters, what it stored, and the answers by command id. */
class ModelServer {
  status = new Map<string, MembershipStatus>(MEMBERS.map((m) => [m, "active"]));
  /** Every status change, as the database's trigger keeps them. */
  changes = new Map<string, StatusChange[]>();
  roster = new Map<string, "booked" | "checked_in">([
    ["m0", "booked"],
    ["m1", "booked"],
  ]);
  lastOpenGym = new Map<string, number>();
  answered = new Map<string, SentAnswer>();
  stored: { commandId: string; memberId: string; sessionId: string | null; at: number }[] = [];

  snapshot(now: number): DeskSnapshot {
    return {
      gymId: GYM,
      takenAt: now,
      rules: DefaultDeskRules,
      keys: [],
      members: MEMBERS.map((m) => ({
        memberId: m,
        name: m.toUpperCase(),
        status: this.status.get(m)!,
        planName: null,
        frozenUntil: null,
        lastOpenGymAt: this.lastOpenGym.get(m) ?? null,
      })),
      sessions: [{ ...SESSION, roster: [...this.roster].map(([memberId, status]) => ({ memberId, status })) }],
    };
  }

  setStatus(memberId: string, status: MembershipStatus, at: number): void {
    const before = this.status.get(memberId)!;
    if (before === status) return;
    this.changes.set(memberId, [...(this.changes.get(memberId) ?? []), { at, from: before }]);
    this.status.set(memberId, status);
  }

  decide(memberId: string, openGym: boolean, at: number): DeskVerdict {
    const booked = this.roster.get(memberId);
    const status = statusAsOf(
      this.status.get(memberId)!,
      (this.changes.get(memberId) ?? []).filter((c) => c.at > at),
      at,
    );
    return decideDeskCheckIn({
      gymId: GYM,
      openGym,
      now: at,
      rules: DefaultDeskRules,
      member: { memberId, gymId: GYM, name: memberId, status, lastOpenGymAt: this.lastOpenGym.get(memberId) ?? null },
      bookings: booked ? [{ ...SESSION, sessionStatus: "scheduled", bookingStatus: booked }] : [],
    });
  }

  checkIn(commandId: string, payload: ReturnType<typeof queuedPayload>, receivedAt: number): SentAnswer {
    const seen = this.answered.get(commandId);
    if (seen) return seen;
    const memberId = "memberId" in payload ? payload.memberId : "";
    const at = offlineDecisionTime(payload.offline, receivedAt);
    const v = this.decide(memberId, payload.openGym, at);
    if (v.verdict === "class") this.roster.set(memberId, "checked_in");
    if (v.verdict === "open_gym") this.lastOpenGym.set(memberId, at);
    if (v.verdict === "class" || v.verdict === "open_gym")
      this.stored.push({ commandId, memberId, sessionId: v.verdict === "class" ? v.sessionId : null, at });
    const admitted = admits(v);
    const answer: SentAnswer = {
      ok: true,
      result: {
        status: admitted ? "checked_in" : "denied",
        ...(v.verdict === "denied" ? { reason: v.reason } : {}),
        needsAttention: payload.offline.admitted !== admitted,
      },
    };
    this.answered.set(commandId, answer);
    return answer;
  }
}

type Step =
  | { kind: "scan"; desk: 0 | 1; member: number; openGym: boolean; wait: number }
  | { kind: "freeze" | "unfreeze" | "book" | "online"; member: number; wait: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("scan" as const),
      desk: fc.constantFrom(0 as const, 1 as const),
      member: fc.nat(3),
      openGym: fc.boolean(),
      wait: fc.nat(6),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom("freeze" as const, "unfreeze" as const, "book" as const, "online" as const),
      member: fc.nat(3),
      wait: fc.nat(6),
    }),
  },
);

describe("two offline desks and online changes", () => {
  it("property: nothing lost, nothing stored twice, every provisional ✔ matches the server or needs attention", () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 30 }),
        fc.array(fc.boolean(), { maxLength: 80 }),
        fc.array(fc.boolean(), { maxLength: 80 }),
        (steps, order, lostAcks) => {
          const server = new ModelServer();
          const desks = [0, 1].map(() => ({ snapshot: server.snapshot(T0), queue: [] as QueuedCheckIn[] }));
          let now = T0;
          let ids = 0;
          for (const s of steps) {
            now += s.wait * MINUTE;
            const memberId = MEMBERS[s.member]!;
            if (s.kind === "scan") {
              const desk = desks[s.desk]!;
              const verdict = decideFromSnapshot(desk.snapshot, memberId, s.openGym, now);
              desk.snapshot = withProvisional(desk.snapshot, memberId, verdict, now);
              desk.queue.push({
                commandId: `c${++ids}`,
                memberId,
                code: null,
                name: memberId,
                openGym: s.openGym,
                deviceAt: now,
                lastSyncAt: T0,
                verdict,
              });
            } else if (s.kind === "freeze") server.setStatus(memberId, "frozen", now);
            else if (s.kind === "unfreeze") server.setStatus(memberId, "active", now);
            else if (s.kind === "book") server.roster.set(memberId, server.roster.get(memberId) ?? "booked");
            else
              server.checkIn(
                `online-${++ids}`,
                { memberId, openGym: false, offline: { deviceAt: now, lastSyncAt: now, admitted: true, reason: null } },
                now,
              );
          }
          // Reconnect: each desk sends in its own order; the two interleave; a lost ack means the same command again.
          const queued = desks.flatMap((d) => d.queue);
          const pending = desks.map((d) => [...d.queue]);
          const attention: AttentionItem[] = [];
          const serverAt = new Map<string, boolean>();
          let receivedAt = now + 5 * MINUTE;
          let i = 0;
          while (pending[0]!.length + pending[1]!.length > 0) {
            const pick = pending[0]!.length === 0 ? 1 : pending[1]!.length === 0 ? 0 : order[i % Math.max(order.length, 1)] ? 1 : 0;
            const q = pending[pick]![0]!;
            const payload = queuedPayload(q);
            const before = server.decide(q.memberId!, q.openGym, offlineDecisionTime(payload.offline, receivedAt));
            if (!server.answered.has(q.commandId)) serverAt.set(q.commandId, admits(before));
            const answer = server.checkIn(q.commandId, payload, receivedAt);
            receivedAt += 1000;
            if (lostAcks[i++ % Math.max(lostAcks.length, 1)] && i < 200) continue; // the desk never heard: it sends the same again
            pending[pick]!.shift();
            const outcome = settle(q, answer, (r) => r ?? "");
            if (outcome.kind === "attention") attention.push(outcome.item);
            expect(outcome.kind).not.toBe("retry");
          }
          // Nothing lost: every queued check-in was answered.
          for (const q of queued) expect(server.answered.has(q.commandId)).toBe(true);
          // Nothing stored twice: one record per command, one class attendance per member, no open-gym double within the dedupe.
          const byCommand = new Set(server.stored.map((r) => r.commandId));
          expect(byCommand.size).toBe(server.stored.length);
          const inClass = server.stored.filter((r) => r.sessionId !== null).map((r) => r.memberId);
          expect(new Set(inClass).size).toBe(inClass.length);
          // Every provisional ✔ matches the server at device time, or is in needs attention (and so is every ✘ the server let in).
          for (const q of queued) {
            const flagged = attention.some((a) => a.commandId === q.commandId);
            if (admits(q.verdict) !== serverAt.get(q.commandId)) expect(flagged).toBe(true);
            else expect(flagged).toBe(false);
          }
          expect(deskBanner({ online: true, waiting: 0, sending: false, sent: queued.length, attention: attention.length })).toBe(
            queued.length || attention.length ? `All sent; ${attention.length} needs attention` : null,
          );
        },
      ),
    );
  });

  it("a member frozen while the desk was offline is in needs attention", () => {
    const server = new ModelServer();
    const snapshot = server.snapshot(T0);
    const verdict = decideFromSnapshot(snapshot, "m0", false, STARTS_AT - 10 * MINUTE);
    expect(verdict).toMatchObject({ verdict: "class" });
    const q: QueuedCheckIn = {
      commandId: "c1",
      memberId: "m0",
      code: null,
      name: "M0",
      openGym: false,
      deviceAt: STARTS_AT - 10 * MINUTE,
      lastSyncAt: T0,
      verdict,
    };
    server.setStatus("m0", "frozen", STARTS_AT - 20 * MINUTE);
    const outcome = settle(q, server.checkIn("c1", queuedPayload(q), STARTS_AT + 60 * MINUTE), (r) => `words for ${r}`);
    expect(outcome).toEqual({
      kind: "attention",
      item: { commandId: "c1", name: "M0", deviceAt: STARTS_AT - 10 * MINUTE, provisional: true, outcome: "words for MEMBERSHIP_FROZEN" },
    });
  });

  it("the banner says what is true", () => {
    expect(deskBanner({ online: false, waiting: 12, sending: false, sent: 0, attention: 0 })).toBe(
      "Offline — 12 check-ins saved on this device, will send when back",
    );
    expect(deskBanner({ online: false, waiting: 1, sending: false, sent: 0, attention: 0 })).toBe(
      "Offline — 1 check-in saved on this device, will send when back",
    );
    expect(deskBanner({ online: true, waiting: 12, sending: true, sent: 0, attention: 0 })).toBe("Sending 12…");
    expect(deskBanner({ online: true, waiting: 0, sending: false, sent: 12, attention: 1 })).toBe("All sent; 1 needs attention");
    expect(deskBanner({ online: true, waiting: 0, sending: false, sent: 0, attention: 0 })).toBeNull();
  });
});

describe("statusAsOf", () => {
  it("is the status before the first change after the instant, or today's when nothing changed since", () => {
    const changes: StatusChange[] = [
      { at: 300, from: "frozen" },
      { at: 100, from: "active" },
    ];
    expect(statusAsOf("active", changes, 50)).toBe("active");
    expect(statusAsOf("active", changes, 100)).toBe("frozen");
    expect(statusAsOf("active", changes, 200)).toBe("frozen");
    expect(statusAsOf("active", changes, 300)).toBe("active");
    expect(statusAsOf("past_due", [], 0)).toBe("past_due");
  });

  it("property: a frozen member let in offline before the freeze matches the server; after it, needs attention", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 39 }), fc.integer({ min: 1, max: 39 }), (freezeAfter, scanAfter) => {
        const server = new ModelServer();
        const snapshot = server.snapshot(T0);
        const deviceAt = T0 + scanAfter * MINUTE;
        const verdict = decideFromSnapshot(snapshot, "m2", true, deviceAt);
        const q: QueuedCheckIn = {
          commandId: "c1",
          memberId: "m2",
          code: null,
          name: "M2",
          openGym: true,
          deviceAt,
          lastSyncAt: T0,
          verdict,
        };
        server.setStatus("m2", "frozen", T0 + freezeAfter * MINUTE);
        const outcome = settle(q, server.checkIn("c1", queuedPayload(q), T0 + 60 * MINUTE), (r) => r ?? "");
        expect(outcome.kind).toBe(freezeAfter <= scanAfter ? "attention" : "done");
      }),
    );
  });
});
