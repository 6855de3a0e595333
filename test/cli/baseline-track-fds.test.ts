import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFile } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import type { Report } from "../../src/model/index.js";
import { cli, diffCounts } from "../helpers/cli.js";

// Campaign ch Q15: a run without --track-fds against a baseline made with it called the
// descriptor the program still leaves open "fixed". See test/fixtures/baseline-track-fds.
const DIR = "test/fixtures/baseline-track-fds";
const log = (name: string) => `${DIR}/${name}`;

async function report(name: string, baseline?: Report): Promise<Report> {
  return summarize([await parseFile(log(name))], baseline !== undefined ? { baseline } : {});
}

const unlistedWarnings = (r: Report) =>
  r.diagnostics.filter((d) => d.code === "baseline-kinds-unlisted").map((d) => d.message);
const fdGroups = (r: Report) => r.groups.filter((g) => g.kind === "FdNotClosed");

describe("descriptors left open, against a baseline of a run with --track-fds=yes", () => {
  it("are not fixed in a run whose logs do not list them", async () => {
    const baseline = await report("v1-fds.log");
    // 3.19 and 3.27, text and XML, without --track-fds or with =bad, which lists none.
    for (const run of ["v1.log", "v1.xml", "v1-3.27.log", "v1-3.27.xml", "v1-bad-3.27.xml"]) {
      const compared = await report(run, baseline);
      expect([run, compared.groups.map((g) => [g.kind, g.baseline])]).toEqual([
        run,
        [["definitely-lost", "unchanged"]],
      ]);
      expect(unlistedWarnings(compared)).toEqual([
        "1 baseline group(s) of kind FdNotClosed not compared: a log of this run does not list the descriptors left open at exit (Valgrind ran without --track-fds=yes), so whether they are fixed is unknown",
      ]);
    }
  });

  it("are compared in a run that lists them, -q or XML of Valgrind 3.23 on", async () => {
    const baseline = await report("v1-fds.log");
    for (const run of ["v1-fds.log", "v1-fds-q.log", "v1-fds-3.27.xml"]) {
      const compared = await report(run, baseline);
      expect([run, compared.sources[0]?.descriptorsListed]).toEqual([run, true]);
      expect(fdGroups(compared).map((g) => g.baseline)).toContain("unchanged");
      expect(unlistedWarnings(compared)).toEqual([]);
    }
    // Without --track-fds the sources do not say it.
    expect((await report("v1.xml")).sources[0]).not.toHaveProperty("descriptorsListed");
    expect((await report("v1-bad-3.27.xml")).sources[0]).not.toHaveProperty("descriptorsListed");
  });

  it("are not fixed in diff, nor against a report read back of logs some of which do not list them", async () => {
    expect(await diffCounts(log("v1-fds.log"), log("v1.log"))).toEqual({
      code: 0,
      counts: { new: 0, unchanged: 1, fixed: 0 },
    });
    const dir = mkdtempSync(join(tmpdir(), "leaklog-track-fds-"));
    const json = async (name: string) => {
      const out = join(dir, `${name}.json`);
      const { stdout } = await cli(["summarize", log(name), "-f", "json"]);
      writeFileSync(out, stdout);
      return out;
    };
    const [tracked, untracked] = [await json("v1-fds-3.27.xml"), await json("v1.log")];
    const base = log("v1-fds.log");
    expect(await diffCounts(base, tracked)).toMatchObject({ counts: { unchanged: 2, fixed: 0 } });
    expect(await diffCounts(base, untracked)).toMatchObject({ counts: { unchanged: 1, fixed: 0 } });
    // A merge of both: the untracked log's part may have had it open too.
    const merged = join(dir, "merged.json");
    writeFileSync(merged, (await cli(["summarize", tracked, untracked, "-f", "json"])).stdout);
    expect(JSON.parse((await cli(["summarize", merged, "-f", "json"])).stdout)).toMatchObject({
      sources: [expect.not.objectContaining({ descriptorsListed: true })],
    });
  });
});
