/**
 * The member's data export (GDPR access): everything Spotter stores about one user, as a streamed JSON download
 * (`GET /api/me/export.json`) or as one socket answer (`user:exportData`, bounded in sets).
 */
import type { MikroORM } from "@mikro-orm/core";
import {
  AttendanceEventEntity,
  BookingEntity,
  CheckInEntity,
  ClassSessionEntity,
  ClassTypeEntity,
  ConsentEntity,
  DeletionRequestEntity,
  FeeEntity,
  GymEntity,
  GymMembershipEntity,
  MembershipPlanEntity,
  UserEntity,
  WaitlistEntryEntity,
  WorkoutResultEntity,
  ClassWorkoutEntity,
} from "../db/entities/index.js";
import { exportFeed } from "./feedPrivacy.js";
import { countSets, exportTraining, workoutPages } from "./trainingExport.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Everything Spotter stores about one user, as they may download it: profile, memberships, bookings,
 * waitlist entries, check-ins, attendance, fees, workout results, logged workouts (with sets and PRs), personal bests,
 * XP and streaks, challenges joined and their submissions, their feed (events, comments, reactions, follows, blocks,
 * reports filed), consents and their deletion request. Never secrets
 * (the calendar feed token), staff's internal notes, or anything about other people (who checked them in).
 */
async function exportParts(orm: MikroORM, userId: string, now: number) {
  const em = orm.em.fork();
  const user = await em.findOne(UserEntity, { id: userId });
  if (!user) return null;
  const [memberships, bookings, waitlist, checkIns, attendance, fees, results, consents, deletion, training] = await Promise.all([
    em.find(GymMembershipEntity, { userId }),
    em.find(BookingEntity, { memberId: userId }, { orderBy: { createdAt: "asc" } }),
    em.find(WaitlistEntryEntity, { memberId: userId }, { orderBy: { createdAt: "asc" } }),
    em.find(CheckInEntity, { memberId: userId }, { orderBy: { at: "asc" } }),
    em.find(AttendanceEventEntity, { memberId: userId }, { orderBy: { at: "asc" } }),
    em.find(FeeEntity, { memberId: userId }, { orderBy: { createdAt: "asc" } }),
    em.find(WorkoutResultEntity, { memberId: userId }, { orderBy: { submittedAt: "asc" } }),
    em.find(ConsentEntity, { userId }, { orderBy: { acceptedAt: "asc" } }),
    em.findOne(DeletionRequestEntity, { userId }),
    exportTraining(orm.em.fork(), userId),
  ]);
  const gymIds = memberships.map((m) => m.gymId);
  const sessionIds = [...new Set([...bookings, ...waitlist, ...results].map((x) => x.sessionId))];
  const planIds = memberships.map((m) => m.planId).filter((x): x is string => x !== null);
  const workoutIds = [...new Set(results.map((r) => r.workoutId))];
  const [gyms, plans, sessions, types, workouts] = await Promise.all([
    gymIds.length ? em.find(GymEntity, { id: { $in: gymIds } }) : [],
    planIds.length ? em.find(MembershipPlanEntity, { id: { $in: planIds } }) : [],
    sessionIds.length ? em.find(ClassSessionEntity, { id: { $in: sessionIds } }) : [],
    gymIds.length ? em.find(ClassTypeEntity, { gymId: { $in: gymIds } }) : [],
    workoutIds.length ? em.find(ClassWorkoutEntity, { id: { $in: workoutIds } }) : [],
  ]);
  // Lookups by id through maps: the export stays linear in what the member has.
  const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
  const [gymById, planById, sessionById, typeById, workoutById] = [byId(gyms), byId(plans), byId(sessions), byId(types), byId(workouts)];
  const gymName = (id: string) => gymById.get(id)?.name ?? null;
  const classOf = (sessionId: string | null) => {
    const s = sessionId === null ? undefined : sessionById.get(sessionId);
    return s ? { className: typeById.get(s.classTypeId)?.name ?? "Class", startsAt: iso(s.startsAt) } : { className: null, startsAt: null };
  };
  return {
    exportedAt: iso(now),
    profile: { id: user.id, name: user.name, email: user.email, phone: user.phone, visibleToOtherMembers: user.visible },
    memberships: memberships.map((m) => ({
      gymId: m.gymId,
      gymName: gymName(m.gymId),
      role: m.role,
      status: m.status,
      plan: (m.planId === null ? undefined : planById.get(m.planId))?.name ?? null,
      credits: m.credits,
      creditsExpireAt: iso(m.creditsExpireAt),
      joinedAt: iso(m.joinedAt),
    })),
    bookings: bookings.map((b) => ({
      id: b.id,
      gymId: b.gymId,
      sessionId: b.sessionId,
      ...classOf(b.sessionId),
      status: b.status,
      createdAt: iso(b.createdAt),
      updatedAt: iso(b.updatedAt),
      creditUsed: b.creditUsed,
      promotedFromWaitlist: b.promotedFromWaitlist,
    })),
    waitlistEntries: waitlist.map((w) => ({
      id: w.id,
      gymId: w.gymId,
      sessionId: w.sessionId,
      ...classOf(w.sessionId),
      status: w.status,
      createdAt: iso(w.createdAt),
      updatedAt: iso(w.updatedAt),
    })),
    checkIns: checkIns.map((c) => ({
      id: c.id,
      gymId: c.gymId,
      sessionId: c.sessionId,
      source: c.source,
      result: c.result,
      reason: c.reason,
      at: iso(c.at),
    })),
    attendance: attendance.map((a) => ({ id: a.id, gymId: a.gymId, sessionId: a.sessionId, at: iso(a.at) })),
    fees: fees.map((f) => ({
      id: f.id,
      gymId: f.gymId,
      sessionId: f.sessionId,
      bookingId: f.bookingId,
      kind: f.kind,
      amountCents: f.amountCents,
      currency: f.currency,
      createdAt: iso(f.createdAt),
      waived: f.waived,
    })),
    workoutResults: results.map((r) => ({
      id: r.id,
      gymId: r.gymId,
      sessionId: r.sessionId,
      ...classOf(r.sessionId),
      workout: workoutById.get(r.workoutId)?.title ?? null,
      score: r.score,
      division: r.division,
      submittedAt: iso(r.submittedAt),
      loggedByMe: r.loggedBy === userId,
    })),
    ...training,
    ...(await exportFeed(em, userId)),
    consents: consents.map((c) => ({ kind: c.kind, version: c.version, acceptedAt: iso(c.acceptedAt) })),
    // Waivers I signed, with the evidence kept (docs/domain.md "Policies and waivers").
    waiverSignatures: (
      await em.getConnection().execute<
        {
          gym_id: string;
          version: string;
          text_hash: string;
          typed_name: string;
          signed_at: Date | string;
          ip: string;
          user_agent: string;
        }[]
      >(`select gym_id, version, text_hash, typed_name, signed_at, ip, user_agent from waiver_signature where member_id = ? order by signed_at`, [userId])
    ).map(
      (w: {
        gym_id: string;
        version: string;
        text_hash: string;
        typed_name: string;
        signed_at: Date | string;
        ip: string;
        user_agent: string;
      }) => ({
        gymId: w.gym_id,
        version: w.version,
        textHash: w.text_hash,
        typedName: w.typed_name,
        signedAt: new Date(w.signed_at).toISOString(),
        ip: w.ip,
        userAgent: w.user_agent,
      }),
    ),
    deletionRequest: deletion ? { requestedAt: iso(deletion.requestedAt), approvedAt: iso(deletion.approvedAt) } : null,
  };
}

/**
 * The whole export as JSON text in pieces (`GET /api/me/export.json`), with `workouts` (logged workouts with sets)
 * last: one piece for everything else, then a page of workouts per piece, as PostgreSQL built them. The work per
 * piece is bounded and nothing holds the whole file, so a member with 100,000 sets never stalls the node.
 * Null when there is no such user.
 */
export async function exportUserJson(orm: MikroORM, userId: string, now: number): Promise<AsyncIterable<string> | null> {
  const rest = await exportParts(orm, userId, now);
  if (!rest) return null;
  return (async function* () {
    yield `${JSON.stringify(rest).slice(0, -1)},"workouts":[`;
    let first = true;
    for await (const page of workoutPages(orm.em.fork(), userId)) {
      yield first ? page.join(",") : `,${page.join(",")}`;
      first = false;
    }
    yield "]}";
  })();
}

/** Most sets the socket form of the export (`user:exportData`) answers: one ack frame is sent whole. */
export const SOCKET_EXPORT_MAX_SETS = 5_000;

/**
 * The export as an object (`user:exportData` over the socket), or `"too_large"` beyond {@link SOCKET_EXPORT_MAX_SETS}
 * sets (the download serves any size). Null when there is no such user.
 */
export async function exportUserData(orm: MikroORM, userId: string, now: number): Promise<Record<string, unknown> | "too_large" | null> {
  if ((await countSets(orm.em.fork(), userId)) > SOCKET_EXPORT_MAX_SETS) return "too_large";
  const rest = await exportParts(orm, userId, now);
  if (!rest) return null;
  const workouts: unknown[] = [];
  for await (const page of workoutPages(orm.em.fork(), userId)) workouts.push(...(JSON.parse(`[${page.join(",")}]`) as unknown[]));
  return { ...rest, workouts };
}
