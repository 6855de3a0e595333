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

  // Under the group's first place, whose record it is, not after the other places (campaign
  // ab: below them it read as the description of every one).
  it("is where a block used after free was freed, under the first place", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/use_after_free.txt"]);
    expect(stdout).toContain(
      [
        "        at main (use_after_free.c:20)",
        "        Address 0x4a41048 is 8 bytes inside a block of size 32 free'd",
        "          at destroy (use_after_free.c:14)",
        "        also at main (use_after_free.c:26)",
        "",
      ].join("\n"),
    );
    const asan = await cli(["summarize", "samples/sanitizer/asan-use-after-free.log"]);
    expect(asan.stdout).toContain(
      "        freed by thread T0 here\n          at rec_free (/home/dev/asan/asan-use-after-free.c:14)\n",
    );
  });

  // Campaign ab: the one line that says an invalid read was a NULL dereference has no stack.
  it("is an aux line without a stack, as Valgrind prints it", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/segv.txt"]);
    expect(stdout).toContain(
      [
        "ERROR   InvalidRead  Invalid read of size 4  (1 occurrence)",
        "        at deref (segv.c:7)",
        "        by main (segv.c:16)",
        "        Address 0x14 is not stack'd, malloc'd or (recently) free'd",
        "",
      ].join("\n"),
    );
    // A fatal signal's advice after its stack is left to the JSON report.
    expect(stdout).not.toContain("If you believe this happened");
  });

  // Campaign v10: the line before Valgrind's advice took it in, 330 characters of it, and hid
  // the line that says the stack overflowed.
  it("leaves out Valgrind's stack size advice, and shows what happened", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/stack_overflow.txt"]);
    expect(stdout).toContain(
      [
        "        Access not within mapped region at address 0x1FFE801F7C",
        "        Stack overflow in thread #1: can't grow stack to 0x1ffe801000",
        "",
      ].join("\n"),
    );
    expect(stdout).not.toContain("If you believe");
  });

  // Campaign bp Q2: in stripped code the first frame said nothing where the next named one.
  it("is at the first frame that names a function, past `???` frames", async () => {
    const { stdout } = await cli([
      "summarize",
      "test/fixtures/valgrind/stripped-origins/origins.txt",
    ]);
    expect(stdout).toContain(
      [
        "        at sc_uninit_cond (in /src/stripped-origins/libsc.so)",
        "        by ??? (in /src/stripped-origins/main2)",
        "        by (below main) (libc_start_call_main.h:58)",
        "        Uninitialised value was created by a heap allocation",
        "          at sc_uninit_cond (in /src/stripped-origins/libsc.so)",
        "",
      ].join("\n"),
    );
  });

  // Campaign v18b F4: the named frame was another object's, a library function that only
  // called the stripped program's callback back, which allocated.
  it("is past `???` frames of the first frame's object only", async () => {
    const { stdout } = await cli([
      "summarize",
      "test/fixtures/valgrind/stripped-origins/callback.txt",
    ]);
    expect(stdout).toContain(
      "        Uninitialised value was created by a heap allocation\n          at ??? (in /src/stripped-origins/prog)\n",
    );
    expect(stdout).not.toContain("at lib_call");
  });

  // libc's start-up names no place of the program: `???` stays where nothing else is named.
  it("stays `???` where only libc's start-up is named below it", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/stripped_bin.txt"]);
    expect(stdout).toContain(
      "        Address 0x4a4104c is 0 bytes after a block of size 12 alloc'd\n          at ??? (in /src/vgcorpus/stripped_bin)\n",
    );
  });

  it("is not shown for leaks, which have none", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/leak_definite.txt"]);
    expect(stdout).not.toMatch(/^ {10}at /m);
  });
});
