import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/golden.js";
import { ErrorCountsCheck } from "../../../src/formats/valgrind-xml/error-counts.js";
import { parseXml } from "./helpers.js";

// Real valgrind 3.19 runs; see test/fixtures/valgrind-xml/error-counts/README.md.
const fixture = (name: string): string =>
  readFileSync(join(ROOT, "test", "fixtures", "valgrind-xml", "error-counts", name), "utf8");

const mismatches = (text: string): [string, number | undefined, string][] =>
  parseXml(text)
    .diagnostics.filter((d) => d.code === "summary-mismatch")
    .map((d) => [d.severity, d.pid, d.message]);

/** `text` without the `<error>` block of `unique` (the first one by default). */
function withoutError(text: string, unique?: string): string {
  const at = unique === undefined ? 0 : text.indexOf(`<unique>${unique}</unique>`);
  const start = text.lastIndexOf("<error>", at === 0 ? text.indexOf("<error>") : at);
  const end = text.indexOf("</error>", start) + "</error>".length;
  return text.slice(0, start) + text.slice(end);
}

describe("valgrind XML <errorcounts> against the printed errors", () => {
  it("finds every counted context printed, loss records that are not counted aside", () => {
    const result = parseXml(fixture("kinds_def_all.xml"));
    expect(result.errors.map((e) => [e.kind, e.count])).toEqual([["InvalidRead", 3]]);
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
  });

  it("warns of a counted context whose <error> is missing", () => {
    expect(mismatches(withoutError(fixture("kinds_def_all.xml")))).toEqual([
      [
        "warning",
        5975,
        "PID 5975: <errorcounts> counts 1 error contexts; 1 with no <error> (unique 0x0) (error records are missing or damaged in the log)",
      ],
    ]);
  });

  it("warns of a printed error that <errorcounts> does not count", () => {
    const edited = fixture("kinds_def_all.xml").replace(
      "<unique>0x0</unique>\n  </pair>",
      "<unique>0x1</unique>\n  </pair>",
    );
    const [mismatch] = mismatches(edited);
    expect(mismatch?.[2]).toContain(
      "1 with no <error> (unique 0x1); 1 <error> it does not count (unique 0x0)",
    );
  });

  it("accepts a forked child's count of its parent's errors from before the fork", () => {
    // The child's <errorcounts> lists 0x0, printed only in its parent's file.
    expect(fixture("fork.6975.xml")).toContain("<unique>0x0</unique>\n  </pair>");
    expect(mismatches(fixture("fork.6975.xml"))).toEqual([]);
    expect(mismatches(fixture("fork.6954.xml"))).toEqual([]);
  });

  it("still warns when a forked child's own error is missing", () => {
    // 0x2 is above the child's lowest <unique> (0x1): made in the child, not inherited. Its
    // first error gone, the child could not be told from one that inherited it.
    const [mismatch] = mismatches(withoutError(fixture("fork.6975.xml"), "0x2"));
    expect(mismatch?.[2]).toContain("1 with no <error> (unique 0x2)");
    expect(mismatches(withoutError(fixture("fork.6975.xml")))).toEqual([]);
  });

  it("does not take a started process for a forked child", () => {
    // The parent's document has <status> RUNNING: a missing first error is not its parent's.
    const [mismatch] = mismatches(withoutError(fixture("fork.6954.xml")));
    expect(mismatch?.[2]).toContain("1 with no <error> (unique 0x0)");
  });
});

describe("the <errorcounts> check's memory", () => {
  it("keeps at most 100,000 uniques per document, then says the check was skipped", () => {
    const check = new ErrorCountsCheck();
    for (let n = 0; n <= 100_000; n += 1) check.error(String(n), "InvalidRead", false);
    check.count("0");
    expect(check.check(7, false, 42)).toMatchObject({
      severity: "info",
      code: "error-counts-unchecked",
      pid: 7,
      line: 42,
    });
    check.clear();
    check.error("1", "InvalidRead", false);
    check.count("2");
    expect(check.check(7, false, 50)?.code).toBe("summary-mismatch");
  });
});
