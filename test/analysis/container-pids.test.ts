import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize, type Report } from "../../src/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

// Real runs of one forking program in two PID namespaces: see the fixture's README.md.
const FIXTURE = "test/fixtures/valgrind/fork-leaks/pid1";
const DIR = join(ROOT, FIXTURE);
const logs = (folder: string) =>
  readdirSync(join(DIR, folder))
    .sort()
    .map((name) => {
      const path = `${folder}/${name}`;
      return parse(readFileSync(join(DIR, path), "utf8"), { path });
    });
const definite = (report: Report) => report.totals.leaks["definitely-lost"];

describe("two containers' logs whose forked families both have PID 1", () => {
  const a = summarize(logs("a"), { maxRecords: 0 });
  const b = summarize(logs("b"), { maxRecords: 0 });

  it("count each container's copies once, apart", () => {
    expect(definite(a)).toEqual({ bytes: 106, blocks: 6 });
    expect(definite(b)).toEqual({ bytes: 90, blocks: 5 });
  });

  it("compare a child with the parent beside it, not the other container's PID 1", () => {
    expect(definite(summarize([...logs("a"), ...logs("b")]))).toEqual({ bytes: 196, blocks: 11 });
  });

  it("and so do their reports merged", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-pid1-"));
    const reports = ["a", "b"].map((folder) => join(dir, `${folder}.json`));
    for (const [i, folder] of ["a", "b"].entries()) {
      const write = ["summarize", `${FIXTURE}/${folder}/*.log`, "--max-records", "0", "-f", "json"];
      expect((await cli([...write, "-o", reports[i] as string])).code).toBe(0);
    }
    const { stdout } = await cli(["summarize", ...reports, "-f", "json"]);
    const merged = JSON.parse(stdout) as Report;
    expect(definite(merged)).toEqual({ bytes: 196, blocks: 11 });
    expect(merged.totals.inheritedLeaks?.["definitely-lost"]).toEqual({ bytes: 84, blocks: 4 });
  });
});
