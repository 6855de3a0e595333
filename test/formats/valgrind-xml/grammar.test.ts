import { describe, expect, it } from "vitest";
import { sampleFiles } from "../../helpers/golden.js";
import { sampleText } from "./helpers.js";
import {
  parseCount,
  parseLeakText,
  parseSummaryCount,
} from "../../../grammars/valgrind-xml/text-patterns.js";
import { XmlLineTokenizer, type XmlEvents } from "../../../grammars/valgrind-xml/tokenizer.js";

/** Tokenizes lines and returns the events as short strings. */
function events(lines: string[], fastPath = true): string[] {
  const out: string[] = [];
  const sink: XmlEvents = {
    startTag: (name, self) => out.push(`<${name}${self ? "/" : ""}>`),
    endTag: (name) => out.push(`</${name}>`),
    leaf: (name, text, _line, raw) => {
      out.push(`<${name}>`);
      if (text.trim() !== "") out.push(`T:${text}|${raw}`);
      out.push(`</${name}>`);
    },
    text: (text, _line, raw) => (text.trim() === "" ? undefined : out.push(`T:${text}|${raw}`)),
    cdata: (text) => out.push(`C:${JSON.stringify(text)}`),
    xmlDecl: () => out.push("?xml"),
    doctype: () => out.push("!DOCTYPE"),
    lineEnd: () => undefined,
  };
  const tokenizer = new XmlLineTokenizer(sink);
  tokenizer.fastPath = fastPath;
  lines.forEach((line, i) => tokenizer.line(line, i + 1));
  return out;
}

describe("valgrind-xml tokenizer", () => {
  it("carries CDATA and comments across lines", () => {
    expect(
      events(["<rawtext>", "<![CDATA[", "{ <x>", "}]]>", "</rawtext>", "<!-- a", "<b> -->"]),
    ).toEqual(["<rawtext>", 'C:"\\n"', 'C:"{ <x>"', 'C:"\\n"', 'C:"}"', "</rawtext>"]);
  });

  it("treats a tag that does not end on its line as text", () => {
    expect(events(["<what>a<b</what>", "x <y z>"])).toEqual([
      "<what>",
      "T:a|a",
      "T:<|<",
      "T:b|b",
      "</what>",
      "T:x |x ",
      "T:<|<",
      "T:y z>|y z>",
    ]);
  });

  it("decodes predefined entities and character references only", () => {
    expect(events(["<fn>operator&lt;&lt; &amp; &#x41;&#66; &bomb;</fn>"])).toEqual([
      "<fn>",
      "T:operator<< & AB &bomb;|operator&lt;&lt; &amp; &#x41;&#66; &bomb;",
      "</fn>",
    ]);
  });

  it("reports declarations, doctypes and self-closing tags", () => {
    expect(
      events(['<?xml version="1.0"?>', "<!DOCTYPE x [", '<!ENTITY a "<b>">', "]>", "<e/>"]),
    ).toEqual(["?xml", "!DOCTYPE", "<e/>"]);
  });
});

describe("valgrind-xml tokenizer fast path", () => {
  const lines = [
    "  <ip>0x1</ip>",
    "<fn>a &amp;&lt; b</fn>",
    "  </frame>  ",
    "<frame>",
    "<a>x</b>",
    "<e></e>",
    "\t<x>>y</x>",
    "    <fn>main</fn>  \t",
    " \t <frame>",
    "",
    "   ",
    "\t",
    "  <e/>",
    "  <e/> x",
    "  </a> <b>",
    "<a>x</a><b>",
    "<a>x</a> y",
    "<1a>x</1a>",
    "\f<a>x</a>",
  ];
  it("gives the lexer's events for the line shapes it takes", () => {
    expect(events(lines, true)).toEqual(events(lines, false));
  });
  for (const name of sampleFiles("valgrind-xml", [".xml"]).filter((n) => !n.startsWith("many"))) {
    it(`gives the lexer's events on ${name}`, () => {
      const text = sampleText(name).split("\n");
      expect(events(text, true)).toEqual(events(text, false));
    });
  }
});

describe("valgrind-xml text patterns", () => {
  it("reads loss-record sentences, with the direct/indirect split and client-request deltas", () => {
    expect(
      parseLeakText(
        "160 (32 direct, 128 indirect) bytes in 1 blocks are definitely lost in loss record 8 of 9",
      ),
    ).toEqual({
      bytes: 160,
      direct: 32,
      indirect: 128,
      blocks: 1,
      kindWords: "definitely lost",
      lossRecord: { index: 8, of: 9 },
      delta: false,
    });
    expect(
      parseLeakText("64 (+64) bytes in 1 (+1) blocks are definitely lost in loss record 3 of 3"),
    ).toMatchObject({
      bytes: 64,
      blocks: 1,
      lossRecord: { index: 3, of: 3 },
      delta: true,
    });
    expect(
      parseLeakText(
        "1,112 (+112) (48 (+48) direct, 1,064 (+64) indirect) bytes in 2 (+2) blocks are possibly lost in new loss record 3 of 5",
      ),
    ).toMatchObject({
      bytes: 1112,
      direct: 48,
      indirect: 1064,
      blocks: 2,
      lossRecord: { index: 3, of: 5 },
    });
    expect(parseLeakText("something else")).toBeUndefined();
  });

  it("parses counts with thousands commas and refuses anything else", () => {
    expect(parseCount(" 4,128 ")).toBe(4128);
    expect(parseCount("12a")).toBeUndefined();
    expect(parseCount(undefined)).toBeUndefined();
  });

  it("reads a delta check's summary counts as their whole amount (campaign ce F1)", () => {
    expect(parseSummaryCount("4,128")).toBe(4128);
    expect(parseSummaryCount("150 (+50)")).toBe(150);
    expect(parseSummaryCount(" 0 (-1,024) ")).toBe(0);
    expect(parseSummaryCount("150 (50)")).toBeUndefined();
    expect(parseSummaryCount("(+50)")).toBeUndefined();
    expect(parseSummaryCount(undefined)).toBeUndefined();
  });
});
