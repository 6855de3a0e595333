import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { FrameLines } from "../../../src/formats/valgrind/frame-lines.js";

/*
 * The Valgrind text parser reads frame lines from the log's bytes (FrameLines) and shares one
 * frozen stack between the records of a call site (SharedStacks); test/engine/byte-path.test.ts
 * holds both to the text path on every sample.
 */

const bytesOf = (text: string): Uint8Array => Buffer.from(text, "latin1");

describe("the byte path of Valgrind frame lines", () => {
  it("shares one frozen stack between the records of one call site", () => {
    const leak = (pid: number, index: number) => [
      `==${pid}== 16 bytes in 1 blocks are definitely lost in loss record ${index} of 2`,
      `==${pid}==    at 0x4848899: malloc (vg_replace_malloc.c:381)`,
      `==${pid}==    by 0x401136: make_node (list.c:12)`,
      `==${pid}==    by 0x401190: main (main.c:30)`,
      `==${pid}== `,
    ];
    const log = [
      "==1== Memcheck, a memory error detector",
      "==1== ",
      ...leak(1, 1),
      ...leak(1, 2),
      "==2== Memcheck, a memory error detector",
      "==2== ",
      ...leak(2, 1),
    ].join("\n");
    const { leaks } = parse(bytesOf(log));
    expect(leaks.map((l) => l.pid)).toEqual([1, 1, 2]);
    const [first, second, third] = leaks;
    expect(first?.stack.map((f) => f.function)).toEqual(["malloc", "make_node", "main"]);
    expect(Object.isFrozen(first?.stack)).toBe(true);
    expect(second?.stack).toBe(first?.stack);
    expect(third?.stack).toBe(first?.stack);
    expect(third?.fingerprint).toBe(first?.fingerprint);
  });

  it("gives a stack read partly as text a fresh array with the same frames", () => {
    // A frame line of under 16 bytes is left to the text path.
    const log = [
      "==1== Memcheck, a memory error detector",
      "==1== Command: ./a",
      "==1== ",
      "==1== Invalid read of size 4",
      "==1==    at 0x401136: f (a.c:3)",
      "==1==    by 0x1: g",
      "==1== ",
      "==1== Invalid read of size 4",
      "==1==    at 0x401136: f (a.c:3)",
      "==1==    by 0x401150: main (a.c:9)",
      "==1== ",
    ].join("\n");
    const [partly, whole] = parse(bytesOf(log)).errors;
    expect(partly?.stack).toEqual([
      { ip: "0x401136", function: "f", file: "a.c", line: 3 },
      { ip: "0x1", function: "g" },
    ]);
    expect(Object.isFrozen(partly?.stack)).toBe(false);
    expect(Object.isFrozen(whole?.stack)).toBe(true);
    expect(whole?.stack[0]).toBe(partly?.stack[0]);
  });
});

describe("FrameLines", () => {
  const line = (text: string) => {
    const bytes = bytesOf(`==9== ${text}\n`);
    return { bytes, start: 6, end: bytes.length - 1 };
  };

  it("knows a line again by its bytes, wherever they are", () => {
    const lines = new FrameLines();
    const a = line("   at 0x4848899: malloc (vg_replace_malloc.c:381)");
    const b = line("   at 0x4848899: malloc (vg_replace_malloc.c:381)");
    const first = lines.find(a.bytes, a.start, a.end);
    expect(first?.text).toBe("   at 0x4848899: malloc (vg_replace_malloc.c:381)");
    expect(first?.frame).toEqual({
      ip: "0x4848899",
      function: "malloc",
      file: "vg_replace_malloc.c",
      line: 381,
    });
    expect(lines.find(b.bytes, b.start, b.end)).toBe(first);
  });

  it("tells apart lines whose hashed bytes agree (same length, start and end)", () => {
    // The hash reads the first 16 bytes and the last 4: these differ only in between.
    const lines = new FrameLines();
    const texts = [
      "   at 0x401136: alpha_one (a.c:3)",
      "   at 0x401136: alpha_two (a.c:3)",
      "   at 0x401136: alpha_six (a.c:3)",
    ];
    const found = texts.map((text) => {
      const { bytes, start, end } = line(text);
      return lines.find(bytes, start, end);
    });
    expect(found.map((known) => known?.frame.function)).toEqual([
      "alpha_one",
      "alpha_two",
      "alpha_six",
    ]);
    for (const [i, text] of texts.entries()) {
      const { bytes, start, end } = line(text);
      expect(lines.find(bytes, start, end)).toBe(found[i]);
    }
  });

  it("compares the last, partial word of a line", () => {
    const lines = new FrameLines();
    const texts = ["   at 0x401136: f (abcd.c:12)", "   at 0x401136: f (abcd.c:123)"];
    const found = texts.map((text) => {
      const { bytes, start, end } = line(text);
      expect((end - start) % 4).not.toBe(0);
      return lines.find(bytes, start, end);
    });
    expect(found.map((known) => known?.text)).toEqual(texts);
    for (const [i, text] of texts.entries()) {
      const { bytes, start, end } = line(text);
      expect(lines.find(bytes, start, end)).toBe(found[i]);
    }
  });

  it("leaves a line that holds another process's line, glued after its cut, to the text path", () => {
    // glued-records/frame-3.19.txt: the text path reads the glued loss record.
    const lines = new FrameLines();
    const glued = line(
      "   at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload==3760== 9 bytes in 1 blocks are definitely lost in loss record 1 of 1",
    );
    expect(lines.find(glued.bytes, glued.start, glued.end)).toBeUndefined();
    // A program's own `==` is no prefix: the line is kept.
    const named = line("   by 0x401136: bool std::operator==<char>(std::string const&) (a.cc:3)");
    expect(lines.find(named.bytes, named.start, named.end)?.frame.line).toBe(3);
  });

  it("leaves short lines and lines past its cap to the text path", () => {
    const lines = new FrameLines();
    const short = line("   at 0x1: f");
    expect(lines.find(short.bytes, short.start, short.end)).toBeUndefined();
    let kept = 0;
    for (let i = 0; i <= 1 << 14; i += 1) {
      const { bytes, start, end } = line(`   at 0x${(0x400000 + i).toString(16)}: f${i} (a.c:1)`);
      if (lines.find(bytes, start, end) !== undefined) kept += 1;
    }
    expect(kept).toBe(1 << 14);
  });
});
