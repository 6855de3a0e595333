import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("the other side of an error in the text summary", () => {
  it("is a race's other access, at its first own frame", async () => {
    const { stdout } = await cli(["summarize", "test/fixtures/sanitizer/tsan/heap.log"]);
    expect(stdout).toContain(
      [
        "        at main (/tmp/tsan/kinds.c:18)",
        "        Previous write of size 4 at 0x7b0400000004 by thread T1",
        "          at heap_writer (/tmp/tsan/kinds.c:12)",
        "",
      ].join("\n"),
    );
  });

  it("is where a block used after free was freed, after the group's other places", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/use_after_free.txt"]);
    expect(stdout).toContain(
      [
        "        at main (use_after_free.c:20)",
        "        also at main (use_after_free.c:26)",
        "        Address 0x4a41048 is 8 bytes inside a block of size 32 free'd",
        "          at destroy (use_after_free.c:14)",
        "",
      ].join("\n"),
    );
    const asan = await cli(["summarize", "samples/sanitizer/asan-use-after-free.log"]);
    expect(asan.stdout).toContain(
      "        freed by thread T0 here\n          at rec_free (/home/dev/asan/asan-use-after-free.c:14)\n",
    );
  });

  it("is not shown for leaks, which have none", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/leak_definite.txt"]);
    expect(stdout).not.toMatch(/^ {10}at /m);
  });
});
