import type { Server as IoServer } from "socket.io";
import type { FeedSink, OpenFeedAudience } from "../../app/feed/liveFeed.js";
import { newCard } from "../../domain/views/feedCard.js";
import type { FeedEvent } from "../../domain/feed/events.js";
import { keys } from "../../rooms/keys.js";
import type { Logger } from "../logger.js";

/**
 * Live delivery of committed feed events as `feed:posted` frames, filtered per viewer on the server: the actor's own
 * sockets get the card with its visibility; `gym`/`public` go to the gym's feed watchers except every member blocked
 * either way with the actor and every watcher whose access to the gym ended since `feed:watch` (a cancelled
 * membership, inactive staff); `followers` go to the actor's followers' channels only (minus those); `private` to
 * nobody else. The Redis adapter carries the emit to watchers on every node; an excluded socket is never sent the frame.
 */
export function createFeedDelivery(io: IoServer, audience: OpenFeedAudience, log: Logger): FeedSink {
  const deliver = async (events: FeedEvent[]) => {
    const reader = audience();
    const names = await reader.names([...new Set(events.map((e) => e.actorId))]);
    const revoked = new Map<string, string[]>();
    const revokedIn = async (gymId: string) => {
      let ids = revoked.get(gymId);
      if (!ids) {
        // The same rule as AccessControl.check: such members were FORBIDDEN to watch, and must stop hearing what they watched.
        ids = await reader.revokedIn(gymId);
        revoked.set(gymId, ids);
      }
      return ids;
    };
    for (const e of events) {
      const name = names.get(e.actorId) ?? "";
      const own = keys.feedUserChannel(e.gymId, e.actorId);
      io.to(own).emit("feed:posted", { gymId: e.gymId, card: newCard(e, name, e.visibility) });
      if (e.visibility === "private") continue;
      const post = { gymId: e.gymId, card: newCard(e, name, null) };
      const blocked = await reader.blockedWith(e.actorId);
      const gone = await revokedIn(e.gymId);
      const hidden = [own, ...[...blocked, ...gone].map((b) => keys.feedUserChannel(e.gymId, b))];
      if (e.visibility === "followers") {
        const followers = (await reader.followersOf(e.actorId)).filter((f) => !blocked.includes(f) && !gone.includes(f));
        if (followers.length)
          io.to(followers.map((f) => keys.feedUserChannel(e.gymId, f)))
            .except(hidden)
            .emit("feed:posted", post);
      } else {
        io.to(keys.feedChannel(e.gymId)).except(hidden).emit("feed:posted", post);
      }
    }
  };
  return (events) => {
    deliver(events).catch((err: unknown) => log.error({ err, events: events.map((e) => e.id) }, "feed delivery failed"));
  };
}
