import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks, parseFile } from "../../src/api/parse.js";

const VALGRIND_HEAD = "==7== Memcheck, a memory error detector\n==7== Command: ./x\n==7== \n";
const LEAK = [
  "==7== 48 bytes in 3 blocks are definitely lost in loss record 1 of 1",
  "==7==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
  "==7==    by 0x109151: main (x.c:5)",
  "==7== ",
].join("\n");

describe("bad input is data, never an exception", () => {
  it("empty input", () => {
    expect(parse("").fatal?.code).toBe("empty-input");
    expect(parse("\n\n  \n").fatal?.code).toBe("empty-input");
  });

  it("binary input", () => {
    expect(parse(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0])).fatal?.code).toBe(
      "binary-input",
    );
  });

  it("a log whose program wrote NUL bytes right after the preamble is no binary input", () => {
    const log = readFileSync("test/fixtures/valgrind/binary-output/vg.log");
    expect(log.subarray(0, 400).includes(0)).toBe(true);
    const result = parse(log);
    expect(result.fatal).toBeUndefined();
    expect(result.leaks.map((l) => l.bytes)).toEqual([32]);
    // Random bytes stay binary, whatever their first line.
    const noise = Buffer.alloc(4096, 0);
    for (let i = 0; i < noise.length; i += 1) noise[i] = (i * 7919 + 13) % 251;
    const headed = Buffer.concat([Buffer.from("==7== Memcheck, a memory error detector\n"), noise]);
    expect(parse(headed).fatal?.code).toBe("binary-input");
  });

  it("another tool's log", () => {
    const result = parse("total 12\ndrwxr-xr-x 2 root root 4096 a\n");
    expect(result.fatal?.code).toBe("unknown-format");
    expect(result.fatal?.message).toMatch(/not a log leaklog can read/);
  });

  it("a missing file and a directory", async () => {
    const missing = await parseFile("/nonexistent/valgrind.txt");
    expect(missing.fatal?.code).toBe("unreadable-input");
    expect(missing.fatal?.message).toMatch(/no such file/);
    const dir = await parseFile(tmpdir());
    expect(dir.fatal?.message).toMatch(/is a directory/);
  });

  it("an unreadable file", async () => {
    if (process.getuid?.() === 0) return; // root reads everything; the permission check cannot fail
    const dir = mkdtempSync(join(tmpdir(), "leaklog-"));
    const file = join(dir, "x.txt");
    writeFileSync(file, VALGRIND_HEAD, { mode: 0o000 });
    expect((await parseFile(file)).fatal?.message).toMatch(/permission denied/);
  });

  it("CRLF line ends", () => {
    const crlf = `${VALGRIND_HEAD}${LEAK}\n`.replaceAll("\n", "\r\n");
    const result = parse(crlf);
    expect(result.leaks).toHaveLength(1);
    expect(result.leaks[0]?.stack[1]).toEqual({
      ip: "0x109151",
      function: "main",
      file: "x.c",
      line: 5,
    });
  });

  it.each(["leak_definite.txt", "many_errors.txt"])(
    "CR-only line ends (%s): the same report as LF, however the input is chunked",
    async (name) => {
      const lf = readFileSync(join("samples", "valgrind", name));
      const cr = Buffer.from(lf.toString("latin1").replaceAll("\n", "\r"), "latin1");
      const whole = parse(lf, { path: name });
      // It was one line that matched nothing, and a clean complete run.
      expect(parse(cr, { path: name })).toEqual(whole);
      for (const size of [1, 100, 8191, 8192, 65536]) {
        const chunks: Buffer[] = [];
        for (let at = 0; at < cr.length; at += size) chunks.push(cr.subarray(at, at + size));
        expect(await parseChunks(chunks, { path: name }), `chunks of ${size}`).toEqual(whole);
      }
    },
  );

  it("a giant line is cut with a diagnostic and the records around it survive", () => {
    const giant = `==7== ${"x".repeat(2_000_000)}`;
    const result = parse(`${VALGRIND_HEAD}${giant}\n==7== \n${LEAK}\n`);
    expect(result.leaks).toHaveLength(1);
    expect(result.diagnostics.map((d) => d.code)).toContain("line-too-long");
  });

  it("the line cap counts a line's text, not its CRLF's CR, however the input is chunked", async () => {
    // Found by fuzzing: a CRLF line of exactly the cap was reported cut (its CR counted).
    const at = (eol: string, extra: number) =>
      `${VALGRIND_HEAD}==7== ${"x".repeat(114 + extra)}\n${LEAK}\n`.replaceAll("\n", eol);
    const cuts = async (text: string) => {
      const bytes = Buffer.from(text);
      const options = { maxLineLength: 120, path: "x" };
      const whole = parse(bytes, options);
      // Chunk borders all around the long line's end (its CR, its LF, the bytes over the cap).
      const eol = bytes.indexOf(10, VALGRIND_HEAD.length);
      for (let split = eol - 4; split <= eol + 1; split += 1) {
        const pieces = [bytes.subarray(0, split), bytes.subarray(split)];
        expect(await parseChunks(pieces, options), `split at ${split}`).toEqual(whole);
      }
      return whole.diagnostics.filter((d) => d.code === "line-too-long").map((d) => d.message);
    };
    for (const eol of ["\n", "\r\n"]) {
      expect(await cuts(at(eol, 0)), eol).toEqual([]);
      expect(await cuts(at(eol, 1)), eol).toEqual(["line of 121 bytes cut to its first 120 bytes"]);
    }
    const cut = parse(at("\r\n", 1), { maxLineLength: 120 });
    expect(cut.leaks).toHaveLength(1);
    expect(cut.leaks).toEqual(parse(at("\n", 1), { maxLineLength: 120 }).leaks);
  });

  it("a log cut mid-record keeps what came before", () => {
    const cut = `${VALGRIND_HEAD}${LEAK}\n==7== 16 bytes in 1 blocks are definitely lo`;
    const result = parse(cut);
    expect(result.leaks).toHaveLength(1);
    expect(result.diagnostics.some((d) => d.code === "unrecognized-line")).toBe(true);
  });
});

describe("logs of Valgrind tools other than Memcheck", () => {
  const fixture = (name: string) => `test/fixtures/valgrind/other-tools/${name}`;

  // Real 3.19 logs, trimmed: Memcheck's grammar read helgrind.txt as 6 made-up errors
  // ("Locks held: none", "Thread #3 was created") and massif.log as a run cut short.
  it.each([
    [
      "helgrind.txt",
      /^a Helgrind log, not Memcheck's: .*Helgrind's only as XML \(rerun with --xml=yes/,
    ],
    ["drd.txt", /^a DRD log, not Memcheck's: .*DRD's only as XML/],
    ["massif.txt", /^a Massif log, not Memcheck's: leaklog reads Valgrind Memcheck logs/],
    ["cachegrind.txt", /^a Cachegrind log, not Memcheck's/],
    ["exp-bbv.txt", /^an exp-bbv log, not Memcheck's/],
  ])("%s is unusable, with no made-up findings", async (name, message) => {
    const result = await parseFile(fixture(name));
    expect(result.fatal?.code).toBe("other-tool");
    expect(result.fatal?.message).toMatch(message);
    expect(result.errors).toEqual([]);
    expect(result.diagnostics.filter((d) => d.code === "unrecognized-line")).toEqual([]);
  });

  // Real profiles (other-tools/README.md): refused naming the tool, not as "not a log".
  it.each([
    ["massif.out", /^a Massif profile \(valgrind --tool=massif; ms_print reads it\)/],
    ["dhat.json", /^a DHAT profile/],
    ["callgrind.out", /^a Callgrind profile .*callgrind_annotate/],
    ["cachegrind.out", /^a Cachegrind profile .*cg_annotate/],
  ])("the profile %s is another tool's output", async (name, message) => {
    const result = await parseFile(fixture(name));
    expect(result.fatal?.code).toBe("other-tool");
    expect(result.fatal?.message).toMatch(message);
  });

  it("names CTest's own log, which a glob over Testing/Temporary/*.log catches", async () => {
    const result = await parseFile(
      "test/fixtures/valgrind/ctest/LastDynamicAnalysis_20261204-2220.log",
    );
    expect(result.fatal?.code).toBe("unknown-format");
    expect(result.fatal?.message).toMatch(/^CTest's own test log.*MemoryChecker\.\*\.log/);
  });

  it.each([
    "Nulgrind, the minimal Valgrind tool",
    "DHAT, a dynamic heap analysis tool",
    "Lackey, an example Valgrind tool",
    "Callgrind, a call-graph generating cache profiler",
    "exp-bbv, a SimPoint basic block vector generator",
  ])("the banner %j names another tool", (banner) => {
    const log = `==9== ${banner}\n==9== Using Valgrind-3.19.0 and LibVEX\n==9== Command: ./x\n==9== \n`;
    expect(parse(log).fatal?.code).toBe("other-tool");
  });

  it("skips another tool's process but reads the Memcheck processes of the same log", () => {
    const helgrind = readFileSync(fixture("helgrind.txt"), "utf8");
    const end = "==7== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)\n";
    const result = parse(`${helgrind}${VALGRIND_HEAD}${LEAK}\n${end}`);
    expect(result.fatal).toBeUndefined();
    expect(result.errors).toEqual([]);
    expect(result.leaks).toHaveLength(1);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["other-tool"]);
    expect(result.diagnostics[0]?.message).toBe(
      "PID 18236 runs Helgrind, not Memcheck: its lines are skipped",
    );
  });

  it("a -q Memcheck log (no banner) and a Memcheck banner stay usable", () => {
    expect(parse(`${LEAK}\n`).fatal).toBeUndefined();
    expect(parse(`${VALGRIND_HEAD}${LEAK}\n`).leaks).toHaveLength(1);
  });

  it("reads --leak-check=no's rerun hint as a known line", () => {
    // leaks_no.txt (valgrind 3.19, --leak-check=no) ends its HEAP SUMMARY with it.
    const hint = "==7== For a detailed leak analysis, rerun with: --leak-check=full\n==7== \n";
    const end = "==7== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n";
    expect(parse(`${VALGRIND_HEAD}${hint}${end}`).diagnostics).toEqual([]);
  });
});
