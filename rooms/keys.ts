import type { Audience, RoomId } from "../domain/protocol/envelope.js";

/** Every Redis key, Redis channel and Socket.IO channel name Spotter uses, in one place. */
export const keys = {
  /** Socket.IO channel (broadcast group) of one audience of a room. */
  audienceChannel: (room: RoomId, audience: Audience) => `${room}#${audience}`,
  /** Socket.IO Redis adapter key prefix. */
  ioAdapter: "spotter#io",
  /** Redis: the lease of a room's owner (value: node id). */
  lease: (room: RoomId) => `spotter:lease:${room}`,
  /** Redis pub/sub: requests to one node. */
  nodeRequests: (node: string) => `spotter:node:${node}:requests`,
  /** Redis pub/sub: replies to one node. */
  nodeReplies: (node: string) => `spotter:node:${node}:replies`,
} as const;
