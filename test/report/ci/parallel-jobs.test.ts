import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";
import { ROOT } from "../../helpers/golden.js";

interface Issue {
  check_name: string;
  description: string;
  fingerprint: string;
}

/**
 * Two jobs of one pipeline (`parallel: 2`), each in its own checkout with a `valgrind.log` its
 * run was killed in (real logs: test/fixtures/killed-in-ci) and a `vg.log` of a run whose leaks
 * only a summary counts (test/fixtures/valgrind/pid-named).
 */
const SHARDS = {
  "memcheck 1/2": {
    "valgrind.log": "killed-in-ci/write-hang-killed.txt",
    "vg.log": "valgrind/pid-named/run1/vg.14433.log",
  },
  "memcheck 2/2": {
    "valgrind.log": "killed-in-ci/hang.4635.log",
    "vg.log": "valgrind/pid-named/run2/vg.14519.log",
  },
};
type Job = keyof typeof SHARDS;

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "leaklog-jobs-"));
  for (const [job, logs] of Object.entries(SHARDS)) {
    mkdirSync(join(dir, job), { recursive: true });
    for (const [name, fixture] of Object.entries(logs))
      copyFileSync(join(ROOT, "test/fixtures", fixture), join(dir, job, name));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One job's Code Quality report, run in its checkout as the README's GitLab recipe runs it. */
async function issuesOf(job: Job, ...options: string[]): Promise<Issue[]> {
  const args = ["summarize", "valgrind.log", "vg.log", "-f", "codequality", ...options];
  const { stdout } = await cli(args, [], { cwd: join(dir, job) });
  return JSON.parse(stdout) as Issue[];
}

/** What GitLab keeps of a pipeline's Code Quality reports: one issue per fingerprint. */
function merged(...reports: Issue[][]): Map<string, Issue> {
  return new Map(reports.flat().map((issue) => [issue.fingerprint, issue]));
}

const atLogs = (issues: Issue[]) =>
  issues.filter((i) => /leaklog\/(incomplete|definitely-lost|still-reachable)/.test(i.check_name));

// Campaign cf Q10: GitLab merges the reports of a pipeline's jobs by fingerprint, and an issue
// at a log was fingerprinted by the log's path, which every shard's log shares.
describe("Code Quality issues at the logs of parallel jobs", () => {
  it("merge into one per log path without the job's name", async () => {
    const [first, second] = [await issuesOf("memcheck 1/2"), await issuesOf("memcheck 2/2")];
    // Each job's incomplete log, and the definite and reachable leaks only a summary counts.
    expect(atLogs(first)).toHaveLength(3);
    expect(atLogs(second)).toHaveLength(3);
    expect(merged(atLogs(first), atLogs(second)).size).toBe(3);
  });

  it("stay apart with --job-name, each saying its job", async () => {
    const [first, second] = [
      await issuesOf("memcheck 1/2", "--job-name", "memcheck 1/2"),
      await issuesOf("memcheck 2/2", "--job-name", "memcheck 2/2"),
    ];
    expect(merged(atLogs(first), atLogs(second)).size).toBe(6);
    for (const issue of atLogs(first))
      expect(issue.description).toMatch(/ \(CI job memcheck 1\/2\)$/);
    for (const issue of atLogs(second))
      expect(issue.description).toMatch(/ \(CI job memcheck 2\/2\)$/);
  });

  it("leave the issues at the program's code as they are: the program's, whichever job", async () => {
    const [plain, named] = [
      await issuesOf("memcheck 1/2"),
      await issuesOf("memcheck 1/2", "--job-name", "memcheck 1/2"),
    ];
    const atCode = (issues: Issue[]) =>
      issues.filter((i) => i.check_name === "leaklog/InvalidWrite");
    expect(atCode(plain)).toHaveLength(1);
    expect(atCode(named)).toEqual(atCode(plain));
  });

  it("refuses an empty job name, which would merge them again without a word", async () => {
    const { code, stderr } = await cli(["summarize", "vg.log", "--job-name", ""], [], {
      cwd: join(dir, "memcheck 1/2"),
    });
    expect(code).toBe(2);
    expect(stderr).toBe(
      `leaklog: --job-name: empty: give the CI job's name (GitLab: "$CI_JOB_NAME")\n`,
    );
  });
});
