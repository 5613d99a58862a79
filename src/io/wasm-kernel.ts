/**
 * A tiny WebAssembly kernel builder: one exported function over one exported, growable memory.
 *
 * Why: the row writers and readers move hundreds of MB through fixed patterns (copy a pre-encoded
 * line per row, match each line of a file against the lines it may be). A JavaScript byte loop
 * costs about 4 ns a byte there, bounds-checked byte by byte; WebAssembly loads and stores 8
 * unaligned bytes at a time. The kernels are a few dozen instructions, so they are written here
 * as opcodes (the WAT beside each) rather than shipped as a compiled binary nobody can read, and
 * a compiler toolchain is not a dependency.
 */

/** WebAssembly opcodes the kernels use (https://webassembly.github.io/spec/core/binary/instructions.html). */
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  /** Block type of a block, loop or if that leaves nothing on the stack. */
  void: 0x40,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i64Load: 0x29,
  i32Load8u: 0x2d,
  i32Store: 0x36,
  i64Store: 0x37,
  i32Const: 0x41,
  i64Const: 0x42,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtU: 0x49,
  i32GtU: 0x4b,
  i32GeU: 0x4f,
  i64Eqz: 0x50,
  i64Ne: 0x52,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  i64Ctz: 0x7a,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64Mul: 0x7e,
  i64And: 0x83,
  i64Or: 0x84,
  i64Xor: 0x85,
  i64Shl: 0x86,
  i64ShrU: 0x88,
  i32WrapI64: 0xa7,
  i64ExtendI32U: 0xad,
} as const;

/** The WebAssembly memory of a kernel (the project's `lib` has no DOM types, so declared here). */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

// The parts of the global WebAssembly object used here: ES2022's lib does not declare it.
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object) => { exports: Record<string, unknown> };
    };
  }
).WebAssembly;

const I32 = 0x7f;
const I64 = 0x7e;

/** Unsigned LEB128 (sizes, indices). */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (the immediate of i32.const / i64.const), for values in the safe integer range. */
export function sleb(value: number | bigint): number[] {
  let n = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A memory instruction's immediate: alignment hint (log2 bytes, 0 for unaligned access) and offset. */
export function memarg(align: number, offset = 0): number[] {
  return [...uleb(align), ...uleb(offset)];
}

const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** What {@link kernelModule} builds: the function's signature, its extra locals and its body. */
export interface KernelSpec {
  /** Parameter types, in order: "i32" or "i64". */
  readonly params: readonly ("i32" | "i64")[];
  /** Extra locals (after the parameters), each "i32" or "i64". */
  readonly locals: readonly ("i32" | "i64")[];
  /** The one result's type. */
  readonly result: "i32" | "i64";
  /** Instructions, without the final `end`. */
  readonly body: readonly number[];
}

/**
 * Compiles a module exporting `memory` (1 page to start, growable) and the function `run`.
 * Synchronous: the kernels are a few hundred bytes, so compiling them takes microseconds.
 *
 * @throws WebAssembly.CompileError when the body is not valid (a bug in the kernel, caught by its tests).
 * @example const { run, memory } = kernelModule({ params: ["i32"], locals: [], result: "i32", body: [op.localGet, 0] });
 */
export function kernelModule(spec: KernelSpec): { run: (...args: number[]) => number; memory: KernelMemory } {
  const t = (v: "i32" | "i64") => (v === "i32" ? I32 : I64);
  const type = [0x60, ...uleb(spec.params.length), ...spec.params.map(t), 1, t(spec.result)];
  // Locals in runs of one type, as the format wants them.
  const groups: number[][] = [];
  for (const l of spec.locals) {
    const last = groups[groups.length - 1];
    if (last && last[1] === t(l)) last[0] = (last[0] as number) + 1;
    else groups.push([1, t(l)]);
  }
  const locals = [...uleb(groups.length), ...groups.flatMap(([n, ty]) => [...uleb(n as number), ty as number])];
  const fn = [...locals, ...spec.body, op.end];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, ...type]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name("memory"), 0x02, 0, ...name("run"), 0x00, 0]),
    ...section(10, [1, ...uleb(fn.length), ...fn]),
  ];
  const instance = new wasm.Instance(new wasm.Module(new Uint8Array(bytes)));
  return instance.exports as unknown as { run: (...args: number[]) => number; memory: KernelMemory };
}

/** Grows `memory` so it holds at least `bytes` bytes. */
export function ensureMemory(memory: KernelMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65_536));
}
