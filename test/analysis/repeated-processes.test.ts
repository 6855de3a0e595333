import { describe, expect, it } from "vitest";
import { parse, summarize } from "../../src/index.js";
import { cli } from "../helpers/cli.js";

const AUTOMAKE = "test/fixtures/valgrind/automake";

/** One Valgrind process's log (text), with a definitely lost block allocated in `fn`. */
function log(pid: number, command: string, fn: string): string {
  return [
    `==${pid}== Memcheck, a memory error detector`,
    `==${pid}== Command: ${command}`,
    `==${pid}== `,
    `==${pid}== 10 bytes in 1 blocks are definitely lost in loss record 1 of 1`,
    `==${pid}==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)`,
    `==${pid}==    by 0x10915A: ${fn} (leaky.c:3)`,
    `==${pid}== `,
  ].join("\n");
}

function warnings(...logs: [path: string, text: string][]): string[] {
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
