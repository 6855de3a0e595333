import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";
import { ROOT } from "../../helpers/golden.js";

const DIR = join(ROOT, "test/fixtures/valgrind/pid-named");

/** One run's report in `format`, its logs given as a CI job gives them, from the run's folder. */
async function report(run: string, format: string): Promise<unknown> {
  const { stdout } = await cli(["summarize", "*.log", "-f", format], [], { cwd: join(DIR, run) });
  return JSON.parse(stdout) as unknown;
}

interface Issue {
  check_name: string;
  fingerprint: string;
}

// Campaign bb: `--log-file=vg.%p.log` logs, the README's advice for --trace-children.
describe("CI fingerprints of logs named by their PIDs", () => {
  it("stay from run to run in Code Quality", async () => {
    const [first, second] = (await Promise.all([
      report("run1", "codequality"),
      report("run2", "codequality"),
    ])) as [Issue[], Issue[]];
    expect(first.length).toBeGreaterThan(2);
    expect(first.map((i) => [i.check_name, i.fingerprint])).toEqual(
      second.map((i) => [i.check_name, i.fingerprint]),
    );
    expect(new Set(first.map((i) => i.fingerprint)).size).toBe(first.length);
  });

  it("stay from run to run in SARIF, for leaks only a summary counts too", async () => {
    type Sarif = { runs: { results: { partialFingerprints: Record<string, string> }[] }[] };
    const fingerprints = (sarif: Sarif) =>
      sarif.runs[0]?.results.map((r) => Object.values(r.partialFingerprints));
    const [first, second] = (await Promise.all([
      report("run1", "sarif"),
      report("run2", "sarif"),
    ])) as [Sarif, Sarif];
    expect(fingerprints(first)?.length).toBeGreaterThan(2);
    expect(fingerprints(first)).toEqual(fingerprints(second));
  });

  // Campaign cf F1: code scanning tracks an alert by `primaryLocationLineHash` alone, which
  // upload-sarif makes, when absent, from the text of the result's line: a log line's `==PID==`
  // made these results new alerts every run, the leaks only a summary counts and the groups of
  // the build without -g alike, since they all point at their log lines.
  it("give code scanning a primaryLocationLineHash that stays from run to run", async () => {
    type Sarif = {
      runs: {
        results: {
          locations: { physicalLocation?: { artifactLocation: { uri: string } } }[];
          partialFingerprints: Record<string, string>;
        }[];
      }[];
    };
    const hashes = (sarif: Sarif) =>
      (sarif.runs[0]?.results ?? []).map((r) => r.partialFingerprints["primaryLocationLineHash"]);
    const [first, second] = (await Promise.all([
      report("run1", "sarif"),
      report("run2", "sarif"),
    ])) as [Sarif, Sarif];
    const atLogs = first.runs[0]?.results.filter((r) =>
      r.locations[0]?.physicalLocation?.artifactLocation.uri.endsWith(".log"),
    );
    expect(atLogs?.length).toBeGreaterThan(2);
    expect(hashes(first).length).toBeGreaterThan(2);
    for (const hash of hashes(first)) expect(hash).toMatch(/^[0-9a-f]{16}:1$/);
    expect(hashes(second)).toEqual(hashes(first));
    expect(new Set(hashes(first)).size).toBe(hashes(first).length);
  });

  it("are one per issue when one log has two unusable-input errors of a code", async () => {
    const { stdout } = await cli([
      "summarize",
      "samples/memleax/err-attach-eperm.log",
      "-f",
      "codequality",
    ]);
    const issues = JSON.parse(stdout) as Issue[];
    expect(issues.length).toBeGreaterThan(1);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
  });
});

// Campaign cf Q9: a test given a fresh `mktemp -d` (and a PID) had a new JUnit suite every run.
// The other formats' keys never held a command: kept so (group fingerprints are what a baseline
// pairs groups by, and SARIF's `leaklogStack/v1`).
describe("CI fingerprints of processes whose arguments change every run", () => {
  const ARGS = join(ROOT, "test/fixtures/junit-suites/args");
  const keysOf = async (run: string, format: string): Promise<string[]> => {
    const { stdout } = await cli(["summarize", "vg.*.log", "-f", format], [], {
      cwd: join(ARGS, run),
    });
    const parsed = JSON.parse(stdout) as
      Issue[] | { runs: { results: { partialFingerprints: Record<string, string> }[] }[] };
    return Array.isArray(parsed)
      ? parsed.map((issue) => issue.fingerprint)
      : (parsed.runs[0]?.results ?? []).flatMap((r) => Object.values(r.partialFingerprints));
  };

  it("stay from run to run in Code Quality and SARIF", async () => {
    for (const format of ["codequality", "sarif"]) {
      const [first, second] = [await keysOf("run1", format), await keysOf("run2", format)];
      expect(first.length).toBeGreaterThan(0);
      expect(second).toEqual(first);
    }
  });
});

// Campaign ca F1: GitLab tells a merge request's new issues from the target branch's by this
// fingerprint, so a line moved by an edit above the leak must not make it "new and resolved".
describe("Code Quality fingerprints of one leak", () => {
  const SHIFT = join(ROOT, "test/fixtures/valgrind/cq-line-shift");
  const fingerprints = async (log: string) => {
    const { stdout } = await cli(["summarize", log, "-f", "codequality"], [], { cwd: SHIFT });
    return (JSON.parse(stdout) as (Issue & { location: { lines: { begin: number } } })[]).map(
      (issue) => [issue.check_name, issue.fingerprint, issue.location.lines.begin],
    );
  };

  it("stay when an edit above it moves its lines", async () => {
    const [before, after] = [await fingerprints("v1.log"), await fingerprints("v2.log")];
    expect(before).toEqual([["leaklog/definitely-lost", expect.any(String), 6]]);
    expect(after).toEqual([["leaklog/definitely-lost", before[0]?.[1], 7]]);
  });

  it("stay between the text log and the XML of one run, whatever path each issue takes", async () => {
    const [text, xml] = [await fingerprints("v1.log"), await fingerprints("v1.xml")];
    expect(xml.map(([name, fingerprint]) => [name, fingerprint])).toEqual(
      text.map(([name, fingerprint]) => [name, fingerprint]),
    );
  });
});

describe("JUnit case names", () => {
  it("stay when another group with the same kind and first frame comes or goes", async () => {
    const names = async (log: string) => {
      const { stdout } = await cli([
        "summarize",
        `test/fixtures/valgrind/junit-names/${log}`,
        "-f",
        "junit",
      ]);
      return [...stdout.matchAll(/<testcase classname="definitely-lost" name="([^"]*)"/g)].map(
        (m) => m[1],
      );
    };
    const [both, one] = [await names("vg1.log"), await names("vg2.log")];
    expect(both).toHaveLength(2);
    expect(one).toHaveLength(1);
    expect(both).toContain(one[0]);
    expect(one[0]).toMatch(/^definitely-lost in make \(dup\.c\) \[[0-9a-f]{8}\]$/);
  });
});
