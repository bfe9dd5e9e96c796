/**
 * A commit statement's rows travel as one array literal per column (`unnest`), so the statement's text is the same
 * whatever the batch size and PostgreSQL prepares it once per connection. The literal must read back exactly: any
 * string (quotes, backslashes, braces, commas, the word NULL), nulls, instants, JSON, numbers and booleans.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../../server/db/orm.js";
import { arrayLiteral, unnestRows } from "../../../server/db/statementRows.js";
import { createTestDatabase, requirePostgres, type TestDatabase } from "../../support/services.js";

const pg = await requirePostgres();

describe("array literals of a commit statement's rows", () => {
  it("quotes every element and escapes quotes and backslashes", () => {
    expect(arrayLiteral(["a", null, 'say "hi"', "back\\slash", undefined])).toBe('{"a",NULL,"say \\"hi\\"","back\\\\slash",NULL}');
    expect(arrayLiteral([])).toBe("{}");
    expect(arrayLiteral([1, true, false, new Date(0)])).toBe('{"1","t","f","1970-01-01T00:00:00.000Z"}');
  });

  it("writes a repeated element as its first occurrence (the same text as quoting each one alone)", () => {
    const at = new Date("2026-12-07T08:00:00.000Z");
    const values = [
      undefined,
      null,
      "r",
      "r",
      'q"',
      'q"',
      at,
      new Date(at.getTime()),
      new Date(at.getTime() + 1),
      "r",
      0,
      -0,
      7,
      7,
      NaN,
      NaN,
    ];
    expect(arrayLiteral(values)).toBe(`{${values.map((v) => arrayLiteral([v]).slice(1, -1)).join(",")}}`);
    expect(arrayLiteral(values)).toBe(
      '{NULL,NULL,"r","r","q\\"","q\\"","2026-12-07T08:00:00.000Z","2026-12-07T08:00:00.000Z","2026-12-07T08:00:00.001Z","r","0","0","7","7","NaN","NaN"}',
    );
  });

  it("writes one parameter per column, whatever the number of rows", () => {
    const one = unnestRows(["uuid", "int"], [["x", 1]]);
    const three = unnestRows(
      ["uuid", "int"],
      [
        ["x", 1],
        ["y", 2],
        ["z", 3],
      ],
    );
    expect(one.sql).toBe(three.sql);
    expect(three.params).toEqual(['{"x","y","z"}', '{"1","2","3"}']);
  });
});

describe.skipIf(!pg.ok)("array literals read back by PostgreSQL", () => {
  let made: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    made = await createTestDatabase(pg.url!);
    db = await openDatabase({ kind: "postgres", url: made.url }, 1);
  });

  afterAll(async () => {
    await db?.close();
    await made?.drop();
  });

  it("reads every awkward string, null, instant, number, boolean and JSON back as itself", async () => {
    const texts = [
      "plain",
      'a "quoted" word',
      "back\\slash\\",
      "{braces}",
      "a,comma",
      "NULL",
      "",
      " spaced ",
      "ünïcödé ✓",
      "new\nline",
      null,
    ];
    const at = new Date("2026-12-06T12:34:56.789Z");
    const json = { before: null, after: { memberId: "m", note: 'he said "x" \\ y' } };
    const rows = unnestRows(
      ["varchar", "timestamptz", "int", "boolean", "jsonb"],
      texts.map((t, i) => [t, i % 2 ? at : null, i, i % 3 === 0, i === 0 ? JSON.stringify(json) : null]),
    );
    type Row = { t: string | null; at: Date | null; n: number; b: boolean; j: unknown };
    const got: Row[] = await db.orm.em.fork().getConnection().execute(`select * from ${rows.sql} as v(t, at, n, b, j)`, rows.params);
    expect(got.map((r) => r.t)).toEqual(texts);
    expect(got.map((r) => (r.at ? new Date(r.at).getTime() : null))).toEqual(texts.map((_, i) => (i % 2 ? at.getTime() : null)));
    expect(got.map((r) => Number(r.n))).toEqual(texts.map((_, i) => i));
    expect(got.map((r) => r.b)).toEqual(texts.map((_, i) => i % 3 === 0));
    expect(typeof got[0]!.j === "string" ? JSON.parse(got[0]!.j) : got[0]!.j).toEqual(json);
  });
});
