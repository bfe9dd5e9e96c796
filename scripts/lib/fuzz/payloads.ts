/**
 * Valid frames' parts aimed at a lane's targets — rooms (mostly the right one), member ids, command ids, and a valid
 * payload per message type — which the generator then mutates.
 */
import { WorkoutSizeLimits } from "../../../domain/protocol/workouts.js";
import { randomLike, type Dice } from "./dice.js";
import type { FuzzTargets } from "./frames.js";

/** Commands and queries with a text field, each as a valid payload around one given text (issue 14 item 7). */
export const TextFields: Record<string, (t: FuzzTargets, text: string, d: Dice) => Record<string, unknown>> = {
  "class:cancel": (t, text) => ({ sessionId: t.sessionId, reason: text }),
  "class:setWorkout": (t, text, d) =>
    d.chance(0.5)
      ? { sessionId: t.sessionId, title: text, scoreType: "for_time" }
      : { sessionId: t.sessionId, title: "Fran", description: text, scoreType: "for_time" },
  "schedule:createClassType": (_t, text, d) => (d.chance(0.5) ? { name: text } : { name: "Yoga", description: text }),
  "gym:checkIn": (_t, text) => ({ code: text }),
  "gym:createChallenge": (_t, text, d) => ({
    kind: "distance",
    target: 1_000,
    startsAt: 1_900_000_000_000,
    endsAt: 1_900_086_400_000,
    ...(d.chance(0.5) ? { title: text } : { title: "100 km", movement: text }),
  }),
  "gym:leaderboard": (_t, text) => ({ board: "benchmark", period: "week", workout: text }),
  "gym:searchMembers": (_t, text) => ({ q: text }),
  "gym:auditLog": (_t, text) => ({ action: text }),
  "gym:setLegalHold": (t, text) => ({ memberId: t.otherMemberId, hold: true, reason: text }),
  "gym:savePlan": (_t, text) => ({
    name: text,
    kind: "unlimited",
    priceCents: 0,
    billingPeriod: "month",
    weeklyTarget: 1,
    classTypeIds: [],
  }),
  "gym:adjustCredits": (t, text) => ({ memberId: t.otherMemberId, amount: 1, reason: text }),
  "gym:waiveCharge": (_t, text, d) => ({ chargeId: d.uuid(), reason: text }),
  "gym:refundCharge": (_t, text, d) => ({ chargeId: d.uuid(), reason: text }),
  "gym:recordPayment": (_t, text, d) => ({ chargeId: d.uuid(), method: "cash", reference: text }),
  "gym:addMember": (_t, text, d) =>
    d.chance(0.5)
      ? { name: text, email: "fuzz@example.com" }
      : { name: "Fuzz", email: "fuzz@example.com", emergencyContact: text, tags: [text] },
  "gym:updateMember": (t, text) => ({ memberId: t.otherMemberId, notes: text }),
  "gym:tagMember": (t, text, d) =>
    d.chance(0.5) ? { memberId: t.otherMemberId, add: [text] } : { memberId: t.otherMemberId, remove: [text] },
  "gym:freezeMember": (t, text) => ({ memberId: t.otherMemberId, until: "2099-01-12", reason: text }),
  "gym:publishWaiver": (_t, text, d) =>
    d.chance(0.5) ? { title: text, version: "v1", text: "I train at my own risk and say so." } : { title: "Waiver", version: "v1", text },
  "gym:signWaiver": (_t, text) => ({ version: "v1", typedName: text, agree: true }),
  "gym:walkIn": (_t, text) => ({ name: text, email: "walkin@example.com" }),
  "gym:saveLocation": (_t, text, d) => (d.chance(0.5) ? { name: text } : { name: "Annex", address: text }),
  "gym:saveRoom": (_t, text, d) => ({ locationId: d.uuid(), name: text }),
  "gym:saveClassType": (_t, text, d) => ({ classTypeId: d.uuid(), name: text }),
  "user:logWorkout": (t, text, d) => ({
    gymId: t.gymId,
    ...(d.chance(0.3)
      ? { title: text, exercises: [{ movement: "Row", sets: [{ meters: 500 }] }] }
      : { exercises: [{ movement: text, sets: [{ reps: 5 }] }] }),
  }),
  "user:consent": (_t, text) => ({ kind: "terms", version: text }),
  "feed:comment": (_t, text, d) => ({ eventId: d.uuid(), body: text }),
  "feed:report": (_t, text, d) => ({ target: "event", id: d.uuid(), reason: text }),
  "feed:page": (_t, text) => ({ cursor: text }),
};

/** A room id: the lane's targets, other ids, and malformed ones. */
export function room(d: Dice, t: FuzzTargets): string {
  const { gymId, sessionId, selfId, otherMemberId } = t;
  return d.pick([
    `class:${sessionId}`,
    `class:${sessionId.toUpperCase()}`,
    `gym:${gymId}`,
    `user:${selfId}`,
    `user:${otherMemberId}`,
    `class:${d.uuid()}`,
    `gym:${d.uuid()}`,
    `user:${d.uuid()}`,
    `class:${gymId}`,
    `gym:${sessionId}`,
    `room:${gymId}`,
    `class: ${sessionId}`,
    `class:${sessionId}\n`,
    `class:${sessionId}/../${gymId}`,
    "gym:",
    "",
    `gym:${gymId}`.repeat(3),
  ]);
}

/** The room a message type belongs to, most of the time. */
export function roomFor(d: Dice, t: FuzzTargets, type: string): string {
  if (type.startsWith("class:")) return d.chance(0.85) ? `class:${t.sessionId}` : room(d, t);
  if (type.startsWith("user:")) return d.chance(0.85) ? `user:${t.selfId}` : room(d, t);
  return d.chance(0.85) ? `gym:${t.gymId}` : room(d, t);
}

/** Nobody (the caller), the caller, another member, or an id that is none. */
export function memberIdFor(d: Dice, t: FuzzTargets): string | undefined {
  const { selfId, otherMemberId } = t;
  return d.pick([undefined, undefined, selfId, otherMemberId, d.uuid(), "abc", "x".repeat(64), selfId.toUpperCase(), "_-_"]);
}

/** A command id, mostly well formed. */
export function commandId(d: Dice): string {
  return d.chance(0.9)
    ? randomLike(d)
    : d.pick(["short", "x".repeat(65), "has space!", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", "../../../../"]);
}

/** A workout valid before workouts were capped (up to 30 exercises × 50 sets) but past a cap now: refused, nothing stored. */
export function oversizedWorkout(d: Dice, t: FuzzTargets): Record<string, unknown> {
  const { exercisesPerLog, setsPerExercise, setsPerLog } = WorkoutSizeLimits;
  const sets = (n: number) =>
    Array.from({ length: n }, () => ({ reps: d.int(1, 20), ...(d.chance(0.5) ? { grams: d.int(0, 200_000) } : {}) }));
  const exercises = [
    () => Array.from({ length: d.int(exercisesPerLog + 1, 30) }, (_, i) => ({ movement: `Move ${i}`, sets: sets(1) })),
    () => [{ movement: "Squat", sets: sets(d.int(setsPerExercise + 1, 50)) }],
    () =>
      Array.from({ length: Math.ceil((setsPerLog + 1) / setsPerExercise) }, (_, i) => ({
        movement: `Move ${i}`,
        sets: sets(setsPerExercise),
      })),
  ][d.int(0, 2)]!();
  return { gymId: t.gymId, exercises };
}

/** A valid payload of `type` aimed at the targets (`side` dice for contents added later, so older seeds keep their frames). */
export function validPayload(d: Dice, side: Dice, t: FuzzTargets, type: string): Record<string, unknown> {
  const sessionId = d.chance(0.9) ? t.sessionId : d.uuid();
  const withMember = (p: Record<string, unknown>) => {
    const memberId = memberIdFor(d, t);
    return memberId === undefined ? p : { ...p, memberId };
  };
  const shape = { classTypeId: d.uuid(), locationId: d.uuid(), capacity: d.int(0, 500), durationMinutes: d.int(5, 240) };
  switch (type) {
    case "class:book":
      return withMember({ sessionId, ...(d.chance(0.5) ? { waitlist: d.chance(0.5) } : {}) });
    case "class:cancelBooking":
      return withMember({ sessionId, ...(d.chance(0.3) ? { withFee: true } : {}) });
    case "class:leaveWaitlist":
    case "class:claimOffer":
    case "class:promote":
      return withMember({ sessionId });
    case "class:checkIn":
      return withMember({ sessionId, source: d.pick(["desk", "qr", "app"]) });
    case "class:setCapacity":
      return { sessionId, capacity: d.int(0, 500) };
    case "class:cancel":
      return { sessionId, reason: d.text(d.int(1, 40)) };
    case "class:undoCheckIn":
    case "class:markNoShow":
      return { sessionId, memberId: memberIdFor(d, t) ?? t.otherMemberId };
    case "class:close":
      return { sessionId };
    case "gym:checkIn":
      return d.chance(0.5)
        ? { memberId: memberIdFor(d, t) ?? t.otherMemberId }
        : { code: d.pick(["S1.a.b.c", d.text(20), `S1.${t.selfId}.9999999999999.sig`]) };
    case "schedule:createClassType":
      return { name: d.text(d.int(1, 30)), color: "#112233" };
    case "schedule:createSession":
      return { ...shape, startsAt: 4_000_000_000_000 };
    case "schedule:createSeries":
      return { ...shape, weekdays: [1, 3], startTime: "07:00", startDate: "2090-01-01", endDate: "2090-03-01" };
    case "schedule:updateSession":
      return { sessionId, capacity: d.int(0, 500) };
    case "gym:searchMembers":
      return { q: d.pick(["a", "%", "_", "\\", "' or 1=1 --", d.text(d.int(0, 100))]) };
    case "gym:memberProfile":
      return { memberId: memberIdFor(d, t) ?? t.otherMemberId };
    case "gym:attendanceSeries":
      return { days: d.int(1, 90) };
    case "user:setVisibility":
      return { visible: d.chance(0.5) };
    case "feed:page":
      return d.chance(0.5) ? {} : { cursor: d.pick(["MTIzLmFiYw", d.text(d.int(1, 100)), "x".repeat(101), ""]) };
    case "feed:react":
      return { eventId: d.uuid(), kind: d.pick(["kudos", "fire", "strong", "love"]) };
    case "feed:comment":
      return { eventId: d.uuid(), body: d.text(d.int(0, 600)) };
    case "feed:comments":
      return { eventId: d.uuid() };
    case "feed:report":
      return { target: d.pick(["event", "comment", "user"]), id: d.uuid(), reason: d.text(d.int(0, 600)) };
    case "feed:follow":
      return { memberId: memberIdFor(d, t) ?? t.otherMemberId, follow: d.chance(0.5) };
    case "feed:block":
      return { memberId: memberIdFor(d, t) ?? t.otherMemberId, block: d.chance(0.5) };
    case "feed:setDefaultVisibility":
      return { visibility: d.pick(["public", "followers", "gym", "private", "world"]) };
    case "user:logWorkout":
      return oversizedWorkout(side, t);
    case "user:endSession":
      return { sessionId: d.uuid() };
    case "gym:invite":
      return {
        email: d.pick(["a@b.co", d.text(d.int(0, 40)), "x".repeat(330) + "@x.io"]),
        role: d.pick(["member", "coach", "owner", "king"]),
      };
    case "gym:revokeInvitation":
      return { invitationId: d.uuid() };
    case "gym:endStaffSessions":
      return { memberId: memberIdFor(d, t) ?? t.otherMemberId };
    default:
      return {};
  }
}
