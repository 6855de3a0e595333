import { describe, expect, it } from "vitest";
import { parse, summarize, Summarizer } from "../../src/index.js";
import { cli } from "../helpers/cli.js";
import { leakLog } from "../helpers/valgrind-logs.js";
import { summarizeLikeWorkers } from "../helpers/workers.js";

const AUTOMAKE = "test/fixtures/valgrind/automake";

const log = (pid: number, command: string, fn: string): string => leakLog(pid, [fn], command);

function warnings(...logs: (readonly [path: string, text: string])[]): string[] {
  const report = summarize(logs.map(([path, text]) => parse(text, { path })));
  return report.diagnostics.filter((d) => d.code === "repeated-process").map((d) => d.message);
}

describe("a process whose findings two inputs both hold", () => {
  it("is named once when automake's test-suite.log repeats a failing test's log", async () => {
    const { stdout } = await cli(["summarize", `${AUTOMAKE}/*.log`, "-f", "json"]);
    const report = JSON.parse(stdout) as { diagnostics: { code: string; message: string }[] };
    const repeated = report.diagnostics.filter((d) => d.code === "repeated-process");
    expect(repeated.map((d) => d.message.split(" with ")[0])).toEqual([
      `process 8114 (./crash) is in ${AUTOMAKE}/crash.log and ${AUTOMAKE}/test-suite.log`,
      `process 8110 (./invalid_read) is in ${AUTOMAKE}/invalid_read.log and ${AUTOMAKE}/test-suite.log`,
    ]);
    expect(repeated[0]?.message).toContain("the same 3 findings");
  });

  it("is not named when the PID repeats with other findings or another command", () => {
    const main = log(7, "./t", "main");
    expect(warnings(["a.log", main], ["b.log", main])).toHaveLength(1);
    expect(warnings(["a.log", main], ["b.log", log(7, "./t", "other")])).toEqual([]);
    expect(warnings(["a.log", main], ["b.log", log(7, "./u", "main")])).toEqual([]);
    expect(warnings(["a.log", main], ["b.log", log(8, "./t", "main")])).toEqual([]);
  });

  it("is not looked for in one input: a log holds each of its processes once", () => {
    const text = `${log(7, "./t", "main")}\n${log(8, "./t", "main")}`;
    expect(warnings(["a.log", text])).toEqual([]);
  });
});

const logOf = (pid: number, ...fns: string[]): string => leakLog(pid, fns);

describe("repeated processes among many inputs", () => {
  it("names every copy of one process in one warning, with all its findings", () => {
    const copies = Array.from(
      { length: 30 },
      (_, i) => [`MemoryChecker.${i}.log`, logOf(7, "a", "b", "c")] as const,
    );
    const found = warnings(...copies);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(
      "process 7 (./t) is in MemoryChecker.0.log, MemoryChecker.1.log, MemoryChecker.2.log, MemoryChecker.3.log and 26 more inputs with the same 3 findings",
    );
    expect(summarizeLikeWorkers(copies).diagnostics).toEqual(
      summarize(copies.map(([path, text]) => parse(text, { path }))).diagnostics,
    );
  });

  it("says once that a log given twice repeats every process of it", () => {
    const both = `${logOf(7, "a")}\n${logOf(8, "b", "c")}`;
    expect(warnings(["a.log", both], ["b.log", both], ["c.log", logOf(9, "a")])).toEqual([
      "2 processes (PIDs 7, 8) are each in a.log and b.log with the same findings (kinds and stacks), which count once per input: one log repeats the other (automake's test-suite.log repeats the failing tests' logs), or two runs had the same PID and findings",
    ]);
  });

  it("counts nothing per process for a summarizer told that one input comes", () => {
    const feed = (summarizer: Summarizer) => {
      for (const path of ["a.log", "b.log"]) {
        const result = parse(logOf(7, "a"), { path });
        for (const leak of result.leaks) summarizer.finding(leak);
        summarizer.source(result.source);
      }
      return summarizer.finish().diagnostics.map((d) => d.code);
    };
    expect(feed(new Summarizer())).toEqual(["repeated-process"]);
    expect(feed(new Summarizer({ inputs: 1 }))).toEqual([]);
  });

  it("compares all of a process's findings, not only those its groups list", () => {
    // Groups list 20 members: these fill the lists of `main` and `third` with other processes.
    const fill = Array.from({ length: 20 }, (_, i) => [
      [`main${i}.log`, logOf(100 + i, "main")] as const,
      [`third${i}.log`, logOf(200 + i, "third")] as const,
    ]).flat();
    // PID 7 in two inputs with one finding alike and one not: not the same process's findings.
    const x = ["x.log", logOf(7, "main", "other")] as const;
    const y = ["y.log", logOf(7, "third", "other")] as const;
    expect(warnings(...fill, x, y)).toEqual([]);
    expect(warnings(...fill, x, ["z.log", logOf(7, "main", "other")])).toHaveLength(1);
  });
});
