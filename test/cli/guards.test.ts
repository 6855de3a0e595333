import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

/*
 * Command lines that used to be taken silently, each in a way that hides findings or loses the
 * run's work (found by a user-journey audit). Each is now a one-line refusal, exit 2, before
 * any input is read, or is read right.
 */
const LOG = "samples/valgrind/leak_definite.txt";

async function refused(args: string[], message: string): Promise<void> {
  const { code, stdout, stderr } = await cli(args);
  expect(code).toBe(2);
  expect(stdout).toBe("");
  expect(stderr).toBe(`leaklog: ${message}\n`);
}

describe("gates that would be off", () => {
  it.each([[["--fail-on", ","]], [["--fail-on="]], [["--fail-on", " "]]])(
    "refuse an empty --fail-on: %j",
    async (args) => {
      await refused(
        ["summarize", LOG, ...args],
        "--fail-on: no value (give leak kinds, error kinds, severities, any or new)",
      );
    },
  );

  it("refuse two --max-bytes limits for one kind: the later one turned the first off", async () => {
    await refused(
      [
        "summarize",
        LOG,
        "--max-bytes",
        "definitely-lost=0",
        "--max-bytes",
        "definitely-lost=100000",
      ],
      "--max-bytes definitely-lost given twice (0 and 100000): give each kind one limit",
    );
    const same = ["--max-bytes", "definitely-lost=0", "--max-bytes", "definitely-lost=0"];
    expect((await cli(["summarize", LOG, ...same])).code).toBe(1);
  });

  it("refuse --fail-on new without a baseline to compare with", async () => {
    await refused(
      ["summarize", LOG, "--fail-on", "definitely-lost,new"],
      "--fail-on new needs --baseline OLD.json: without one no group is new",
    );
  });

  it("take --fail-on new with a baseline, and in diff", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-guards-"));
    const old = join(dir, "old.json");
    expect((await cli(["summarize", LOG, "-f", "json", "-o", old])).code).toBe(0);
    expect((await cli(["summarize", LOG, "--baseline", old, "--fail-on", "new"])).code).toBe(0);
    expect((await cli(["diff", old, LOG, "--fail-on", "new"])).code).toBe(0);
  });

  it("refuse a forced input format that reads nothing of the input", async () => {
    const { code, stderr } = await cli(["summarize", LOG, "--input-format", "valgrind-xml"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `leaklog: ${LOG}: no line of this input is valgrind-xml output (forced with --input-format valgrind-xml; auto detects the format)\n`,
    );
    expect((await cli(["summarize", LOG, "--input-format", "valgrind"])).code).toBe(0);
  });

  it("say so in one line when leaklog-json is forced on a log, never 'empty input'", async () => {
    await refused(
      ["summarize", LOG, "--input-format", "leaklog-json"],
      `${LOG}: no line of this input is leaklog-json output (forced with --input-format leaklog-json; auto detects the format)`,
    );
  });
});

describe("inputs and outputs", () => {
  it("read one file named two ways once", async () => {
    const bytes = async (...inputs: string[]) => {
      const { stdout } = await cli(["summarize", ...inputs, "-f", "json"]);
      const report = JSON.parse(stdout) as {
        sources: unknown[];
        totals: { leaks: Record<string, { bytes: number }> };
      };
      return [report.sources.length, report.totals.leaks["definitely-lost"]?.bytes];
    };
    expect(await bytes(LOG)).toEqual([1, 155]);
    expect(await bytes(LOG, `./${LOG}`)).toEqual([1, 155]);
    expect(await bytes(LOG, "samples/valgrind/leak_def*.txt")).toEqual([1, 155]);
  });

  it("refuse an --output that cannot be written, or that is an input, before reading", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-guards-"));
    await refused(
      ["summarize", LOG, "-o", join(dir, "missing", "out.json")],
      `--output ${join(dir, "missing", "out.json")}: no directory ${join(dir, "missing")}`,
    );
    await refused(["summarize", LOG, "-o", dir], `--output ${dir} is a directory, not a file`);
    await refused(
      ["summarize", LOG, "-o", `./${LOG}`],
      `--output ./${LOG} is an input: it would overwrite the log`,
    );
    await refused(
      ["suppressions", LOG, "-o", LOG],
      `--output ${LOG} is an input: it would overwrite the log`,
    );
    expect(readFileSync(LOG, "utf8")).toContain("LEAK SUMMARY");
  });

  it("refuse an --output that holds a checker's log, which a glob would skip and lose", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-guards-"));
    copyFileSync(LOG, join(dir, "vg.1.log"));
    copyFileSync("samples/valgrind/use_after_free.txt", join(dir, "vg.2.log"));
    copyFileSync("samples/valgrind-xml/leak_definite.xml", join(dir, "vg.3.xml"));
    copyFileSync("samples/sanitizer/asan-use-after-free.log", join(dir, "asan.log"));
    // Read as an input would be: gzip, CTest's prefixes, a report after much program output.
    writeFileSync(join(dir, "vg.4.log.gz"), gzipSync(readFileSync(LOG)));
    copyFileSync("test/fixtures/ctest-verbose/ctest-v.log", join(dir, "ctest-v.log"));
    const chatty = "test progress: running case ok\n".repeat(4000);
    writeFileSync(
      join(dir, "chatty.log"),
      chatty + readFileSync("samples/sanitizer/lsan-basic.log"),
    );
    for (const [name, format] of [
      ["vg.2.log", "valgrind"],
      ["vg.3.xml", "valgrind-xml"],
      ["asan.log", "sanitizer"],
      ["vg.4.log.gz", "valgrind"],
      ["ctest-v.log", "valgrind"],
      ["chatty.log", "sanitizer"],
    ] as const) {
      const output = join(dir, name);
      for (const command of ["summarize", "suppressions"]) {
        await refused(
          [command, join(dir, "*"), "-o", output],
          `--output ${output} is a ${format} log, not a report: writing the report would overwrite it`,
        );
      }
    }
    expect(readFileSync(join(dir, "vg.2.log"), "utf8")).toContain("ERROR SUMMARY");
    await refused(["summarize", LOG, "-o", ""], "--output needs a file name");
  });

  it("take -o - for standard output, as - is standard input, and write no file named -", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-guards-"));
    const args = ["summarize", join(ROOT, LOG), "-f", "json", "-o", "-"];
    const { code, stdout } = await cli(args, [], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveProperty("schemaVersion", 1);
    expect(existsSync(join(dir, "-"))).toBe(false);
  });

  it("write over a report of its own, whatever its format", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-guards-"));
    for (const format of ["text", "json", "ndjson", "sarif", "junit", "codequality", "html"]) {
      const output = join(dir, `report.${format}`);
      for (let run = 0; run < 2; run += 1) {
        const { code } = await cli(["summarize", LOG, "-f", format, "-o", output]);
        expect(code, `${format}, run ${run + 1}`).toBe(0);
      }
    }
    const supp = join(dir, "leaks.supp");
    for (let run = 0; run < 2; run += 1)
      expect((await cli(["suppressions", LOG, "-o", supp])).code).toBe(0);
  });

  it("know a log by any of its names: a symbolic or hard link is the same file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-guards-"));
    const log = join(dir, "vg.1234.log");
    copyFileSync(LOG, log);
    symlinkSync(log, join(dir, "latest.log"));
    linkSync(log, join(dir, "hard.log"));
    symlinkSync(log, join(dir, "report.txt"));
    for (const [input, output] of [
      ["latest.log", "vg.1234.log"],
      ["hard.log", "vg.1234.log"],
      ["vg.1234.log", "report.txt"],
    ] as const) {
      const { code, stderr } = await cli(["summarize", join(dir, input), "-o", join(dir, output)]);
      expect(code).toBe(2);
      expect(stderr).toBe(
        `leaklog: --output ${join(dir, output)} is an input: it would overwrite the log\n`,
      );
    }
    expect(readFileSync(log, "utf8")).toContain("LEAK SUMMARY");
    // A glob that matches a log and a link to it reads the log once: twice doubled its bytes.
    const { stdout } = await cli(["summarize", join(dir, "*.log"), "-f", "json"]);
    const report = JSON.parse(stdout) as {
      sources: { path: string }[];
      totals: { leaks: Record<string, { bytes: number }> };
    };
    expect(report.sources.map((s) => s.path)).toEqual([join(dir, "hard.log")]);
    expect(report.totals.leaks["definitely-lost"]?.bytes).toBe(155);
  });

  it("refuse a --source-root that is not a directory", async () => {
    await refused(
      ["summarize", LOG, "--source-root", "no/such/dir"],
      "--source-root no/such/dir is not a directory",
    );
    await refused(
      ["summarize", LOG, "--source-root", LOG],
      `--source-root ${LOG} is not a directory`,
    );
  });
});

describe("baselines that cannot be compared with", () => {
  it("take an empty baseline log as a clean run under --allow-empty, as its message advises", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-guards-"));
    const empty = join(dir, "old.log");
    writeFileSync(empty, "");
    const refusedRun = await cli(["diff", empty, LOG]);
    expect(refusedRun.code).toBe(2);
    expect(refusedRun.stderr).toContain("--allow-empty");
    const { code, stdout } = await cli(["diff", empty, LOG, "--allow-empty", "--fail-on", "new"]);
    expect(code).toBe(1);
    expect(stdout).toContain("3 new, 0 fixed, 0 unchanged");
  });

  it("gate --fail-on new on a run cut inside its leak report, whose group has no status", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-guards-"));
    const old = join(dir, "old.json");
    expect(
      (await cli(["summarize", "samples/valgrind/clean.txt", "-f", "json", "-o", old])).code,
    ).toBe(0);
    // The real log, cut right after its first loss record's `at malloc` line (a run killed there).
    const lines = readFileSync(LOG, "utf8").split("\n");
    const cutAt = lines.findIndex((l) => l.includes("at 0x48417B4: malloc"));
    const cut = `${lines.slice(0, cutAt + 1).join("\n")}\n`;
    for (const args of [
      ["summarize", "-", "--baseline", old, "--fail-on", "new"],
      ["diff", old, "-", "--fail-on", "new"],
    ]) {
      const { code, stderr } = await cli(args, [cut]);
      expect(stderr, args[0]).not.toContain("internal error");
      expect(code, args[0]).toBe(0);
    }
  });

  it("refuse a report of a run whose log could not be used: all would be new", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-guards-"));
    const old = join(dir, "old.json");
    expect((await cli(["summarize", "no/such.log", "-f", "json", "-o", old])).code).toBe(2);
    await refused(
      ["summarize", LOG, "--baseline", old, "--fail-on", "new"],
      `baseline ${old} is the report of a run with an unusable input, nothing to compare with (write it again from usable logs, with --allow-empty for empty ones): no/such.log: cannot read no/such.log: no such file`,
    );
  });
});

describe("a run with no usable input", () => {
  it("still writes the report file a CI step uploads, saying why, and exits 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-guards-"));
    const sarif = join(dir, "out.sarif");
    const { code, stderr } = await cli(["summarize", "no/such.txt", "-f", "sarif", "-o", sarif]);
    expect(code).toBe(2);
    expect(stderr).toContain("no/such.txt");
    const run = (
      JSON.parse(readFileSync(sarif, "utf8")) as {
        runs: { invocations: { executionSuccessful: boolean }[] }[];
      }
    ).runs[0];
    expect(run?.invocations[0]?.executionSuccessful).toBe(false);
  });

  it("prints no text summary: stderr's line is the whole story", async () => {
    const { code, stdout } = await cli(["summarize", "no/such.txt"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
  });
});

describe("numeric options", () => {
  it.each([
    [["--top", "-1"], '--top: a value starting with "-" is given as --top=VALUE'],
    [["--top=-1"], "--top: expected at least 1"],
    [["--top", "abc"], "--top: expected a whole number"],
    [["--max-records=-5"], "--max-records: expected 0 (all) or more"],
    [["--max-records", "2.5"], "--max-records: expected a whole number"],
  ])("refuse %j in words", async (args, message) => {
    await refused(["summarize", LOG, ...args], message);
  });
});

describe("number and choice options as typed", () => {
  it.each([
    [["--top", "0x2"], "--top: expected a whole number"],
    [["--top", "5.5"], "--top: expected a whole number"],
    [["--top", "1e1"], "--top: expected a whole number"],
    [["--max-records="], "--max-records: expected a whole number"],
    [["--fingerprint-frames", "0x3"], "--fingerprint-frames: expected a whole number of frames"],
    [
      ["--max-bytes", "definitely-lost=99999999999999999999"],
      "--max-bytes: expected a whole number of bytes, at most 9007199254740991",
    ],
    [
      ["--format", "xml"],
      `--format: "xml" is no choice; expected one of text, json, html, sarif, junit, codequality, github, markdown, ndjson`,
    ],
  ])("refuse %j in one plain line", async (args, message) => {
    await refused(["summarize", LOG, ...args], message);
  });

  it.each([["+5"], [" 5"], ["5 "], ["       5"], ["05"]])(
    "take --top %j as a shell variable or wc -l gives it",
    async (value) => {
      expect((await cli(["summarize", LOG, "--top", value])).code).toBe(0);
    },
  );
});
