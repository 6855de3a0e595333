import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFile } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import type { Report } from "../../src/model/index.js";
import { ROOT } from "../helpers/golden.js";

// Real ctest -V runs of one build, serial and in parallel (fixtures/ctest-verbose/parallel).
const DIR = join(ROOT, "test/fixtures/ctest-verbose/parallel");
const report = async (name: string, baseline?: Report) =>
  summarize([await parseFile(join(DIR, name), { path: name })], baseline ? { baseline } : {});
const shape = (r: Report) =>
  r.groups.map((g) => [g.kind, g.fingerprint, g.stack.length, g.occurrences]).sort();

describe("ctest -jN -V, whose tests' lines interleave", () => {
  it.each(["ctest-j2-V.txt", "ctest-j4-V.txt"])(
    "%s reads as the serial run does: every report keeps its stack",
    async (name) => {
      const serial = await report("ctest-serial-V.txt");
      const parallel = await report(name);
      expect(parallel.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
      expect(parallel.sources[0]?.complete).toBe(true);
      expect(shape(parallel)).toEqual(shape(serial));
      for (const error of parallel.errors.filter((e) => e.tool === "asan"))
        expect(error.stack.length, error.kind).toBeGreaterThan(0);
    },
  );

  it("gives no new group against a baseline of the serial run", async () => {
    const baseline = await report("ctest-serial-V.txt");
    const compared = await report("ctest-j4-V.txt", baseline);
    expect(compared.groups.filter((g) => g.baseline !== "unchanged")).toEqual([]);
  });
});
