/**
 * Shared checks of class commands: gym scoping, staff rights, session status, entitlement.
 */
import { DomainError } from "../errors.js";
import { isStaffRole } from "../roles.js";
import { waiverMissing } from "../admin/waivers.js";
import { frozenMessage, shortDate } from "../admin/members.js";
import type { Instant, MembershipStatus } from "../model.js";
import { localDate } from "../schedule/timeZone.js";
import type { Actor, ClassState, CommandContext, MemberStanding } from "./state.js";

/** Whether the actor works at the gym (or is a room timer). */
export function isStaff(actor: Actor): boolean {
  return actor.role === "system" || isStaffRole(actor.role);
}

/**
 * Refuses with NOT_FOUND when the actor belongs to another gym or addresses another session,
 * so a foreign gym learns nothing about this session's existence.
 */
export function checkScope(state: ClassState, ctx: CommandContext, sessionId?: string): DomainError | null {
  if (ctx.actor.gymId !== state.session.gymId) return new DomainError("NOT_FOUND");
  if (sessionId !== undefined && sessionId !== state.session.id) return new DomainError("NOT_FOUND");
  return null;
}

/** Scope check plus FORBIDDEN for members. */
export function checkStaff(state: ClassState, ctx: CommandContext, sessionId?: string): DomainError | null {
  return checkScope(state, ctx, sessionId) ?? (isStaff(ctx.actor) ? null : new DomainError("FORBIDDEN"));
}

/**
 * Resolves whom a command is about: the actor themself when `memberId` is absent or their own,
 * otherwise (staff only) the given member. Unknown or foreign-gym members are NOT_FOUND.
 */
export function resolveMember(
  state: ClassState,
  ctx: CommandContext,
  target: { sessionId?: string; memberId?: string },
): { standing: MemberStanding; self: boolean } | DomainError {
  const scope = checkScope(state, ctx, target.sessionId);
  if (scope) return scope;
  const self = target.memberId === undefined || target.memberId === ctx.actor.userId;
  if (!self && !isStaff(ctx.actor)) return new DomainError("FORBIDDEN");
  const memberId = target.memberId ?? ctx.actor.userId;
  const standing = state.members[memberId];
  if (standing === undefined || standing.gymId !== state.session.gymId) return new DomainError("NOT_FOUND");
  return { standing, self };
}

/** CLASS_CANCELLED / CLASS_COMPLETED unless the session is still scheduled. */
export function checkScheduled(state: ClassState): DomainError | null {
  if (state.session.status === "cancelled") return new DomainError("CLASS_CANCELLED");
  if (state.session.status === "completed") return new DomainError("CLASS_COMPLETED");
  return null;
}

/** Why a membership in this status may not book, in words the member reads. */
const InactiveMessages: Readonly<Record<Exclude<MembershipStatus, "active">, string>> = {
  frozen: "Membership frozen — ask the front desk.",
  past_due: "Payment overdue — update your payment details or ask the front desk.",
  cancelled: "Membership cancelled — ask the front desk to rejoin.",
  pending: "Membership not active yet — ask the front desk to finish signing you up.",
};

/** What a member's own screen says about their membership's status; null while it is active. */
export function standingMessage(status: MembershipStatus, frozenUntil: string | null): string | null {
  if (status === "active") return null;
  return status === "frozen" ? frozenMessage(frozenUntil) : InactiveMessages[status];
}

/** The gym published a terms or privacy-policy version the member has not accepted yet. */
export function consentError(standing: MemberStanding): DomainError | null {
  const missing = standing.missingConsents ?? [];
  return missing.length ? new DomainError("CONSENT_REQUIRED", undefined, { details: { missing: missing.join(",") } }) : null;
}

/** The gym requires its waiver for booking and the member hasn't signed the version in force. */
export function waiverError(standing: MemberStanding, now: Instant): DomainError | null {
  return waiverMissing(standing.waiver, now, "booking") ? new DomainError("WAIVER_REQUIRED") : null;
}

/** Whether the member's plan covers the class type (a plan listing no types covers every type; no plan terms: every type). */
export function planCovers(standing: Pick<MemberStanding, "plan">, classTypeId: string): boolean {
  const types = standing.plan?.classTypeIds ?? [];
  return types.length === 0 || types.includes(classTypeId);
}

/** The class a booking is judged for: its date (gym time) and its type. */
export type JudgedClass = Pick<ClassState, "session" | "timeZone" | "classTypeName">;

/**
 * Why the member's plan doesn't entitle this class, or null when it does: the class's date (gym time) must fall in the
 * plan's days, and its type among the plan's class types (none listed = every type).
 */
export function planError(standing: MemberStanding, cls: JudgedClass): DomainError | null {
  const plan = standing.plan;
  if (!plan) return null;
  const day = localDate(cls.session.startsAt, cls.timeZone);
  if (plan.startsOn !== null && day < plan.startsOn)
    return new DomainError("PLAN_NOT_STARTED", `Your plan starts on ${shortDate(plan.startsOn)} — book classes from that day.`, {
      details: { startsOn: plan.startsOn },
    });
  if (plan.endsOn !== null && day > plan.endsOn)
    return new DomainError("PLAN_ENDED", `Your plan ended on ${shortDate(plan.endsOn)} — ask the front desk.`, {
      details: { endsOn: plan.endsOn },
    });
  if (!planCovers(standing, cls.session.classTypeId))
    return new DomainError("CLASS_NOT_COVERED", `Your plan doesn't cover ${cls.classTypeName ?? "this class"} — ask the front desk.`, {
      details: { classTypeId: cls.session.classTypeId },
    });
  return null;
}

/**
 * Why this member may not take a spot in this class, or null if they may: membership must be active, the plan must
 * entitle the class's date and type, and have entitlement left (pack credits unexpired, weekly classes left).
 */
export function entitlementError(standing: MemberStanding, now: Instant, cls: JudgedClass): DomainError | null {
  if (standing.status !== "active") {
    return new DomainError("MEMBERSHIP_INACTIVE", InactiveMessages[standing.status], {
      details: { status: standing.status },
    });
  }
  const entitlement = standing.entitlement;
  if (entitlement === null) {
    return new DomainError("MEMBERSHIP_INACTIVE", "No membership plan — ask the front desk.");
  }
  const outside = planError(standing, cls);
  if (outside) return outside;
  if (entitlement.kind === "pack") {
    if (standing.creditsExpireAt !== null && now >= standing.creditsExpireAt) {
      return new DomainError("NO_CREDITS", "Your class credits have expired — buy a new pack at the front desk or in the app.");
    }
    if ((standing.credits ?? 0) <= 0) return new DomainError("NO_CREDITS");
  }
  if (entitlement.kind === "weekly" && standing.bookingsThisWeek >= entitlement.classesPerWeek) {
    return new DomainError("WEEKLY_LIMIT_REACHED");
  }
  return null;
}
