/**
 * Walk-ins from the coach's roster (issue 18, "At the desk and on the roster"): book someone into this class and check
 * them in in one step. A new person is added exactly as the desk's walk-in adds them (`addMember`, tagged `walk-in`),
 * optionally with a drop-in or trial plan; then the class room books (or waitlists) and checks them in — the same
 * decisions as the roster's buttons, so an enforced waiver or a frozen membership still refuses in words. A coach
 * walks people into the classes they coach only (docs/security.md); owners, admins and the front desk into any.
 */
import { DomainError } from "../../domain/errors.js";
import type { RequestPayload } from "../../domain/protocol/requests.js";
import type { AdminActor, AdminPorts } from "./ports.js";
import { addWalkIn, stepId } from "./walkIns.js";

type Input = RequestPayload<"gym:rosterWalkIn">;

export async function rosterWalkIn(ports: AdminPorts, actor: AdminActor, input: Input) {
  // Before anyone is added: a coach walks people into the classes they coach; owners, admins and the desk into any.
  const cls = await ports.store.read((tx) => tx.classCoach(actor.gymId, input.sessionId));
  if (!cls) return new DomainError("NOT_FOUND", "That class isn't in this gym.", { fields: { sessionId: "Unknown class" } });
  if (actor.role === "coach" && cls.coachId !== actor.userId)
    return new DomainError("FORBIDDEN", "Coaches walk people into their own classes — ask the front desk or this class's coach.");
  let memberId = input.memberId;
  if (input.newPerson) {
    const added = await addWalkIn(ports, actor, input.newPerson, input.planId);
    if (added instanceof DomainError) return added;
    memberId = added.memberId;
  }
  if (!memberId) return new DomainError("VALIDATION_FAILED", "Pick a member or add a new person");
  const done = await ports.classes.bookAndCheckIn(actor.userId, input.sessionId, memberId, stepId(ports, actor, "class") ?? ports.newId());
  if (!done.booking.ok && done.booking.error.code !== "ALREADY_BOOKED")
    return new DomainError(done.booking.error.code, done.booking.error.message, { details: { memberId } });
  return {
    memberId,
    booking: done.booking.ok ? done.booking.result : { status: "already_booked" },
    checkIn:
      done.checkIn === null
        ? null
        : done.checkIn.ok
          ? done.checkIn.result
          : { status: "error", code: done.checkIn.error.code, message: done.checkIn.error.message },
  };
}
