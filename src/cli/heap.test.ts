import v8 from "node:v8";
import { expect, test, vi } from "vitest";
import { HEAP_GROWING_PERCENT, heapGrowthFlag, limitHeapGrowth } from "./heap.js";

test("the CLI asks V8 for its heap growth unless the user gave their own", () => {
  expect(heapGrowthFlag([])).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  expect(heapGrowthFlag(["--max-old-space-size=4096", "--enable-source-maps"])).toBe("--heap-growing-percent=50");
  for (const own of ["--heap-growing-percent=20", "--heap_growing_percent=20", "--heap-growing-percent"])
    expect(heapGrowthFlag(["--enable-source-maps", own])).toBeNull();
  // A different flag that merely starts the same way is not the user's choice of growth.
  expect(heapGrowthFlag(["--heap-growing-percentage=20"])).toBe("--heap-growing-percent=50");
});

test("limitHeapGrowth sets the flag on V8, and leaves a user's own alone", () => {
  const set = vi.spyOn(v8, "setFlagsFromString").mockImplementation(() => {});
  try {
    limitHeapGrowth(["--heap-growing-percent=20"]);
    expect(set).not.toHaveBeenCalled();
    limitHeapGrowth([]);
    expect(set).toHaveBeenCalledExactlyOnceWith(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  } finally {
    set.mockRestore();
  }
});
