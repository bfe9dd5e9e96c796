/**
 * Walk-ins (issue 18, "At the desk"): someone who isn't a member yet drops in. The desk adds them as a member tagged
 * `walk-in` (the same use case and duplicate rules as "Add member", audited) and checks them in through the gym room at
 * once — the same decision as a scan, so an enforced waiver still stops them until they sign or staff override.
 */
import { DomainError } from "../../domain/errors.js";
import { addMember } from "./members.js";
import type { AdminActor, AdminPorts } from "./ports.js";

/** The tag a walk-in is added with, so staff can find drop-ins later. */
export const WalkInTag = "walk-in";

export async function checkInWalkIn(
  ports: AdminPorts,
  actor: AdminActor,
  input: { name: string; email: string; phone?: string | undefined },
) {
  const added = await addMember(ports, actor, { name: input.name, email: input.email, phone: input.phone, tags: [WalkInTag] });
  if (added instanceof DomainError) return added;
  // A retry of the same command answers the first member; the gym room swallows a second scan within minutes.
  const checkIn = await ports.desk.checkIn(actor.userId, actor.gymId, added.memberId);
  return { memberId: added.memberId, checkIn: checkIn.ok ? checkIn.result : { status: "error", message: checkIn.error.message } };
}
