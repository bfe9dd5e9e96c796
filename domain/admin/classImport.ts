/**
 * Importing classes from a CSV file (issue 18, docs/domain.md "Importing classes (history)"): which column is which
 * (Mindbody, Glofox and PushPress names, or the owner's mapping) and each row read in words — its class type (a new one
 * when the gym has none of that name), date and start time in the gym's time zone, location and room by name,
 * duration and spots. Pure: the gym's class types, locations and rooms arrive as plain values.
 */
import {
  cellReader,
  ClassTimeColumns,
  hasControl,
  importDate,
  importTime,
  missingColumn,
  suggestColumns,
  type ColumnMapping,
  type RowError,
} from "./importColumns.js";

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
  const get = cellReader(mapping, headers);
  const key = (s: string) => s.trim().toLowerCase();
  const types = new Map(place.classTypes.map((t) => [key(t.name), t]));
  const locations = new Map(place.locations.map((l) => [key(l.name), l]));
  const rooms = new Map(place.rooms.map((r) => [`${r.locationId}|${key(r.name)}`, r]));
  const rows: ClassRow[] = [];
  const errors: RowError<ClassField>[] = [];
  records.forEach((record, i) => {
    const line = i + 2;
    const problems: RowError<ClassField>[] = [];
    const fail = (field: ClassField | "row", message: string) => problems.push({ line, field, message });
    if (record.some(hasControl)) fail("row", "Holds control characters — save the file again as plain CSV (UTF-8).");
    const typeText = get(record, "classType");
    if (!typeText) fail("classType", "No class name.");
    else if (typeText.length > NAME_MAX) fail("classType", `The class name is longer than ${NAME_MAX} characters.`);
    const dateText = get(record, "date");
    const date = importDate(dateText);
    if (date === null) fail("date", dateText ? `"${dateText}" is not a date — use YYYY-MM-DD, M/D/YYYY or D.M.YYYY.` : "No date.");
    const timeText = mapping.time === undefined ? dateText : get(record, "time");
    const time = importTime(timeText);
    if (time === null) fail("time", timeText ? `"${timeText}" is not a time of day — use 18:00 or 6:00 PM.` : "No start time.");
    const locationText = get(record, "location");
    const location = locations.get(key(locationText));
    if (!locationText) fail("location", "No location.");
    else if (!location) fail("location", `No location named "${locationText}" in this gym — add it on Settings first (or fix the name).`);
    const roomText = get(record, "room");
    const room = location && roomText ? rooms.get(`${location.id}|${key(roomText)}`) : undefined;
    if (location && roomText && !room)
      fail("room", `${location.name} has no room named "${roomText}" — add it first, or leave the room empty.`);
    const duration = whole(get(record, "duration"), DEFAULT_DURATION);
    if (duration === null || duration < 5 || duration > 24 * 60)
      fail("duration", `"${get(record, "duration")}" is not a duration — use whole minutes from 5 to 1440.`);
    const capacity = whole(get(record, "capacity"), DEFAULT_CAPACITY);
    if (capacity === null || capacity > 500) fail("capacity", `"${get(record, "capacity")}" is not a number of spots — use 0 to 500.`);
    if (problems.length > 0) {
      errors.push(...problems);
      return;
    }
    const type = types.get(key(typeText));
    rows.push({
      line,
      classTypeId: type?.id ?? null,
      classTypeName: type?.name ?? typeText,
      locationId: location!.id,
      roomId: room?.id ?? null,
      date: date!,
      time: time!,
      durationMinutes: duration!,
      capacity: capacity!,
    });
  });
  return { rows, errors };
}

/** A whole number ≥ 0 from a cell ("60", "60 min"); `fallback` for an empty cell; null when it is not one. */
function whole(text: string, fallback: number): number | null {
  if (text === "") return fallback;
  const m = /^(\d{1,5})(?:\s*(?:min|mins|minutes|spots))?$/i.exec(text);
  return m ? Number(m[1]) : null;
}
