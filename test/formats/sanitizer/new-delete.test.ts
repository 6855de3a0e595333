import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { ROOT } from "../../helpers/golden.js";

// A real run; see test/fixtures/sanitizer/new-delete/README.md.
const LOG = join(ROOT, "test", "fixtures", "sanitizer", "new-delete", "asan.log");

describe("ASan's new-delete-type-mismatch", () => {
  it("keeps the delete's stack as the report's own, and the sizes in details", () => {
    const result = parse(readFileSync(LOG, "utf8"));
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
    expect(
      result.errors.map((e) => [e.kind, e.stack[1]?.function, e.aux?.map((a) => a.message)]),
    ).toEqual([
      ["new-delete-type-mismatch", "first()", ["allocated by thread T0 here:"]],
      ["new-delete-type-mismatch", "second()", ["allocated by thread T0 here:"]],
    ]);
    expect(result.errors[0]?.details?.["detail"]).toBe(
      "object passed to delete has wrong type:\nsize of the allocated type:   40 bytes;\nsize of the deallocated type: 4 bytes.",
    );
  });

  it("groups the two functions' deletes apart", () => {
    const report = summarize([parse(readFileSync(LOG, "utf8"))]);
    expect(report.groups).toHaveLength(2);
  });
});
