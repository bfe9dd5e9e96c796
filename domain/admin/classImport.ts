/**
 * Importing classes from a CSV file (issue 18, docs/domain.md "Importing classes (history)"): which column is which
 * (Mindbody, Glofox and PushPress names, or the owner's mapping) and each row read in words — its class type (a new one
 * when the gym has none of that name), date and start time in the gym's time zone, location and room by name,
 * duration and spots. Pure: the gym's class types, locations and rooms arrive as plain values.
 */
import { ClassTimeColumns, missingColumn, suggestColumns, type ColumnMapping, type RowError } from "./importColumns.js";
import { nameKey, readClassTime, readRows } from "./importRows.js";

export const ClassFields = ["classType", "date", "time", "location", "room", "duration", "capacity"] as const;
export type ClassField = (typeof ClassFields)[number];
export type ClassMapping = ColumnMapping<ClassField>;

/** The most rows one classes file may hold (as `ImportLimits.classes` of `importClasses`). */
export const MAX_CLASS_ROWS = 5_000;
/** Without a duration column a class lasts this long; without a capacity column it has this many spots. */
export const DEFAULT_DURATION = 60;
export const DEFAULT_CAPACITY = 20;
const NAME_MAX = 80;

const KnownColumns: Record<string, ClassField> = {
  ...ClassTimeColumns,
  location: "location",
  locationname: "location",
  site: "location",
  sitename: "location",
  studio: "location",
  room: "room",
  roomname: "room",
  resource: "room",
  duration: "duration",
  durationminutes: "duration",
  length: "duration",
  minutes: "duration",
  capacity: "capacity",
  maxcapacity: "capacity",
  classcapacity: "capacity",
  spots: "capacity",
  size: "capacity",
};

/** @example suggestClassMapping(["Class Name", "Class Date", "Start Time", "Location"]) */
export const suggestClassMapping = (headers: readonly string[]): ClassMapping => suggestColumns(headers, KnownColumns);

export function classMappingProblem(mapping: ClassMapping, headers: readonly string[]): string | null {
  const missing = missingColumn(mapping, headers);
  if (missing) return missing;
  if (mapping.classType === undefined) return "Pick the column that holds the class's name (its class type).";
  if (mapping.date === undefined) return "Pick the column that holds the class's date (and time, or pick the time column too).";
  if (mapping.location === undefined) return "Pick the column that holds the class's location.";
  return null;
}

/** One class as the file describes it, read; `classTypeId` null: a class type this import adds. */
export interface ClassRow {
  line: number;
  classTypeId: string | null;
  classTypeName: string;
  locationId: string;
  roomId: string | null;
  date: string;
  time: string;
  durationMinutes: number;
  capacity: number;
}

export interface ClassImportPlace {
  classTypes: readonly { id: string; name: string }[];
  /** The gym's locations that are not archived. */
  locations: readonly { id: string; name: string }[];
  /** Their rooms that are not archived. */
  rooms: readonly { id: string; locationId: string; name: string }[];
}

/** Reads every data row (names matched without case); a row's every problem is said, with its line. */
export function readClassRows(
  records: readonly (readonly string[])[],
  headers: readonly string[],
  mapping: ClassMapping,
  place: ClassImportPlace,
): { rows: ClassRow[]; errors: RowError<ClassField>[] } {
  const types = new Map(place.classTypes.map((t) => [nameKey(t.name), t]));
  const locations = new Map(place.locations.map((l) => [nameKey(l.name), l]));
  const rooms = new Map(place.rooms.map((r) => [`${r.locationId}|${nameKey(r.name)}`, r]));
  return readRows(records, headers, mapping, (cells) => {
    const get = cells.get;
    const typeText = get("classType");
    if (!typeText) cells.fail("classType", "No class name.");
    else if (typeText.length > NAME_MAX) cells.fail("classType", `The class name is longer than ${NAME_MAX} characters.`);
    const { date, time } = readClassTime(cells);
    const locationText = get("location");
    const location = locations.get(nameKey(locationText));
    if (!locationText) cells.fail("location", "No location.");
    else if (!location)
      cells.fail("location", `No location named "${locationText}" in this gym — add it on Settings first (or fix the name).`);
    const roomText = get("room");
    const room = location && roomText ? rooms.get(`${location.id}|${nameKey(roomText)}`) : undefined;
    if (location && roomText && !room)
      cells.fail("room", `${location.name} has no room named "${roomText}" — add it first, or leave the room empty.`);
    const duration = whole(get("duration"), DEFAULT_DURATION);
    if (duration === null || duration < 5 || duration > 24 * 60)
      cells.fail("duration", `"${get("duration")}" is not a duration — use whole minutes from 5 to 1440.`);
    const capacity = whole(get("capacity"), DEFAULT_CAPACITY);
    if (capacity === null || capacity > 500) cells.fail("capacity", `"${get("capacity")}" is not a number of spots — use 0 to 500.`);
    return () => {
      const type = types.get(nameKey(typeText));
      return {
        line: cells.line,
        classTypeId: type?.id ?? null,
        classTypeName: type?.name ?? typeText,
        locationId: location!.id,
        roomId: room?.id ?? null,
        date: date!,
        time: time!,
        durationMinutes: duration!,
        capacity: capacity!,
      };
    };
  });
}

/** A whole number ≥ 0 from a cell ("60", "60 min"); `fallback` for an empty cell; null when it is not one. */
function whole(text: string, fallback: number): number | null {
  if (text === "") return fallback;
  const m = /^(\d{1,5})(?:\s*(?:min|mins|minutes|spots))?$/i.exec(text);
  return m ? Number(m[1]) : null;
}
