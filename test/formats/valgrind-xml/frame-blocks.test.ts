import { describe, expect, it } from "vitest";
import { FrameBlocks } from "../../../src/formats/valgrind-xml/frame-blocks.js";
import { doc, parseXml } from "./helpers.js";

/*
 * FrameBlocks finds a `<frame>` block from the log's bytes; test/engine/byte-path.test.ts
 * holds the whole XML parse to the text path on every sample. These are the edges.
 */

const OPEN = "    <frame>";
const FRAME = [
  OPEN,
  "      <ip>0x4848899</ip>",
  "      <obj>/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so</obj>",
  "      <fn>std::vector&lt;int&gt;::push_back(int const&amp;)</fn>",
  "      <dir>/src</dir>",
  "      <file>v.cpp</file>",
  "      <line>12</line>",
  "    </frame>",
];

/** An `<error>` with these lines after its headline. */
function error(unique: number, lines: readonly string[]): string[] {
  return [
    "<error>",
    `  <unique>0x${unique}</unique>`,
    "  <tid>1</tid>",
    "  <kind>InvalidRead</kind>",
    "  <what>Invalid read of size 4</what>",
    ...lines,
    "</error>",
  ];
}

/** The block's first line's span in a buffer of `lines` (each ending in LF). */
function firstLine(lines: readonly string[]) {
  const buf = Buffer.from(`${lines.join("\n")}\n`, "latin1");
  return { buf, start: 0, end: buf.indexOf(10) };
}

describe("FrameBlocks", () => {
  it("reads a block once, its leaves as the tree would, entities decoded", () => {
    const blocks = new FrameBlocks();
    const { buf, start, end } = firstLine(FRAME);
    const block = blocks.at(buf, start, end);
    expect(block?.lines).toBe(8);
    expect(block?.children.map((c) => c.name)).toEqual(["ip", "obj", "fn", "dir", "file", "line"]);
    expect(block?.frame).toEqual({
      ip: "0x4848899",
      function: "std::vector<int>::push_back(int const&)",
      object: "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so",
      file: "v.cpp",
      dir: "/src",
      line: 12,
    });
    const again = firstLine(FRAME);
    expect(blocks.at(again.buf, again.start, again.end)).toBe(block);
  });

  it("leaves other shapes to the text path", () => {
    const blocks = new FrameBlocks();
    const shapes = [
      FRAME.map((line) => `${line}\r`), // CRLF
      [OPEN, '      <ip kind="x">0x1</ip>', ...FRAME.slice(2)], // an attribute
      [OPEN, "      <ip>0x1</ip> <fn>f</fn>", ...FRAME.slice(3)], // two leaves on a line
      [OPEN, "      <sname>x</sname>", ...FRAME.slice(2)], // not a frame's leaf
      [OPEN, "      <ip>0x1</fn>", ...FRAME.slice(2)], // mismatched end tag
      ["\t<frame>", ...FRAME.slice(1)], // a tab
      FRAME.slice(0, -1), // no </frame>
      [
        OPEN,
        ...Array.from({ length: 200 }, () => "      <fn>a_long_function_name</fn>"),
        "    </frame>",
      ],
    ];
    for (const lines of shapes) {
      const { buf, start, end } = firstLine(lines);
      expect(blocks.at(buf, start, end), lines.join("|").slice(0, 60)).toBeUndefined();
    }
  });

  it("needs the block's last line end in the chunk", () => {
    const buf = Buffer.from(FRAME.join("\n"), "latin1"); // no LF after </frame>
    expect(new FrameBlocks().at(buf, 0, buf.indexOf(10))).toBeUndefined();
  });

  it("searches a chunk of unclosed frames once, not once per frame", () => {
    const lines = Array.from({ length: 20000 }, () => "    <frame>");
    const buf = Buffer.from(`${lines.join("\n")}\n`, "latin1");
    const blocks = new FrameBlocks();
    const searches: number[] = [];
    const indexOf = buf.indexOf.bind(buf);
    buf.indexOf = ((...args: Parameters<Buffer["indexOf"]>) => {
      searches.push(Number(args[1]));
      return indexOf(...args);
    }) as Buffer["indexOf"];
    let start = 0;
    for (let i = 0; i < lines.length; i += 1) {
      const end = start + 11;
      expect(blocks.at(buf, start, end)).toBeUndefined();
      start = end + 1;
    }
    expect(searches.length).toBe(1);
  });

  it("shares one frozen stack between the records of one call site", () => {
    const second = FRAME.map((line) => line.replace("<line>12<", "<line>40<"));
    const xml = doc(
      [
        ...error(1, ["  <stack>", ...FRAME, ...second, "  </stack>"]),
        ...error(2, ["  <stack>", ...FRAME, ...second, "  </stack>"]),
      ].join("\n"),
    );
    const [first, other] = parseXml(xml).errors;
    expect(first?.stack.map((f) => f.line)).toEqual([12, 40]);
    expect(Object.isFrozen(first?.stack)).toBe(true);
    expect(other?.stack).toBe(first?.stack);
    expect(other?.fingerprint).toBe(first?.fingerprint);
  });

  it("reads a frame outside a <stack> as text, with the tree's repair", () => {
    const xml = doc(error(1, [...FRAME, "  <stack>", ...FRAME, "  </stack>"]).join("\n"));
    const result = parseXml(xml);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.stack.map((f) => f.line)).toEqual([12]);
  });
});
