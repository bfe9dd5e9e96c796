/** What a class room commits: its state events, and the inbox entries (notices) its decisions wrote with them. */
import type { ClassStateEvent } from "../domain/class/index.js";
import type { InboxNotice } from "../domain/notices/inbox.js";
import { objectList } from "../domain/shapes.js";

/** What a class commit stores: the class's state events, and the inbox entries its notifications became. */
export type ClassChange = ClassStateEvent | NoticeCreated;
/** A notice for one person, stored in the commit of the event that caused it. */
export interface NoticeCreated {
  type: "notice.created";
  notice: InboxNotice;
}
/** The state events among a commit's changes. */
export const stateEvents = (changes: readonly ClassChange[]): ClassStateEvent[] => {
  // Pushed into an object-elements list, not `filter`ed: an empty result keeps the same array map (domain/shapes.ts).
  const out = objectList<ClassStateEvent>();
  for (const c of changes) if (c.type !== "notice.created") out.push(c);
  return out;
};
/** The notices among a commit's changes. */
export const storedNotices = (changes: readonly ClassChange[]): InboxNotice[] =>
  changes.flatMap((c) => (c.type === "notice.created" ? [c.notice] : []));

/**
 * A decision's changes in commit order: refreshed standings, state events, then its notices. One object-elements list
 * (domain/shapes.ts): the spread of three arrays had a different array map whether TurboFan had inlined it or not.
 */
export function roomChanges(
  extra: readonly ClassStateEvent[],
  changes: readonly ClassStateEvent[],
  inbox: readonly InboxNotice[],
): ClassChange[] {
  const out = objectList<ClassChange>();
  for (const e of extra) out.push(e);
  for (const e of changes) out.push(e);
  for (const notice of inbox) out.push({ type: "notice.created", notice } satisfies NoticeCreated);
  return out;
}
