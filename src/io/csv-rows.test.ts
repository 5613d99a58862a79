/**
 * forEachCsvRow streams the rows readCsvTable reads whole: the same cells for any CSV text
 * (quotes, commas and line breaks in cells, CRLF, a BOM, blank lines, ragged rows, long files
 * that cross the line reader's 4 MB reads), and the same errors.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { InputError } from "../core/errors.js";
import { quoteCsv } from "./csv.js";
import { forEachCsvRow, quotedRecord, SHARED_VALUES_MAX } from "./csv-rows.js";
import { readCsvTable } from "./read-file.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-csv-rows-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const write = (text: string | Uint8Array): string => {
  const file = path.join(root, `t${n++}.csv`);
  fs.writeFileSync(file, text);
  return file;
};

function streamed(file: string, shareRepeated = false): { header: string[]; rows: string[][] } {
  const rows: string[][] = [];
  let told: string[] | undefined;
  const header = forEachCsvRow(file, {
    onHeader: (h) => {
      expect(rows).toEqual([]);
      told = h;
    },
    onRow: (cells, i) => {
      expect(i).toBe(rows.length);
      rows.push(cells);
    },
    shareRepeated,
  });
  expect(told).toEqual(header.length === 0 ? undefined : header);
  return { header, rows };
}

// Cells from characters that matter to CSV, plus plain and non-ASCII text.
const cell = fc.oneof(
  fc.string({ unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r\n", "é", "日"), maxLength: 6 }),
  fc.string({ maxLength: 8 }),
);

describe("forEachCsvRow", () => {
  test("gives the rows readCsvTable gives, for any table written with any line break, BOM and blank lines", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (table, eol, bom, blank, finalBreak, shareRepeated) => {
          const lines = table.map((r) => r.map(quoteCsv).join(","));
          if (blank && lines.length > 1) lines.splice(1, 0, "");
          const text = `${bom ? "\uFEFF" : ""}${lines.join(eol)}${finalBreak ? eol : ""}`;
          const file = write(text);
          expect(streamed(file, shareRepeated)).toEqual(readCsvTable(file));
        },
      ),
      { numRuns: Number(process.env.PBT_NUM_RUNS ?? 300) },
    );
  });

  // csv-parse takes the first line break it meets as the only one (a lone \n in a CRLF file is
  // data to it), so each text uses one kind of break throughout.
  test("on any text, both readers give the same rows or both refuse it as bad_csv", () => {
    const outcome = (read: () => unknown) => {
      try {
        return { rows: read() };
      } catch (error) {
        expect((error as InputError).code).toBe("bad_csv");
        return { refused: true };
      }
    };
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", ",", '"', "\n", " ", "\uFEFF"), maxLength: 24 }), fc.boolean(), (text, crlf) => {
        const file = write(crlf ? text.replaceAll("\n", "\r\n") : text);
        expect(outcome(() => streamed(file))).toEqual(outcome(() => readCsvTable(file)));
      }),
      { numRuns: Number(process.env.PBT_NUM_RUNS ?? 1000) },
    );
  });

  test("a file longer than one read of the line reader, with a quoted line break across reads", () => {
    const row = `E0000001,"multi\nline, cell",${"x".repeat(90)}`;
    const text = `a,b,c\n${Array.from({ length: 60_000 }, () => row).join("\n")}\n`;
    expect(text.length).toBeGreaterThan(5 << 20);
    const file = write(text);
    const got = streamed(file);
    expect(got.rows.length).toBe(60_000);
    expect(got).toEqual(readCsvTable(file));
  });

  test("quotedRecord reads quoted cells with doubled quotes, commas and line breaks", () => {
    expect(quotedRecord('a,"b ""c"", d"')).toEqual(["a", 'b "c", d']);
    expect(quotedRecord('"x\r\ny",,""')).toEqual(["x\r\ny", "", ""]);
    expect(quotedRecord('"a"b')).toBe("a quoted cell is followed by text, not a comma (cell 1)");
    expect(quotedRecord('a,b"c')).toBe("a quote inside a cell that does not start with one (cell 2)");
    expect(quotedRecord('"open')).toBe("a quoted cell is never closed");
  });

  test("sharing repeated cells keeps every cell, also in a column past the shared-values limit", () => {
    const rows = Array.from({ length: 3 * SHARED_VALUES_MAX }, (_, i) => [
      `id${i}`,
      i % 3 === 0 ? "leads" : "sales",
      `v${i % (SHARED_VALUES_MAX + 7)}`,
    ]);
    const file = write(`id,source,v\n${rows.map((r) => r.join(",")).join("\n")}\n`);
    expect(streamed(file, true)).toEqual({ header: ["id", "source", "v"], rows });
  });

  test("an empty file has no header and no rows; a header alone has no rows", () => {
    expect(streamed(write(""))).toEqual({ header: [], rows: [] });
    expect(streamed(write("a,b\n"))).toEqual({ header: ["a", "b"], rows: [] });
  });

  test("malformed CSV is bad_csv naming the file and the line; a missing file or a folder is refused before reading", () => {
    const unclosed = write('a,b\n1,2\n3,"never closed\n4,5\n');
    expect(() => streamed(unclosed)).toThrow(InputError);
    expect(() => streamed(unclosed)).toThrow(/as CSV: a quoted cell is never closed \(line 3\)/);
    const strayQuote = write('a,b\n1,x"y"z"\n');
    try {
      forEachCsvRow(strayQuote, { onRow: () => {} }, { hint: "regenerate it" });
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).code).toBe("bad_csv");
      expect((error as InputError).message).toContain(strayQuote);
      expect((error as InputError).message).toContain("(line 2)");
      expect((error as InputError).hint).toBe("regenerate it");
    }
    const ctx = { what: "profile file", hint: "regenerate the folder" };
    expect(() => forEachCsvRow(path.join(root, "absent.csv"), { onRow: () => {} }, ctx)).toThrow(
      /cannot read profile file .*absent\.csv: it does not exist/,
    );
    try {
      forEachCsvRow(root, { onRow: () => {} }, ctx);
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).code).toBe("not_a_file");
      expect((error as InputError).hint).toBe("regenerate the folder");
    }
  });
});
