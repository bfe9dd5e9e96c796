import { randomUUID } from "node:crypto";
import type { ClassCommands } from "../../app/admin/ports.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { RoomRouter } from "../../rooms/RoomRouter.js";
import type { AccessControl } from "./access.js";

/** Administration acting on class rooms as the staff member who asked (same access check and room rules as the roster). */
export function classCommands(d: { access: AccessControl; router: RoomRouter; now: () => number }): ClassCommands {
  return {
    async cancelBooking(actorId, sessionId, memberId) {
      const room: RoomId = `class:${sessionId}`;
      const allowed = await d.access.check(actorId, room);
      if (!allowed.ok) return false;
      const answer = await d.router.send(room, {
        kind: "command", caller: allowed.caller, commandId: `admin-${randomUUID()}`, type: "class:cancelBooking", payload: { sessionId, memberId }, receivedAt: d.now(),
      });
      return answer.ok;
    },
  };
}
