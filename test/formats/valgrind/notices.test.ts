import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseFile } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

// Real logs (fixtures/valgrind/notices/README.md) whose every line is Valgrind's own.
const parsed = (name: string) => {
  const path = `test/fixtures/valgrind/notices/${name}`;
  return parse(readFileSync(join(ROOT, path), "utf8"), { path });
};

describe("lines that continue Valgrind's notices and summaries", () => {
  it.each([
    "heur_def.txt",
    "uctx.txt",
    "uctx3.txt",
    "jump.txt",
    "verbose2.txt",
    "vgdb_error.txt",
    "sigkill_v.txt",
    "sigkill.txt",
    "ioctl.txt",
    "debuginfo.txt",
  ])("are all understood in %s", (name) => {
    const report = parsed(name);
    const warnings = report.diagnostics.filter((d) => d.severity !== "info");
    expect(warnings.filter((d) => d.code !== "valgrind-warning")).toEqual([]);
    expect(report.source.counters.unrecognizedLines).toBe(0);
    expect(report.source.complete).toBe(true);
  });

  it("keep the records among -v -v's redirection lines (verbose2.txt, as its summaries say)", () => {
    const report = parsed("verbose2.txt");
    expect(report.errors.map((e) => [e.kind, e.count])).toEqual([
      ["InvalidWrite", 1],
      ["InvalidWrite", 1],
      ["UninitCondition", 1],
      ["UninitCondition", 1],
    ]);
    expect(report.leaks.map((l) => [l.kind, l.bytes])).toEqual([
      ["definitely-lost", 7],
      ["definitely-lost", 58],
      ["definitely-lost", 100],
    ]);
  });

  it("keep the records around them (heur_def.txt, as its LEAK SUMMARY says)", () => {
    const report = parsed("heur_def.txt");
    const total = (kind: string) =>
      report.leaks.filter((l) => l.kind === kind).reduce((sum, l) => sum + l.bytes, 0);
    expect(report.leaks).toHaveLength(9);
    expect(total("definitely-lost")).toBe(49);
    expect(total("possibly-lost")).toBe(162);
    expect(total("still-reachable")).toBe(614);
  });

  it("keep every error vgdb stopped at (vgdb_error.txt, as its ERROR SUMMARY says)", () => {
    const report = parsed("vgdb_error.txt");
    expect(report.errors.map((e) => e.kind)).toEqual([
      "InvalidWrite",
      "UninitValue",
      "UninitCondition",
      "InvalidWrite",
    ]);
    expect(report.leaks.map((l) => l.bytes)).toEqual([10, 50, 100]);
  });

  it("keep the errors after a two-line warning (uctx.txt, jump.txt)", () => {
    expect(parsed("uctx.txt").errors.map((e) => e.kind)).toContain("InvalidWrite");
    expect(parsed("uctx3.txt").errors.map((e) => e.kind)).toEqual(["InvalidWrite"]);
    // An unhandled syscall's backtrace is the warning's (-v): no error, as ERROR SUMMARY says.
    expect(parsed("sigkill_v.txt").errors).toEqual([]);
    expect(parsed("jump.txt").errors.map((e) => e.kind)).toEqual(
      expect.arrayContaining(["SyscallParam", "UninitCondition", "InvalidJump"]),
    );
  });
});

describe("Valgrind's warnings that bear on the findings", () => {
  const told = (name: string) =>
    parsed(name)
      .diagnostics.filter((d) => d.code === "valgrind-warning")
      .map((d) => [d.line, d.pid, d.message]);

  it("tell an unhandled syscall once, with or without -v's backtrace", () => {
    const message =
      "PID 32717: Valgrind does not handle amd64-linux syscall 999 and failed it (ENOSYS): the program may have run otherwise than it does without Valgrind";
    expect(told("sigkill.txt")).toEqual([[9, 32717, message]]);
    expect(told("sigkill_v.txt")).toEqual([[107, 9833, message.replace("32717", "9833")]]);
  });

  it("tell the first unhandled ioctl of a process, and keep the leak after them", () => {
    expect(told("ioctl.txt")).toEqual([
      [
        7,
        32658,
        "PID 32658: Valgrind does not know what ioctl 0x7ff reads or writes: uninitialised-value errors after it may be spurious",
      ],
    ]);
    expect(parsed("ioctl.txt").leaks.map((l) => [l.kind, l.bytes])).toEqual([
      ["definitely-lost", 24],
    ]);
  });

  it("name the object whose debug information Valgrind could not read, once", () => {
    expect(told("debuginfo.txt")).toEqual([
      [
        7,
        374,
        "PID 374: Valgrind could not read all the debug information of /tmp/vgwarn/dbg_bad: its frames may lack function names or source lines, and so group less precisely",
      ],
    ]);
  });

  it("tell a switch of stacks once, however often Valgrind warned of it", () => {
    expect(told("uctx3.txt").map(([line]) => line)).toEqual([7]);
    expect(told("uctx.txt").map(([line]) => line)).toEqual([7]);
  });

  it("are not told for warnings that change nothing a report shows", () => {
    // jump.txt's `--freelist-big-blocks value 1000000 has no effect`; sigkill.txt's ignored
    // SIGKILL handler is not told either (above: its only warning is the syscall's).
    for (const name of ["heur_def.txt", "jump.txt", "verbose2.txt", "vgdb_error.txt"])
      expect(told(name)).toEqual([]);
  });
});

describe("a log of --leak-check=no", () => {
  it("warns that no leak check looked at the blocks in use at exit", () => {
    const report = parsed("leaks_no.txt");
    expect(report.leaks).toEqual([]);
    const warnings = report.diagnostics.filter((d) => d.code === "no-leak-check");
    expect(warnings.map((d) => [d.severity, d.line])).toEqual([["warning", 25]]);
    expect(warnings[0]?.message).toContain(
      "the 452 bytes in 5 blocks in use at exit were not looked at",
    );
  });

  it("is not said where a leak check ran", () => {
    for (const name of ["heur_def.txt", "uctx.txt", "jump.txt"]) {
      expect(parsed(name).diagnostics.map((d) => d.code)).not.toContain("no-leak-check");
    }
  });
});

describe("Valgrind's notices of -v -v and --xtree-leak=yes", () => {
  it("-v -v's `Ignoring lower priority redirection:` is a notice, not a line not understood", () => {
    const report = parsed("verbose2-redir.txt");
    expect(report.diagnostics).toEqual([]);
    expect(report.leaks.map((l) => l.kind)).toEqual(["definitely-lost"]);
  });

  it("`xtree leak report: FILE` says where the leaks went, and that the log lacks them", () => {
    const report = parsed("xtree.txt");
    expect(report.diagnostics.map((d) => [d.code, d.line])).toEqual([["xtree-leak-file", 12]]);
    expect(report.diagnostics[0]?.message).toContain("leaks were written to /tmp/fx/xtree.kcg");
    expect(report.source.complete).toBe(false);
  });
});

describe("Valgrind's notice of an instruction it does not recognise", () => {
  const read = (name: string) => {
    const path = `test/fixtures/valgrind/unrecognised-instruction/${name}`;
    return parse(readFileSync(join(ROOT, path), "utf8"), { path });
  };
  it.each(["vg.txt", "mixed.txt"])(
    "is a warning, not an error or a marker: %s has the XML's records",
    (name) => {
      const text = read(name);
      const xml = read("vg.xml");
      // The fatal signal's thread is in the XML only (text prints no `Thread N:` before it).
      const kinds = (r: typeof text) => r.errors.map((e) => e.kind);
      expect(kinds(text)).toEqual(kinds(xml));
      expect(kinds(text)).toEqual(["InvalidWrite", "FatalSignal"]);
      expect(text.leaks.map((l) => [l.kind, l.bytes])).toEqual(
        xml.leaks.map((l) => [l.kind, l.bytes]),
      );
      expect(text.source.counters.unrecognizedLines).toBe(0);
      expect(text.diagnostics.map((d) => [d.severity, d.code])).toEqual([
        ["warning", "valgrind-warning"],
      ]);
      expect(text.diagnostics[0]?.message).toMatch(/did not recognise the instruction at 0x1091e1/);
    },
  );
});

describe("a run of thousands of one-line warnings with no empty line between", () => {
  it("keeps the error right after it and the leak after more (closefd.txt.gz)", async () => {
    // 20,000 `Warning: invalid file descriptor -1 in syscall close()` filled one block's cap:
    // the `Invalid write` after them was dropped, and --fail-on error passed on the leak alone.
    const report = await parseFile(join(ROOT, "test/fixtures/valgrind/notices/closefd.txt.gz"));
    expect(report.errors.map((e) => [e.kind, e.stack[0]?.line])).toEqual([["InvalidWrite", 8]]);
    expect(report.leaks.map((l) => [l.kind, l.bytes])).toEqual([["definitely-lost", 40]]);
    expect(report.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
    expect(report.source.counters.unrecognizedLines).toBe(0);
    expect(report.source.complete).toBe(true);
  });
});
