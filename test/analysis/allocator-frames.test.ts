import { describe, expect, it } from "vitest";
import { isAllocatorFrame } from "../../src/analysis/allocator-frames.js";

describe("allocator frames", () => {
  it("include macOS's zone allocator, which Valgrind replaces (public log 26)", () => {
    const object = "/usr/local/libexec/valgrind/vgpreload_memcheck-amd64-darwin.so";
    expect(isAllocatorFrame({ function: "malloc_zone_malloc", object })).toBe(true);
    expect(isAllocatorFrame({ function: "malloc_zone_calloc", object })).toBe(true);
    expect(isAllocatorFrame({ function: "malloc_zone_statistics" })).toBe(false);
  });
});
