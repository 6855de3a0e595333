import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIAGNOSTIC_CODES, FATAL_CODES, type Report } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";

// A shard report cut in transfer made the merge exit 2, while the text summary said "Not gated
// (exit 0)" or "Result: passed, but 1 log is incomplete" (Markdown and HTML: "Result: passed"),
// and alone it printed the whole summary (campaign bqa F2). It is an unusable input now, as a
// missing file is. See test/fixtures/damaged-report/README.md.
const DIR = "test/fixtures/damaged-report";
const LOG = `${DIR}/v1.txt`;
const CUT = `${DIR}/shard-cut.json`;
const GATE = ["--fail-on", "InvalidWrite"];

/** The text, Markdown and HTML result lines, each as its reader sees it. */
async function resultLines(inputs: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const format of ["text", "markdown", "html"]) {
    const { stdout } = await cli(["summarize", ...inputs, ...GATE, "-f", format]);
    const line = /^.*Result: [^<\n]*/m.exec(stdout)?.[0] ?? "";
    lines.push(line.replace(/<[^>]*>|\*\*/g, "").trim());
  }
  return lines;
}

/** The NDJSON report of the log, made by the CLI, as its lines. */
async function ndjsonLines(): Promise<string[]> {
  const { code, stdout } = await cli(["summarize", LOG, "-f", "ndjson"]);
  expect(code).toBe(0);
  return stdout.trimEnd().split("\n");
}

/** Writes `text` to a fresh directory under `name`, and returns its path. */
function written(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "leaklog-damaged-")), name);
  writeFileSync(path, text);
  return path;
}

describe("a damaged shard report merged with a log", () => {
  it("is unusable, not incomplete, and no report says passed or exit 0", async () => {
    const plain = await cli(["summarize", CUT, LOG]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe(`leaklog: ${CUT}: damaged JSON: Unexpected end of JSON input\n`);
    expect(plain.stdout).toContain(`${CUT}  leaklog-json (unusable)`);
    expect(plain.stdout).not.toContain("(incomplete)");
    expect(plain.stdout).not.toContain("Not gated");
    // Without a gate too, it says what the exit code says (campaign v16b F3: it said nothing).
    expect(plain.stdout).toMatch(/^Result: not passed: 1 input is unusable$/m);
    expect(await resultLines([CUT, LOG])).toEqual(
      Array(3).fill("Result: not passed: 1 input is unusable"),
    );
  });

  it("reads as a missing file in the same place does", async () => {
    const missing = `${DIR}/missing.json`;
    expect(await resultLines([missing, LOG])).toEqual(await resultLines([CUT, LOG]));
    const gated = await cli(["summarize", CUT, LOG, "--fail-on", "incomplete"]);
    expect(gated.stdout).toContain(`--fail-on incomplete: 1 input is unusable (${CUT})`);
  });

  it("alone, leaves the text summary to stderr's one line; machine formats still flag it", async () => {
    const alone = await cli(["summarize", CUT]);
    expect(alone).toEqual({
      code: 2,
      stdout: "",
      stderr: `leaklog: ${CUT}: damaged JSON: Unexpected end of JSON input\n`,
    });
    const sarif = await cli(["summarize", CUT, LOG, "-f", "sarif"]);
    expect(sarif.stdout).toContain('"executionSuccessful":false');
    const junit = await cli(["summarize", CUT, "-f", "junit"]);
    expect(junit.code).toBe(2);
    expect(junit.stdout).toContain(
      `<error message="${CUT}: damaged JSON: Unexpected end of JSON input"`,
    );
  });

  it("carried by a merged report, counts as that run's unusable input", async () => {
    const { code, stdout } = await cli(["summarize", CUT, LOG, "-f", "json"]);
    expect(code).toBe(2);
    const merged = written("merged.json", stdout);
    const again = await cli(["summarize", merged, ...GATE]);
    expect(again.code).toBe(2);
    expect(again.stdout).toMatch(/\(incomplete\)$/m);
    expect(again.stdout).toMatch(
      /^Result: not passed: 1 input is unusable and 1 log is incomplete$/m,
    );
  });
});

describe("a shard report read in part stays incomplete", () => {
  // A damaged line exits 2, so it is not passed (campaign v16b F3: it read "passed").
  it("an NDJSON report without its end line, cut between lines or inside one", async () => {
    const lines = await ndjsonLines();
    const leak = lines.findIndex((l) => l.startsWith('{"record":"leak"'));
    const between = written("between.ndjson", `${lines.slice(0, leak + 1).join("\n")}\n`);
    const inside = [...lines.slice(0, leak + 1), (lines[leak + 1] as string).slice(0, 100)];
    const within = written("within.ndjson", inside.join("\n"));
    for (const [path, exit, result] of [
      [between, 0, "passed, but 1 log is incomplete"],
      [within, 2, "not passed: 1 report entry is damaged and 1 log is incomplete"],
    ] as const) {
      const { code, stdout } = await cli(["summarize", path, LOG, ...GATE]);
      expect(code).toBe(exit);
      expect(stdout).toMatch(/\.ndjson {2}leaklog-json 3\.19\.0 .*\(incomplete\)$/m);
      expect(stdout).toMatch(new RegExp(`^Result: ${result}$`, "m"));
    }
  });
});

describe("FATAL_CODES", () => {
  it("are exactly the error codes of a merged report that make the CLI exit 2", async () => {
    // An input's own fatal problem is typed with FATAL_CODES (FatalProblem); a merged report's
    // diagnostics carry any code, so each registered one is tried as an error of a real report.
    const { stdout } = await cli(["summarize", LOG, "-f", "json"]);
    const report = JSON.parse(stdout) as Report;
    const codes = Object.keys(DIAGNOSTIC_CODES);
    const withErrors = (which: readonly string[]) =>
      JSON.stringify({
        ...report,
        diagnostics: which.map((code) => ({
          severity: "error",
          code,
          message: code,
          path: "v1.txt",
        })),
      });
    const all = await cli(["summarize", written("all.json", withErrors(codes))]);
    expect(all.code).toBe(2);
    const exiting = all.stderr.split("\n").flatMap((l) => /: v1\.txt: (\S+)$/.exec(l)?.[1] ?? []);
    expect(new Set(exiting)).toEqual(new Set(FATAL_CODES));
    const fatal = new Set<string>(FATAL_CODES);
    const others = codes.filter((code) => !fatal.has(code));
    const rest = await cli(["summarize", written("rest.json", withErrors(others))]);
    expect(rest).toMatchObject({ code: 0, stderr: "" });
  });
});
