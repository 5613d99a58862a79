/**
 * The hottest CSV layout: a run of keyed columns then a 0..9 digit (every NAICS row). Each row is
 * one whole pre-encoded line (`codes,digit\n`) picked by `key * 10 + digit`, copied by a small
 * WebAssembly kernel 8 bytes at a time. The JavaScript byte loop it replaces spent 1.1 s of a 3 s
 * 10M-row run copying 270 MB (about 4 ns a byte); the kernel takes under 0.1 s.
 */
import { ensureMemory, kernelModule, memarg, op, sleb } from "./wasm-kernel.js";

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const ZERO = 0x30;

/** The pre-encoded cells of a keyed run: key value `k`'s bytes are `bytes[offsets[k] .. offsets[k + 1])`. */
export interface RunCells {
  readonly key: Int32Array;
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
  readonly maxBytes: number;
}

/** A table in the keyed-run-and-digit layout: what {@link encodeRunDigit} encodes it from (csv.ts's `runDigitTable` finds it). */
export interface RunDigitTable {
  readonly run: RunCells;
  readonly digit: Int8Array;
  readonly rows: number;
}

/** Whole lines for every key and digit: line `k * 10 + d` is `bytes[offsets[i] .. offsets[i + 1])`. */
interface Lines {
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
  readonly maxBytes: number;
}

// Built once per run encoding (one per tree level set), blocks are many.
const lineCache = new WeakMap<Uint8Array, Lines>();

function linesOf(run: RunCells): Lines {
  let lines = lineCache.get(run.bytes);
  if (lines) return lines;
  const size = run.offsets.length - 1;
  const offsets = new Uint32Array(size * 10 + 1);
  const bytes = new Uint8Array(run.bytes.length * 10 + size * 30);
  let pos = 0;
  for (let k = 0; k < size; k++) {
    const cell = run.bytes.subarray(run.offsets[k] as number, run.offsets[k + 1] as number);
    for (let d = 0; d < 10; d++) {
      offsets[k * 10 + d] = pos;
      bytes.set(cell, pos);
      pos += cell.length;
      bytes[pos++] = COMMA;
      bytes[pos++] = ZERO + d;
      bytes[pos++] = NEWLINE;
    }
  }
  offsets[size * 10] = pos;
  lines = { bytes: bytes.subarray(0, pos), offsets, maxBytes: run.maxBytes + 3 };
  lineCache.set(run.bytes, lines);
  return lines;
}

/*
 * (func $run (param $keys $digits $n $offs $lines $out $size i32) (result i32)
 *   (local $i $k $src $len $j $o $d i32)
 *   o = out
 *   block $done  block $bad  loop $rows
 *     if i >= n: br $done
 *     k = keys[i];   if k >= size (unsigned): br $bad
 *     d = digits[i]; if d >= 10: br $bad
 *     k = offs + 4 * (k * 10 + d)
 *     src = lines + mem32[k];  len = mem32[k + 4] - mem32[k]
 *     j = 0;  loop $copy  mem64[o + j] = mem64[src + j];  j += 8;  br_if $copy (j < len)  end
 *     o += len;  i += 1;  br $rows
 *   end end
 *   return -1 - i          ;; row i has a key or digit out of range
 *   end
 *   o - out                ;; bytes written
 *
 * The copy writes up to 7 bytes past a line's end (the next line overwrites them), so the line
 * table and the output each get 8 bytes of slack.
 */
const [KEYS, DIGITS, N, OFFS, LINES, OUT, SIZE, I, K, SRC, LEN, J, O, D] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
const { localGet: get, localSet: set, localTee: tee } = op;
const kernel = kernelModule({
  params: ["i32", "i32", "i32", "i32", "i32", "i32", "i32"],
  locals: ["i32", "i32", "i32", "i32", "i32", "i32", "i32"],
  result: "i32",
  // biome-ignore format: one instruction per line group reads like the WAT above
  body: [
    get, OUT, set, O,
    op.block, op.void, op.block, op.void, op.loop, op.void,
      get, I, get, N, op.i32GeU, op.brIf, 2,
      get, KEYS, get, I, op.i32Const, 2, op.i32Shl, op.i32Add, op.i32Load, ...memarg(2), tee, K,
      get, SIZE, op.i32GeU, op.brIf, 1,
      get, DIGITS, get, I, op.i32Add, op.i32Load8u, ...memarg(0), tee, D,
      op.i32Const, 10, op.i32GeU, op.brIf, 1,
      get, K, op.i32Const, 10, op.i32Mul, get, D, op.i32Add, op.i32Const, 2, op.i32Shl, get, OFFS, op.i32Add, tee, K,
      op.i32Load, ...memarg(2, 4), get, K, op.i32Load, ...memarg(2), tee, SRC, op.i32Sub, set, LEN,
      get, SRC, get, LINES, op.i32Add, set, SRC,
      op.i32Const, 0, set, J,
      op.loop, op.void,
        get, O, get, J, op.i32Add,
        get, SRC, get, J, op.i32Add, op.i64Load, ...memarg(0),
        op.i64Store, ...memarg(0),
        get, J, op.i32Const, 8, op.i32Add, tee, J, get, LEN, op.i32LtU, op.brIf, 0,
      op.end,
      get, O, get, LEN, op.i32Add, set, O,
      get, I, op.i32Const, 1, op.i32Add, set, I,
      op.br, 0,
    op.end, op.end,
    op.i32Const, ...sleb(-1), get, I, op.i32Sub, op.return,
    op.end,
    get, O, get, OUT, op.i32Sub,
  ],
});

/** The line table now in the kernel's memory (it stays there while blocks of one run follow). */
let loaded: Lines | null = null;

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** Output bytes the kernel writes per call at most: a larger table is encoded in slices. */
const SLICE_BYTES = 64 << 20;

/**
 * Encodes `rows` rows of a keyed run followed by a 0..9 digit column: the bytes of
 * `cells(key[row]) + "," + digit[row] + "\n"` for each row. Up to 64 MB of output they are a view
 * of the kernel's memory, valid until the next call on this thread (copy them, `slice()`, to keep
 * them); a larger table is encoded slice by slice into a new array (the kernel's memory and its
 * 32-bit addresses stay small).
 *
 * @throws RangeError when a key has no cell or a digit is not 0..9 (the caller checks digits first).
 * @example encodeRunDigit(run, new Int8Array([1, 0]), 2) // e.g. "11,111,1\n10,101,0\n"
 */
export function encodeRunDigit(run: RunCells, digit: ArrayLike<number>, rows: number): Uint8Array {
  const lines = linesOf(run);
  const sliceRows = Math.max(1, Math.floor(SLICE_BYTES / lines.maxBytes));
  if (rows <= sliceRows) return encodeSlice(run, lines, digit, 0, rows);
  const out = new Uint8Array(rows * lines.maxBytes);
  let pos = 0;
  for (let from = 0; from < rows; from += sliceRows) {
    const bytes = encodeSlice(run, lines, digit, from, Math.min(rows, from + sliceRows));
    out.set(bytes, pos);
    pos += bytes.length;
  }
  return out.subarray(0, pos);
}

/** Rows `[from, to)` into the kernel's memory; returns a view of their bytes there. */
function encodeSlice(run: RunCells, lines: Lines, digit: ArrayLike<number>, from: number, to: number): Uint8Array {
  const rows = to - from;
  const size = run.offsets.length - 1;
  const offsAt = align8(lines.bytes.length + 8);
  const keysAt = align8(offsAt + lines.offsets.byteLength);
  const digitsAt = align8(keysAt + rows * 4);
  const outAt = align8(digitsAt + rows);
  const { memory, run: copyLines } = kernel;
  ensureMemory(memory, outAt + rows * lines.maxBytes + 8);
  // Growing the memory keeps its contents: only another run's table needs copying in.
  if (loaded !== lines) {
    new Uint8Array(memory.buffer, 0, lines.bytes.length).set(lines.bytes);
    new Uint32Array(memory.buffer, offsAt, lines.offsets.length).set(lines.offsets);
    loaded = lines;
  }
  new Int32Array(memory.buffer, keysAt, rows).set(run.key.subarray(from, to));
  // Same-typed views copy as one memcpy; the kernel reads each digit as an unsigned byte.
  if (digit instanceof Int8Array) new Int8Array(memory.buffer, digitsAt, rows).set(digit.subarray(from, to));
  else {
    const digits = new Uint8Array(memory.buffer, digitsAt, rows);
    for (let i = 0; i < rows; i++) digits[i] = digit[from + i] as number;
  }
  const written = copyLines(keysAt, digitsAt, rows, offsAt, 0, outAt, size);
  if (written < 0) {
    const row = from - 1 - written;
    throw new RangeError(`row ${row}: key ${run.key[row]} or digit ${digit[row]} is out of range (keys 0..${size - 1}, digits 0..9)`);
  }
  return new Uint8Array(memory.buffer, outAt, written);
}
