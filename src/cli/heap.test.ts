import { expect, test } from "vitest";
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from "./heap.js";

test("the CLI asks V8 for its heap growth unless the user gave their own", () => {
  expect(heapGrowthFlag([])).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  expect(heapGrowthFlag(["--max-old-space-size=4096", "--enable-source-maps"])).toBe("--heap-growing-percent=50");
  for (const own of ["--heap-growing-percent=20", "--heap_growing_percent=20", "--heap-growing-percent"])
    expect(heapGrowthFlag(["--enable-source-maps", own])).toBeNull();
  // A different flag that merely starts the same way is not the user's choice of growth.
  expect(heapGrowthFlag(["--heap-growing-percentage=20"])).toBe("--heap-growing-percent=50");
});
