import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { usedSuppressionFields } from "../../../grammars/valgrind/used-suppression-line.js";
import { parse } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

// Real runs of fixtures/baseline-used-suppressions (see its README).
const parsed = (name: string) => {
  const path = `test/fixtures/baseline-used-suppressions/${name}`;
  return parse(readFileSync(join(ROOT, path), "utf8"), { path });
};

const ZLIB = "zlib-1.2.x trickyness";
const FAQ = "See http://www.zlib.net/zlib_faq.html#faq36";
const DEFAULT_SUPP = "/usr/libexec/valgrind/default.supp";

describe("the suppressions a Valgrind process says it used", () => {
  it("-s text: each used_suppression line, leak entries with what they suppressed", () => {
    const { source, leaks, errors, diagnostics } = parsed("zunfixed-all-s.log");
    expect(source.processes).toEqual([
      { pid: 9902, command: "./zprog", usedSuppressionsListed: true },
    ]);
    expect(source.usedSuppressions).toEqual([
      {
        name: "leaklog-definitely-lost-bb1cfc63b85eca8c",
        count: 1,
        file: "zall.supp",
        line: 8,
        leak: { bytes: 100, blocks: 1 },
      },
      {
        name: "leaklog-definitely-lost-1766d2697d43a977",
        count: 1,
        file: "zall.supp",
        line: 16,
        leak: { bytes: 72, blocks: 3 },
      },
      // Names of Valgrind's own default.supp hold spaces and colons.
      { name: `${ZLIB} (2a): ${FAQ}`, count: 128, file: DEFAULT_SUPP, line: 503 },
      { name: `${ZLIB} (1b): ${FAQ}`, count: 3, file: DEFAULT_SUPP, line: 496 },
      { name: `${ZLIB} (1a): ${FAQ}`, count: 32897, file: DEFAULT_SUPP, line: 488 },
      { name: `${ZLIB} (2b): ${FAQ}`, count: 65662, file: DEFAULT_SUPP, line: 511 },
      { name: "leaklog-InvalidRead-b7f79d6028a84d4a", count: 1, file: "zall.supp", line: 2 },
    ]);
    // Nothing else of the log changes: no record, no diagnostic.
    expect([...leaks, ...errors]).toEqual([]);
    expect(diagnostics).toEqual([]);
  });

  it("a text log without -s or -v lists none", () => {
    const { source } = parsed("fixed-leaks.log");
    expect(source.processes[0]?.usedSuppressionsListed).toBeUndefined();
    expect(source.usedSuppressions).toBeUndefined();
  });

  it("XML: the <suppcounts> pairs, names and counts", () => {
    const { source, diagnostics } = parsed("unfixed-all.xml");
    expect(source.processes[0]?.usedSuppressionsListed).toBe(true);
    expect(source.usedSuppressions).toEqual([
      { name: "leaklog-definitely-lost-60d6dc1d069f908c", count: 1 },
      { name: "leaklog-definitely-lost-560f0e84cae0c2f7", count: 1 },
      { name: "leaklog-InvalidRead-8b3133a58b96a50a", count: 1 },
    ]);
    expect(diagnostics.map((d) => d.code)).toEqual(["valgrind-suppressions-used"]);
  });
});

describe("usedSuppressionFields", () => {
  it("reads Valgrind 3.9+'s line, and the count and name alone of older ones", () => {
    expect(usedSuppressionFields("used_suppression:  1234567 a b c.supp:7")).toEqual({
      count: "1234567",
      name: "a b",
      file: "c.supp",
      line: "7",
    });
    expect(
      usedSuppressionFields(
        "used_suppression:      2 my leak x.supp:3 suppressed: 4,096 bytes in 1,024 blocks",
      ),
    ).toEqual({
      count: "2",
      name: "my leak",
      file: "x.supp",
      line: "3",
      bytes: "4,096",
      blocks: "1,024",
    });
    expect(usedSuppressionFields("used_suppression:      2 my old name")).toEqual({
      count: "2",
      name: "my old name",
    });
  });

  it("is undefined for any other -v line", () => {
    expect(usedSuppressionFields("used_suppression:      2 ")).toBeUndefined();
    expect(usedSuppressionFields("used_suppression: x name f.supp:1")).toBeUndefined();
    expect(usedSuppressionFields("Reading suppressions file: default.supp")).toBeUndefined();
  });
});
