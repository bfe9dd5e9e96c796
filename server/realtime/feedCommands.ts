import { AdminRoles } from "../../domain/roles.js";
import type { MikroORM } from "@mikro-orm/core";
import { decodeCursor } from "../../domain/feed/cursor.js";
import type { Visibility } from "../../domain/feed/events.js";
import type { ReactionKind, ReportTarget } from "../../domain/feed/social.js";
import { DomainError } from "../../domain/errors.js";
import { answer, invalidPayload, refuse } from "../../domain/protocol/acks.js";
import { parseRoomId } from "../../domain/protocol/envelope.js";
import { FeedCommandSchemas, type FeedCommandType } from "../../domain/protocol/feed.js";
import { keys } from "../../rooms/keys.js";
import { UserEntity } from "../db/entities/index.js";
import {
  addComment,
  feedPage,
  listComments,
  setBlock,
  setDefaultVisibility,
  setFollow,
  toggleReaction,
} from "../persistence/feedSocialStore.js";
import { openModerationItems, report, resolveModerationItem } from "../persistence/feedModeration.js";
import type { AccessControl } from "./access.js";
import type { ReadAudit } from "../audit/readAudit.js";
import type { QueryHandler, QueryHandlers, SocketChannels } from "./queryHandler.js";

export interface FeedCommandDeps {
  orm: MikroORM;
  access: AccessControl;
  now: () => number;
  /** The moderation queue (several members' content and names) is an audited staff read. */
  readAudit: ReadAudit;
}

interface GymCtx<T> {
  commandId: string | null;
  userId: string;
  gymId: string;
  payload: T;
  channels: SocketChannels | undefined;
}

const BadCursor = new DomainError("VALIDATION_FAILED", "That page link is not valid — reload the feed.", { fields: { cursor: "Not a cursor" } });

/**
 * The feed's requests (`domain/protocol/feed.ts`): validated by zod, authorized like the gym room (members and staff
 * of the room's gym; cancelled memberships FORBIDDEN; another gym NOT_FOUND), answered from the database.
 */
export function createFeedCommands(d: FeedCommandDeps): QueryHandlers {
  const em = () => d.orm.em.fork();

  const inGym =
    <T>(type: FeedCommandType, roles: "members" | "staff" | readonly string[], run: (ctx: GymCtx<T>) => Promise<unknown>): QueryHandler =>
    async ({ userId: subject, room, payload, channels, commandId }) => {
      // Access matches the token's subject case-insensitively; channels, blocks and `canSee` compare stored (lower-case) ids.
      const userId = subject.toLowerCase();
      const parsed = FeedCommandSchemas[type].safeParse(payload ?? {});
      if (!parsed.success) return invalidPayload(parsed.error.issues);
      const { kind, id } = parseRoomId(room);
      if (kind !== "gym") return refuse("NOT_FOUND");
      const access = await d.access.check(userId, room);
      if (!access.ok) return refuse(access.code, access.message);
      if (roles !== "members" && access.audience !== "staff") return refuse("FORBIDDEN");
      if (Array.isArray(roles) && !roles.includes(access.caller.membership?.role ?? "")) return refuse("FORBIDDEN");
      return answer(await run({ userId, gymId: id, payload: parsed.data as T, channels, commandId: commandId ?? null }));
    };

  const page = async (gymId: string, userId: string, cursorText: string | undefined) => {
    const cursor = cursorText === undefined ? null : decodeCursor(cursorText);
    if (cursorText !== undefined && !cursor) return BadCursor;
    return feedPage(em(), gymId, userId, cursor);
  };

  return {
    "feed:watch": inGym("feed:watch", "members", async ({ userId, gymId, channels }) => {
      // Subscribe before reading: an event committed in between arrives live (and may also be on the page; clients de-duplicate by id).
      channels?.join(keys.feedChannel(gymId));
      channels?.join(keys.feedUserChannel(gymId, userId));
      return page(gymId, userId, undefined);
    }),
    "feed:unwatch": inGym("feed:unwatch", "members", async ({ userId, gymId, channels }) => {
      channels?.leave(keys.feedChannel(gymId));
      channels?.leave(keys.feedUserChannel(gymId, userId));
      return { watching: false };
    }),
    "feed:page": inGym<{ cursor?: string }>("feed:page", "members", ({ userId, gymId, payload }) => page(gymId, userId, payload.cursor)),
    "feed:react": inGym<{ eventId: string; kind: ReactionKind }>("feed:react", "members", ({ userId, gymId, payload }) =>
      toggleReaction(em(), gymId, userId, payload.eventId, payload.kind, d.now()),
    ),
    "feed:comment": inGym<{ eventId: string; body: string }>("feed:comment", "members", ({ userId, gymId, payload }) =>
      addComment(em(), gymId, userId, payload.eventId, payload.body, d.now()),
    ),
    "feed:comments": inGym<{ eventId: string; cursor?: string }>("feed:comments", "members", ({ userId, gymId, payload }) =>
      listComments(em(), gymId, userId, payload.eventId, payload.cursor),
    ),
    "feed:report": inGym<{ target: ReportTarget; id: string; reason: string }>("feed:report", "members", ({ userId, gymId, payload }) =>
      report(em(), gymId, userId, payload.target, payload.id, payload.reason, d.now()),
    ),
    "feed:follow": inGym<{ memberId: string; follow: boolean }>("feed:follow", "members", ({ userId, gymId, payload }) =>
      setFollow(em(), gymId, userId, payload.memberId, payload.follow, d.now()),
    ),
    "feed:block": inGym<{ memberId: string; block: boolean }>("feed:block", "members", ({ userId, gymId, payload }) =>
      setBlock(em(), gymId, userId, payload.memberId, payload.block, d.now()),
    ),
    "gym:moderationItems": inGym("gym:moderationItems", "staff", async ({ userId, gymId, commandId }) => {
      const queue = await openModerationItems(em(), gymId, userId);
      await d.readAudit.record({ gymId, actorId: userId, action: "gym:moderationItems", entityType: "moderation_queue", entityId: null, summary: { items: queue.items.length }, commandId, at: d.now() });
      return queue;
    }),
    "gym:resolveModerationItem": inGym<{ itemId: string }>("gym:resolveModerationItem", AdminRoles, ({ userId, gymId, payload, commandId }) =>
      resolveModerationItem(d.orm, gymId, payload.itemId, { actorId: userId, commandId, at: d.now() }),
    ),
    "feed:setDefaultVisibility": async ({ userId, room, payload }) => {
      const parsed = FeedCommandSchemas["feed:setDefaultVisibility"].safeParse(payload ?? {});
      if (!parsed.success) return refuse("VALIDATION_FAILED", undefined, { fields: { visibility: "One of public, followers, gym, private" } });
      if (room !== `user:${userId}`) return refuse("NOT_FOUND");
      const e = em();
      if (!(await e.count(UserEntity, { id: userId }))) return refuse("NOT_FOUND");
      return { ok: true, result: await setDefaultVisibility(e, userId, parsed.data.visibility as Visibility, d.now()) };
    },
  };
}
