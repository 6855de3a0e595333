import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseFile } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

const DIR = join(ROOT, "test/fixtures/valgrind-xml/errorcounts-late");

describe("an XML error whose count comes after thousands of loss records", () => {
  it("keeps its <errorcounts> count, as the text log of the same program does", async () => {
    // One error 1,000 times, then 8,192 loss records: the error waited with every record behind
    // it, and past 5,000 went out with count 1 (cc1plus: 252 of its 296,576 errors).
    const xml = await parseFile(join(DIR, "many.xml.gz"));
    const text = await parseFile(join(DIR, "many.txt.gz"));
    for (const result of [xml, text]) {
      expect(result.errors.map((e) => [e.kind, e.count])).toEqual([["UninitCondition", 1000]]);
      expect(result.leaks).toHaveLength(8192);
      expect(result.diagnostics).toEqual([]);
    }
  });

  it("still bounds what waits: past 5,000 errors set aside, the oldest keeps count 1", () => {
    // dup_errors_s.xml's UninitCondition made 10,002 contexts, each counted 7 times at the end.
    const sample = readFileSync(join(ROOT, "samples/valgrind-xml/dup_errors_s.xml"), "utf8");
    const start = sample.indexOf("<error>", sample.indexOf("<unique>0x5</unique>") - 20);
    const end = sample.indexOf("</error>", start) + "</error>\n".length;
    const error = sample.slice(start, end);
    const contexts = 10_002;
    const uniques = Array.from({ length: contexts }, (_, i) => `0x${(i + 0x100).toString(16)}`);
    const errors = uniques.map((u) =>
      error.replace("<unique>0x5</unique>", `<unique>${u}</unique>`),
    );
    const pairs = uniques.map((u) => `<pair><count>7</count><unique>${u}</unique></pair>`);
    const counts = sample.indexOf("<errorcounts>");
    const xml =
      sample.slice(0, start) +
      errors.join("") +
      sample.slice(end, counts) +
      `<errorcounts>\n${pairs.join("\n")}\n</errorcounts>\n<suppcounts>\n</suppcounts>\n</valgrindoutput>\n`;
    const result = parse(xml);
    const uninit = result.errors.filter((e) => e.kind === "UninitCondition");
    expect(uninit).toHaveLength(contexts);
    // 5,000 wait in the queue and 5,000 aside: of the 10,004 findings (the sample's InvalidRead,
    // the contexts, its loss record), the 4 past both go out early, each the oldest queued one.
    expect(uninit.filter((e) => e.count === 1)).toHaveLength(4);
    expect(uninit.filter((e) => e.count === 7)).toHaveLength(contexts - 4);
    expect(result.diagnostics.map((d) => d.code)).toContain("xml-errorcounts-not-applied");
  });
});
