import { describe, expect, it } from "vitest";
import { splitFrameLine } from "../../../grammars/memleax/frame.js";
import { parseBlock } from "../../../grammars/memleax/parser.js";
import { classifyLine, groupsOf, type LineToken } from "../../../grammars/memleax/tokens.js";
import { memleaxFormat } from "../../../src/formats/memleax/index.js";

describe("memleax grammar", () => {
  it.each([
    ["== Begin monitoring process 11641...", "Banner", ["11641"]],
    ["CallStack[2]: memory expires with 100 bytes, backtrace:", "ExpireFirst", ["2", "100"]],
    [
      "CallStack[1]: memory expires with 32 bytes, 22 times again",
      "ExpireAgain",
      ["1", "32", "22"],
    ],
    ["CallStack[1]: expired-memory frees after 3 seconds", "FreedAfter", ["1", "3"]],
    [
      "Warning: too many expired-free at CallStack[1]. will not show this CallStack later",
      "TooManyFrees",
      ["1"],
    ],
    ["Warning: alloc returns NULL at", "NullAlloc", []],
    ["CallStack[3]: may-leak=7 (1400 bytes)", "StatsHead", ["3", "7", "1400"]],
    [
      "    expired=11 (1408 bytes), free_expired=9 (1152 bytes)",
      "StatsExpired",
      ["11", "1408", "9", "1152"],
    ],
    ["    alloc=12 (1536 bytes), free=9 (1152 bytes)", "StatsAlloc", ["12", "1536", "9", "1152"]],
    ["    freed memory live time: min=2 max=2 average=1", "StatsFreedLive", ["2", "2", "1"]],
    ["    un-freed memory live time: max=3", "StatsUnfreedLive", ["3"]],
    ["== 5 memory blocks leaked at CallStack[1].", "StopReason", ["memblock-limit", "5", "1"]],
    ["== 4 CallStacks gets memory leak.", "StopReason", ["callstack-limit", "4"]],
    ["unknown breakpoint 7f3a12", "StopReason", ["unknown-breakpoint", "7f3a12"]],
    [
      "== Error on waitpid(): No child processes",
      "StopReason",
      ["waitpid-error", "No child processes"],
    ],
    ["== Your monitoring time is too short. 10 seconds is need.", "TooShort", ["10"]],
    [
      "== Attach process error:: Operation not permitted",
      "ToolError",
      ["attach", "Operation not permitted"],
    ],
    [
      "/usr/bin/memleax: invalid option -- 'x'",
      "ToolError",
      ["option", "/usr/bin/memleax", "invalid option", "x"],
    ],
    [
      "Error in open /proc/pid/maps: No such file or directory",
      "ToolError",
      ["proc", "/proc/pid/maps", "No such file or directory"],
    ],
    ["# memleax 45256", "ShellCommand", ["memleax 45256"]],
    ["[root@c7 ~]# sudo /usr/bin/memleax -e 30 99", "ShellCommand", ["/usr/bin/memleax -e 30 99"]],
    ["^C", "Interrupt", []],
    ["^C== Terminate monitoring.", "StopReason", ["terminate"]],
    ["CallStack[1]: mem", "Other", []],
  ])("classifies %j as %s", (text, name, groups) => {
    const token: LineToken = classifyLine(text, 7);
    expect(token.tokenType.name).toBe(name);
    expect(groupsOf(token)).toEqual(groups);
    expect(token.startLine).toBe(7);
  });

  it.each([
    ["    0x00005616303ae15b  exits", { address: "0x00005616303ae15b", module: "exits" }],
    [
      "    0x00007fed9337824a  libc.so  ?()  ../sysdeps/generic/get-rounding-mode.h:118",
      {
        address: "0x00007fed9337824a",
        module: "libc.so",
        unknownFunc: true,
        file: "../sysdeps/generic/get-rounding-mode.h",
        line: 118,
      },
    ],
    [
      "    0x00007fb5682a958c  libstdc++.so  _Znwm()+28",
      { address: "0x00007fb5682a958c", module: "libstdc++.so", func: "_Znwm", offset: 28 },
    ],
    [
      "    0x0804a1b2  app  main()+22  /src/dir with space/c:d.c:22",
      {
        address: "0x0804a1b2",
        module: "app",
        func: "main",
        offset: 22,
        file: "/src/dir with space/c:d.c",
        line: 22,
      },
    ],
    // v0.1-v0.2 layout: single spaces, no library column (formats/memleax.md §9).
    [
      "    0x00000000004005d6 main()+22 a.c:9",
      { address: "0x00000000004005d6", func: "main", offset: 22, file: "a.c", line: 9 },
    ],
  ])("splits frame %j", (text, fields) => {
    expect(splitFrameLine(text)).toEqual(fields);
  });

  it("rejects a report block whose lines are out of order", () => {
    const lines = [
      "CallStack[1]: may-leak=5 (320 bytes)",
      "    alloc=6 (384 bytes), free=0 (0 bytes)",
      "    expired=5 (320 bytes), free_expired=0 (0 bytes)",
    ];
    const { errors } = parseBlock(
      "statsBlock",
      lines.map((l, i) => classifyLine(l, i + 1)),
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it("detects memleax from its banner, events and error messages, and nothing else", () => {
    expect(memleaxFormat.detect(["== Begin monitoring process 1..."])).toBe(1);
    expect(
      memleaxFormat.detect([
        "# memleax 45256",
        "Warning: no debug-line found for /a",
        "== Begin monitoring process 45256...",
      ]),
    ).toBe(1);
    expect(memleaxFormat.detect(["invalid target pid: self"])).toBeGreaterThan(0);
    expect(memleaxFormat.detect(["==123== Memcheck, a memory error detector"])).toBe(0);
    expect(memleaxFormat.detect(["hello", ""])).toBe(0);
  });
});
