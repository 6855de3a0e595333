import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { SiteStacks } from "../../../src/formats/memwatch/frames.js";

/*
 * MEMWATCH names a call site by `FILE(LINE)` alone, and a log names the same sites in every
 * record: the records of one site share one frozen stack (SiteStacks), fingerprinted once.
 */

const log = (body: string[]) =>
  Buffer.from(
    [
      "============= MEMWATCH 2.71 Copyright (C) 1992-1999 Johan Lindh =============",
      "",
      "Started at Sun Nov 22 01:28:25 2026",
      "",
      ...body,
      "",
      "Stopped at Sun Nov 22 01:28:25 2026",
      "",
    ].join("\n"),
    "latin1",
  );

describe("the call sites of a MEMWATCH log", () => {
  it("share one frozen stack between the records of one site", () => {
    const unfreed = (n: number, site: string) =>
      `unfreed: <${n}> ${site}, 16 bytes at 0x55dd5b3d2980  \t{FE FE FE FE FE FE FE FE FE FE FE FE FE FE FE FE ................}`;
    const { leaks, errors } = parse(
      log([
        "double-free: <7> list.c(417), 0x55dd5b3d26f0 was freed from list.c(416)",
        "double-free: <9> list.c(417), 0x55dd5b3d26f0 was freed from list.c(416)",
        unfreed(1, "node.c(57)"),
        unfreed(2, "node.c(58)"),
        unfreed(3, "node.c(57)"),
      ]),
    );
    const [first, other, again] = leaks;
    expect(first?.stack).toEqual([{ file: "node.c", line: 57 }]);
    expect(Object.isFrozen(first?.stack)).toBe(true);
    expect(again?.stack).toBe(first?.stack);
    expect(again?.fingerprint).toBe(first?.fingerprint);
    expect(other?.stack).toEqual([{ file: "node.c", line: 58 }]);
    expect(other?.fingerprint).not.toBe(first?.fingerprint);
    const [free1, free2] = errors;
    expect(free1?.stack).toEqual([{ file: "list.c", line: 417 }]);
    expect(free2?.stack).toBe(free1?.stack);
    expect(free2?.aux[0]?.stack).toEqual([{ file: "list.c", line: 416 }]);
    expect(free2?.aux[0]?.stack).toBe(free1?.aux[0]?.stack);
  });

  it("makes a fresh stack per record past its bound, with the same frame", () => {
    const sites = new SiteStacks();
    const kept = sites.at("a.c", "1");
    for (let line = 2; line <= 1 << 14; line += 1) sites.at("a.c", String(line));
    const past = sites.at("b.c", "7");
    expect(Object.isFrozen(past)).toBe(false);
    expect(sites.at("b.c", "7")).not.toBe(past);
    expect(sites.at("b.c", "7")).toEqual([{ file: "b.c", line: 7 }]);
    expect(sites.at("a.c", "1")).toBe(kept);
  });

  it("leaves out a line that is no line number, as a record's own stack does", () => {
    const sites = new SiteStacks();
    expect(sites.at("a.c", "-3")).toEqual([{ file: "a.c" }]);
    expect(sites.at(undefined, "3")).toEqual([]);
  });
});
