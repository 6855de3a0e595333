import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseFile } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import type { Report } from "../../../src/model/index.js";
import { REPORTERS } from "../../../src/report/index.js";
import { cli } from "../../helpers/cli.js";
import { ROOT } from "../../helpers/golden.js";
import {
  CONTEXT,
  fixtureReportOf,
  GOLDEN_FIXTURES,
  GOLDEN_SAMPLES,
  hostileReport,
  reportOf,
} from "./helpers.js";
import {
  analyzedUris,
  isSerious,
  MULTITOOL_AVAILABLE,
  validateSarif,
  type ValidationResult,
} from "./multitool.js";

interface Log {
  runs: {
    tool: {
      driver: {
        rules: {
          id: string;
          shortDescription?: unknown;
          fullDescription?: unknown;
          help?: unknown;
        }[];
      };
    };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications?: unknown[] }[];
    results: {
      ruleId: string;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation?: {
          artifactLocation: { uri: string; uriBaseId?: string };
          region?: { startLine: number };
        };
      }[];
      partialFingerprints: Record<string, string>;
      properties?: Record<string, unknown>;
    }[];
  }[];
}

const render = (report: Report) => REPORTERS.sarif.render(report, CONTEXT);

async function fatalReport(): Promise<Report> {
  const good = await parseFile(join(ROOT, "samples/valgrind/leak_definite.txt"), {
    path: "samples/valgrind/leak_definite.txt",
  });
  const missing = await parseFile(join(ROOT, "nope.txt"), { path: "nope.txt" });
  return summarize([good, missing]);
}

/**
 * The logs every test below checks: each golden sample and fixture (a run killed before its
 * leak check), the hostile one, a fatal input.
 */
async function allLogs(): Promise<[string, string][]> {
  const logs: [string, string][] = [];
  for (const sample of GOLDEN_SAMPLES) logs.push([sample, render(await reportOf(sample))]);
  for (const fixture of GOLDEN_FIXTURES) logs.push([fixture, render(fixtureReportOf(fixture))]);
  logs.push(["hostile", render(await hostileReport())]);
  logs.push(["fatal", render(await fatalReport())]);
  return logs;
}

/**
 * fd_leak.txt and leak_all_summary.txt as read from standard input: findings with no own frame
 * have no file location (valid SARIF; GitHub's GH1015, GH1017 and GH2012 reject it).
 */
async function stdinLog(): Promise<string> {
  const report = await reportOf("valgrind/fd_leak.txt", "valgrind/leak_all_summary.txt");
  return render({
    ...report,
    groups: report.groups.map((g) => ({
      ...g,
      members: g.members.map((m) => ({ ...m, path: "-" })),
    })),
    summaryOnlyLeaks: (report.summaryOnlyLeaks ?? []).map((e) => ({ ...e, path: "-" })),
  });
}
const UNLOCATED_RULES = new Set(["GH1015", "GH1017", "GH2012"]);

describe("sarif", () => {
  it("meets GitHub's ingestion rules on every result (GH1001, GH1003, GH1005, GH1006)", async () => {
    for (const [name, text] of await allLogs()) {
      const run = (JSON.parse(text) as Log).runs[0];
      if (run === undefined) throw new Error(name);
      const rules = new Map(run.tool.driver.rules.map((r) => [r.id, r]));
      // What code scanning tracks an alert by, one per result (see line-hash.ts).
      const lineHashes = run.results.map((r) => r.partialFingerprints["primaryLocationLineHash"]);
      expect(new Set(lineHashes).size, name).toBe(run.results.length);
      for (const result of run.results) {
        const physical = result.locations[0]?.physicalLocation;
        expect(physical, `${name}: ${result.message.text}`).toBeDefined();
        const uri = physical?.artifactLocation.uri ?? "";
        expect(uri, name).not.toMatch(/^[a-z]+:|^\/|(^|\/)\.\.(\/|$)/);
        expect(physical?.artifactLocation.uriBaseId).toBe("%SRCROOT%");
        expect(physical?.region?.startLine).toBeGreaterThan(0);
        expect(rules.get(result.ruleId)).toMatchObject({
          shortDescription: expect.anything(),
          fullDescription: expect.anything(),
          help: expect.anything(),
        });
        expect(result.partialFingerprints["leaklogStack/v1"]).toMatch(/^[0-9a-f]{16}$/);
        expect(result.partialFingerprints["primaryLocationLineHash"]).toMatch(/^[0-9a-f]{16}:\d+$/);
      }
    }
  });

  it("gives each log's summary-only leaks fingerprints of their own", async () => {
    // Two logs whose LEAK SUMMARY counts leaks no loss record shows (--leak-check=summary).
    const report = await reportOf("valgrind/leak_all_summary.txt", "valgrind/stack_overflow.txt");
    const run = (JSON.parse(REPORTERS.sarif.render(report, CONTEXT)) as Log).runs[0];
    const summaryOnly = (run?.results ?? []).filter((r) => r.properties?.["summaryOnly"] === true);
    const byKind = new Map<string, string[]>();
    for (const result of summaryOnly)
      byKind.set(result.ruleId, [
        ...(byKind.get(result.ruleId) ?? []),
        result.partialFingerprints["leaklogStack/v1"] as string,
      ]);
    const shared = [...byKind.values()].filter((prints) => prints.length > 1);
    expect(shared.length).toBeGreaterThan(0);
    for (const prints of shared) expect(new Set(prints).size).toBe(prints.length);
  });

  it("refuses a relative source root or working directory, which no file: URI can hold", async () => {
    const report = await reportOf("valgrind/leak_indirect.txt");
    for (const context of [
      { ...CONTEXT, sourceRoot: "src" },
      { ...CONTEXT, workingDirectory: "." },
    ])
      expect(() => REPORTERS.sarif.render(report, context)).toThrow(
        /^sarif: sourceRoot and workingDirectory must be absolute, not "(src|\.)"$/,
      );
  });

  it("marks the execution unsuccessful when an input was unusable, with notifications", async () => {
    const run = (JSON.parse(render(await fatalReport())) as Log).runs[0];
    expect(run?.invocations[0]?.executionSuccessful).toBe(false);
    expect(JSON.stringify(run?.invocations[0]?.toolExecutionNotifications)).toContain(
      "nope.txt: cannot read",
    );
    const ok = (JSON.parse(render(await reportOf("valgrind/leak_definite.txt"))) as Log).runs[0];
    expect(ok?.invocations[0]?.executionSuccessful).toBe(true);
    expect(ok?.results.map((r) => r.level)).toEqual(["error", "error", "error"]);
  });

  // GitHub code scanning reads results, not notifications: a run whose log was missing uploaded
  // no result for it and closed every alert the log had held as fixed.
  it("gives an unusable input a result at the input, as Code Quality gives it an issue", async () => {
    const run = (JSON.parse(render(await fatalReport())) as Log).runs[0];
    const errors = run?.results.filter((r) => r.ruleId === "input-error");
    expect(errors).toEqual([
      {
        ruleId: "input-error",
        level: "error",
        message: {
          text: expect.stringMatching(
            /^Input not used: cannot read nope\.txt: no such file\. The findings it would have reported are unknown/,
          ) as unknown as string,
        },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: "nope.txt", uriBaseId: "%SRCROOT%" },
              region: { startLine: 1 },
            },
          },
        ],
        partialFingerprints: {
          "leaklogStack/v1": expect.stringMatching(/^[0-9a-f]{16}$/),
          primaryLocationLineHash: expect.stringMatching(/^[0-9a-f]{16}:1$/),
        },
        properties: { code: "unreadable-input" },
      },
    ]);
    expect(run?.tool.driver.rules.map((r) => r.id)).toContain("input-error");
    const ok = (JSON.parse(render(await reportOf("valgrind/leak_definite.txt"))) as Log).runs[0];
    expect(ok?.tool.driver.rules.map((r) => r.id)).not.toContain("input-error");
  });

  // Campaign cf F2: GitHub ignores `suppressions`, so adding a suppression closed the leak's
  // alert and opened a `suppressed` alert at its line. Code Quality and the annotations left
  // suppressed groups out already.
  it("leaves a suppressed group out, and its rule, as Code Quality does", async () => {
    const dir = "test/fixtures/valgrind/suppressed-owner";
    const sarif = async (...options: string[]) => {
      const { stdout } = await cli(["summarize", `${dir}/unsuppressed.log`, ...options]);
      return (JSON.parse(stdout) as Log).runs[0];
    };
    const before = await sarif("-f", "sarif");
    expect(before?.results.map((r) => r.ruleId)).toEqual(["definitely-lost"]);
    const after = await sarif("--suppressions", `${dir}/owner.supp`, "-f", "sarif");
    expect(after?.results).toEqual([]);
    expect(after?.tool.driver.rules).toEqual([]);
    const { stdout } = await cli([
      "summarize",
      `${dir}/unsuppressed.log`,
      "--suppressions",
      `${dir}/owner.supp`,
      "-f",
      "codequality",
    ]);
    expect(JSON.parse(stdout)).toEqual([]);
  });

  it("leaves out the kinds of severity none of a leak only a summary counts", async () => {
    const report = await reportOf("valgrind/leak_all_summary.txt");
    const quiet: Report = {
      ...report,
      summaryOnlyLeaks: (report.summaryOnlyLeaks ?? []).map((e) => ({
        ...e,
        severity: { ...e.severity, "still-reachable": "none" },
      })),
    };
    const kinds = (r: Report) => {
      const run = (JSON.parse(render(r)) as Log).runs[0];
      return [run?.results.map((x) => x.ruleId), run?.tool.driver.rules.map((x) => x.id)];
    };
    const all = ["definitely-lost", "indirectly-lost", "possibly-lost", "still-reachable"];
    expect(kinds(report)).toEqual([all, all]);
    expect(kinds(quiet)).toEqual([all.slice(0, 3), all.slice(0, 3)]);
  });

  // SARIF1001 (the Multitool compares ignoring case): `Suppressed` named the rule `suppressed`.
  it("names no rule by its id in other case", async () => {
    const report = await reportOf(...GOLDEN_SAMPLES);
    const rules = (JSON.parse(render(report)) as Log).runs[0]?.tool.driver.rules ?? [];
    expect(rules.length).toBeGreaterThan(5);
    for (const rule of rules as { id: string; name?: string }[])
      expect(rule.name?.toLowerCase(), rule.id).not.toBe(rule.id.toLowerCase());
  });

  it("escapes brackets in messages (SARIF §3.11.6 embedded links)", async () => {
    const text = render(await hostileReport());
    expect(text).toContain("\\\\[link\\\\](javascript:alert(1))");
    expect(text).not.toMatch(/[\u0000-\u0008\u2028]/);
  });

  describe("SARIF Multitool", () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-sarif-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.skipIf(!MULTITOOL_AVAILABLE)(
      "validates against the SARIF 2.1.0 schema and GitHub's rules (Sarif;Gh)",
      async () => {
        const logs = await allLogs();
        logs.push(["stdin", await stdinLog()]);
        const stdinUri = `/log${logs.length - 1}.sarif`;
        logs.forEach(([, text], i) => writeFileSync(join(dir, `log${i}.sarif`), text));
        const run = validateSarif(join(dir, "log*.sarif"), join(dir, "out.sarif.json"));
        expect(run.status, run.output).toBe(0);
        const unlocated = (r: ValidationResult) =>
          UNLOCATED_RULES.has(r.ruleId) &&
          r.message.id === "Error_EmptyLocationsArray" &&
          (r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? "").endsWith(stdinUri);
        expect(run.results.filter(unlocated).length).toBeGreaterThan(0);
        const serious = run.results
          .filter((r) => isSerious(r) && !unlocated(r))
          .map((r) => `${r.ruleId} ${r.message.id ?? ""}`);
        expect(serious).toEqual([]);
        const analyzed = analyzedUris(run.results);
        logs.forEach((_log, i) => {
          expect(
            [...analyzed].some((uri) => uri.endsWith(`/log${i}.sarif`)),
            logs[i]?.[0],
          ).toBe(true);
        });
      },
      120_000,
    );
  });
});
