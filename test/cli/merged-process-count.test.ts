import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

// Real shard reports of four PID 1 processes, two per shard (see
// test/fixtures/merged-processes/README.md): read back, a full report's records all have the
// report's path, and its processes of one PID were counted as one (campaign v18a F3).
const DIR = "test/fixtures/merged-processes";
const LOGS = ["c1.log", "c2.log", "c3.log", "c4.log"].map((name) => `${DIR}/${name}`);
const FULL = [`${DIR}/r12.json`, `${DIR}/r34.json`];
const CAPPED = [`${DIR}/r12m.json`, `${DIR}/r34m.json`];

/**
 * The process counts of the JSON report's groups of `inputs`, on one thread and on worker
 * threads (the built CLI's: the TypeScript sources run in-process have no worker script).
 */
async function processCounts(inputs: readonly string[]): Promise<(number | undefined)[][]> {
  const args = ["summarize", ...inputs, "-f", "json"];
  const { code, stdout } = await cli(args);
  expect(code).toBe(0);
  const threaded = spawnSync(process.execPath, [join(ROOT, "bin", "leaklog.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, LEAKLOG_WORKERS: "1" },
  });
  expect(threaded.status).toBe(0);
  return [stdout, threaded.stdout].map((json) =>
    (JSON.parse(json) as Report).groups.map((g) => g.processCount),
  );
}

/** The text report's line of the invalid read's group. */
async function invalidReadLine(inputs: readonly string[]): Promise<string | undefined> {
  const { stdout } = await cli(["summarize", ...inputs]);
  return /^ERROR {3}InvalidRead .*$/m.exec(stdout)?.[0];
}

/** A report the CLI writes of `inputs` (with `args`) to a fresh file; its path. */
async function written(inputs: readonly string[], args: readonly string[] = []) {
  const path = join(mkdtempSync(join(tmpdir(), "leaklog-processes-")), "merged.json");
  const { code } = await cli(["summarize", ...inputs, ...args, "-f", "json", "-o", path]);
  expect(code).toBe(0);
  return path;
}

describe("the processes of merged shard reports", () => {
  it("are the logs' own, whatever --max-records the shards were written with", async () => {
    const four = "ERROR   InvalidRead  Invalid read of size 4  (4 occurrences, 4 processes)";
    expect(await invalidReadLine(LOGS)).toBe(four);
    expect(await invalidReadLine(FULL)).toBe(four);
    expect(await invalidReadLine(CAPPED)).toBe(four);
    expect(await invalidReadLine([FULL[0] as string, CAPPED[1] as string])).toBe(four);
    expect(await processCounts(FULL)).toEqual([
      [4, 4, 4],
      [4, 4, 4],
    ]);
  });

  it("are what a report says when it is read back alone", async () => {
    const two = "ERROR   InvalidRead  Invalid read of size 4  (2 occurrences, 2 processes)";
    expect(await invalidReadLine([FULL[0] as string])).toBe(two);
    expect(await processCounts([FULL[0] as string])).toEqual([
      [2, 2, 2],
      [2, 2, 2],
    ]);
  });

  it("survive a merge of merges, and a report listing records of several logs", async () => {
    for (const args of [[], ["--max-records", "1"], ["--max-records", "3"]]) {
      const level1 = await written(FULL, args);
      expect(await processCounts([level1]), args.join(" ")).toEqual([
        [4, 4, 4],
        [4, 4, 4],
      ]);
    }
    // Of the first leak's group, its records of c1.log and c2.log (both PID 1) are listed, and
    // that of c3.log left out; the invalid reads are all listed.
    const listsTwo = await written(LOGS.slice(0, 3), ["--max-records", "3"]);
    expect(await processCounts([listsTwo, LOGS[3] as string])).toEqual([
      [4, 4, 4],
      [4, 4, 4],
    ]);
  });
});
