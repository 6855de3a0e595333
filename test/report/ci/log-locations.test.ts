import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Finding, Report } from "../../../src/model/index.js";
import { REPORTERS, type ReportContext } from "../../../src/report/index.js";
import { locateLogLine } from "../../../src/report/log-location.js";
import { cli } from "../../helpers/cli.js";
import { ROOT } from "../../helpers/golden.js";
import { reportOf } from "./helpers.js";

/*
 * Findings with no frame in the program's own code point at the log line that reported them.
 * A log path is relative to the working directory (the checkout in CI), not to --source-root;
 * standard input and logs outside the checkout have no file location there.
 */

interface SarifLocation {
  physicalLocation?: { artifactLocation: { uri: string; uriBaseId: string } };
  logicalLocations?: unknown[];
}
interface Sarif {
  runs: {
    originalUriBaseIds: Record<string, { uri?: string }>;
    invocations: { toolExecutionNotifications?: { level: string; descriptor: { id: string } }[] }[];
    results: { message: { text: string }; locations: SarifLocation[] }[];
  }[];
}
interface Issue {
  description: string;
  fingerprint: string;
  location: { path: string; lines: { begin: number } };
}

const WORK = "/work/checkout";
// fd_leak.txt's last finding (line 34) has no own frame; leak_all_summary.txt has only leaks
// that its summary (from its HEAP SUMMARY at line 8 to its LEAK SUMMARY at line 12) reports.
const FD = "valgrind/fd_leak.txt";
const SUMMARY_ONLY = "valgrind/leak_all_summary.txt";

/** The sample's report with every log path replaced by `path`, as if the CLI had read it there. */
async function reportAt(sample: string, path: string): Promise<Report> {
  const report = await reportOf(sample);
  // Records too: a group is placed at its shown record's line (see shownPlace).
  const at = <T extends Finding>(record: T): T => ({
    ...record,
    location: { ...record.location, path },
  });
  return {
    ...report,
    leaks: report.leaks.map(at),
    errors: report.errors.map(at),
    groups: report.groups.map((g) => ({ ...g, members: g.members.map((m) => ({ ...m, path })) })),
    summaryOnlyLeaks: (report.summaryOnlyLeaks ?? []).map((e) => ({ ...e, path })),
  };
}

function sarif(report: Report, context: Partial<ReportContext>): Sarif["runs"][number] {
  const text = REPORTERS.sarif.render(report, { color: false, top: 20, ...context });
  const run = (JSON.parse(text) as Sarif).runs[0];
  if (run === undefined) throw new Error("no run");
  return run;
}

function codeQuality(report: Report, context: Partial<ReportContext>): Issue[] {
  const text = REPORTERS.codequality.render(report, { color: false, top: 20, ...context });
  return JSON.parse(text) as Issue[];
}

const logUris = (run: Sarif["runs"][number]) =>
  run.results.flatMap((r) =>
    r.locations.flatMap((l) =>
      l.physicalLocation?.artifactLocation.uri.endsWith(".txt") === true
        ? [l.physicalLocation.artifactLocation]
        : [],
    ),
  );

describe("locateLogLine", () => {
  it("resolves relative logs against the working directory, then the source root", () => {
    const cwd = { workingDirectory: WORK, sourceRoot: WORK };
    expect(locateLogLine("logs/vg.txt", 3, cwd)).toEqual({
      located: true,
      path: "logs/vg.txt",
      line: 3,
      base: "source-root",
    });
    const apart = { workingDirectory: WORK, sourceRoot: "/elsewhere/src" };
    expect(locateLogLine("./logs/vg.txt", 3, apart)).toMatchObject({
      path: "logs/vg.txt",
      base: "working-directory",
    });
    expect(locateLogLine(`${WORK}/vg.txt`, 3, apart)).toMatchObject({
      path: "vg.txt",
      base: "working-directory",
    });
    // Outside the working directory but inside the sources: relative to the source root.
    expect(
      locateLogLine("../src/vg.txt", 3, { ...apart, workingDirectory: "/elsewhere/b" }),
    ).toMatchObject({ path: "vg.txt", base: "source-root" });
    expect(locateLogLine("/tmp/vg.txt", 3, apart)).toEqual({
      located: false,
      log: "/tmp/vg.txt",
      line: 3,
    });
    expect(locateLogLine("../vg.txt", 3, apart)).toMatchObject({ located: false });
    expect(locateLogLine("-", 3, apart)).toEqual({ located: false, log: "-", line: 3 });
  });

  it("takes the source root for the working directory when none is given (library use)", () => {
    expect(locateLogLine("vg.txt", 1, { sourceRoot: "/r" })).toMatchObject({
      path: "vg.txt",
      base: "source-root",
    });
    expect(locateLogLine("vg.txt", 1, {})).toMatchObject({ path: "vg.txt", base: "source-root" });
  });
});

describe("sarif log-line locations", () => {
  it("resolves a log against the working directory, not --source-root (%WORKDIR%)", async () => {
    const report = await reportAt(FD, "samples/valgrind/fd_leak.txt");
    const run = sarif(report, { workingDirectory: WORK, sourceRoot: "/tmp/sr" });
    expect(logUris(run)).toEqual([{ uri: "samples/valgrind/fd_leak.txt", uriBaseId: "%WORKDIR%" }]);
    expect(run.originalUriBaseIds["%WORKDIR%"]?.uri).toBe(`file://${WORK}/`);
    expect(run.originalUriBaseIds["%SRCROOT%"]?.uri).toBe("file:///tmp/sr/");
    // One base when they are the same directory: %WORKDIR% is not even defined.
    const same = sarif(report, { workingDirectory: WORK, sourceRoot: WORK });
    expect(logUris(same)).toEqual([
      { uri: "samples/valgrind/fd_leak.txt", uriBaseId: "%SRCROOT%" },
    ]);
    expect(same.originalUriBaseIds["%WORKDIR%"]).toBeUndefined();
  });

  it.each([
    ["standard input", "-", "line 8 of standard input"],
    ["a log outside the checkout", "/var/log/vg.txt", "line 8 of /var/log/vg.txt, outside"],
  ])("gives %s no file location, says where it is, and warns", async (_name, path, where) => {
    const run = sarif(await reportAt(SUMMARY_ONLY, path), {
      workingDirectory: WORK,
      sourceRoot: WORK,
    });
    expect(run.results).toHaveLength(4);
    for (const result of run.results) {
      expect(result.locations).toEqual([]);
      expect(result.message.text).toContain(where);
    }
    const notes = run.invocations[0]?.toolExecutionNotifications ?? [];
    expect(notes).toContainEqual(
      expect.objectContaining({
        level: "warning",
        descriptor: { id: "results-without-location" },
      }),
    );
  });

  it("never writes an empty location object; keeps the function as a logical location", async () => {
    const run = sarif(await reportAt(FD, "-"), { workingDirectory: WORK, sourceRoot: WORK });
    const unlocated = run.results.filter((r) => r.message.text.includes("standard input"));
    expect(unlocated).toHaveLength(1);
    for (const result of run.results)
      for (const location of result.locations) expect(Object.keys(location)).not.toEqual([]);
  });
});

describe("codequality log-line locations", () => {
  it("writes the log's path relative to the working directory", async () => {
    const report = await reportAt(SUMMARY_ONLY, `${WORK}/logs/vg.txt`);
    const issues = codeQuality(report, { workingDirectory: WORK, sourceRoot: "/tmp/sr" });
    expect(issues.map((i) => i.location)).toEqual(
      Array(4).fill({ path: "logs/vg.txt", lines: { begin: 8 } }),
    );
  });

  it("gives stdin and outside logs a stand-in path, stable across runs, and says where", async () => {
    const bases = { workingDirectory: WORK, sourceRoot: WORK };
    const stdin = codeQuality(await reportAt(FD, "-"), bases);
    const last = stdin.at(-1);
    expect(last?.location).toEqual({ path: "<stdin>", lines: { begin: 34 } });
    expect(last?.description).toContain("line 34 of standard input");
    const tmp = async (dir: string) =>
      codeQuality(await reportAt(SUMMARY_ONLY, `${dir}/vg.txt`), bases);
    const [a, b] = [await tmp("/tmp/run-a"), await tmp("/tmp/run-b")];
    expect(a.map((i) => i.location.path)).toEqual(Array(4).fill("<vg.txt>"));
    expect(a.map((i) => i.fingerprint)).toEqual(b.map((i) => i.fingerprint));
    expect(a[0]?.description).toContain(
      "line 8 of /tmp/run-a/vg.txt, outside the working directory",
    );
    for (const issue of [...stdin, ...a]) expect(issue.location.path).not.toMatch(/^\/|^-$/);
  });
});

describe("junit's case of leaks without loss records", () => {
  it("says what the line Code Quality points at is: where the summary starts", async () => {
    const report = await reportOf(SUMMARY_ONLY);
    expect(codeQuality(report, { sourceRoot: ROOT })[0]?.location.lines.begin).toBe(8);
    const junit = REPORTERS.junit.render(report, { color: false, top: 20 });
    expect(junit).toContain("The summary that counts them starts at line 8 of the log");
    // It said "LEAK SUMMARY at line 8", and line 8 is the HEAP SUMMARY (campaign cf Q8).
    const log = readFileSync(join(ROOT, "samples", SUMMARY_ONLY), "utf8").split("\n");
    expect(log[8 - 1]).toMatch(/HEAP SUMMARY:$/);
    expect(junit).not.toContain("LEAK SUMMARY at line");
  });
});

describe("on the command line", () => {
  const dir = mkdtempSync(join(tmpdir(), "leaklog-logloc-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("--source-root does not move the log line (bug: %SRCROOT% pointed at a missing file)", async () => {
    const { stdout } = await cli([
      "summarize",
      "samples/valgrind/fd_leak.txt",
      "--source-root",
      "test/fixtures/own-frames/src",
      "-f",
      "sarif",
    ]);
    const run = (JSON.parse(stdout) as Sarif).runs[0];
    if (run === undefined) throw new Error("no run");
    const uris = logUris(run);
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris)
      expect(uri).toEqual({ uri: "samples/valgrind/fd_leak.txt", uriBaseId: "%WORKDIR%" });
    expect(run.originalUriBaseIds["%WORKDIR%"]?.uri).toBe(`file://${ROOT}/`);
  });

  it("a log outside the working directory, or stdin, has no empty location", async () => {
    const outside = join(dir, "fd_leak.txt");
    copyFileSync(join(ROOT, "samples/valgrind/fd_leak.txt"), outside);
    const stdin = readFileSync(join(ROOT, "samples/valgrind/leak_all_summary.txt"), "utf8");
    for (const [args, input] of [
      [[outside], []],
      [["-"], [stdin]],
    ] as const) {
      const { stdout } = await cli(["summarize", ...args, "-f", "sarif"], input);
      expect(stdout).not.toMatch(/"locations": \[\s*\{\s*\}\s*\]/);
      const cq = await cli(["summarize", ...args, "-f", "codequality"], input);
      for (const issue of JSON.parse(cq.stdout) as Issue[])
        expect(issue.location.path).not.toMatch(/^\/|^-$/);
    }
  });
});
