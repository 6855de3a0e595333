import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

const LOG = join(ROOT, "test", "fixtures", "valgrind", "ctest-xml", "MemoryChecker.4.log");

describe("Valgrind's stack size advice after a SIGSEGV", () => {
  it("alone is the text log of a --xml=yes run: unusable, not a clean run", () => {
    // The crash is in the XML file only: read as clean, a CTest glob of these logs passed a
    // test that died of SIGSEGV (campaign bd).
    const result = parse(readFileSync(LOG), { path: "MemoryChecker.4.log" });
    expect(result.fatal?.code).toBe("xml-run-text-log");
    expect(result.source.counters.unrecognizedLines).toBe(0);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["xml-run-text-log"]);
  });

  it("after the fatal signal's record is the run's own (a -q text run)", () => {
    const log = readFileSync(join(ROOT, "samples", "valgrind", "segv.txt"), "utf8");
    const result = parse(log, { path: "segv.txt" });
    expect(result.fatal).toBeUndefined();
    expect(result.errors.map((e) => e.kind)).toContain("FatalSignal");
  });

  it("is still a line not understood when its words differ", () => {
    const text = readFileSync(LOG, "utf8").replace("was 8388608.", "was large.");
    const result = parse(text);
    expect(result.source.counters.unrecognizedLines).toBe(1);
    const unrecognized = result.diagnostics.filter((d) => d.code === "unrecognized-line");
    expect(unrecognized.map((d) => d.line)).toEqual([5]);
  });
});
