import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

const DIR = join(ROOT, "test", "fixtures", "valgrind", "split-writes");

function parseFixture(name: string): ParseResult {
  return parse(readFileSync(join(DIR, name)), { path: name });
}

/** Each process's ERROR SUMMARY, as Valgrind printed it. */
function printedErrors(name: string): Map<number, number> {
  const text = readFileSync(join(DIR, name), "utf8");
  const printed = new Map<number, number>();
  for (const match of text.matchAll(/^==(\d+)== ERROR SUMMARY: (\d+) errors/gm))
    printed.set(Number(match[1]), Number(match[2]));
  return printed;
}

/** The errors read per process, counted as Valgrind counts them. */
function readErrors(result: ParseResult): Map<number, number> {
  const read = new Map<number, number>();
  for (const error of result.errors)
    read.set(error.pid ?? 0, (read.get(error.pid ?? 0) ?? 0) + error.count);
  return read;
}

/** The functions a fixture program defines, by name. */
function programFunctions(source: string): Set<string> {
  const text = readFileSync(join(DIR, source), "utf8");
  return new Set([...text.matchAll(/void ([fg]\d\d_x+)\(char \*p\)/g)].map((m) => m[1] as string));
}

/** The top frames of the errors that name no function of the program (a rest taken wrongly). */
function strangeTopFrames(result: ParseResult, source: string): string[] {
  const names = programFunctions(source);
  return result.errors
    .map((error) => error.stack[0])
    .filter((frame) => !names.has(frame?.function ?? "") || frame?.file !== source)
    .map((frame) => `${frame?.function?.slice(0, 3)}… (${frame?.file}:${frame?.line})`);
}

describe("Valgrind lines longer than 512 bytes, cut by another process's writes", () => {
  it.each([
    "forked.txt",
    "forked-2.txt",
    "pair.txt",
    "program-output.txt",
    "program-output-cut.txt",
    "program-file.txt",
  ])("are put back together: %s reads every error each ERROR SUMMARY counts", (name) => {
    const result = parseFixture(name);
    expect(readErrors(result)).toEqual(printedErrors(name));
    const codes = result.diagnostics.map((d) => d.code);
    expect(codes).not.toContain("unrecognized-line");
    expect(codes).not.toContain("summary-mismatch");
    for (const error of result.errors)
      for (const frame of [...error.stack, ...error.aux.flatMap((aux) => aux.stack ?? [])]) {
        expect(frame.function ?? "").not.toContain("==");
        expect(frame.object ?? "").not.toContain("==");
      }
  });

  it("never takes the program's own output for a line's rest", () => {
    // `[info] step 39 done (server.c:42)`, printed between two writes, reads as a frame's end.
    for (const name of ["program-output.txt", "program-output-cut.txt"]) {
      const frames = parseFixture(name).errors.flatMap((e) => e.stack);
      expect(frames.filter((f) => f.file === "server.c")).toEqual([]);
      expect(frames.filter((f) => f.function?.includes("[info]") === true)).toEqual([]);
    }
    // Where the program's line came at the end of a frame's second write, the frame is whole.
    const cut = parseFixture("program-output-cut.txt");
    expect(strangeTopFrames(cut, "fk.c")).toEqual([]);
  });

  it("takes apart a frame line cut by the program's line that names the program's own file", () => {
    // `f01_xxx…xxx[info] step 8 done (fk6.c:42)`: fk6.c is a place whole frame lines name too.
    const result = parseFixture("program-file.txt");
    const functions = programFunctions("fk6.c");
    const tops = result.errors.map((error) => error.stack[0]?.function ?? "");
    expect(tops.filter((name) => !functions.has(name))).toEqual([]);
    expect(result.errors.map((error) => error.stack[0]?.file)).toEqual(tops.map(() => "u00.h"));
  });

  it("gives each frame its own name and place where a piece tells whose it is", () => {
    expect(strangeTopFrames(parseFixture("forked.txt"), "forked.c")).toEqual([]);
  });

  it("gives a rest to the head whose frame another process printed whole with it", () => {
    // forked-2.txt: two heads cut inside names of x's before either rest; the names swapped.
    expect(strangeTopFrames(parseFixture("forked-2.txt"), "forked.c")).toEqual([]);
  });

  it("prefers the file the log names elsewhere: (pai + air.c:47) is pair.c, not paiair.c", () => {
    const result = parseFixture("pair.txt");
    const frames = result.errors.flatMap((e) => [
      ...e.stack,
      ...e.aux.flatMap((a) => a.stack ?? []),
    ]);
    expect(new Set(frames.map((frame) => frame.file ?? frame.object))).toEqual(
      new Set(["pair.c", "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so"]),
    );
    // Twice two heads both cut inside a name of x's, whose rests were taken the other way
    // round: the other process had printed each of the two frames whole.
    expect(strangeTopFrames(result, "pair.c")).toEqual([]);
  });
});

/** A log of two processes' invalid writes (made up): `pid` 100's frame line is `name`'s. */
function twoProcesses(name: string, cut: (line: string) => [string, string]): string {
  const long = `==100==    at 0x109227: ${name} (wide.c:7)`;
  const [head, rest] = cut(long);
  return [
    "==100== Invalid write of size 1",
    `${head}==200== Invalid write of size 1`,
    "==200==    at 0x1091B9: other (wide.c:3)",
    rest,
    "==100==    by 0x109744: main (wide.c:20)",
    "==200==    by 0x109744: main (wide.c:20)",
    "==100== ",
    "==200== ",
    "",
  ].join("\n");
}

describe("a line cut at its 512th byte (made-up logs)", () => {
  it("counts bytes, not characters: a name in UTF-8 is cut where Valgrind cut it", () => {
    // 30 bytes before the name's first é: byte 512 falls between two characters. (Valgrind
    // cuts inside one too; the decoded pieces then hold U+FFFD and are not put back.)
    const name = `wides_${"é".repeat(300)}`;
    const log = twoProcesses(name, (line) => {
      const bytes = Buffer.from(line);
      return [bytes.subarray(0, 512).toString(), bytes.subarray(512).toString()];
    });
    const result = parse(Buffer.from(log), { path: "wide.txt" });
    expect(result.errors.map((e) => [e.pid, e.stack[0]?.function, e.stack[0]?.line])).toEqual([
      [100, name, 7],
      [200, "other", 3],
    ]);
  });

  it("reads a head whose rest never came as it is, and loses no record", () => {
    const name = `cut_${"x".repeat(600)}`;
    const log = twoProcesses(name, (line) => [line.slice(0, 512), ""]).replace(/\n\n/, "\n");
    const result = parse(Buffer.from(log), { path: "cut.txt" });
    expect(result.errors.map((e) => e.pid)).toEqual([100, 200]);
    expect(result.errors[0]?.stack[0]?.function?.startsWith("cut_xxx")).toBe(true);
  });
});

describe("a frame line cut by the program's own line (made-up logs)", () => {
  it("knows the program's line by its shape, its numbers decimal or hex", () => {
    // `[info] step 8 buf 0x4a86beb done (h.c:42)` at the frame's 512th byte names h.c, which
    // frames name too; the program printed a line of that shape whole before.
    const cut = `==100==    at 0x109300: cut_${"x".repeat(600)} (u.h:1)`;
    const log = [
      "==100== Invalid write of size 1",
      `==100==    at 0x109227: first_${"y".repeat(200)} (h.c:7)`,
      `==100==    by 0x109228: other_${"z".repeat(200)} (u.h:3)`,
      "==100==    by 0x109744: main (h.c:20)",
      "==100== ",
      "[info] step 1 buf 0x4a11111 done (h.c:42)",
      "==100== Invalid write of size 1",
      `${cut.slice(0, 512)}[info] step 8 buf 0x4a86beb done (h.c:42)`,
      cut.slice(512),
      "==100==    by 0x109744: main (h.c:20)",
      "==100== ",
      "",
    ];
    const result = parse(Buffer.from(log.join("\n")), { path: "logger.txt" });
    expect(
      result.errors.map((e) => `${e.stack[0]?.function?.slice(0, 6)} ${e.stack[0]?.file}`),
    ).toEqual(["first_ h.c", "cut_xx u.h"]);
    expect(result.errors[1]?.stack[0]?.function).toBe(`cut_${"x".repeat(600)}`);
    expect(result.source.counters.programLines).toBe(2);
  });
});

describe("frames printed at one address (made-up logs)", () => {
  it("does not cut a whole line in two for a head held lines before", () => {
    // An inlined function prints alike at each of its call sites: pid 400's whole line at
    // 0x10A890 ends as pid 300's head at 0x10A590 would, printed whole by pid 200. The head
    // was cut many lines before; its rest comes later (campaign v8, a real 4-process log).
    const inner = `inner_${"i".repeat(600)}<16> (fz.cc:8)`;
    const frame = (pid: number, address: string) => `==${pid}==    at ${address}: ${inner}`;
    const error = (pid: number) => `==${pid}== Invalid write of size 1`;
    const held = frame(300, "0x10A590");
    const log = [
      error(200),
      frame(200, "0x10A590"),
      "==200==    by 0x109744: main (fz.cc:20)",
      "==200== ",
      error(300),
      `${held.slice(0, 512)}${error(400)}`,
      "==400==    at 0x10A700: other (fz.cc:3)",
      "==400==    by 0x109744: main (fz.cc:20)",
      "==400== ",
      error(400),
      frame(400, "0x10A890"),
      "==400==    by 0x109744: main (fz.cc:20)",
      "==400== ",
      held.slice(512),
      "==300==    by 0x109744: main (fz.cc:20)",
      "==300== ",
      "",
    ];
    const result = parse(Buffer.from(log.join("\n")), { path: "inlined-sites.txt" });
    expect(
      result.errors.map((e) => [
        e.pid,
        e.stack[0]?.ip,
        e.stack[0]?.function === `inner_${"i".repeat(600)}<16>`,
      ]),
    ).toEqual([
      [200, "0x10A590", true],
      [300, "0x10A590", true],
      [400, "0x10A700", false],
      [400, "0x10A890", true],
    ]);
  });

  it("reads inlined frames that share an address as they are", () => {
    // With inlined calls Valgrind prints several frames at one address: a long frame line
    // unlike the one printed at its address before is held, and given out as it is.
    const inlined = `inl_${"x".repeat(600)} (h.c:3)`;
    const outer = `outer_${"y".repeat(600)} (h.c:9)`;
    const error = (pid: number) => [
      `==${pid}== Invalid write of size 1`,
      `==${pid}==    at 0x109227: ${inlined}`,
      `==${pid}==    by 0x109227: ${outer}`,
      `==${pid}==    by 0x109744: main (h.c:20)`,
      `==${pid}== `,
    ];
    const log = [...error(100), ...error(100), "program output (h.c:1)", ...error(200), ""];
    const result = parse(Buffer.from(log.join("\n")), { path: "inlined.txt" });
    expect(result.errors.map((e) => e.stack.map((f) => `${f.function} ${f.line}`))).toEqual(
      [100, 100, 200].map(() => [
        `inl_${"x".repeat(600)} 3`,
        `outer_${"y".repeat(600)} 9`,
        "main 20",
      ]),
    );
    expect(result.source.counters.programLines).toBe(1);
  });
});
