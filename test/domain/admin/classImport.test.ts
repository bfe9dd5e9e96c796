import { describe, expect, it } from "vitest";
import { classMappingProblem, readClassRows, suggestClassMapping } from "../../../domain/admin/classImport.js";

const place = {
  classTypes: [{ id: "t1", name: "Strength" }],
  locations: [{ id: "l1", name: "Main floor" }],
  rooms: [{ id: "r1", locationId: "l1", name: "Loft" }],
};

describe("reading a classes file", () => {
  it("recognises Mindbody-, Glofox- and PushPress-style headers", () => {
    expect(suggestClassMapping(["Class Name", "Class Date", "Start Time", "Location", "Duration", "Max Capacity"])).toEqual({
      classType: "Class Name",
      date: "Class Date",
      time: "Start Time",
      location: "Location",
      duration: "Duration",
      capacity: "Max Capacity",
    });
    expect(suggestClassMapping(["Program", "Start", "Site", "Room"])).toEqual({
      classType: "Program",
      date: "Start",
      location: "Site",
      room: "Room",
    });
    expect(classMappingProblem({ classType: "Class", date: "Date" }, ["Class", "Date"])).toBe(
      "Pick the column that holds the class's location.",
    );
  });

  it("matches names without case, defaults duration and spots, and a new name is a new class type", () => {
    const headers = ["Class", "Start", "Location", "Room"];
    const { rows, errors } = readClassRows(
      [
        ["strength", "3/2/2026 6:00 PM", "main FLOOR", "loft"],
        ["Yoga Flow", "2026-03-03 07:15", "Main floor", ""],
      ],
      headers,
      suggestClassMapping(headers),
      place,
    );
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        classTypeId: "t1",
        classTypeName: "Strength",
        locationId: "l1",
        roomId: "r1",
        date: "2026-03-02",
        time: "18:00",
        durationMinutes: 60,
        capacity: 20,
      },
      {
        line: 3,
        classTypeId: null,
        classTypeName: "Yoga Flow",
        locationId: "l1",
        roomId: null,
        date: "2026-03-03",
        time: "07:15",
        durationMinutes: 60,
        capacity: 20,
      },
    ]);
  });

  it("says each problem of a row with its field", () => {
    const headers = ["Class", "Date", "Location", "Duration"];
    const { rows, errors } = readClassRows([["", "someday", "", "3"]], headers, suggestClassMapping(headers), place);
    expect(rows).toEqual([]);
    expect(errors.map((e) => [e.field, e.message])).toEqual([
      ["classType", "No class name."],
      ["date", '"someday" is not a date — use YYYY-MM-DD, M/D/YYYY or D.M.YYYY.'],
      ["time", '"someday" is not a time of day — use 18:00 or 6:00 PM.'],
      ["location", "No location."],
      ["duration", '"3" is not a duration — use whole minutes from 5 to 1440.'],
    ]);
  });
});
