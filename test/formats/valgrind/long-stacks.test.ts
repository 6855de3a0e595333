import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";

/*
 * A block is held whole until it closes, so a hostile log of millions of frame lines under one
 * headline held them all (a 132 MB log of 3 million took 840 MB). A stack keeps its first
 * 4,096 frame lines, far above the 500 Valgrind prints (--num-callers), and says so once.
 */

const KEPT = 4096;

function log(frame: string, frames: number): string {
  return [
    "==7== Memcheck, a memory error detector",
    "==7== Command: ./a",
    "==7== ",
    "==7== Invalid read of size 4",
    ...Array.from({ length: frames }, () => `==7==    by 0x401136: ${frame} (list.c:12)`),
    "==7==  Address 0x4a41050 is 0 bytes after a block of size 16 alloc'd",
    "==7==    at 0x48417B4: malloc (vg_replace_malloc.c:381)",
    "==7== ",
    "==7== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)",
  ].join("\n");
}

describe("a stack longer than any Valgrind prints", () => {
  // ASCII frames take the byte path; a non-ASCII name makes its chunk go the text path.
  for (const frame of ["make_node", "make_nœud"]) {
    it(`keeps its first ${KEPT} frames and says where the rest began (${frame})`, () => {
      const result = parse(Buffer.from(log(frame, KEPT + 1000)), { path: "x" });
      const [error] = result.errors;
      expect(error?.stack).toHaveLength(KEPT);
      expect(error?.stack[0]?.function).toBe(frame);
      // The lines after the cut are read as ever: the aux stack is whole.
      expect(error?.aux[0]?.stack?.map((f) => f.function)).toEqual(["malloc"]);
      const cut = result.diagnostics.filter((d) => d.code === "stack-too-long");
      expect(cut).toHaveLength(1);
      expect(cut[0]?.line).toBe(5 + KEPT);
    });
  }

  it(`leaves a stack of ${KEPT} frames alone`, () => {
    const result = parse(Buffer.from(log("make_node", KEPT)), { path: "x" });
    expect(result.errors[0]?.stack).toHaveLength(KEPT);
    expect(result.diagnostics.map((d) => d.code)).not.toContain("stack-too-long");
  });
});
