import type { Audience, RoomId } from "../domain/protocol/envelope.js";

/** Every Redis key, Redis channel and Socket.IO channel name Spotter uses, in one place. */
export const keys = {
  /** Socket.IO channel (broadcast group) of one audience of a room. */
  audienceChannel: (room: RoomId, audience: Audience) => `${room}#${audience}`,
  /** Whether a Socket.IO channel is a room audience's (not a socket's own, a feed's or a board's). */
  isAudienceChannel: (channel: string) => channel.includes("#"),
  /** Socket.IO server-side event: reload the live rooms that show a member (their data was anonymized). */
  reloadMemberEvent: "spotter:reload-member",
  /** Socket.IO server-side event: a user's access or tokens were revoked (see `Revocations`). */
  revokeEvent: "spotter:revoke",
  /** Socket.IO server-side event from a room's mailbox: remove a user's sockets from that room's channels. */
  unsubscribeEvent: "spotter:unsubscribe",
  /** Socket.IO channel: every socket watching a gym's feed (`feed:watch`). */
  feedChannel: (gymId: string) => `feed:${gymId}`,
  /** Socket.IO channel: one member's sockets watching a gym's feed (per-viewer delivery and exclusion). */
  feedUserChannel: (gymId: string, userId: string) => `feed:${gymId}:user:${userId}`,
  /** Socket.IO channel: sockets watching a gym's leaderboards (`gym:leaderboard { watch: true }`) for `board:changed`. */
  boardChannel: (gymId: string) => `board:${gymId}`,
  /** Socket.IO channel: sockets watching a gym's sales pipeline (`gym:leads { watch: true }`) for `leads:changed`. */
  leadsChannel: (gymId: string) => `leads:${gymId}`,
  /** Socket.IO channel: sockets watching a gym's owner report (`gym:ownerReport { watch: true }`) for `report:changed`. */
  reportChannel: (gymId: string) => `report:${gymId}`,
  /** Socket.IO Redis adapter key prefix. */
  ioAdapter: "spotter#io",
  /** Redis: the lease of a room's owner (value: node id). */
  lease: (room: RoomId) => `spotter:lease:${room}`,
  /** Redis: who last gave a room's lease up, for a while after (value: node id; see `RoomDirectory.claim`). */
  handoff: (room: RoomId) => `spotter:handoff:${room}`,
  /** Redis pub/sub: requests to one node. */
  nodeRequests: (node: string) => `spotter:node:${node}:requests`,
  /** Redis pub/sub: replies to one node. */
  nodeReplies: (node: string) => `spotter:node:${node}:replies`,
  /** Redis pub/sub: members' standings changed (every node drops its resident copies of them). */
  standingNotes: "spotter:standings",
  /** Redis pub/sub: each node's room channels that have watchers there (see `WatchPresence`). */
  watchPresence: "spotter:watching",
  /** Redis: a token bucket of a rate limit (`scope` e.g. "user", `key` e.g. the user id). */
  rateLimit: (scope: string, key: string) => `spotter:rate:${scope}:${key}`,
  /** Redis: open connections under one key (e.g. a user id), a hash of count per live server process. */
  connections: (scope: string, key: string) => `spotter:conn:${scope}:${key}`,
  /** Redis: present while a server process is alive (its connection counts are dropped once it expires). */
  processAlive: (instance: string) => `spotter:alive:${instance}`,
} as const;
