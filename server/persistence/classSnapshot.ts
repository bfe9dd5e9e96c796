import type { EntityManager, EntitySchema, MikroORM } from "@mikro-orm/core";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { arrayLiteral } from "../db/statementRows.js";
import { UuidSchema, type RoomId } from "../../domain/protocol/envelope.js";
import { Batcher } from "../../rooms/batcher.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  CheckInEntity,
  ClassSessionEntity,
  ClassTypeEntity,
  ClassWorkoutEntity,
  FeeEntity,
  GymEntity,
  LocationEntity,
  WaitlistEntryEntity,
  WorkoutResultEntity,
} from "../db/entities/index.js";
import { readRoomMark, roomMarkColumnsOf } from "./roomRecords.js";
import { plainRow, plainTuple, tupleColumns } from "./rowMapping.js";
import { PEOPLE_FROM, PERSON_COLUMNS, peopleOf, type PersonRow } from "./classMembers.js";
import { mapObjects } from "../../domain/shapes.js";

/** Rooms read together at most: a herd of 100 cold classes is a few statements, each a bounded row set. */
const MAX_BATCH = 25;

/** A session's rows of `entity`'s table, each an array of its columns (see `tupleColumns`), in `order`. */
const list = <T extends object>(em: EntityManager, entity: EntitySchema<T, never>, order: string) =>
  `(select coalesce(json_agg(json_build_array(${tupleColumns(em, entity)
    .map((c) => `x."${c}"`)
    .join(", ")}) order by ${order}), '[]'::json) from ${entity.meta.tableName} x where x.session_id = s.id)`;

/**
 * Everything a class room shows, with the room's version, audit head and answered commands, for MANY rooms in
 * ONE statement (one row per room, each part a JSON subquery): a cold room costs one round trip, shared with every
 * room that started loading meanwhile, and writes nothing; each room's version is the one its state was read at.
 * The rooms come as arrays, so the text is the same for any batch: it runs as a named prepared statement, planned
 * once per connection (planning this statement took PostgreSQL 0.5–1 ms of a cold join's ~1.5 ms there).
 * Parameters: since, rooms, session ids, whether each room also reads who its members are.
 */
const snapshotSql = (em: EntityManager, rooms: string, people: "asked" | "always" | "never") => `select r.room, row_to_json(s) as session,
            (select row_to_json(x) from gym x where x.id = s.gym_id) as gym,
            (select row_to_json(x) from class_type x where x.id = s.class_type_id) as type,
            (select row_to_json(x) from location x where x.id = s.location_id) as location,
            (select x.name from location_room x where x.id = s.room_id) as room_name,
            ${list(em, BookingEntity, "x.created_at, x.id")} as bookings,
            ${list(em, WaitlistEntryEntity, "x.created_at, x.id")} as waitlist,
            ${list(em, FeeEntity, "x.id")} as fees,
            ${list(em, CheckInEntity, "x.at, x.id")} as check_ins,
            ${list(em, AttendanceEventEntity, "x.id")} as attendance,
            (select row_to_json(x) from class_workout x where x.session_id = s.id) as workout,
            ${list(em, WorkoutResultEntity, "x.submitted_at, x.id")} as results,
            ${roomMarkColumnsOf("r.room")},
            -- Who the session's members are, for a room whose gym's members may not be in memory yet (asked per room).
            -- From the ids, one probe of the (gym, user) index each (offset 0 keeps the planner from flattening it: as a
            -- semi join over tables not yet analyzed it nested-looped every membership of the gym over the ids, 7 of 13 ms).
            ${
              people === "never"
                ? "null::json"
                : `${people === "asked" ? "case when r.people then " : ""}(select coalesce(json_agg(x), '[]'::json) from (select b.member_id from booking b where b.session_id = s.id
                 union select w.member_id from waitlist_entry w where w.session_id = s.id union select s.coach_id) ids(id)
               cross join lateral (select ${PERSON_COLUMNS} from ${PEOPLE_FROM} where m.gym_id = s.gym_id and m.user_id = ids.id offset 0) x)${people === "asked" ? " end" : ""}`
            }
               as people
       from ${rooms} as r(room, id, people) join class_session s on s.id = r.id`;

/**
 * The statement's texts, built once from the entities' columns: one room (the common cold join) with or without who
 * its members are, and a batch with the rooms as arrays. Each is prepared by name. One room's texts have no parameter
 * a custom plan could fold (whether to read the members is in the text), so after five custom plans PostgreSQL keeps
 * the generic one and stops planning them (0.5–1 ms each); a batch's arrays keep it on custom plans.
 */
const texts = new WeakMap<object, Record<"one" | "onePeople" | "many", string>>();
const textsOf = (em: EntityManager) => {
  const metadata = em.getMetadata();
  let t = texts.get(metadata);
  if (!t) {
    const one = "(select ?::text, ?::uuid, null::boolean)";
    t = {
      one: snapshotSql(em, one, "never"),
      onePeople: snapshotSql(em, one, "always"),
      many: snapshotSql(em, "unnest(?::text[], ?::uuid[], ?::boolean[])", "asked"),
    };
    texts.set(metadata, t);
  }
  return t;
};

async function readSnapshots(
  em: EntityManager,
  rooms: { room: RoomId; sessionId: string; people: boolean }[],
  since: number,
): Promise<Map<RoomId, ClassSnapshot>> {
  const one = rooms.length === 1;
  const params = one
    ? [new Date(since), rooms[0]!.room, rooms[0]!.sessionId]
    : [
        new Date(since),
        arrayLiteral(rooms.map((r) => r.room)),
        arrayLiteral(rooms.map((r) => r.sessionId)),
        arrayLiteral(rooms.map((r) => r.people)),
      ];
  const kind = one ? (rooms[0]!.people ? "onePeople" : "one") : "many";
  const text = textsOf(em)[kind];
  const connection = em.getConnection() as AbstractSqlConnection;
  // On PostgreSQL's own driver, knex merges the options into pg's query config: a statement prepared once per
  // connection under this name (PGlite's connections are not pg clients: there it runs as MikroORM formats it).
  const rows =
    em.getDriver() instanceof PostgreSqlDriver
      ? (
          (await connection
            .getKnex()
            .raw(text, params)
            .options({ name: `spotter_class_snapshot_${kind}` })) as {
            rows: Record<string, unknown>[];
          }
        ).rows
      : await connection.execute<Record<string, unknown>[]>(text, params);
  return new Map(rows.map((row) => [row.room as RoomId, mapSnapshot(em, row)]));
}

function mapSnapshot(em: EntityManager, row: Record<string, unknown>) {
  const one = <T extends object>(entity: EntitySchema<T, never>, value: unknown): T | null => (value ? plainRow(em, entity, value) : null);
  // Object elements even when empty: the room's hot functions then see one array map (domain/shapes.ts).
  const many = <T extends object>(entity: EntitySchema<T, never>, value: unknown): T[] =>
    mapObjects(value as unknown[] | null, (x) => plainTuple(em, entity, x));
  const session = one(ClassSessionEntity, row.session)!;
  const gym = one(GymEntity, row.gym);
  if (!gym) throw new Error(`gym ${session.gymId} of session ${session.id} is missing`);
  return {
    session,
    mark: readRoomMark(em, row),
    gym,
    type: one(ClassTypeEntity, row.type),
    location: one(LocationEntity, row.location),
    roomName: typeof row.room_name === "string" ? row.room_name : null,
    bookings: many(BookingEntity, row.bookings),
    waitlist: many(WaitlistEntryEntity, row.waitlist),
    fees: many(FeeEntity, row.fees),
    checkIns: many(CheckInEntity, row.check_ins),
    attendance: many(AttendanceEventEntity, row.attendance),
    workout: one(ClassWorkoutEntity, row.workout),
    results: many(WorkoutResultEntity, row.results),
    /** Who the members are, when asked for (null otherwise). */
    people: row.people == null ? null : peopleOf(row.people as PersonRow[]),
  };
}

export type ClassSnapshot = ReturnType<typeof mapSnapshot>;

/**
 * Opens `connections` pool connections at once and has each prepare the snapshot statements (no such session, so no
 * rows): a node's first cold room otherwise opened a connection and loaded the catalog of a dozen tables into a
 * fresh backend inside its first join. Each one-room text runs past its five custom plans, so the first cold rooms
 * already get the generic plan. A node does this before it serves.
 */
export async function warmSnapshotReads(orm: MikroORM, connections: number): Promise<void> {
  const nobody = "00000000-0000-0000-0000-000000000000";
  const room: RoomId = `class:${nobody}`;
  for (let round = 0; round < 12; round++)
    await Promise.all(
      Array.from({ length: connections }, () => readSnapshots(orm.em.fork(), [{ room, sessionId: nobody, people: round % 2 === 0 }], 0)),
    );
}

/**
 * Loads class snapshots in batches: the first room reads at once; rooms that start loading while it runs are read
 * together in the next statement (a herd of first commands to 100 cold classes hydrates them concurrently, not one
 * after another). Null: no such session.
 */
export function classSnapshots(
  orm: MikroORM,
  since: () => number,
): (room: RoomId, sessionId: string, withPeople?: boolean) => Promise<ClassSnapshot | null> {
  /** Rooms whose next read also brings who their members are. */
  const withPeople = new Set<RoomId>();
  const batcher = new Batcher<RoomId, ClassSnapshot>(async (rooms) => {
    // Only UUIDs can name a session (anything else must not reach PostgreSQL as a uuid and fail the whole batch).
    const valid = rooms
      .map((room) => ({ room, sessionId: room.slice("class:".length), people: withPeople.delete(room) }))
      .filter((r) => UuidSchema.safeParse(r.sessionId).success);
    return valid.length === 0 ? new Map<RoomId, ClassSnapshot>() : readSnapshots(orm.em.fork(), valid, since());
  }, MAX_BATCH);
  return async (room, sessionId, people = false) => {
    if (room !== `class:${sessionId}`) throw new Error(`room ${room} is not class:${sessionId}`);
    if (people) withPeople.add(room);
    return (await batcher.load(room)) ?? null;
  };
}
