import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFile, type ParseResult } from "../../../src/api/parse.js";
import { headlineAfterTracedCall } from "../../../src/formats/valgrind/trace-malloc.js";
import { ROOT } from "../../helpers/golden.js";

// Campaign bt F1: under --trace-malloc=yes an error raised inside malloc or realloc starts on
// the `--PID-- malloc(...)` trace line, and was lost with the rest of that -v line.
const DIR = join(ROOT, "test/fixtures/valgrind/trace-malloc");

/** What a log's findings are, in the words that the text and the XML share. */
function records(result: ParseResult): unknown[] {
  return [
    ...result.errors.map((e) => [
      e.kind,
      e.thread,
      e.message,
      e.stack.map((f) => [f.function, f.line]),
      e.aux?.map((a) => [a.message, a.stack?.map((f) => f.function)]),
    ]),
    ...result.leaks.map((l) => [l.kind, l.bytes, l.stack.map((f) => f.line)]),
  ];
}

describe("--trace-malloc=yes logs", () => {
  it.each(["tm", "tmcpp"])(
    "give the errors raised inside an allocation call, as the XML of the run does (%s)",
    async (name) => {
      const xml = await parseFile(join(DIR, `${name}.xml`));
      for (const log of [`${name}.txt`, `${name}-s.txt`]) {
        const text = await parseFile(join(DIR, log));
        expect(records(text)).toEqual(records(xml));
        // Every block is read: no frame left as a line not understood, no contexts missing.
        expect(text.diagnostics.map((d) => d.code)).toEqual(
          name === "tm"
            ? []
            : ["valgrind-failed", "valgrind-client-message", "valgrind-client-message"],
        );
        // -s's recap names the same errors: none is put down to a parent.
        expect(text.errors.filter((e) => e.inheritedFrom !== undefined)).toEqual([]);
      }
    },
  );

  it("read a headline glued to the call as Valgrind's, with its thread", async () => {
    const text = await parseFile(join(DIR, "tm.txt"));
    const line = (e: ParseResult["errors"][number]) => e.stack.find((f) => f.file === "tm.c")?.line;
    expect(text.errors.map((e) => [e.kind, e.thread, line(e)])).toEqual([
      ["InvalidFree", 1, 15],
      ["FishyValue", 1, 16],
      ["FishyValue", 1, 20],
      ["FishyValue", 1, 21],
      ["FishyValue", 1, 23],
      ["FishyValue", 1, 24],
      ["FishyValue", 1, 25],
      ["FishyValue", 1, 26],
      // `--PID-- malloc(18446744073709551607)Thread 2:`, the worker's error under it.
      ["FishyValue", 2, 9],
    ]);
    expect(text.source.complete).toBe(true);
  });

  it("split a trace line only at a headline after its calls", () => {
    const fishy = "Argument 'size' of function malloc has a fishy (possibly negative) value: -5";
    const at = (body: string) => headlineAfterTracedCall(body);
    expect(at(`malloc(18446744073709551611)${fishy}`)).toBe(28);
    // Two callocs that overflowed returned before their ` = `; the malloc's error follows.
    expect(at(`calloc(18446744073709551614,4)calloc(3,1)malloc(1)${fishy}`)).toBe(50);
    expect(at("_ZnwmSt11align_val_t(size 64, al 32)Thread 3:")).toBe(36);
    for (const body of [
      "malloc(16) = 0x4A41040",
      "realloc(0x4A41040,32)",
      " = 0x0",
      // realloc(p, 0) frees p: free's trace ends the line, an error in it comes under it.
      "realloc(0x4A41090,0)free(0x4A41090)",
      "calloc(18446744073709551614,4)calloc(3,18446744073709551612)malloc(8) = 0x4A41090",
      // A warning inside the call (a 300 MB malloc) is no headline: the line stays -v's.
      "malloc(314572800)Warning: set address range perms: large range [0x4a41040, 0x17641040) (undefined)",
      // Not a traced call: -v's own lines.
      `REDIR: 0x4915560 (libc.so.6:malloc) redirected to 0x48417b4 (malloc)${fishy}`,
      `mallocx(5)${fishy}`,
    ]) {
      expect(at(body)).toBeUndefined();
    }
  });
});
