import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyLine } from "../../../grammars/sanitizer/classify.js";
import { parse } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

/*
 * memcpy-param-overlap on a stack buffer describes both ranges, each as a stack address with its
 * own frame, object list and HINT, the second right after the first's HINT. A real recover-mode
 * run with four error reports is the fixture (test/fixtures/sanitizer/recover).
 */
const PATH = "test/fixtures/sanitizer/recover/asan6.txt";
const report = () => parse(readFileSync(join(ROOT, PATH), "utf8"), { path: PATH });

describe("two stack address descriptions in one ASan error", () => {
  it("are two aux entries, each with its own frame", () => {
    const overlap = report().errors.find((e) => e.kind === "memcpy-param-overlap");
    expect(
      overlap?.aux.map((a) => [a.message, a.stack?.map((f) => `${f.function}:${f.line}`)]),
    ).toEqual([
      ["Address 0x7fff50a7e310 is located in stack of thread T0 at offset 32 in frame", ["main:7"]],
      ["Address 0x7fff50a7e312 is located in stack of thread T0 at offset 34 in frame", ["main:7"]],
    ]);
  });

  it("keep both object lists, in order, as the description and glue nothing to them", () => {
    const overlap = report().errors.find((e) => e.kind === "memcpy-param-overlap");
    const description = String(overlap?.details?.["description"]);
    expect(description).not.toContain("Address 0x");
    expect(description.match(/This frame has 2 object\(s\):/g)).toHaveLength(2);
    expect(description.indexOf("at offset 32 is inside")).toBeLessThan(
      description.indexOf("at offset 34 is inside"),
    );
  });

  it("leave the other reports of the log as they were", () => {
    const r = report();
    expect(r.errors.map((e) => [e.kind, e.aux.length])).toEqual([
      ["heap-buffer-overflow", 1],
      ["heap-use-after-free", 2],
      ["bad-free", 1],
      ["memcpy-param-overlap", 2],
    ]);
    expect(r.leaks).toHaveLength(2);
    expect(r.diagnostics).toEqual([]);
    expect(r.source.counters.programLines).toBe(1);
  });

  it("are recognised by their line, also for a named thread", () => {
    const line = "Address 0x7f1 is located in stack of thread T1 (worker-1) at offset 8 in frame";
    expect(classifyLine(line).type.name).toBe("StackHeader");
    expect(classifyLine("Address 0x7f1 is located in stack of thread T1").type.name).toBe("Text");
  });
});

describe("frames after a description line the classifier does not know", () => {
  it("are titled by the one line before them; earlier text stays description", () => {
    const log = readFileSync(join(ROOT, PATH), "utf8").replaceAll(
      /^Address (0x[0-9a-f]+) is located in stack of thread T0 at offset/gm,
      "Address $1 is on the stack of thread T0 at offset",
    );
    const overlap = parse(log).errors.find((e) => e.kind === "memcpy-param-overlap");
    expect(overlap?.aux.map((a) => [a.message, a.stack?.length])).toEqual([
      ["Address 0x7fff50a7e310 is on the stack of thread T0 at offset 32 in frame", 1],
      ["Address 0x7fff50a7e312 is on the stack of thread T0 at offset 34 in frame", 1],
    ]);
    expect(overlap?.details?.["description"]).not.toContain("Address 0x");
  });
});
