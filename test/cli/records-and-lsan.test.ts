import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { Progress, showsProgress } from "../../src/cli/progress.js";
import { Report } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

describe("--max-records", () => {
  it("lists at most N records of each type and counts the rest", async () => {
    const { code, stdout } = await cli([
      "summarize",
      "samples/valgrind/leak_indirect.txt",
      "--format",
      "json",
      "--max-records",
      "2",
    ]);
    expect(code).toBe(0);
    const report = Report.parse(JSON.parse(stdout));
    expect(report.leaks).toHaveLength(2);
    expect(report.recordsOmitted).toEqual({ leaks: 7, errors: 0 });
    // Groups and totals still count every record.
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 56, blocks: 2 });
    expect(report.groups.reduce((n, g) => n + g.occurrences, 0)).toBe(9);
  });

  it("0 lists every record", async () => {
    const { stdout } = await cli([
      "summarize",
      "samples/valgrind/leak_indirect.txt",
      "--format",
      "json",
      "--max-records",
      "0",
    ]);
    expect(Report.parse(JSON.parse(stdout)).leaks).toHaveLength(9);
  });
});

describe("--suppressions with a LeakSanitizer file", () => {
  it("suppresses matching sanitizer leaks and lists the unused entries", async () => {
    const { code, stdout } = await cli([
      "summarize",
      "samples/sanitizer/lsan-basic.log",
      "--suppressions",
      "test/fixtures/lsan-basic.supp",
      "--format",
      "json",
    ]);
    expect(code).toBe(0);
    const report = Report.parse(JSON.parse(stdout));
    const suppressed = report.leaks.filter((l) => l.kind === "suppressed");
    expect(suppressed.map((l) => l.details?.["suppressedBy"]).sort()).toEqual([
      "leak:^grow$",
      "leak:make_table",
    ]);
    expect(suppressed.every((l) => l.severity === "none")).toBe(true);
    const unused = report.diagnostics.filter((d) => d.code === "unused-suppression");
    expect(unused.map((d) => [d.path, d.line])).toEqual([["test/fixtures/lsan-basic.supp", 4]]);
    // The sanitizer's own SUMMARY still agrees with the records as parsed.
    expect(report.diagnostics.filter((d) => d.code === "summary-mismatch")).toEqual([]);
  });

  it("says in the totals where the summary's suppressed bytes went", async () => {
    // LeakSanitizer's SUMMARY has no suppressed row: `106 bytes (tool's summary: 210 bytes)`
    // stood unexplained beside a bare `suppressed` row (campaign bs Q5).
    const { stdout } = await cli([
      "summarize",
      "samples/sanitizer/lsan-basic.log",
      "--suppressions",
      "test/fixtures/lsan-basic.supp",
    ]);
    expect(stdout).toContain(
      "definitely-lost  106 bytes in 2 blocks  (tool's summary: 210 bytes in 4 blocks; 104 bytes in 2 blocks of them suppressed by --suppressions)\n  suppressed       104 bytes in 2 blocks\n",
    );
  });

  it("refuses a malformed LeakSanitizer file with its line", async () => {
    const { code, stderr } = await cli([
      "summarize",
      "samples/sanitizer/lsan-basic.log",
      "--suppressions",
      "test/fixtures/bad-lsan.supp",
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad-lsan\.supp:2: /);
  });
});

describe("--suppressions with a ThreadSanitizer file", () => {
  const TSAN = "test/fixtures/sanitizer/tsan";

  it("suppresses the reports TSan would have, in a glob of logs and in several workers", async () => {
    const { code, stdout } = await cli([
      "summarize",
      `${TSAN}/*.log`,
      "--suppressions",
      `${TSAN}/suppressions/racer.supp`,
      "--format",
      "json",
    ]);
    expect(code).toBe(0);
    const report = Report.parse(JSON.parse(stdout));
    const suppressed = report.errors.filter((e) => e.suppressed === true);
    // The race of racer in race.log, halt.log and many.log (many.log's other is the heap one;
    // symbolize0.log's frames have no names to match, as TSan's would not either).
    expect(suppressed.map((e) => [e.location?.path, e.details?.["suppressedBy"]])).toEqual([
      [`${TSAN}/halt.log`, "race:racer"],
      [`${TSAN}/many.log`, "race:racer"],
      [`${TSAN}/race.log`, "race:racer"],
    ]);
    expect(report.diagnostics.filter((d) => d.code === "unused-suppression")).toEqual([]);
  });

  it("refuses a file of another sanitizer's run-time types with its line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-tsan-"));
    const file = join(dir, "asan.supp");
    writeFileSync(file, "# ASan\ninterceptor_via_fun:foo\n");
    const { code, stderr } = await cli(["summarize", `${TSAN}/race.log`, "--suppressions", file]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      `leaklog: ${file}:2: unknown suppression type "interceptor_via_fun": leaklog applies Valgrind files, LeakSanitizer's (leak:) and ThreadSanitizer's (race, race_top, thread, mutex, signal, deadlock, called_from_lib)`,
    );
  });
});

describe("the progress display", () => {
  it("shows bytes and records on a terminal after a second, then erases itself", () => {
    let out = "";
    let now = 0;
    const progress = new Progress({ write: (t: string) => (out += t), isTTY: true }, {}, () => now);
    progress.add(5_000_000, 10);
    expect(out).toBe(""); // not before a second has passed
    now = 1500;
    progress.add(1_000_000, 5);
    expect(out).toContain("leaklog: 6.0 MB read, 15 records");
    progress.done();
    expect(out.endsWith("\r\u001b[K")).toBe(true);
  });

  it("stays silent when stderr is not a terminal", () => {
    let out = "";
    let now = 0;
    const progress = new Progress(
      { write: (t: string) => (out += t), isTTY: false },
      {},
      () => now,
    );
    now = 5000;
    progress.add(1, 1);
    progress.done();
    expect(out).toBe("");
  });

  it.each([{ CI: "true" }, { CI: "1" }, { TERM: "dumb" }])(
    "stays silent on a terminal of a CI job or a dumb one: %o",
    (env) => {
      // Buildkite runs a job in a pseudo-terminal: its log kept every update of the line.
      let out = "";
      let now = 0;
      const stderr = { write: (t: string) => (out += t), isTTY: true };
      const progress = new Progress(stderr, env, () => now);
      now = 5000;
      progress.add(1, 1);
      progress.done();
      expect(out).toBe("");
    },
  );

  it("shows on a terminal where CI says there is none", () => {
    const stderr = { isTTY: true };
    expect(showsProgress(stderr, { CI: "false", TERM: "xterm-256color" })).toBe(true);
    expect(showsProgress(stderr, { CI: "0" })).toBe(true);
    expect(showsProgress(stderr, { CI: "" })).toBe(true);
  });
});

describe("the progress display beside stderr's messages", () => {
  it("is erased before a message, which used to run on after its line", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const log = readFileSync(join(ROOT, "samples", "valgrind", "leak_definite.txt"), "utf8");
      let err = "";
      const { runCli } = await import("../../src/cli/run.js");
      await runCli(["summarize", "-", "nope.log", "-f", "json"], {
        stdout: { write: () => true, isTTY: false },
        stderr: { write: (t: string) => (err += t), isTTY: true },
        stdin: (async function* () {
          yield log.slice(0, 500);
          // A slow input: the display comes up after a second.
          vi.setSystemTime(Date.now() + 1500);
          yield log.slice(500);
        })(),
        env: {},
        cwd: ROOT,
      });
      expect(err).toContain("leaklog: 0.0 MB read");
      expect(err).toMatch(/records\r\u001b\[Kleaklog: nope\.log: cannot read /);
    } finally {
      vi.useRealTimers();
    }
  });
});
