import { randomUUID } from "node:crypto";
import type { ClassCommands, DeskCommands } from "../../app/admin/ports.js";
import { DefaultMessages } from "../../domain/errors.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { RoomRouter } from "../../rooms/RoomRouter.js";
import type { AccessControl } from "./access.js";

/**
 * Administration acting on class rooms and the desk as the staff member who asked (same access check and room rules as
 * the roster and the desk screen).
 */
export function classCommands(d: { access: AccessControl; router: RoomRouter; now: () => number }): ClassCommands & DeskCommands {
  return {
    async checkIn(actorId, gymId, memberId) {
      const room: RoomId = `gym:${gymId}`;
      const allowed = await d.access.check(actorId, room);
      if (!allowed.ok) return { ok: false, error: { code: allowed.code, message: allowed.message ?? DefaultMessages[allowed.code] } };
      return d.router.send(room, {
        kind: "command",
        caller: allowed.caller,
        commandId: `walkin-${randomUUID()}`,
        type: "gym:checkIn",
        payload: { memberId, source: "desk", openGym: true },
        receivedAt: d.now(),
      });
    },
    async bookAndCheckIn(actorId, sessionId, memberId, commandId) {
      const room: RoomId = `class:${sessionId}`;
      const allowed = await d.access.check(actorId, room);
      if (!allowed.ok)
        return {
          booking: { ok: false, error: { code: allowed.code, message: allowed.message ?? DefaultMessages[allowed.code] } },
          checkIn: null,
        };
      const send = (suffix: string, type: string, payload: unknown) =>
        d.router.send(room, {
          kind: "command",
          caller: allowed.caller,
          commandId: `${commandId}-${suffix}`,
          type,
          payload,
          receivedAt: d.now(),
        });
      const booking = await send("b", "class:book", { sessionId, memberId, waitlist: true });
      const booked = booking.ok && (booking.result as { status?: string } | null)?.status === "booked";
      // Already booked (a member who booked themself earlier): check them in all the same.
      const already = !booking.ok && booking.error.code === "ALREADY_BOOKED";
      return { booking, checkIn: booked || already ? await send("c", "class:checkIn", { sessionId, memberId, source: "desk" }) : null };
    },
    async book(actorId, sessionId, memberId) {
      const room: RoomId = `class:${sessionId}`;
      const allowed = await d.access.check(actorId, room);
      if (!allowed.ok) return { ok: false, error: { code: allowed.code, message: allowed.message ?? DefaultMessages[allowed.code] } };
      return d.router.send(room, {
        kind: "command",
        caller: allowed.caller,
        commandId: `import-${randomUUID()}`,
        type: "class:book",
        payload: { sessionId, memberId, waitlist: false },
        receivedAt: d.now(),
      });
    },
    async cancelBooking(actorId, sessionId, memberId) {
      const room: RoomId = `class:${sessionId}`;
      const allowed = await d.access.check(actorId, room);
      if (!allowed.ok) return false;
      const answer = await d.router.send(room, {
        kind: "command",
        caller: allowed.caller,
        commandId: `admin-${randomUUID()}`,
        type: "class:cancelBooking",
        payload: { sessionId, memberId },
        receivedAt: d.now(),
      });
      return answer.ok;
    },
  };
}
