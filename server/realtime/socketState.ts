import type { Socket } from "socket.io";
import type { ClientToServerEvents, RoomId, ServerToClientEvents } from "../../domain/protocol/envelope.js";
import type { Identity } from "../auth.js";
import type { RoomRegistry } from "../../rooms/RoomRegistry.js";
import type { TokenBucket } from "../cluster/rateLimit.js";

/**
 * What the protocol keeps per socket, all in Socket.IO's own `socket.data` object (no closures or timers per
 * socket: an idle socket costs only this): who it is, its command budget (made on its first request), and the
 * rooms it watches as `[room, channel, room, channel, …]` (exact-size arrays; a Map costs ~220 bytes even nearly empty).
 */
export interface SocketState {
  identity: Identity;
  /** The handshake's User-Agent (≤ 400 characters), kept as evidence for a waiver signature once the headers are forgotten. */
  userAgent?: string;
  /** The protocol version the app stated in the handshake (`auth.protocol`; 1 when none): see domain/protocol/version.ts. */
  protocol?: number;
  bucket?: TokenBucket;
  /** Bytes uWS held for it at the last sweep, while past the slow-consumer mark (`uwsBackpressure.ts`). */
  backlog?: number;
  watched?: readonly string[];
}

export type SpotterSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketState>;

export const NONE: readonly string[] = [];

/** The channel a socket hears `room` on, if it watches it. */
export const channelOf = (state: SocketState, room: RoomId): string | undefined => {
  const w = state.watched ?? NONE;
  for (let i = 0; i < w.length; i += 2) if (w[i] === room) return w[i + 1];
  return undefined;
};

export const watchedCount = (state: SocketState): number => (state.watched ?? NONE).length / 2;

export const unwatch = (state: SocketState, room: RoomId): void => {
  const w = state.watched ?? NONE;
  for (let i = 0; i < w.length; i += 2) {
    if (w[i] !== room) continue;
    state.watched = w.length === 2 ? undefined : [...w.slice(0, i), ...w.slice(i + 2)];
    return;
  }
};

/** Watches `room` on `channel` (replacing the channel it was watched on). */
export const watch = (state: SocketState, room: RoomId, channel: string): void => {
  unwatch(state, room);
  state.watched = [...(state.watched ?? NONE), room, channel];
};

/** The rooms a socket watches. */
export const watchedRooms = (state: SocketState): RoomId[] => {
  const w = state.watched ?? NONE;
  const rooms: RoomId[] = [];
  for (let i = 0; i < w.length; i += 2) rooms.push(w[i] as RoomId);
  return rooms;
};

/** Stops a socket watching `room` (its channel and this node's watcher count of the room); false when it was not watching. */
export function leaveRoom(socket: SpotterSocket, room: RoomId, registry: RoomRegistry, now: number): boolean {
  const channel = channelOf(socket.data, room);
  if (!channel) return false;
  unwatch(socket.data, room);
  void socket.leave(channel);
  const actor = registry.peek(room);
  if (actor) {
    actor.watchers = Math.max(0, actor.watchers - 1);
    actor.lastActive = now;
  }
  return true;
}
