import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

const LOG = join(ROOT, "test", "fixtures", "valgrind", "ctest-xml", "MemoryChecker.4.log");

describe("Valgrind's stack size advice after a SIGSEGV", () => {
  it("is read when it stands alone, as in the text log of a --xml=yes run", () => {
    const result = parse(readFileSync(LOG), { path: "MemoryChecker.4.log" });
    expect(result.fatal).toBeUndefined();
    expect(result.source.format).toBe("valgrind");
    expect(result.source.counters.unrecognizedLines).toBe(0);
    expect(result.diagnostics).toEqual([]);
  });

  it("is still a line not understood when its words differ", () => {
    const text = readFileSync(LOG, "utf8").replace("was 8388608.", "was large.");
    const result = parse(text);
    expect(result.source.counters.unrecognizedLines).toBe(1);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([["unrecognized-line", 5]]);
  });
});
