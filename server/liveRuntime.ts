/**
 * The composition root's live half: what a commit tells sockets. Persistence reports committed feed events, board
 * changes (with them, visits the owner's report hears of) and pipeline changes through the ports of `app/` (`app/feed/liveFeed.ts`, `app/training/boardChanges.ts`);
 * here they are attached to the socket side (`server/realtime/feedDelivery.ts`, `server/realtime/boardChanges.ts`).
 */
import type { MikroORM } from "@mikro-orm/core";
import type { Server as IoServer } from "socket.io";
import { keys } from "../rooms/keys.js";
import type { Logger } from "./logger.js";
import { BoardCache } from "./persistence/boardCache.js";
import { attachBoardSink } from "./persistence/boardSink.js";
import { feedAudience } from "./persistence/feedAudience.js";
import { installFeedDelivery } from "./persistence/feedStore.js";
import { attachLeadSink } from "./persistence/leadSink.js";
import { installBoardChanges } from "./realtime/boardChanges.js";
import { createFeedDelivery } from "./realtime/feedDelivery.js";
import { reportChanges } from "./realtime/reportChanges.js";

/** Installs live feed, board and pipeline delivery for `orm`; returns the function that stops it. */
export function installLiveDelivery(d: { io: IoServer; orm: MikroORM; log: Logger; now: () => number; clustered: boolean }): () => void {
  const { io, orm } = d;
  installFeedDelivery(orm, createFeedDelivery(io, feedAudience(orm), d.log));
  const cache = new BoardCache(d.now);
  // A committed visit changes the attendance board and, with it, who is at risk on the owner's report.
  const reports = reportChanges(io);
  const stopBoardChanges = installBoardChanges(io, {
    cache,
    attach: (notify) =>
      attachBoardSink(orm, {
        cache,
        notify: (change) => {
          notify(change);
          if (change.boards.includes("attendance")) reports.visit(change.gymId);
        },
      }),
    clustered: d.clustered,
  });
  // One node emits to the channel; the adapter reaches the pipeline's watchers on every node.
  const stopLeadSink = attachLeadSink(orm, (gymId) => void io.to(keys.leadsChannel(gymId)).emit("leads:changed", { gymId }));
  return () => {
    stopBoardChanges();
    stopLeadSink();
    reports.stop();
  };
}
