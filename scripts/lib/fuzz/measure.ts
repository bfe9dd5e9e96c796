/** What a fuzz run measures on the server: row counts and digests of what commands write, and this process's memory. */
import v8 from "node:v8";
import vm from "node:vm";
import type { MikroORM } from "@mikro-orm/core";

/** Row counts of everything a command could write, plus a digest of the rows commands update in place. */
export async function rowFingerprint(orm: MikroORM): Promise<Record<string, string>> {
  const counted = [
    "booking",
    "waitlist_entry",
    "check_in",
    "class_session",
    "fee",
    "attendance_event",
    "calendar_feed",
    "class_type",
    "recurring_schedule",
    "class_workout",
    "workout_result",
    "consent",
    "deletion_request",
    "legal_hold",
    "workout_log",
    "workout_exercise",
    "workout_set",
    "personal_best",
    "member_progress",
    "challenge",
    "challenge_participant",
    "challenge_submission",
    "feed_event",
    "feed_setting",
    "feed_follow",
    "feed_block",
    "feed_reaction",
    "feed_comment",
    "moderation_item",
    "membership_plan",
    "plan_assignment",
    "credit_ledger",
    "member_charge",
  ];
  const digested = ["booking", "waitlist_entry", "class_session", "gym_membership", "app_user"];
  const sql = `select ${[
    ...counted.map((t) => `(select count(*) from ${t})::text as "${t}"`),
    ...digested.map((t) => `(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from ${t} x) as "${t} rows"`),
  ].join(", ")}`;
  const [row] = await orm.em.fork().getConnection().execute<Record<string, string>[]>(sql);
  return row!;
}

function collectGarbage(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed();
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

/** Heap after a full collection, and RSS, in MB (this process: run the server in-process to measure it). */
export function memoryMb(): { heapUsed: number; rss: number } {
  collectGarbage();
  const m = process.memoryUsage();
  return { heapUsed: Math.round(m.heapUsed / 1_048_576), rss: Math.round(m.rss / 1_048_576) };
}
