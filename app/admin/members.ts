/**
 * Members (issue 18 item 2): add with duplicate detection, edit, tag, freeze and unfreeze. Each in one audited
 * transaction; a freeze reaches the live rooms (desk, classes) on every node before the answer.
 */
import { checkFreeze, duplicatesOf, normalEmail, normalPhone } from "../../domain/admin/members.js";
import { DomainError } from "../../domain/errors.js";
import { addDays, localDate, startOfLocalDay } from "../../domain/schedule/timeZone.js";
import type { AdminActor, AdminPorts, MemberProfileFields } from "./ports.js";

/** The front desk changes members only; nobody freezes or edits their own membership here. */
function mayChange(actor: AdminActor, target: { memberId: string; role: string }): DomainError | null {
  if (target.memberId === actor.userId)
    return new DomainError("FORBIDDEN", "You can't change your own membership — ask another owner or admin.");
  if (actor.role === "front_desk" && target.role !== "member")
    return new DomainError("FORBIDDEN", "The front desk changes members only — ask an owner or admin.");
  return null;
}

type ProfileInput = Partial<Omit<MemberProfileFields, "phone" | "birthday">> & {
  phone?: string | undefined;
  birthday?: string | undefined;
};

/** Which fields changed, for the audit row: names of fields only (the values are personal data). */
const changedFields = (input: object) =>
  Object.keys(input)
    .filter((k) => k !== "memberId" && (input as Record<string, unknown>)[k] !== undefined)
    .sort();

export async function addMember(
  ports: AdminPorts,
  actor: AdminActor,
  input: ProfileInput & { name: string; email: string; allowDuplicate?: boolean | undefined },
) {
  const email = normalEmail(input.email);
  return ports.store.transaction(actor, "gym:addMember", async (tx) => {
    const found = duplicatesOf(await tx.lookalikes(actor.gymId, email, normalPhone(input.phone)), { email, phone: input.phone ?? null });
    const sameEmail = found.find((m) => normalEmail(m.email) === email);
    const dup = sameEmail ?? (input.allowDuplicate ? undefined : found[0]);
    if (dup) {
      const field = dup === sameEmail ? "email" : "phone";
      throw new DomainError("DUPLICATE_MEMBER", `${dup.name} already has this ${field} — open their profile instead.`, {
        fields: { [field]: `${dup.name} has this ${field}`, duplicateOf: dup.memberId },
      });
    }
    // The same person may train at another gym: one account, a membership here (nothing of the other gym is shown).
    const existing = await tx.userByEmail(email);
    const userId = existing?.id ?? ports.newId();
    const profile = {
      name: input.name,
      email,
      phone: input.phone ?? null,
      birthday: input.birthday ?? null,
      emergencyContact: input.emergencyContact ?? "",
      notes: input.notes ?? "",
      tags: input.tags ?? [],
    };
    await tx.addMember({ userId, gymId: actor.gymId, newUser: !existing, profile, joinedAt: actor.now, membershipId: ports.newId() });
    tx.audit({
      action: "gym:addMember",
      entityType: "member",
      entityId: userId,
      before: null,
      after: { status: "active", fields: changedFields(input), tags: profile.tags.length },
    });
    return { memberId: userId };
  });
}

export async function updateMember(
  ports: AdminPorts,
  actor: AdminActor,
  input: ProfileInput & { memberId: string; name?: string | undefined },
) {
  const { memberId, ...change } = input;
  const result = await ports.store.transaction(actor, "gym:updateMember", async (tx) => {
    const member = await tx.member(actor.gymId, memberId, true);
    if (!member) return null;
    const refused = mayChange(actor, member);
    if (refused) throw refused;
    await tx.updateMember(actor.gymId, memberId, change);
    tx.audit({
      action: "gym:updateMember",
      entityType: "member",
      entityId: memberId,
      before: null,
      after: { fields: changedFields(change) },
    });
    return { memberId };
  });
  if (result && !(result instanceof DomainError)) {
    ports.notes.userChanged(memberId);
    // Desks and open profiles hear of it too (a new name at the desk; tags, notes, contact on the profile).
    ports.notes.memberChanged(actor.gymId, memberId);
  }
  return result;
}

/** Freezes from today until `until` (inclusive). See docs/domain.md "Freezes" for bookings inside the freeze. */
export async function freezeMember(ports: AdminPorts, actor: AdminActor, input: { memberId: string; until: string; reason: string }) {
  const result = await ports.store.transaction(actor, "gym:freezeMember", async (tx) => {
    const gym = await tx.gym(actor.gymId);
    const member = await tx.member(actor.gymId, input.memberId, true);
    if (!gym || !member) return null;
    const refused = mayChange(actor, member) ?? checkFreeze(member.status, input.until, localDate(actor.now, gym.timeZone));
    if (refused) throw refused;
    await tx.setFreeze(actor.gymId, input.memberId, { status: "frozen", frozenUntil: input.until, freezeReason: input.reason });
    tx.audit({
      action: "gym:freezeMember",
      entityType: "member",
      entityId: input.memberId,
      before: { status: member.status },
      after: { status: "frozen", frozenUntil: input.until },
    });
    // The member hears of it in this commit (never the staff's reason: that is a private note).
    await ports.notices.notify(
      [input.memberId],
      {
        kind: "membership",
        text: `Your membership is frozen until ${input.until}. Bookings in that time are cancelled without a fee.`,
        gymId: actor.gymId,
      },
      tx.notices,
    );
    const sessions = await tx.liveBookings(actor.gymId, input.memberId, actor.now, startOfLocalDay(addDays(input.until, 1), gym.timeZone));
    return { memberId: input.memberId, status: "frozen" as const, frozenUntil: input.until, sessions };
  });
  if (!result || result instanceof DomainError) return result;
  ports.notes.memberChanged(actor.gymId, input.memberId);
  // Bookings inside the freeze: cancelled without a fee by their class rooms (credits refunded), after the freeze commits.
  const cancelled = await Promise.all(result.sessions.map((id) => ports.classes.cancelBooking(actor.userId, id, input.memberId)));
  const { sessions: _s, ...answer } = result;
  return { ...answer, cancelledBookings: cancelled.filter(Boolean).length };
}

export async function unfreezeMember(ports: AdminPorts, actor: AdminActor, input: { memberId: string }) {
  const result = await ports.store.transaction(actor, "gym:unfreezeMember", async (tx) => {
    const member = await tx.member(actor.gymId, input.memberId, true);
    if (!member) return null;
    const refused = mayChange(actor, member);
    if (refused) throw refused;
    if (member.status !== "frozen")
      throw new DomainError("VALIDATION_FAILED", "This membership isn't frozen.", {
        fields: { memberId: `The membership is ${member.status}` },
      });
    await tx.setFreeze(actor.gymId, input.memberId, { status: "active", frozenUntil: null, freezeReason: "" });
    tx.audit({
      action: "gym:unfreezeMember",
      entityType: "member",
      entityId: input.memberId,
      before: { status: "frozen" },
      after: { status: "active" },
    });
    await ports.notices.notify(
      [input.memberId],
      { kind: "membership", text: "Your membership is active again — you can book classes.", gymId: actor.gymId },
      tx.notices,
    );
    return { memberId: input.memberId, status: "active" as const };
  });
  if (result && !(result instanceof DomainError)) ports.notes.memberChanged(actor.gymId, input.memberId);
  return result;
}
