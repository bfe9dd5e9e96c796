import { randomUUID } from "node:crypto";
import type { TrialBookings } from "../../app/leads/trialPorts.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { RoomRouter } from "../../rooms/RoomRouter.js";
import type { AccessControl } from "./access.js";

/** The trial form's bookings: the class room books the trialist as themself — the same rules, capacity and audit as the app. */
export function trialBookings(d: { access: AccessControl; router: RoomRouter; now: () => number }): TrialBookings {
  return {
    async book(memberId, sessionId) {
      const room: RoomId = `class:${sessionId}`;
      const allowed = await d.access.check(memberId, room);
      if (!allowed.ok) return { ok: false, code: allowed.code, message: allowed.message ?? "That class can't be booked." };
      const answer = await d.router.send(room, {
        kind: "command",
        caller: allowed.caller,
        commandId: `trial-${randomUUID()}`,
        type: "class:book",
        payload: { sessionId },
        receivedAt: d.now(),
      });
      return answer.ok ? { ok: true } : { ok: false, code: answer.error.code, message: answer.error.message };
    },
  };
}
