/**
 * Counts the lines of a row file that are exactly one of a known set of lines (`chain,0` and
 * `chain,1` for every leaf), in a small WebAssembly kernel: it finds each line break 8 bytes at a
 * time, looks the line up in a hash table and compares it word by word. `verify` spent 7 s of a
 * 10M-row run decoding each line to strings and looking them up in a Map; the kernel reads the
 * 270 MB in a fraction of a second. Any other line (a broken row, a CR before the break, a last
 * line without one) stops the kernel, so the caller reads that line the slow way and goes on.
 */
import { ensureMemory, type KernelMemory, kernelModule, memarg, op, sleb } from "../../io/wasm-kernel.js";

const M = 0x9e3779b1;

/** Little-endian 32-bit word of `bytes` at `at`, zero past `end`. */
function word(bytes: Uint8Array, at: number, end: number): number {
  let w = 0;
  for (let i = 3; i >= 0; i--) w = (w << 8) | (at + i < end ? (bytes[at + i] as number) : 0);
  return w;
}

/**
 * The hash of a line (without its break) the kernel computes: its length, its first 8 bytes
 * (zero past its end) and its last 8 (when it has 8), mixed by multiplication. Equal lines hash
 * alike; the table compares whole lines, so collisions cost a probe, never a wrong match.
 */
export function lineHash(bytes: Uint8Array): number {
  const len = bytes.length;
  let h = len;
  h = Math.imul(h ^ word(bytes, 0, len), M);
  h = Math.imul(h ^ word(bytes, 4, len), M);
  h = Math.imul(h ^ (len >= 8 ? word(bytes, len - 8, len) : 0), M);
  h = Math.imul(h ^ (len >= 8 ? word(bytes, len - 4, len) : 0), M);
  return h ^ (h >>> 16);
}

/*
 * (func $run (param $p $end $limit $table $mask $dir $counts i32) (result i32)
 *   (local $n $j $pos $len $h $e $off $k i32) (local $w $x i64)
 *   block $out  loop $line
 *     br_if $out (n >= limit)
 *     j = p
 *     loop $scan                                   ;; the next "\n", 8 bytes at a time
 *       br_if $out (j >= end)                      ;; none before end: an incomplete line
 *       x = mem64[j] ^ 0x0a0a..;  w = (x - 0x0101..) & ~x & 0x8080..
 *       if w == 0: j += 8; br $scan
 *     end
 *     pos = j + ctz(w) / 8;  br_if $out (pos >= end);  len = pos - p
 *     w = mem64[p] (masked to len bytes when len < 8);  x = len < 8 ? 0 : mem64[pos - 8]
 *     h = lineHash(len, w, x)
 *     block $matched  loop $probe
 *       e = table[h & mask];  br_if $out (e == 0)  ;; not a known line: the caller reads it
 *       k = dir + 8 * (e - 1)                      ;; (offset, length) of known line e - 1
 *       if mem32[k + 4] == len
 *         block $differ  j = 0  loop $cmp          ;; compare 8 bytes at a time, the last word masked
 *           br_if $differ (masked(mem64[p + j] ^ mem64[mem32[k] + j]) != 0)
 *           j += 8;  br_if $cmp (j < len)
 *         end  br $matched  end
 *       end
 *       h += 1;  br $probe
 *     end end
 *     counts[e - 1] += 1;  n += 1;  p = pos + 1;  br $line
 *   end end
 *   mem32[0] = n          ;; lines counted
 *   p                     ;; where the first line not counted starts
 *
 * Reads up to 8 bytes past `end`, so the buffer has 8 bytes of slack.
 */
const [P, END, LIMIT, TABLE, MASK, DIR, COUNTS, N, J, POS, LEN, H, E, OFF, K, W, X] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
];
const { localGet: get, localSet: set, localTee: tee } = op;
/** `mask` on the stack (i64) -> the low `bytes` bytes set, for `bytes` in 0..7 held in local `local`. */
const lowBytesMask = (bytesOf: number[]) => [
  op.i64Const,
  1,
  ...bytesOf,
  op.i32Const,
  3,
  op.i32Shl,
  op.i64ExtendI32U,
  op.i64Shl,
  op.i64Const,
  1,
  op.i64Sub,
];
const kernel = kernelModule({
  params: ["i32", "i32", "i32", "i32", "i32", "i32", "i32"],
  locals: ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i64", "i64"],
  result: "i32",
  // biome-ignore format: laid out like the WAT above
  body: [
    op.block, op.void, op.loop, op.void,
      get, N, get, LIMIT, op.i32GeU, op.brIf, 1,
      get, P, set, J,
      op.loop, op.void,
        get, J, get, END, op.i32GeU, op.brIf, 2,
        get, J, op.i64Load, ...memarg(0), op.i64Const, ...sleb(0x0a0a0a0a0a0a0a0an), op.i64Xor, tee, X,
        op.i64Const, ...sleb(0x0101010101010101n), op.i64Sub,
        get, X, op.i64Const, ...sleb(-1), op.i64Xor, op.i64And,
        op.i64Const, ...sleb(0x8080808080808080n - 2n ** 64n), op.i64And, tee, W,
        op.i64Eqz, op.if, op.void,
          get, J, op.i32Const, 8, op.i32Add, set, J, op.br, 1,
        op.end,
      op.end,
      get, J, get, W, op.i64Ctz, op.i32WrapI64, op.i32Const, 3, op.i32ShrU, op.i32Add, tee, POS,
      get, END, op.i32GeU, op.brIf, 1,
      get, POS, get, P, op.i32Sub, set, LEN,
      get, P, op.i64Load, ...memarg(0), set, W,
      get, LEN, op.i32Const, 8, op.i32LtU, op.if, op.void,
        get, W, ...lowBytesMask([get, LEN]), op.i64And, set, W,
        op.i64Const, 0, set, X,
      op.else,
        get, POS, op.i32Const, 8, op.i32Sub, op.i64Load, ...memarg(0), set, X,
      op.end,
      get, LEN,
      get, W, op.i32WrapI64, op.i32Xor, op.i32Const, ...sleb(M | 0), op.i32Mul,
      get, W, op.i64Const, 32, op.i64ShrU, op.i32WrapI64, op.i32Xor, op.i32Const, ...sleb(M | 0), op.i32Mul,
      get, X, op.i32WrapI64, op.i32Xor, op.i32Const, ...sleb(M | 0), op.i32Mul,
      get, X, op.i64Const, 32, op.i64ShrU, op.i32WrapI64, op.i32Xor, op.i32Const, ...sleb(M | 0), op.i32Mul,
      tee, H, get, H, op.i32Const, 16, op.i32ShrU, op.i32Xor, set, H,
      op.block, op.void, op.loop, op.void,
        get, TABLE, get, H, get, MASK, op.i32And, op.i32Const, 2, op.i32Shl, op.i32Add, op.i32Load, ...memarg(2), tee, E,
        op.i32Eqz, op.brIf, 3,
        get, DIR, get, E, op.i32Const, 1, op.i32Sub, op.i32Const, 3, op.i32Shl, op.i32Add, tee, K,
        op.i32Load, ...memarg(2, 4), get, LEN, op.i32Eq, op.if, op.void,
          get, K, op.i32Load, ...memarg(2), set, OFF,
          op.i32Const, 0, set, J,
          op.block, op.void, op.loop, op.void,
            get, P, get, J, op.i32Add, op.i64Load, ...memarg(0),
            get, OFF, get, J, op.i32Add, op.i64Load, ...memarg(0),
            op.i64Xor, set, X,
            get, LEN, get, J, op.i32Sub, op.i32Const, 8, op.i32LtU, op.if, op.void,
              get, X, ...lowBytesMask([get, LEN, get, J, op.i32Sub]), op.i64And, set, X,
            op.end,
            get, X, op.i64Const, 0, op.i64Ne, op.brIf, 1,
            get, J, op.i32Const, 8, op.i32Add, tee, J, get, LEN, op.i32LtU, op.brIf, 0,
          op.end,
          op.br, 3,
          op.end,
        op.end,
        get, H, op.i32Const, 1, op.i32Add, set, H,
        op.br, 0,
      op.end, op.end,
      get, COUNTS, get, E, op.i32Const, 1, op.i32Sub, op.i32Const, 2, op.i32Shl, op.i32Add, tee, K,
      get, K, op.i32Load, ...memarg(2), op.i32Const, 1, op.i32Add, op.i32Store, ...memarg(2),
      get, N, op.i32Const, 1, op.i32Add, set, N,
      get, POS, op.i32Const, 1, op.i32Add, set, P,
      op.br, 0,
    op.end, op.end,
    op.i32Const, 0, get, N, op.i32Store, ...memarg(2),
    get, P,
  ],
});

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** What one call of {@link LineMatcher.match} did. */
export interface MatchStep {
  /** Lines counted (each a known line). */
  readonly counted: number;
  /** Where the first line not counted starts, in the buffer. */
  readonly stop: number;
}

/**
 * A set of known lines and a read buffer in the kernel's memory. One per file read; the kernel
 * (and its memory) is shared, so one matcher is in use at a time on a thread.
 */
export class LineMatcher {
  private readonly memory: KernelMemory = kernel.memory;
  private readonly dirAt = 8;
  private readonly tableAt: number;
  private readonly mask: number;
  private readonly countsAt: number;
  private readonly lines: number;
  /** Where the read buffer starts; it runs to the end of the memory but 8 bytes. */
  readonly bufferAt: number;

  /** `known[i]` is line i's bytes, without its line break; no two equal. */
  constructor(known: readonly Uint8Array[], bufferBytes: number) {
    this.lines = known.length;
    const dataAt = align8(this.dirAt + 8 * known.length);
    let dataBytes = 0;
    for (const l of known) dataBytes += align8(l.length);
    let size = 16;
    while (size < 2 * known.length) size *= 2;
    this.mask = size - 1;
    this.tableAt = align8(dataAt + dataBytes + 8);
    this.countsAt = this.tableAt + 4 * size;
    this.bufferAt = align8(this.countsAt + 4 * known.length);
    ensureMemory(this.memory, this.bufferAt + bufferBytes + 8);
    const bytes = new Uint8Array(this.memory.buffer);
    bytes.fill(0, 0, this.bufferAt);
    const i32 = new Int32Array(this.memory.buffer);
    let at = dataAt;
    known.forEach((line, id) => {
      bytes.set(line, at);
      i32[(this.dirAt >> 2) + 2 * id] = at;
      i32[(this.dirAt >> 2) + 2 * id + 1] = line.length;
      let slot = lineHash(line) & this.mask;
      while (i32[(this.tableAt >> 2) + slot] !== 0) slot = (slot + 1) & this.mask;
      i32[(this.tableAt >> 2) + slot] = id + 1;
      at += align8(line.length);
    });
  }

  /** The kernel's memory as bytes (a new view after the buffer grows). */
  bytes(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  /** Bytes the read buffer holds. */
  bufferBytes(): number {
    return this.memory.buffer.byteLength - 8 - this.bufferAt;
  }

  /** Makes the read buffer hold at least `bytes` bytes (its contents are kept). */
  growBuffer(bytes: number): void {
    ensureMemory(this.memory, this.bufferAt + bytes + 8);
  }

  /**
   * Counts known lines from buffer position `from` (an offset into {@link bytes}) while they are
   * whole before `end`, at most `limit` of them; stops at the first other line.
   */
  match(from: number, end: number, limit: number): MatchStep {
    const stop = kernel.run(from, end, limit, this.tableAt, this.mask, this.dirAt, this.countsAt);
    return { counted: new Int32Array(this.memory.buffer, 0, 1)[0] as number, stop };
  }

  /** How many times each known line was counted. */
  counts(): Int32Array {
    return new Int32Array(this.memory.buffer, this.countsAt, this.lines).slice();
  }
}
