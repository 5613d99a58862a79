/**
 * Streams a text file line by line as byte ranges, without decoding lines nobody looks at. The
 * verifier reads millions of rows; decoding each to a JS string first would dominate its time.
 */
import * as fs from "node:fs";
import { IoError } from "../core/errors.js";

const CHUNK = 4 << 20;

/**
 * Calls `onLine(bytes, start, end, lineNumber)` for each line (1-based numbers; `end` excludes
 * the line break, and a `\r` before it). A final line without a break is still reported.
 *
 * @throws IoError when the file cannot be read.
 */
export function forEachLine(file: string, onLine: (bytes: Buffer, start: number, end: number, line: number) => void): void {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (cause) {
    throw new IoError("cannot_read", `cannot read ${file}: ${(cause as Error).message}`, { hint: "check the path", cause });
  }
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let carry = 0;
    let line = 0;
    for (;;) {
      if (carry === buf.length) {
        const grown = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(grown, 0, 0, carry);
        buf = grown;
      }
      const read = fs.readSync(fd, buf, carry, buf.length - carry, null);
      const end = carry + read;
      let start = 0;
      for (let i = buf.indexOf(10, 0); i !== -1 && i < end; i = buf.indexOf(10, start)) {
        const stop = i > start && buf[i - 1] === 13 ? i - 1 : i;
        onLine(buf, start, stop, ++line);
        start = i + 1;
      }
      if (read === 0) {
        if (start < end) onLine(buf, start, end > start && buf[end - 1] === 13 ? end - 1 : end, ++line);
        return;
      }
      buf.copy(buf, 0, start, end);
      carry = end - start;
    }
  } finally {
    fs.closeSync(fd);
  }
}
