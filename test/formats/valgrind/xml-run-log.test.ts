import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

// A real -v run with --xml=yes and --log-file (fixtures/valgrind/xml-and-log/README.md).
const parsed = (name: string) => {
  const path = `test/fixtures/valgrind/xml-and-log/${name}`;
  return parse(readFileSync(join(ROOT, path), "utf8"), { path });
};

describe("the text log of a -v run with --xml=yes", () => {
  it("is unusable, and names the XML file that holds the records", () => {
    const report = parsed("xml_v.txt");
    expect(report.fatal).toEqual({
      code: "xml-run-text-log",
      message:
        "the text log of a Valgrind run with --xml=yes, which writes every record to the XML file xml_v.xml: give leaklog that file",
    });
    expect(report.leaks).toEqual([]);
  });

  it("leaves the XML of the same run its records", () => {
    const report = parsed("xml_v.xml");
    expect(report.fatal).toBeUndefined();
    expect(report.leaks.map((l) => [l.kind, l.bytes])).toEqual([["definitely-lost", 64]]);
  });

  it("is told apart from a -v log of a run without --xml=yes", () => {
    const report = parsed("../notices/sigkill_v.txt");
    expect(report.fatal).toBeUndefined();
  });
});
