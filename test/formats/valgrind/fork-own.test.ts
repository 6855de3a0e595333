import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

// Real valgrind 3.19 runs of forkown.c, one log per process; see the fixture's README.md.
const read = (name: string): ReturnType<typeof parse> =>
  parse(readFileSync(join(ROOT, "test", "fixtures", "valgrind", "fork-own", name), "utf8"), {
    path: name,
  });

/** Each error as `kind xCOUNT line-of-the-first-frame-in-main [parent PID it may be from]`. */
const errors = (result: ReturnType<typeof parse>): string[] =>
  result.errors.map((e) => {
    const main = e.stack.find((f) => f.function === "main");
    const from = e.inheritedFrom !== undefined ? ` from ${e.inheritedFrom.parentPid ?? "?"}` : "";
    return `${e.kind} x${e.count} @${main?.line ?? "?"}${from}`;
  });

describe("valgrind text: the -s recap of a forked child that wrote a log of its own", () => {
  // -q prints no preamble: nothing names the parent of the q-s child.
  it.each([
    { run: "fork-s", parent: "vg.28534.log", child: "vg.28547.log", from: "28534" },
    { run: "q-s", parent: "vg.28643.log", child: "vg.28654.log", from: "?" },
  ])("marks the recap contexts a child never printed ($run: from $from)", (fork) => {
    const child = read(`${fork.run}/${fork.child}`);
    expect(child.diagnostics).toEqual([]);
    expect(errors(child)).toEqual([
      "InvalidWrite x1 @53",
      "InvalidRead x1 @53",
      `UninitCondition x1 @34 from ${fork.from}`,
      `InvalidRead x2 @35 from ${fork.from}`,
    ]);
    // The parent printed them: nothing of its own is marked.
    const parent = errors(read(`${fork.run}/${fork.parent}`));
    expect(parent.filter((e) => e.includes("from"))).toEqual([]);
  });

  it("waits for the recap of a child that printed no error, and checks its ERROR SUMMARY", () => {
    // `4 errors from 3 contexts`: 1 loss record and the 2 recap contexts (1 + 2 errors).
    const child = read("idle-s/vg.28615.log");
    expect(child.diagnostics).toEqual([]);
    expect(errors(child)).toEqual([
      "UninitCondition x1 @34 from 28612",
      "InvalidRead x2 @35 from 28612",
    ]);
  });

  it("-q -s: puts off the check of a child that printed no error until its recap (campaign v22 F1)", () => {
    // No preamble names its parent, and its ERROR SUMMARY comes before the recap that lists
    // the 2 inherited contexts: checked there, it was "error blocks are missing or damaged".
    const child = read("q-idle-s/vg.25211.log");
    expect(child.diagnostics).toEqual([]);
    expect(errors(child)).toEqual(["UninitCondition x1 @34 from ?", "InvalidRead x2 @35 from ?"]);
  });

  it("marks a grandchild's copies with the child, whose log never printed them either", () => {
    expect(errors(read("nest-s/vg.28571.log")).filter((e) => e.includes("from"))).toEqual([
      "UninitCondition x1 @34 from 28551",
      "InvalidRead x2 @35 from 28551",
    ]);
    const grandchild = read("nest-s/vg.28572.log");
    expect(grandchild.diagnostics).toEqual([]);
    expect(errors(grandchild)).toEqual([
      "InvalidWrite x1 @47",
      "UninitCondition x1 @34 from 28571",
      "InvalidRead x2 @35 from 28571",
    ]);
  });

  it("marks nothing of an exec'd program, which starts with an error list of its own", () => {
    const exec = read("exec-s/vg.28589.log");
    expect(exec.diagnostics).toEqual([]);
    expect(errors(exec)).toEqual(["InvalidRead x1 @28"]);
  });
});
