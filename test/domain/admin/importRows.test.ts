import { describe, expect, it } from "vitest";
import type { ColumnMapping } from "../../../domain/admin/importColumns.js";
import { readClassTime, readEmail, readRows } from "../../../domain/admin/importRows.js";

const headers = ["Email", "Date", "Note"];
// No time column: the time comes from the date's cell.
const mapping: ColumnMapping<"email" | "date" | "time"> = { email: "Email", date: "Date" };

describe("reading an import's rows", () => {
  it("numbers rows as a spreadsheet does and builds only the rows without a problem", () => {
    const built: number[] = [];
    const { rows, errors } = readRows(
      [
        ["ada@example.com", "2026-12-08 18:00", ""],
        ["not an email", "31.2.2026", ""],
        ["bo@example.com", "12/9/2026 6:00 PM", "fine\u0007"],
      ],
      headers,
      mapping,
      (cells) => {
        const email = readEmail(cells, "No email.");
        const { date, time } = readClassTime(cells);
        return () => {
          built.push(cells.line);
          return { line: cells.line, email, date, time };
        };
      },
    );
    expect(rows).toEqual([{ line: 2, email: "ada@example.com", date: "2026-12-08", time: "18:00" }]);
    expect(built).toEqual([2]);
    expect(errors).toEqual([
      { line: 3, field: "email", message: '"not an email" is not an email address.' },
      { line: 3, field: "date", message: '"31.2.2026" is not a date — use YYYY-MM-DD, M/D/YYYY or D.M.YYYY.' },
      { line: 3, field: "time", message: '"31.2.2026" is not a time of day — use 18:00 or 6:00 PM.' },
      { line: 4, field: "row", message: "Holds control characters — save the file again as plain CSV (UTF-8)." },
    ]);
  });
});
