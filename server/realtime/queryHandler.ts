/**
 * The shape of a non-room request handler (see `createQueries`), and the two guards that build one:
 * `InGym` for `gym:*` requests (membership and roles checked), `Mine` for the caller's own `user:` room.
 */
import type { AdminActor } from "../../app/admin/ports.js";
import type { Ack, RoomId } from "../../domain/protocol/envelope.js";
import type { QueryType } from "../../domain/protocol/queries.js";

/** The asking socket's Socket.IO channels (for requests that start or stop live frames, such as `feed:watch`). */
export interface SocketChannels {
  join(channel: string): void;
  leave(channel: string): void;
}

/** The asking device as the connection saw it (evidence where a member signs). */
export interface ClientInfo {
  ip: string;
  userAgent: string;
}

export type QueryHandler = (q: {
  userId: string;
  room: RoomId;
  payload: unknown;
  commandId?: string;
  channels?: SocketChannels;
  /** The caller's sign-in session (a device), when their token names one. */
  sessionId?: string | undefined;
  client?: ClientInfo;
}) => Promise<Ack<unknown>>;
export type QueryHandlers = Record<string, QueryHandler>;

/** The context a `gym:*` handler runs with. */
export interface GymQueryContext<T> {
  userId: string;
  gymId: string;
  role: string;
  payload: T;
  /** The asking socket's channels, for requests that start or stop live frames. */
  channels: SocketChannels | undefined;
  /** The request's command id (audit rows name it). */
  commandId: string | null;
  /** The asking device, when the transport knows it. */
  client?: ClientInfo;
}
export type InGym = <T>(type: QueryType, staffOnly: boolean | readonly string[], run: (ctx: GymQueryContext<T>) => Promise<unknown>) => QueryHandler;
export type Mine = <T>(type: QueryType, run: (ctx: { userId: string; payload: T; commandId: string | null; sessionId: string | null }) => Promise<unknown>) => QueryHandler;

/** Who asks a staff request, as the use cases of `app/` take it. */
export const actorOf = (c: GymQueryContext<unknown>, now: number): AdminActor => ({ userId: c.userId, role: c.role, gymId: c.gymId, commandId: c.commandId, now });
