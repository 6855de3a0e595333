import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KNOWN_ERROR_KINDS } from "../../../src/model/index.js";
import { parse, type ParseResult } from "../../../src/index.js";
import { RUNTIME_ERROR_KINDS } from "../../../src/formats/sanitizer/runtime-errors.js";
import { ROOT } from "../../helpers/golden.js";

// Real gcc 12 runs of u.c and s.c; see the README.md.
const DIR = join(ROOT, "test", "fixtures", "sanitizer", "ubsan");
const read = (name: string): ParseResult =>
  parse(readFileSync(join(DIR, name), "utf8"), { path: name });
const warnings = (result: ParseResult) => result.diagnostics.filter((d) => d.severity !== "info");

/** u.c's four runtime errors, in the order UBSan printed them. */
const U_ERRORS = [
  ["invalid-shift-exponent", "shift exponent 41 is too large for 32-bit type 'int'", 3],
  [
    "signed-integer-overflow",
    "signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'",
    7,
  ],
  ["out-of-bounds-index", "index 4 out of bounds for type 'int [4]'", 8],
  ["insufficient-object-size", expect.stringMatching(/ with insufficient space for an /), 8],
];

describe("UBSan runtime errors", () => {
  it("are errors of UBSan's own types, at the location they name", () => {
    const result = read("ubsan.log");
    expect(result.source.format).toBe("sanitizer");
    expect(warnings(result)).toEqual([]);
    expect(result.errors.map((e) => [e.kind, e.message, e.stack[0]?.line])).toEqual(U_ERRORS);
    expect(result.errors.every((e) => e.tool === "ubsan" && e.pid === undefined)).toBe(true);
    expect(result.errors[0]?.stack).toEqual([{ file: "u.c", line: 3 }]);
    expect(result.errors[0]?.details?.["column"]).toBe("43");
    // The note and the bytes under it belong to the error, not to the program's output.
    expect(result.errors[3]?.details?.["notes"]).toMatch(
      /^0x[0-9a-f]+: note: pointer points here\n /,
    );
    expect(result.source.counters.programLines).toBe(2);
  });

  it("keep their stacks (print_stacktrace=1), the same errors", () => {
    const result = read("ubsan-stacktrace.log");
    expect(warnings(result)).toEqual([]);
    expect(result.errors.map((e) => [e.kind, e.message, e.stack[0]?.line])).toEqual(U_ERRORS);
    expect(result.errors[0]?.stack.map((f) => f.function).slice(0, 2)).toEqual(["shift", "main"]);
  });

  it("end at clang's SUMMARY, after the blank line that follows their stacks", () => {
    // Each SUMMARY was a stray line, an unrecognized-line warning, after the error it ends.
    const result = read("clang14-stacktrace.log");
    expect(warnings(result)).toEqual([]);
    expect(result.source.counters.unrecognizedLines).toBe(0);
    expect(
      result.errors.map((e) => [e.kind, e.stack[0]?.function, e.details?.["summary"]]),
    ).toEqual([
      ["signed-integer-overflow", "ovf", "undefined-behavior ../ub.c:5:52 in "],
      ["invalid-shift-exponent", "shf", "undefined-behavior ../ub.c:6:52 in "],
      ["out-of-bounds-index", "idx", "undefined-behavior ../ub.c:7:50 in "],
      ["integer-divide-by-zero", "divz", "undefined-behavior ../ub.c:8:54 in "],
      ["FPE", "divz", "FPE /tmp/camp-n/w/cl/../ub.c:8:54 in divz"],
    ]);
  });

  it("name their file without the program's unterminated output glued before it", () => {
    // `progress: partial.c:4:52: runtime error: …` was a frame in the file `progress: partial.c`.
    const result = read("unbuffered-stdout.log");
    expect(warnings(result)).toEqual([]);
    const [error] = result.errors;
    expect(error?.stack).toEqual([{ file: "partial.c", line: 4 }]);
    expect(error?.details?.["location"]).toBe("partial.c:4:52");
    expect(result.source.counters.programLines).toBe(2);
  });

  it("leave a test runner's progress dots out of the file's name", () => {
    const result = read("progress-dots.log");
    expect(warnings(result)).toEqual([]);
    expect(result.errors.map((e) => [e.stack, e.details?.["location"]])).toEqual([
      [[{ file: "src/dots.c", line: 4 }], "src/dots.c:4:41"],
    ]);
    // The dots, and the two lines after the error, are the program's.
    expect(result.source.counters.programLines).toBe(3);
  });

  it.each([
    ["..src/a.c:4:41: runtime error: x", "src/a.c"],
    ["ok: ...src/a.c:4:41: runtime error: x", "src/a.c"],
    ["../src/a.c:4:41: runtime error: x", "../src/a.c"],
    [".build/a.c:4:41: runtime error: x", ".build/a.c"],
  ])("read %j's file as %s", (line, file) => {
    const [error] = parse(`${line}\n`, { inputFormat: "sanitizer" }).errors;
    expect(error?.stack).toEqual([{ file, line: 4 }]);
  });

  it("end at UBSan's SUMMARY when it halts", () => {
    const result = read("ubsan-halt.log");
    expect(warnings(result)).toEqual([]);
    expect(result.errors.map((e) => [e.kind, e.details?.["summary"]])).toEqual([
      ["invalid-shift-exponent", "undefined-behavior u.c:3:43 in "],
    ]);
  });

  it.each(["asan-ubsan.log", "asan-ubsan-stacktrace.log"])(
    "come with ASan's reports in one log (%s)",
    (name) => {
      const result = read(name);
      expect(warnings(result)).toEqual([]);
      expect(result.errors.map((e) => [e.tool, e.kind])).toEqual([
        ["ubsan", "invalid-shift-exponent"],
        ["asan", "heap-buffer-overflow"],
      ]);
      expect(result.leaks.map((l) => l.bytes).sort()).toEqual([24, 77]);
    },
  );

  it("keep their stacks after a byte dump that starts at a boundary, and after a vptr label", () => {
    for (const [name, kind] of [
      ["aligned.log", "insufficient-object-size"],
      ["vptr.log", "dynamic-type-mismatch"],
    ] as const) {
      const result = read(name);
      expect(warnings(result)).toEqual([]);
      expect(result.errors.map((e) => [e.kind, e.stack.map((f) => f.function)])).toEqual([
        [kind, ["main", "__libc_start_call_main", "__libc_start_main_impl", "_start"]],
      ]);
    }
    expect(read("vptr.log").errors[0]?.details?.["notes"]).toMatch(/\n +vptr for 'C'$/);
  });

  it("have kinds the model registers", () => {
    for (const kind of RUNTIME_ERROR_KINDS) expect(KNOWN_ERROR_KINDS).toContain(kind);
  });
});
