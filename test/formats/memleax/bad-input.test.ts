import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/api/parse.js";
import { cli } from "../../helpers/cli.js";
import { sampleFiles } from "../../helpers/golden.js";
import { sampleText } from "./helpers.js";

const asMemleax = (text: string): ParseResult => parse(text, { inputFormat: "memleax" });
const codes = (r: ParseResult): string[] => r.diagnostics.map((d) => d.code);

const BANNER = "== Begin monitoring process 4242...";
const FRAMES = [
  "    0x00007ff8c958a930  libc.so  malloc()+0  ../rt/lio_listio-common.c:266",
  "    0x000055826a23c171  single_leak  make_buf()+24  /home/dev/leaktests/single_leak.c:8",
  "    0x000055826a23c1bf  single_leak  main()+22  /home/dev/leaktests/single_leak.c:22",
];

function statsBlock(id: number, mayLeak: string, expired: string): string[] {
  return [
    `CallStack[${id}]: may-leak=${mayLeak}`,
    `    expired=${expired}, free_expired=0 (0 bytes)`,
    "    alloc=5 (320 bytes), free=0 (0 bytes)",
    "    freed memory live time: min=0 max=0 average=0",
    "    un-freed memory live time: max=3",
    ...FRAMES,
    "",
  ];
}

describe("memleax error outputs", () => {
  for (const name of sampleFiles("memleax", [".log"]).filter((n) => /^(cli|err)-/.test(n))) {
    it(`${name}: memleax checked nothing, so the input is unusable, never an exception`, () => {
      const result = parse(sampleText(name));
      expect(result.source.format).toBe("memleax");
      expect(result.leaks).toEqual([]);
      expect(result.source.complete).toBe(false);
      const usage = /help|version/.test(name);
      expect(codes(result)).toContain(usage ? "memleax-usage" : "memleax-error");
      // An attach refused by ptrace passed `--fail-on any` as a clean run.
      expect(result.fatal?.code).toBe(usage ? "memleax-no-run" : "memleax-error");
      expect(result.fatal?.message).toMatch(/nothing was checked/);
    });
  }

  it("names memleax's own error in why the input is unusable", () => {
    const result = parse(sampleText("err-attach-eperm.log"));
    expect(result.fatal?.message).toBe(
      "memleax did not monitor any process (Attach process error:: Operation not permitted): nothing was checked",
    );
  });

  it("fails a gated CI step whose memleax could not attach (exit 2, one line), piped or saved", async () => {
    const piped = await cli(
      ["summarize", "-", "--fail-on", "any"],
      [sampleText("err-attach-eperm.log")],
    );
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(
      /^leaklog: -: memleax did not monitor any process \(Attach process error/,
    );
    const saved = await cli(["summarize", "samples/memleax/cli-bad-pid.log", "-f", "json"]);
    expect(saved.code).toBe(2);
    expect(saved.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("keeps an error after a run a diagnostic of a usable input (runs appended to one log)", () => {
    const failed = "== Attach process error:: Operation not permitted\n";
    const result = asMemleax(`${sampleText("01-single-stack-sigint.log")}${failed}`);
    expect(result.leaks).toHaveLength(1);
    expect(result.fatal).toBeUndefined();
    expect(codes(result)).toContain("memleax-error");
  });

  it("reports input with no memleax run at all as an error, and unusable", () => {
    const result = asMemleax("hello\nworld\n");
    expect(result.leaks).toEqual([]);
    expect(result.diagnostics.find((d) => d.code === "memleax-no-run")?.severity).toBe("error");
    expect(result.fatal?.code).toBe("memleax-no-run");
  });
});

describe("memleax truncated logs", () => {
  const full = sampleText("01-single-stack-sigint.log");
  const lines = full.split("\n");

  it("never throws and derives counts wherever the log is cut", () => {
    for (let n = 1; n < lines.length; n += 1) {
      for (const cut of [lines.slice(0, n).join("\n"), `${lines.slice(0, n).join("\n")}\nCallSt`]) {
        const result = asMemleax(cut);
        const expiries = lines.slice(0, n).filter((l) => l.includes("memory expires")).length;
        const reported = n > 30; // the report begins at line 31
        if (!reported) {
          expect(result.source.complete).toBe(false);
          expect(result.leaks.map((l) => l.blocks)).toEqual(expiries > 0 ? [expiries] : []);
          expect(result.leaks.map((l) => l.bytes)).toEqual(expiries > 0 ? [64 * expiries] : []);
        }
      }
    }
  });

  it("keeps a line cut mid-way out of the unrecognized lines and names it", () => {
    const result = parse(sampleText("22-sigkill-truncated.log"));
    expect(result.source.counters.unrecognizedLines).toBe(0);
    expect(result.diagnostics.find((d) => d.code === "incomplete")?.message).toMatch(
      /line 275 is cut mid-line/,
    );
    expect(result.leaks[0]?.details).toMatchObject({ source: "stream", expiredBlocks: 270 });
  });

  it("notices a final report cut short and derives the stacks missing from it", () => {
    const text = [
      BANNER,
      "CallStack[1]: memory expires with 64 bytes, backtrace:",
      ...FRAMES,
      "CallStack[2]: memory expires with 32 bytes, backtrace:",
      ...FRAMES,
      "CallStack[2]: memory expires with 32 bytes, 2 times again",
      "",
      "== Terminate monitoring.",
      "== Callstack statistics: (in ascending order)",
      "",
      ...statsBlock(1, "1 (64 bytes)", "1 (64 bytes)"),
      "CallStack[2]: may-leak=2 (64 bytes)",
      "    expired=2 (64 bytes), free_expired=0 (0 bytes)",
    ].join("\n");
    const result = asMemleax(text);
    expect(result.source.complete).toBe(false);
    expect(result.leaks.map((l) => [l.details?.["callStack"], l.blocks, l.bytes])).toEqual([
      [1, 1, 64],
      [2, 2, 64],
    ]);
  });
});

describe("memleax terminal captures", () => {
  it("reads CRLF the same as LF", () => {
    const lf = parse(sampleText("01-single-stack-sigint.log"));
    const crlf = parse(sampleText("01-single-stack-sigint.log").replace(/\n/g, "\r\n"));
    expect(crlf.leaks).toEqual(lf.leaks);
    expect(crlf.summaries).toEqual(lf.summaries);
    expect(crlf.diagnostics).toEqual(lf.diagnostics);
  });

  it("accepts an echoed ^C alone or in front of memleax's line", () => {
    const tty = sampleText("21-tty-ctrl-c.log");
    const joined = tty.replace("^C\r\n== Terminate", "^C== Terminate");
    for (const text of [tty, joined]) {
      const result = parse(text);
      expect(result.source.counters.unrecognizedLines).toBe(0);
      expect(result.leaks.map((l) => l.blocks)).toEqual([13]);
      expect(codes(result)).toContain("memleax-stopped");
    }
  });
});

describe("memleax odd but valid output", () => {
  it("keeps a record whole when a stderr line or ^C lands inside it", () => {
    const text = [
      BANNER,
      "CallStack[1]: memory expires with 64 bytes, backtrace:",
      FRAMES[0],
      "^C",
      FRAMES[1],
      "Error in open /proc/pid/tasks: No such file or directory",
      FRAMES[2],
    ].join("\n");
    const result = asMemleax(text);
    expect(result.leaks[0]?.stack).toHaveLength(3);
    expect(result.source.counters.unrecognizedLines).toBe(0);
    expect(codes(result)).toContain("memleax-error");
  });

  it("keeps a stack whole when a foreign line cuts one of its two copies", () => {
    // Found by the fuzz test: the final report reprints each stack of the event stream, and a
    // foreign line inside either copy ends that copy early.
    const text = sampleText("02-multi-stacks-malloc-calloc-realloc.log");
    const whole = asMemleax(text).leaks.map((l) => l.stack);
    expect(whole.map((stack) => stack.length)).toEqual([3, 3, 3]);
    const foreign = "x".repeat(80);
    const cutIn = (copy: number) => {
      const lines = text.split("\n");
      const at = lines.findIndex((l, i) => l.includes("calloc()+0") && i > 0 && copy-- === 0);
      lines.splice(at + 1, 0, foreign);
      return asMemleax(lines.join("\n"));
    };
    for (const copy of [0, 1]) {
      const damaged = cutIn(copy);
      expect(damaged.leaks.map((l) => l.stack)).toEqual(whole);
      expect(codes(damaged)).toContain("unrecognized-line");
    }
  });

  it("reads counters that wrapped past 2 GiB as 32-bit values", () => {
    const text = [
      BANNER,
      "== Target process exit.",
      "== Callstack statistics: (in ascending order)",
      "",
      ...statsBlock(1, "3 (-1294967296 bytes)", "3 (-1294967296 bytes)"),
    ].join("\n");
    const result = asMemleax(text);
    expect(result.leaks[0]?.bytes).toBe(3_000_000_000);
    expect(codes(result)).toContain("memleax-counter-wrapped");
  });

  it("parses two runs appended to one log as two sets of records", () => {
    const one = sampleText("09-memblock-limit-m.log");
    const result = asMemleax(`${one}${one.replace(/12848/g, "12849")}`);
    expect(result.leaks.map((l) => [l.pid, l.blocks])).toEqual([
      [12848, 5],
      [12849, 5],
    ]);
    expect(result.source.processes.map((p) => p.pid)).toEqual([12848, 12849]);
    expect(result.source.complete).toBe(true);
  });

  it("reports the -c stop and its hint line without unknown lines", () => {
    const text = [
      BANNER,
      "CallStack[1]: memory expires with 64 bytes, backtrace:",
      ...FRAMES,
      "CallStack[2]: memory expires with 64 bytes, backtrace:",
      ...FRAMES,
      "",
      "== 1 CallStacks gets memory leak.",
      "-- Maybe you should set bigger expired time by `-e`.",
      "== Callstack statistics: (in ascending order)",
      "",
      ...statsBlock(2, "1 (64 bytes)", "1 (64 bytes)"),
      ...statsBlock(1, "1 (64 bytes)", "1 (64 bytes)"),
    ].join("\n");
    const result = asMemleax(text);
    expect(result.source.counters.unrecognizedLines).toBe(0);
    expect(result.leaks).toHaveLength(2);
    expect(result.diagnostics.find((d) => d.code === "memleax-stopped")?.message).toMatch(
      /-c limit of 1/,
    );
  });

  it("leaves out stacks whose expired blocks were all freed", () => {
    const text = [
      BANNER,
      "CallStack[1]: memory expires with 64 bytes, backtrace:",
      ...FRAMES,
      "CallStack[1]: expired-memory frees after 2 seconds",
      "",
      "== Terminate monitoring.",
      "== No expired memory blocks.",
      "",
    ].join("\n");
    const result = asMemleax(text);
    expect(result.leaks).toEqual([]);
    expect(result.source.complete).toBe(true);
    expect(result.summaries[0]?.leak).toEqual({ "possibly-lost": { bytes: 0, blocks: 0 } });
    // Cut before the report: derived counts must give the same answer.
    expect(asMemleax(text.split("\n").slice(0, 6).join("\n")).leaks).toEqual([]);
  });

  it("keeps frames of every shape memleax prints", () => {
    const text = [
      BANNER,
      "CallStack[1]: memory expires with 8 bytes, backtrace:",
      "    0x00007f5f2b8fd1f5  libc.so",
      "    0x000055bf8ab96171  nosymtab  ?()  /home/dev/a b/x:y.c:8",
      "    0x00007f7df9cd2015  ??",
      "    0x00007fb5682a958c  libstdc++.so  _Znwm()+28",
    ].join("\n");
    const stack = asMemleax(text).leaks[0]?.stack;
    expect(stack).toEqual([
      { ip: "0x00007f5f2b8fd1f5", object: "libc.so" },
      { ip: "0x000055bf8ab96171", object: "nosymtab", file: "/home/dev/a b/x:y.c", line: 8 },
      { ip: "0x00007f7df9cd2015" },
      { ip: "0x00007fb5682a958c", object: "libstdc++.so", function: "_Znwm" },
    ]);
  });

  it("counts lines it does not know and survives hostile ones", () => {
    const hostile = `<script>${"x".repeat(2_000_000)}`;
    const text = [
      BANNER,
      "program output",
      hostile,
      "    0x12  orphan-frame",
      "== Target process exit.",
    ];
    const result = asMemleax(text.join("\n"));
    expect(result.source.counters.unrecognizedLines).toBe(3);
    expect(codes(result)).toContain("line-too-long");
  });
});

// Campaign bg: a CI job's log runs a page of set-up before memleax's first flush. Detection
// looks at 40 lines only (campaign v14: further, it took a later sanitizer report's log).
describe("memleax after a CI job's own lines", () => {
  it("forced, reads those lines as the job's output, with no diagnostics", () => {
    const job = Array.from({ length: 300 }, (_, i) => `step ${i + 1}: building target foo`);
    const text = `${job.join("\n")}\n${sampleText("01-single-stack-sigint.log")}`;
    expect(parse(text).fatal?.code).toBe("unknown-format");
    const result = parse(text, { inputFormat: "memleax" });
    expect(result.source.format).toBe("memleax");
    expect(result.source.counters.programLines).toBe(300);
    expect(result.source.counters.unrecognizedLines).toBe(0);
    expect(result.leaks.length).toBeGreaterThan(0);
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
  });
});
