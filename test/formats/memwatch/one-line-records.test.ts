import { describe, expect, it } from "vitest";
import { ParseEngine } from "../../../src/engine/engine.js";
import type { ParseEvent } from "../../../src/engine/source-builder.js";
import { INPUT_FORMATS } from "../../../src/formats/index.js";

/*
 * Nearly every line of a big MEMWATCH log is a record by itself (an `unfreed:` entry with its
 * whole dump, a `KIND: ` event): it is mapped as it comes, with no grammar, so its record goes
 * out with its own line, not once a run of lines like it has ended.
 */

/** A session's header: more than the 256 bytes the engine holds before it reads a line. */
const HEAD = [
  "============= MEMWATCH 2.71 Copyright (C) 1992-1999 Johan Lindh =============",
  "",
  "Started at Sun Nov 22 01:28:25 2026",
  "",
  "Modes: __STDC__ 64-bit mwDWORD==(unsigned int)",
  "mwROUNDALLOC==8 sizeof(mwData)==56 mwDataSize==56",
  "Compiled using gcc (Debian 12.2.0-14) 12.2.0",
  "",
];
const unfreed = (n: number) =>
  `unfreed: <${n}> node.c(57), 16 bytes at 0x55dd5b3d${(0x2940 + n * 64).toString(16)}  \t{FE FE FE FE FE FE FE FE FE FE FE FE FE FE FE FE ................}`;

/** An engine fed line by line, and the findings it has given out so far. */
function lineByLine() {
  const findings: ParseEvent[] = [];
  const engine = new ParseEngine({
    path: "memwatch.log",
    formats: INPUT_FORMATS,
    onEvent: (e) => {
      if (e.type === "finding") findings.push(e);
    },
  });
  return { push: (line: string) => engine.push(Buffer.from(`${line}\n`, "latin1")), findings };
}

describe("MEMWATCH one-line records", () => {
  it("go out with their own line, each in turn", () => {
    const { push, findings } = lineByLine();
    for (const line of HEAD) push(line);
    const seen: number[] = [];
    for (let n = 1; n <= 5; n += 1) {
      push(unfreed(n));
      seen.push(findings.length);
    }
    push("double-free: <7> list.c(417), 0x55dd5b3d26f0 was freed from list.c(416)");
    seen.push(findings.length);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("leave an entry whose dump wrapped to its next line", () => {
    const { push, findings } = lineByLine();
    for (const line of HEAD) push(line);
    push("unfreed: <1> node.c(57), 16 bytes at 0x55dd5b3d2980  \t{FE FE FE FE FE FE FE FE");
    expect(findings).toHaveLength(0);
    push(" FE FE FE FE FE FE FE FE ................}");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      finding: { details: { dump: "FE FE FE FE FE FE FE FE FE FE FE FE FE FE FE FE" } },
    });
  });
});
