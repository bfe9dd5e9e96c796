/** Staff reads of the desk and the office: member search, a member's profile, attendance per day, the audit trail. */
import { streakOf } from "../../domain/attendance/streak.js";
import type { RequestPayload, RequestType } from "../../domain/protocol/requests.js";
import { seesMoney } from "../../domain/roles.js";
import { addDays, localDate, startOfLocalDay } from "../../domain/schedule/timeZone.js";
import type { GymRequest } from "../requestContext.js";
import type { DeskPorts } from "./ports.js";

type In<K extends RequestType> = GymRequest<RequestPayload<K>>;

/** Contact details of up to 25 people: audited (counts only — the search text is free text and stays out). */
export async function searchMembers(p: DeskPorts, c: In<"gym:searchMembers">) {
  const members = await p.reads.searchMembers(c.gymId, c.payload.q, 25);
  await p.readAudit.record({
    gymId: c.gymId,
    actorId: c.userId,
    action: "gym:searchMembers",
    entityType: "member_search",
    entityId: null,
    summary: { results: members.length },
    commandId: c.commandId,
    at: p.now(),
  });
  return { members };
}

/** One member's profile, audited; the front desk and coaches see no fees, plan or credits. */
export async function memberProfile(p: DeskPorts, c: In<"gym:memberProfile">) {
  const base = await p.reads.profileBase(c.gymId, c.payload.memberId);
  if (!base) return null;
  const { member: user, membership: m } = base;
  const now = p.now();
  const audited = p.readAudit.record({
    gymId: c.gymId,
    actorId: c.userId,
    action: "gym:memberProfile",
    entityType: "member",
    entityId: user.id,
    summary: {},
    commandId: c.commandId,
    at: now,
  });
  const { plan, bookings, activeAt, fees } = await p.reads.profileDetail(c.gymId, user.id, m.planId, now);
  const money = seesMoney(c.role);
  await audited;
  return {
    memberId: user.id,
    name: user.name,
    email: user.email,
    phone: user.phone,
    birthday: user.birthday,
    emergencyContact: user.emergencyContact,
    role: m.role,
    status: m.status,
    frozenUntil: m.frozenUntil,
    tags: m.tags,
    notes: m.notes,
    joinedAt: m.joinedAt,
    signIn: base.signIn,
    plan: money && plan ? { name: plan.name, entitlement: plan.entitlement, weeklyTarget: plan.weeklyTarget } : null,
    credits: money ? m.credits : null,
    creditsExpireAt: money ? m.creditsExpireAt : null,
    upcoming: bookings
      .filter((l) => l.startsAt >= now && (l.status === "booked" || l.status === "checked_in"))
      .sort((a, b) => a.startsAt - b.startsAt),
    history: bookings.filter((l) => l.startsAt < now).slice(0, 50),
    streak: streakOf(activeAt, now, base.timeZone).current,
    fees: money ? fees : null,
  };
}

/** Checked-in and booked counts per local day for the last `days` days. */
export async function attendanceSeries(p: DeskPorts, c: In<"gym:attendanceSeries">) {
  const timeZone = await p.reads.timeZone(c.gymId);
  const today = localDate(p.now(), timeZone);
  const first = addDays(today, -(c.payload.days - 1));
  const rows = await p.reads.bookingsBetween(c.gymId, startOfLocalDay(first, timeZone), startOfLocalDay(addDays(today, 1), timeZone));
  const days = Array.from({ length: c.payload.days }, (_, i) => ({ date: addDays(first, i), checkedIn: 0, booked: 0 }));
  const byDate = new Map(days.map((x) => [x.date, x]));
  for (const r of rows) {
    const day = byDate.get(localDate(r.startsAt, timeZone));
    if (!day) continue;
    day.booked += 1;
    if (r.status === "checked_in") day.checkedIn += 1;
  }
  return { days };
}

/** Owners and admins: the gym's audit trail across its rooms, newest first. */
export const auditLog = (p: DeskPorts, c: In<"gym:auditLog">) => p.reads.auditLog(c.gymId, c.payload, c.payload.limit ?? 50);
