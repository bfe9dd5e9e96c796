/**
 * An import's CSV read as it arrives (issue 18): papaparse in streaming mode fed the upload's pieces, whatever their
 * boundaries — a UTF-8 character, the byte-order mark or a CRLF split between pieces — gives the rows papaparse gives
 * for the whole file; an error of the pieces (the upload past its cap) is the reader's.
 */
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { readCsvRows, TooManyRows } from "../../../app/admin/importFile.js";

const FILE =
  '\uFEFFFirst Name,Email,Notes\r\n"Chen, Wei",wei@example.com,"two\r\nlines"\r\n\r\n  \r\nZoë,zoe@example.com,ünïcödé\r\nLast,last@example.com,';

async function* inPieces(bytes: Uint8Array, size: number, fail?: Error): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
  if (fail) throw fail;
}

describe("readCsvRows", () => {
  const whole = Papa.parse<string[]>(FILE.slice(1), { skipEmptyLines: "greedy" }).data;

  it.each([1, 2, 3, 5, 26, 27, 4096])("reads the rows of a file in pieces of %i bytes as papaparse reads the whole file", async (size) => {
    const rows = await readCsvRows(inPieces(new TextEncoder().encode(FILE), size));
    expect(rows).toEqual(whole);
    expect(rows[0]).toEqual(["First Name", "Email", "Notes"]);
    expect(rows).toHaveLength(4);
  });

  it("reads a file with old Mac line endings (CR only) and one without a line break", async () => {
    expect(await readCsvRows(inPieces(new TextEncoder().encode("Email,Name\rana@example.com,Ana\r"), 4))).toEqual([
      ["Email", "Name"],
      ["ana@example.com", "Ana"],
    ]);
    expect(await readCsvRows(inPieces(new TextEncoder().encode("Email"), 2))).toEqual([["Email"]]);
  });

  it("fails with the pieces' error (an upload past its cap)", async () => {
    const tooLarge = new Error("past the cap");
    await expect(readCsvRows(inPieces(new TextEncoder().encode(FILE), 7, tooLarge))).rejects.toBe(tooLarge);
  });

  it("regression: every row was held before the row cap applied — stops past maxRows, the upload not read further", async () => {
    let pulled = 0;
    async function* manyRows(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode("Email\n");
      for (let i = 0; i < 10_000; i++) {
        pulled++;
        yield new TextEncoder().encode("a\n");
      }
    }
    const refused = await readCsvRows(manyRows(), 10).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(TooManyRows);
    expect((refused as TooManyRows).error).toMatchObject({
      code: "VALIDATION_FAILED",
      message: "The file has more than 10 rows; import at most 10 at a time (split the file).",
    });
    expect(pulled).toBeLessThan(10_000);
    // At the cap is fine: the header and ten rows.
    const ten = new TextEncoder().encode(`Email\n${"a\n".repeat(10)}`);
    expect(await readCsvRows(inPieces(ten, 3), 10)).toHaveLength(11);
  });
});
