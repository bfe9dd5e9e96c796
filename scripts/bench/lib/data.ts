/**
 * The bench database: created fresh, migrated with `npm run migrate`'s own code, and filled by the
 * harness with plain multi-row INSERTs (fixed-seed ids), so each scenario starts from known data.
 */
import { DefaultGymPolicy } from "../../../domain/policy.js";
import { policyFields } from "../../../domain/schedule/generateSessions.js";
import { runToExit, serverEnv } from "../../lib/serverProcess.js";
import { pool, type Pool, type Queryable } from "./pg.js";
import type { Rng } from "./seeded.js";

/** A bench database of its own: `pool` to use, `drop()` to remove it at the end. */
export interface BenchDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/** Creates the database named in `url` afresh (dropping a leftover of that name) and applies every migration. */
export async function freshDatabase(url: string): Promise<BenchDatabase> {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bench database name must be a plain identifier: ${name}`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const run = async (sql: string) => {
    const db = pool(admin.toString(), 1);
    try {
      await db.query(sql);
    } finally {
      await db.end();
    }
  };
  await run(`drop database if exists ${name} with (force)`);
  await run(`create database ${name}`);
  const migrate = await runToExit(
    [process.execPath, "--import", "tsx", "server/cli/migrate.ts"],
    serverEnv({ DATABASE_URL: url }),
    120_000,
  );
  if (migrate.code !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
  const db = pool(url, 4);
  return {
    url,
    pool: db,
    drop: async () => {
      await db.end();
      await run(`drop database if exists ${name} with (force)`);
    },
  };
}

/** `base` with a suffix, so concurrent harnesses (or a harness and a diagnosis) never share a database. */
export function benchDatabaseUrl(base: string, suffix: string): string {
  const url = new URL(base);
  url.pathname = `/${url.pathname.slice(1)}_${suffix}`;
  return url.toString();
}

/** Inserts rows in chunks of 1,000 with one statement per chunk. */
export async function insertRows(db: Queryable, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let at = 0; at < rows.length; at += 1_000) {
    const chunk = rows.slice(at, at + 1_000);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => `(${row.map((v) => (values.push(v), `$${values.length}`)).join(",")})`);
    await db.query(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(",")}) values ${tuples.join(",")}`, values);
  }
}

export interface GymSeed {
  gymId: string;
  locationId: string;
  classTypeId: string;
  deskId: string;
  /** Active members on an unlimited plan, in creation order. */
  members: string[];
}

const policy = { ...DefaultGymPolicy, waitlistLimit: 1_000 };

/** A gym with a front-desk user and `members` active members (unlimited plan). Invisible members keep public deltas small. */
export async function seedGym(db: Queryable, rng: Rng, tag: string, members: number, visible = true): Promise<GymSeed> {
  const gymId = rng.uuid();
  const locationId = rng.uuid();
  const classTypeId = rng.uuid();
  const planId = rng.uuid();
  const now = new Date();
  await db.query(`insert into gym (id, name, time_zone, policy) values ($1, $2, 'Europe/Berlin', $3)`, [
    gymId,
    `Bench ${tag}`,
    JSON.stringify(policy),
  ]);
  await db.query(`insert into location (id, gym_id, name) values ($1, $2, 'Main floor')`, [locationId, gymId]);
  await db.query(
    `insert into class_type (id, gym_id, name, description, color, promotion_mode) values ($1, $2, 'Strength', '', '#e4572e', null)`,
    [classTypeId, gymId],
  );
  await db.query(
    `insert into membership_plan (id, gym_id, name, entitlement, weekly_target, price_cents) values ($1, $2, 'Unlimited', '{"kind":"unlimited"}', 3, 9900)`,
    [planId, gymId],
  );
  const deskId = rng.uuid();
  const users: unknown[][] = [[deskId, `desk-${tag}@bench.spotter`, "Front Desk", null, true]];
  const memberships: unknown[][] = [[rng.uuid(), gymId, deskId, "front_desk", "active", null, null, null, "", now]];
  const ids: string[] = [];
  for (let i = 0; i < members; i++) {
    const id = rng.uuid();
    ids.push(id);
    users.push([id, `m${i}-${tag}@bench.spotter`, `Member${i} Bench`, null, visible]);
    memberships.push([rng.uuid(), gymId, id, "member", "active", planId, null, null, "", now]);
  }
  await insertRows(db, "app_user", ["id", "email", "name", "phone", "visible"], users);
  await insertRows(
    db,
    "gym_membership",
    ["id", "gym_id", "user_id", "role", "status", "plan_id", "credits", "credits_expire_at", "notes", "joined_at"],
    memberships,
  );
  return { gymId, locationId, classTypeId, deskId, members: ids };
}

/** `count` scheduled sessions starting `startsInMinutes` from now, with the gym's default policy. */
export async function seedSessions(
  db: Queryable,
  rng: Rng,
  gym: GymSeed,
  count: number,
  capacity: number,
  startsInMinutes: number,
  /** The instant (wall clock, ms) `startsInMinutes` counts from. */
  from = Date.now(),
): Promise<string[]> {
  const f = policyFields(policy);
  const startsAt = new Date(from + startsInMinutes * 60_000);
  const endsAt = new Date(startsAt.getTime() + 3_600_000);
  const ids = Array.from({ length: count }, () => rng.uuid());
  await insertRows(
    db,
    "class_session",
    [
      "id",
      "gym_id",
      "location_id",
      "class_type_id",
      "coach_id",
      "schedule_id",
      "starts_at",
      "ends_at",
      "capacity",
      "status",
      "cancel_reason",
      "promotion_mode",
      "booking_opens_minutes",
      "booking_closes_minutes",
      "late_cancel_minutes",
      "auto_promote_cutoff_minutes",
      "check_in_opens_minutes",
      "check_in_closes_minutes",
      "waitlist_limit",
      "offer_claim_minutes",
    ],
    ids.map((id) => [
      id,
      gym.gymId,
      gym.locationId,
      gym.classTypeId,
      null,
      null,
      startsAt,
      endsAt,
      capacity,
      "scheduled",
      null,
      f.promotionMode,
      f.bookingOpensMinutes,
      f.bookingClosesMinutes,
      f.lateCancelMinutes,
      f.autoPromoteCutoffMinutes,
      f.checkInOpensMinutes,
      f.checkInClosesMinutes,
      f.waitlistLimit,
      f.offerClaimMinutes,
    ]),
  );
  return ids;
}

/** Live bookings for `memberIds` in a session (created one millisecond apart, in order). */
export async function seedBookings(db: Queryable, rng: Rng, gymId: string, sessionId: string, memberIds: string[]): Promise<void> {
  const t0 = Date.now() - 60_000;
  await insertRows(
    db,
    "booking",
    ["id", "gym_id", "session_id", "member_id", "status", "created_at", "updated_at", "credit_used", "promoted_from_waitlist"],
    memberIds.map((m, i) => [rng.uuid(), gymId, sessionId, m, "booked", new Date(t0 + i), new Date(t0 + i), false, false]),
  );
}

/** Waiting waitlist entries at positions 1..n in `memberIds` order. */
export async function seedWaitlist(db: Queryable, rng: Rng, gymId: string, sessionId: string, memberIds: string[]): Promise<void> {
  const t0 = Date.now() - 30_000;
  await insertRows(
    db,
    "waitlist_entry",
    ["id", "gym_id", "session_id", "member_id", "position", "status", "created_at", "updated_at", "offer_expires_at", "reason"],
    memberIds.map((m, i) => [rng.uuid(), gymId, sessionId, m, i + 1, "waiting", new Date(t0 + i), new Date(t0 + i), null, null]),
  );
}

/** The suite's cold rooms ("8 cold room"): a gym of 250 members and `rooms` sessions tomorrow, 200 booked and 50 waitlisted on each. */
export async function seedColdRooms(db: Queryable, rng: Rng, tag: string, rooms: number): Promise<{ gym: GymSeed; sessions: string[] }> {
  const gym = await seedGym(db, rng, tag, 250);
  const sessions = await seedSessions(db, rng, gym, rooms, 200, 24 * 60);
  for (const s of sessions) {
    await seedBookings(db, rng, gym.gymId, s, gym.members.slice(0, 200));
    await seedWaitlist(db, rng, gym.gymId, s, gym.members.slice(200));
  }
  return { gym, sessions };
}

/** The suite's promotions ("4 waitlist promotion"): one session tomorrow, 20 booked, and `waiting` members waitlisted. */
export async function seedWaitlistedClass(
  db: Queryable,
  rng: Rng,
  tag: string,
  waiting: number,
): Promise<{ gym: GymSeed; sessionId: string; waiters: string[] }> {
  const gym = await seedGym(db, rng, tag, 20 + waiting);
  const [sessionId] = await seedSessions(db, rng, gym, 1, 20, 24 * 60);
  await seedBookings(db, rng, gym.gymId, sessionId!, gym.members.slice(0, 20));
  const waiters = gym.members.slice(20);
  await seedWaitlist(db, rng, gym.gymId, sessionId!, waiters);
  return { gym, sessionId: sessionId!, waiters };
}

/** The suite's desk ("5 desk check-in"): `members` members booked on 5 sessions starting in 10 minutes, a fifth on each. */
export async function seedDeskGym(db: Queryable, rng: Rng, tag: string, members: number): Promise<{ gym: GymSeed; sessions: string[] }> {
  const gym = await seedGym(db, rng, tag, members);
  const sessions = await seedSessions(db, rng, gym, 5, Math.ceil(members / 5), 10);
  for (let i = 0; i < 5; i++)
    await seedBookings(
      db,
      rng,
      gym.gymId,
      sessions[i]!,
      gym.members.filter((_, j) => j % 5 === i),
    );
  return { gym, sessions };
}
