import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import { ROOT } from "../helpers/golden.js";

const FIXTURE = "test/fixtures/suppressions/all-syntax.supp";

describe("parseValgrindSuppressions", () => {
  const parsed = parseValgrindSuppressions(readFileSync(join(ROOT, FIXTURE), "utf8"), FIXTURE);
  const byName = new Map(parsed.suppressions.map((s) => [s.name, s]));

  it("reads every syntax element without problems", () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.suppressions.map((s) => s.name)).toEqual([
      "leak-with-kinds",
      "tabs-and-blank-lines",
      "param",
      "fishy",
      "any-kind-leak",
      "no-leak-kind",
      "helgrind-only",
      "two-tools",
      "fds",
    ]);
  });

  it("keeps kinds, frames, leak kinds and the name's line", () => {
    expect(byName.get("leak-with-kinds")).toEqual({
      name: "leak-with-kinds",
      tools: ["Memcheck"],
      kind: "Leak",
      memcheck: true,
      leakKinds: ["definite", "possible"],
      frames: [
        { type: "fun", pattern: "malloc" },
        { type: "..." },
        { type: "fun", pattern: "cache_*" },
        { type: "obj", pattern: "/usr/lib/lib?.so*" },
      ],
      path: FIXTURE,
      line: 4,
    });
    expect(byName.get("tabs-and-blank-lines")).toMatchObject({
      leakKinds: ["definite", "indirect", "possible", "reachable"],
      frames: [
        { type: "fun", pattern: "malloc" },
        { type: "src", pattern: "leak.c", line: 12 },
        { type: "src", pattern: "main.c" },
      ],
    });
    expect(byName.get("param")).toMatchObject({ kind: "Param", extra: "write(buf)" });
    expect(byName.get("fishy")).toMatchObject({ kind: "FishyValue", extra: "malloc(size)" });
    expect(byName.get("any-kind-leak")?.leakKinds).toHaveLength(4);
    expect(byName.get("no-leak-kind")?.leakKinds).toEqual([]);
    expect(byName.get("helgrind-only")).toMatchObject({ memcheck: false, frames: [] });
    expect(byName.get("two-tools")).toMatchObject({
      tools: ["Memcheck", "Helgrind"],
      kind: "Addr4",
    });
    expect(byName.get("fds")).toMatchObject({
      tools: ["CoreError"],
      kind: "FdNotClosed",
      memcheck: true,
    });
  });

  const entry = (...lines: string[]) => ["{", "   name", ...lines, "}"].join("\n");
  it.each([
    ["text outside an entry", "fun:malloc\n", 1, /expected '\{' or end of file/],
    ["a missing name", "{\n}\n", 2, /missing name/],
    ["no tool:kind line", entry("Memcheck", "fun:f"), 3, /malformed 'tool1,tool2,...:kind'/],
    [
      "an unknown Memcheck kind",
      entry("Memcheck:Nope", "fun:f"),
      3,
      /unknown Memcheck suppression type "Nope"/,
    ],
    ["an unknown core kind", entry("CoreError:Nope", "fun:f"), 3, /unknown core suppression type/],
    [
      "a Param without its syscall line",
      entry("Memcheck:Param", "fun:f"),
      4,
      /needs the syscall parameter line/,
    ],
    [
      "a FishyValue without function(arg)",
      entry("Memcheck:FishyValue", "fun:f"),
      4,
      /function\(argument\)/,
    ],
    [
      "a bad leak kind",
      entry("Memcheck:Leak", "match-leak-kinds: definite,lost", "fun:f"),
      4,
      /bad match-leak-kinds "lost"/,
    ],
    ["a bad location line", entry("Memcheck:Leak", "fn:malloc"), 4, /location should be/],
    ["a bad src line number", entry("Memcheck:Leak", "src:a.c:x"), 4, /bad line number/],
    ["no stack", entry("Memcheck:Cond"), 4, /missing stack trace/],
    ["only ...", entry("Memcheck:Cond", "..."), 5, /at least one location line that is not/],
    [
      "a missing closing brace",
      "{\n   n\n   Memcheck:Cond\n   fun:f\n",
      4,
      /unexpected end of file/,
    ],
    [
      "a brace inside the stack",
      "{\n n\n Memcheck:Cond\n fun:f\n{\n n2\n Memcheck:Cond\n fun:g\n}\n",
      5,
      /previous entry has no '\}'/,
    ],
  ])("reports %s with its file and line", (_label, text, line, message) => {
    const { problems } = parseValgrindSuppressions(text, "bad.supp");
    expect(problems[0]).toMatchObject({
      severity: "error",
      code: "bad-suppression",
      path: "bad.supp",
      line,
    });
    expect(problems[0]?.message).toMatch(message);
  });

  it("keeps reading after a malformed entry", () => {
    const text = `${entry("Memcheck:Nope", "fun:f")}\n${entry("Memcheck:Cond", "fun:g")}\n`;
    const { suppressions, problems } = parseValgrindSuppressions(text, "x.supp");
    expect(problems).toHaveLength(1);
    expect(suppressions.map((s) => s.kind)).toEqual(["Cond"]);
  });

  it("recovers at the next '{' when a '}' is missing", () => {
    const text = "{\n n\n Memcheck:Cond\n fun:f\n{\n n2\n Memcheck:Cond\n fun:g\n}\n";
    const { suppressions } = parseValgrindSuppressions(text);
    expect(suppressions.map((s) => s.name)).toEqual(["n2"]);
  });
});
