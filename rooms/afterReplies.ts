/**
 * Work nobody waits on, run once the answers of this turn are written (issue 15): a commit's answers are sent in
 * microtasks of the turn it lands in, and what is queued here (watchers' deltas, notes to other rooms, the outbox
 * apply, standings notes to other nodes, audit anchors) runs on the next turn — one `setImmediate` for all of it, in
 * the order it was queued. Work queued while the queue runs goes on the turn after. One that throws stops no other;
 * the first error is thrown again once all have run (as a throwing `setImmediate` callback would be).
 */
const queued: (() => void)[] = [];
let due = false;

export function afterReplies(fn: () => void): void {
  queued.push(fn);
  if (due) return;
  due = true;
  setImmediate(runQueued);
}

/** A promise that resolves on the next turn, after this turn's answers (for async work that starts with it). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => afterReplies(resolve));
}

function runQueued(): void {
  due = false;
  const fns = queued.splice(0);
  let failed: { err: unknown } | null = null;
  for (const fn of fns)
    try {
      fn();
    } catch (err) {
      failed ??= { err };
    }
  if (failed) throw failed.err;
}
