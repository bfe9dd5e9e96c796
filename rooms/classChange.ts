/** What a class room commits: its state events, and the inbox entries (notices) its decisions wrote with them. */
import type { ClassStateEvent } from "../domain/class/index.js";
import type { InboxNotice } from "../domain/notices/inbox.js";

/** What a class commit stores: the class's state events, and the inbox entries its notifications became. */
export type ClassChange = ClassStateEvent | NoticeCreated;
/** A notice for one person, stored in the commit of the event that caused it. */
export interface NoticeCreated {
  type: "notice.created";
  notice: InboxNotice;
}
/** The state events among a commit's changes. */
export const stateEvents = (changes: readonly ClassChange[]): ClassStateEvent[] =>
  changes.filter((c): c is ClassStateEvent => c.type !== "notice.created");
/** The notices among a commit's changes. */
export const storedNotices = (changes: readonly ClassChange[]): InboxNotice[] =>
  changes.flatMap((c) => (c.type === "notice.created" ? [c.notice] : []));
