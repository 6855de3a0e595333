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
