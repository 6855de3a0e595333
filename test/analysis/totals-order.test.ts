import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFile, summarize } from "../../src/index.js";

const ROOT = join(import.meta.dirname, "..", "..");
// Logs whose first records are of different kinds, so that their order changes which kind is
// seen first (leak kinds, error kinds, severities).
const LOGS = [
  "samples/valgrind/leak_all_full.txt",
  "samples/valgrind/many_errors.txt",
  "samples/valgrind/fd_leak.txt",
  "samples/valgrind/segv.txt",
].map((path) => join(ROOT, path));

describe("totals", () => {
  it("list their kinds in one order whatever the order of the inputs (campaign cg F5)", async () => {
    const parsed = await Promise.all(LOGS.map((path) => parseFile(path)));
    const forward = summarize(parsed).totals;
    const backward = summarize([...parsed].reverse()).totals;
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
    expect(Object.keys(forward.leaks)).toEqual([
      "definitely-lost",
      "indirectly-lost",
      "possibly-lost",
      "still-reachable",
    ]);
    const errorKinds = Object.keys(forward.errors);
    expect(errorKinds.length).toBeGreaterThan(2);
    expect(errorKinds).toEqual([...errorKinds].sort());
    expect(Object.keys(forward.groupsBySeverity)).toEqual(
      ["error", "warning", "note", "none"].filter((s) => s in forward.groupsBySeverity),
    );
  });
});
