import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

const DIR = join(ROOT, "test", "fixtures", "valgrind", "var-info");
const read = (name: string) => parse(readFileSync(join(DIR, name)), { path: name });

// Each error's aux entries, addresses left out (the two runs had different stacks).
const auxOf = (name: string) =>
  read(name).errors.map((e) =>
    e.aux?.map((a) => [a.message.replace(/0x[0-9a-f]+/g, "0x"), a.stack?.length ?? 0]),
  );

describe("--read-var-info=yes: an address described on two lines (var-info/README.md)", () => {
  it("reads both logs without a diagnostic", () => {
    for (const name of ["vars.txt", "vars.xml"]) {
      const result = read(name);
      expect(result.diagnostics).toEqual([]);
      expect(result.errors.map((e) => e.kind)).toEqual([
        "SyscallParam",
        "InvalidFree",
        "InvalidFree",
        "InvalidFree",
      ]);
    }
  });

  it("keeps `Location ...` and `declared at ...` two aux entries, in the text as in the XML", () => {
    expect(auxOf("vars.txt")).toEqual([
      [
        ["Location 0x is 0 bytes inside buf[1],", 0],
        ["declared at vars.c:7, in frame #1 of thread 1", 0],
        ["Uninitialised value was created by a stack allocation", 1],
      ],
      [
        ["Location 0x is 0 bytes inside local.name[3],", 0],
        ["declared at vars.c:7, in frame #1 of thread 1", 0],
      ],
      [
        ["Location 0x is 0 bytes inside gs[1].name[2],", 0],
        ["a global variable declared at vars.c:4", 0],
      ],
      [
        ['Location 0x is 0 bytes inside global var "counter"', 0],
        ["declared at vars.c:5", 0],
      ],
    ]);
    expect(auxOf("vars.xml")).toEqual(auxOf("vars.txt"));
  });
});
