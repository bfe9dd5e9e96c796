import { createHash } from "node:crypto";
import type { ClassEdits } from "../../app/setup/ports.js";
import { DefaultMessages } from "../../domain/errors.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { RoomRouter } from "../../rooms/RoomRouter.js";
import type { AccessControl } from "./access.js";

/**
 * Series edits sent to each class room as the staff member who asked (the roster's own access check, rules, audit and
 * notices); the command id is the request's, per class, so a retried series change is answered once by each room.
 */
export function classEdits(d: { access: AccessControl; router: RoomRouter; now: () => number }): ClassEdits {
  return {
    async send(actorId, _gymId, commandId, command) {
      const room: RoomId = `class:${command.payload.sessionId}`;
      const allowed = await d.access.check(actorId, room);
      if (!allowed.ok) return { ok: false, error: { code: allowed.code, message: allowed.message ?? DefaultMessages[allowed.code] } };
      // Command ids are at most 64 characters: the per-class id is a digest of the request's.
      const id = `series-${createHash("sha256").update(commandId).digest("hex").slice(0, 40)}`;
      return d.router.send(room, {
        kind: "command",
        caller: allowed.caller,
        commandId: id,
        type: command.type,
        payload: command.payload,
        receivedAt: d.now(),
      });
    },
  };
}
