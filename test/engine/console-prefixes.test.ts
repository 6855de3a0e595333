import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../src/api/parse.js";
import { ROOT } from "../helpers/golden.js";

/*
 * Campaign bl Q1: console logs whose Valgrind lines carry the prefix of the tool that relayed
 * them (`docker build --progress=plain`, Jenkins' Timestamper, `docker compose up`) were "not a
 * log leaklog can read", although the Valgrind parser, forced, read every record from them (and
 * then counted every line as program output). See src/engine/console-prefixes.ts.
 */

const FOLDER = "test/fixtures/valgrind/console-prefixes";
const text = (name: string) => readFileSync(join(ROOT, FOLDER, name), "utf8");
const read = (log: string, inputFormat: "auto" | "valgrind" | "sanitizer" = "auto") =>
  parse(log, { path: "log", inputFormat });

/** What a parse found, with no line numbers: a relaying tool adds lines of its own. */
const records = (result: ParseResult) =>
  withoutLines({
    format: result.source.format,
    processes: result.source.processes,
    leaks: result.leaks,
    errors: result.errors,
    summaries: result.summaries,
    diagnostics: result.diagnostics,
    complete: result.source.complete,
    unrecognizedLines: result.source.counters.unrecognizedLines,
  });

function withoutLines(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === "line" ? undefined : v)));
}

const PLAIN = read(text("plain.txt"));

describe("console logs whose lines carry the prefix of the tool that relayed them", () => {
  it("the plain log they hold has 4 processes, 3 errors and 3 leaks", () => {
    expect(PLAIN.source.processes.map((p) => p.pid)).toEqual([23337, 23358, 23385, 23437]);
    expect(PLAIN.errors).toHaveLength(3);
    expect(PLAIN.leaks).toHaveLength(3);
    expect(PLAIN.source.counters.programLines).toBe(4);
  });

  // Each log: the lines that are not the plain log's (the tool's own, the shell's, the build's).
  const LOGS: Record<string, number> = {
    "buildkit.txt": 11,
    "jenkins_ts.txt": 13,
    "jenkins_hms.txt": 13,
    "compose.txt": 12,
  };
  for (const [name, own] of Object.entries(LOGS)) {
    it(`${name} reads as the plain log, detected and forced alike`, () => {
      const log = text(name);
      for (const format of ["auto", "valgrind"] as const) {
        const result = read(log, format);
        expect(records(result), format).toEqual(records(PLAIN));
        // Forced, every line was program output, records and all (campaign bl Q1).
        expect(result.source.counters.programLines, format).toBe(4 + own);
      }
    });
  }

  it("a prefix that starts after the log's first lines: a docker build in a job's log", () => {
    // mixed_bk.txt: a plain run of t_clean, then a `docker build` running all four.
    const mixed = read(text("mixed_bk.txt"));
    expect(mixed.source.processes.map((p) => p.pid)).toEqual([23385, 23337, 23358, 23385, 23437]);
    expect(withoutLines(mixed.leaks)).toEqual(withoutLines(PLAIN.leaks));
    expect(mixed.source.counters.programLines).toBe(18);
    // The job's shell trace before any Valgrind line: it was "not a log".
    const traced = read(`+ docker build --progress=plain .\n${text("buildkit.txt")}`);
    expect(records(traced)).toEqual(records(PLAIN));
  });

  it("Jenkins' stamps that start inside the log (a timestamps {} block), and a docker build in them", () => {
    const lines = text("jenkins_ts.txt").split("\n");
    const late = lines.map((line, i) => (i < 4 ? line.replace(/^\[[^\]]*\] /, "") : line));
    expect(late[0]).toBe("Started by user admin");
    expect(records(read(late.join("\n")))).toEqual(records(PLAIN));
    // `[...Z] #9 0.300 ==23337== ...`: Jenkins' stamp before BuildKit's prefix.
    const nested = text("buildkit.txt")
      .split("\n")
      .map((line, i) =>
        line === "" ? line : `[2026-11-22T10:00:${String(i % 60).padStart(2, "0")}.000Z] ${line}`,
      )
      .join("\n");
    expect(records(read(nested))).toEqual(records(PLAIN));
  });

  it("GitHub Actions' stamp before BuildKit's prefix", () => {
    const github = text("buildkit.txt")
      .split("\n")
      .map((line, i) =>
        line === "" ? line : `2026-11-22T10:00:00.${String(i).padStart(7, "0")}Z ${line}`,
      )
      .join("\n");
    expect(records(read(github))).toEqual(records(PLAIN));
  });

  it("docker compose's coloured prefix (a terminal, or --ansi always)", () => {
    for (const reset of [" \x1b[0m", "\x1b[0m "]) {
      const coloured = text("compose.txt").replace(
        /^(tests-1 {2}|db-1 {5})\| /gm,
        (_, name: string) => `\x1b[1;36m${name}|${reset}`,
      );
      expect(coloured).toContain("\x1b[1;36mtests-1  |");
      expect(records(read(coloured)), JSON.stringify(reset)).toEqual(records(PLAIN));
    }
  });

  it("a sanitizer's report under each prefix, after a line without one", () => {
    const asan = readFileSync(join(ROOT, "samples/sanitizer/asan-heap-overflow-read.log"), "utf8");
    const plain = read(asan);
    expect(plain.errors.length).toBeGreaterThan(0);
    const prefixes = ["#12 1.234 ", "tests-1  | ", "10:00:00  ", "[2026-11-22T10:00:00.123Z] "];
    for (const prefix of prefixes) {
      const lines = asan.split("\n").map((line) => (line === "" ? line : prefix + line));
      const log = `+ ./run-tests\n${lines.join("\n")}`;
      expect(records(read(log)), prefix).toEqual(records(plain));
      expect(records(read(log, "sanitizer")), prefix).toEqual(records(plain));
    }
  });

  it("another tool's console log under the same prefixes is still no log", () => {
    const build = [
      "#5 [3/5] RUN make",
      "#5 0.412 cc -O2 -c main.c -o main.o",
      "#5 0.981 cc main.o -o app",
      "#5 DONE 1.0s",
    ];
    const compose = [
      "Attaching to web-1",
      "web-1  | Listening on http://0.0.0.0:8080 ==",
      "web-1  | GET /health 200 == 3 ms",
      "web-1 exited with code 0",
    ];
    const jenkins = [
      "10:00:00  Started by user admin",
      "10:00:01  == Running tests ==",
      "10:00:02  ok",
    ];
    for (const log of [build, compose, jenkins]) {
      const result = read(`${log.join("\n")}\n`);
      expect(result.diagnostics.map((d) => d.code)).toEqual(["unknown-format"]);
    }
    // Another Valgrind tool's log is named as such, with the prefix as without it.
    const helgrind = readFileSync(
      join(ROOT, "test/fixtures/valgrind/other-tools/helgrind.txt"),
      "utf8",
    );
    const codes = (log: string) => read(log).diagnostics.map((d) => d.code);
    expect(codes(helgrind)).toContain("other-tool");
    expect(codes(helgrind.replace(/^(?=.)/gm, "tests-1  | "))).toEqual(codes(helgrind));
  });
});

// Campaign v15a F1: two containers' Valgrind runs are both PID 1.
describe("two containers' runs of one PID", () => {
  it("interleaved, make the log incomplete: their records may be one process's", () => {
    const result = parse(text("compose-two-pid1.txt"), { path: "compose-two-pid1.txt" });
    expect(result.source.complete).toBe(false);
    expect(result.diagnostics.find((d) => d.code === "incomplete")?.message).toContain(
      "PID 1 runs in two containers or build steps at once (client-1, server-1)",
    );
  });

  it("one after the other, are two runs of the PID, read whole", () => {
    const result = parse(text("compose-one-after-other.txt"), { path: "seq.txt" });
    expect(result.source.complete).toBe(true);
    expect(result.diagnostics.map((d) => d.code)).not.toContain("incomplete");
  });
});
