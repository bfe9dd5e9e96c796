/**
 * The socket side of the dispatch table: parse → look up → check who may → call → ack. Every request outside the
 * rooms goes through here (`socketProtocol.ts` asks {@link RequestDispatch.handles} before the room commands).
 */
import type { z } from "zod";
import type { ClientInfo, LiveFrames } from "../../app/requestContext.js";
import { DomainError } from "../../domain/errors.js";
import { answer, invalidPayload, refuse } from "../../domain/protocol/acks.js";
import { parseRoomId, type Ack, type RoomId } from "../../domain/protocol/envelope.js";
import { isRequestType, RequestSchemas, type RequestType } from "../../domain/protocol/requests.js";
import { keys } from "../../rooms/keys.js";
import type { AccessControl } from "./access.js";
import { RequestTable, type GymRoles, type RequestEntry, type RequestPorts } from "./requestTable.js";

/** The asking socket's Socket.IO channels (for requests that start or stop live frames, such as `feed:watch`). */
export interface SocketChannels {
  join(channel: string): void;
  leave(channel: string): void;
}

export interface RequestCall {
  userId: string;
  room: RoomId;
  type: string;
  payload: unknown;
  commandId?: string;
  /** The asking socket's channels (requests that start or stop live frames). */
  channels?: SocketChannels;
  /** The caller's sign-in session (a device), when their token names one. */
  sessionId?: string | undefined;
  /** The asking device (a waiver signature keeps it as evidence). */
  client?: ClientInfo;
}

export interface RequestDispatch {
  /** Whether `type` is a request of the table (own keys only: `constructor` is not one). */
  handles(type: string): boolean;
  dispatch(call: RequestCall): Promise<Ack<unknown>>;
}

export interface RequestDispatchDeps {
  ports: RequestPorts;
  access: AccessControl;
  /** Whether a user row exists (a valid token whose user has no row yet is answered like the `user:` room join). */
  userExists(userId: string): Promise<boolean>;
}

/** The asking socket's channels as the {@link LiveFrames} port of the use cases. */
const liveFrames = (ch: SocketChannels): LiveFrames => ({
  watchFeed: (gymId, userId) => {
    ch.join(keys.feedChannel(gymId));
    ch.join(keys.feedUserChannel(gymId, userId));
  },
  unwatchFeed: (gymId, userId) => {
    ch.leave(keys.feedChannel(gymId));
    ch.leave(keys.feedUserChannel(gymId, userId));
  },
  watchBoards: (gymId) => ch.join(keys.boardChannel(gymId)),
  unwatchBoards: (gymId) => ch.leave(keys.boardChannel(gymId)),
  watchLeads: (gymId) => ch.join(keys.leadsChannel(gymId)),
  unwatchLeads: (gymId) => ch.leave(keys.leadsChannel(gymId)),
  watchReport: (gymId) => ch.join(keys.reportChannel(gymId)),
  unwatchReport: (gymId) => ch.leave(keys.reportChannel(gymId)),
});

/** Whether a caller of `role` (audience `staff` or not) passes `roles`. */
export function mayAsk(roles: GymRoles, staff: boolean, role: string): boolean {
  if (roles === "members") return true;
  if (!staff) return false;
  return roles === "staff" || (roles as readonly string[]).includes(role);
}

export function createRequestDispatch(d: RequestDispatchDeps): RequestDispatch {
  const table = RequestTable;
  // A node without sign-in does not know the sign-in requests (they answer "Unknown command", as room commands would).
  const entryOf = (type: string): RequestEntry<unknown> | undefined => {
    const entry = isRequestType(type) ? table[type] : undefined;
    return entry && (!entry.needsSignIn || d.ports.signIn) ? entry : undefined;
  };

  return {
    handles: (type) => entryOf(type) !== undefined,

    async dispatch({ userId, room, type, payload, commandId, channels, sessionId, client }) {
      const entry = entryOf(type);
      if (!entry) return refuse("VALIDATION_FAILED", `Unknown command "${type.slice(0, 64)}".`, { fields: { type: "Unknown command" } });
      const parsed = (RequestSchemas[type as RequestType] as z.ZodType).safeParse(payload ?? {});
      if (entry.room === "user") {
        if (!parsed.success)
          return entry.invalidFields
            ? refuse("VALIDATION_FAILED", undefined, { fields: entry.invalidFields })
            : invalidPayload(parsed.error.issues);
        if (room !== `user:${userId}`) return refuse("NOT_FOUND");
        if (!(await d.userExists(userId))) return refuse("NOT_FOUND");
        const result = await entry.run(d.ports, {
          userId,
          payload: parsed.data,
          commandId: commandId ?? null,
          sessionId: sessionId ?? null,
        });
        return result instanceof DomainError ? answer(result) : { ok: true, result };
      }
      if (!parsed.success) return invalidPayload(parsed.error.issues);
      const { kind, id } = parseRoomId(room);
      if (kind !== "gym") return refuse("NOT_FOUND");
      // The same rule as joining the gym room: a cancelled membership or an inactive staff account is FORBIDDEN.
      const access = await d.access.check(userId, room);
      if (!access.ok) return refuse(access.code, access.message);
      const role = access.caller.membership?.role ?? "member";
      if (!mayAsk(entry.roles, access.audience === "staff", role)) return refuse("FORBIDDEN");
      const live = channels ? liveFrames(channels) : undefined;
      return answer(
        await entry.run(d.ports, {
          userId,
          gymId: id,
          role,
          payload: parsed.data,
          commandId: commandId ?? null,
          live,
          ...(client ? { client } : {}),
        }),
      );
    },
  };
}
