import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { SiteStacks } from "../../../src/formats/memwatch/frames.js";
import { UnfreedBytes } from "../../../src/formats/memwatch/unfreed-bytes.js";

/*
 * The MEMWATCH parser reads unfreed lines of the usual shape from the log's bytes
 * (UnfreedBytes); test/engine/byte-path.test.ts holds it to the text path on every sample.
 */

const DUMP = "\t{FE FE FE FE FE FE FE FE FE FE FE FE FE FE FE FE ................}";

/** `text` as a line of bytes inside a chunk, as the engine hands it over. */
function line(text: string) {
  const bytes = Buffer.from(`x\n${text}\nunfreed: <1> next.c(1)`, "latin1");
  return { bytes, start: 2, end: 2 + text.length };
}

function read(reader: UnfreedBytes, text: string) {
  const { bytes, start, end } = line(text);
  return reader.read(bytes, start, end);
}

describe("UnfreedBytes", () => {
  it("reads an unfreed line's fields, its head once for every line that has it", () => {
    const reader = new UnfreedBytes(new SiteStacks());
    const first = read(reader, `unfreed: <17> node.c(57), 24 bytes at 0x55dd5b3d2980  ${DUMP}`);
    expect(first).toMatchObject({
      allocNumber: 17,
      address: "0x55dd5b3d2980",
      head: { stack: [{ file: "node.c", line: 57 }], size: { bytes: 24 } },
      dump: DUMP.slice(2),
    });
    const again = read(reader, `unfreed: <18> node.c(57), 24 bytes at 0x55dd5b3d29c0${DUMP}`);
    expect(again?.address).toBe("0x55dd5b3d29c0");
    expect(again?.head).toBe(first?.head);
    expect(Object.isFrozen(again?.head.stack)).toBe(true);
  });

  it("reads a head as the text path does, whatever its file name holds", () => {
    const reader = new UnfreedBytes(new SiteStacks());
    // The first `(digits)` followed by `, ` ends the site (memwatch.md pitfall 7).
    const odd = read(reader, `unfreed: <3> lib (x) at c.c(9), 2 kb at 0x10 ${DUMP}`);
    expect(odd?.address).toBe("0x10");
    expect(odd?.head).toMatchObject({
      stack: [{ file: "lib (x) at c.c", line: 9 }],
      size: { bytes: 2048, printedSize: "2kb" },
    });
  });

  it.each([
    ["guard marks", `unfreed: <1> a_file.c(12), 16 bytes at 0x10 [overflowed] ${DUMP}`],
    ["a dump that wraps", `unfreed: <1> a_file.c(12), 16 bytes at 0x10  \t{FE FE`],
    ["no dump", "unfreed: <1> a_file.c(12), 16 bytes at 0x10"],
    ["blanks after the dump", `unfreed: <1> a_file.c(12), 16 bytes at 0x10  ${DUMP} `],
    ["a counter of 16 digits", `unfreed: <1234567890123456> a_file.c(12), 16 bytes at 0x10${DUMP}`],
    ["no counter", `unfreed: a_file.c(12), 16 bytes at 0x10  ${DUMP}`],
    ["a head of under 16 bytes", `unfreed: <1> a(1), 8 at 0x10  ${DUMP}`],
    ["a site the text path ends early", `unfreed: <1> my (1) at.c(9), 2 kb at 0x10 ${DUMP}`],
    ["no site", `unfreed: <1> a_file.c, 16 bytes at 0x10  ${DUMP}`],
    ["a unit leaklog does not know", `unfreed: <1> a_file.c(12), 16 parsecs at 0x10  ${DUMP}`],
    ["another kind", `double-free: <1> a_file.c(12), 16 bytes at 0x10  ${DUMP}`],
  ])("leaves a line with %s to the text path", (_, text) => {
    expect(read(new UnfreedBytes(new SiteStacks()), text)).toBeUndefined();
  });

  it("counts no site for a line it leaves to the text path, which counts none either", () => {
    const sites = new SiteStacks();
    for (let n = 1; n < 1 << 14; n += 1) sites.at("filler.c", String(n));
    const reader = new UnfreedBytes(sites);
    // A size past 2^53 (grammars/numbers.ts): no record, so no site of its.
    const past = `unfreed: <1> unread.c(7), 99999999999999999 bytes at 0x10  ${DUMP}`;
    expect(read(reader, past)).toBeUndefined();
    expect(
      read(reader, `unfreed: <1> unread.c(7), 9007199254740 mb at 0x10  ${DUMP}`),
    ).toBeUndefined();
    expect(Object.isFrozen(sites.at("last.c", "1"))).toBe(true);
  });

  it("leaves the lines of a site new to a full SiteStacks to the text path", () => {
    const sites = new SiteStacks();
    for (let n = 1; n <= 1 << 14; n += 1) sites.at("filler.c", String(n));
    const reader = new UnfreedBytes(sites);
    expect(read(reader, `unfreed: <1> filler.c(7), 16 bytes at 0x10  ${DUMP}`)).toBeDefined();
    expect(read(reader, `unfreed: <1> another.c(7), 16 bytes at 0x10  ${DUMP}`)).toBeUndefined();
  });
});

describe("unfreed lines read from their bytes", () => {
  it("make the leaks that the text path makes, sharing the site's stack", () => {
    const unfreed = (n: number, tags = "") =>
      `unfreed: <${n}> node.c(57), 16 bytes at 0x55dd5b3d2980 ${tags} ${DUMP}`;
    const log = [
      "============= MEMWATCH 2.71 Copyright (C) 1992-1999 Johan Lindh =============",
      "",
      unfreed(1),
      unfreed(2, "[overflowed]"),
      unfreed(3),
      "",
    ].join("\n");
    const { leaks, errors } = parse(Buffer.from(log, "latin1"));
    const details = {
      address: "0x55dd5b3d2980",
      dump: DUMP.slice(2, 49),
      ascii: DUMP.slice(50, 66),
    };
    expect(leaks.map((l) => l.details)).toEqual([
      { allocNumber: 1, ...details },
      {
        allocNumber: 2,
        address: details.address,
        overflowed: true,
        dump: details.dump,
        ascii: details.ascii,
      },
      { allocNumber: 3, ...details },
    ]);
    expect(leaks[2]?.stack).toBe(leaks[0]?.stack);
    expect(leaks[1]?.stack).toBe(leaks[0]?.stack);
    expect(errors.map((e) => e.kind)).toEqual(["Overflow"]);
  });
});
