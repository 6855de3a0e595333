import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyLine, stripAnsi } from "../../../grammars/sanitizer/classify.js";
import { parseFrameLine } from "../../../grammars/sanitizer/frame.js";
import { parse } from "../../../src/api/parse.js";
import { detectSanitizer } from "../../../src/formats/sanitizer/index.js";
import { ROOT } from "../../helpers/golden.js";

const sample = (name: string) => readFileSync(join(ROOT, "samples", "sanitizer", name), "utf8");

describe("sanitizer frame lines", () => {
  it("reads a file without a line as the file, not as part of the name", () => {
    // clang's static initializers (lsan-suppressions/clang-static-init.full.log).
    expect(
      parseFrameLine("    #2 0x55d87db18759 in _GLOBAL__sub_I_app.cpp /tmp/fx2/app.cpp"),
    ).toEqual({
      index: 2,
      pc: "0x55d87db18759",
      function: "_GLOBAL__sub_I_app.cpp",
      file: "/tmp/fx2/app.cpp",
    });
    // A name with spaces and no file stays whole.
    expect(parseFrameLine("    #0 0x1 in operator new(unsigned long)")).toMatchObject({
      function: "operator new(unsigned long)",
    });
  });

  it("splits gcc and clang locations from the right", () => {
    expect(
      parseFrameLine("    #1 0x557fcbae0248 in do_leaks /home/dev/asan/lsan-basic.c:13"),
    ).toEqual({
      index: 1,
      pc: "0x557fcbae0248",
      function: "do_leaks",
      file: "/home/dev/asan/lsan-basic.c",
      line: 13,
    });
    expect(
      parseFrameLine("    #1 0x555e256d4f51 in do_leaks /home/dev/asan/clang-lsan-basic.c:13:15"),
    ).toMatchObject({
      file: "/home/dev/asan/clang-lsan-basic.c",
      line: 13,
      column: 15,
    });
    expect(
      parseFrameLine(
        "    #0 0x7f046fab9628 in operator new[](unsigned long) ../../../../src/libsanitizer/asan/asan_new_delete.cpp:98",
      ),
    ).toMatchObject({ function: "operator new[](unsigned long)", line: 98 });
    expect(
      parseFrameLine(
        "    #3 0x1 in std::function<void (int)>::operator()(int) const /usr/include/c++/12/bits/std_function.h:591",
      ),
    ).toMatchObject({
      function: "std::function<void (int)>::operator()(int) const",
      file: "/usr/include/c++/12/bits/std_function.h",
    });
  });

  it("reads module frames, with or without a name, a BuildId or `+` in the path", () => {
    expect(
      parseFrameLine("    #1 0x7f71d7e3718c in leaky_table (/home/dev/asan/libleaky.so+0x118c)"),
    ).toEqual({
      index: 1,
      pc: "0x7f71d7e3718c",
      function: "leaky_table",
      module: "/home/dev/asan/libleaky.so",
      offset: "0x118c",
    });
    expect(parseFrameLine("    #1 0x7f71d7e37140  (/home/dev/asan/libleaky.so+0x1140)")).toEqual({
      index: 1,
      pc: "0x7f71d7e37140",
      module: "/home/dev/asan/libleaky.so",
      offset: "0x1140",
    });
    expect(
      parseFrameLine(
        "    #4 0x7f2f94045249  (/lib/x86_64-linux-gnu/libc.so.6+0x27249) (BuildId: 93ac61ec5a8eb1396f9fbd350e3169a558528a40)",
      ),
    ).toMatchObject({
      module: "/lib/x86_64-linux-gnu/libc.so.6",
      buildId: "93ac61ec5a8eb1396f9fbd350e3169a558528a40",
    });
    expect(parseFrameLine("    #2 0x10 in f (/opt/my app/c++/lib+x.so+0x20)")).toMatchObject({
      function: "f",
      module: "/opt/my app/c++/lib+x.so",
      offset: "0x20",
    });
    expect(parseFrameLine("    #2 0x10 in main")).toMatchObject({ function: "main" });
    expect(parseFrameLine("    [32, 64) 'values' (line 5)")).toBeUndefined();
  });
});

describe("sanitizer line classification", () => {
  it("strips colour codes, including a reset at the start of a line", () => {
    expect(stripAnsi("\x1b[1m\x1b[0m    #0 0x1 in f a.c:1")).toBe("    #0 0x1 in f a.c:1");
    expect(
      classifyLine("\x1b[1m\x1b[34mDirect leak of 20 byte(s) in 1 object(s) allocated from:").type
        .name,
    ).toBe("LeakHeader");
    expect(classifyLine("\x1b[1m\x1b[0m").type.name).toBe("Blank");
  });

  it("keeps program text glued to a separator", () => {
    const line = classifyLine(`stderr: about to overflow${"=".repeat(65)}`);
    expect(line.type.name).toBe("Separator");
    expect(line.glued).toBe("stderr: about to overflow");
  });

  it("does not read `Objects leaked above` entries or program SUMMARY lines as leaks", () => {
    expect(classifyLine("0x603000000100 (24 bytes)").type.name).toBe("ObjectLine");
    expect(classifyLine("SUMMARY: 3 steps completed (program output)").type.name).toBe("Text");
  });
});

describe("sanitizer logs with colour and program output", () => {
  it("parses a colour log like its plain twin", () => {
    const colour = parse(sample("asan-color.log"));
    const plain = parse(sample("asan-color.log").replace(/\x1b\[[0-9;]*m/g, ""));
    expect(colour.errors).toEqual(plain.errors);
    expect(colour.leaks).toEqual(plain.leaks);
    expect(colour.errors[0]?.details?.["shadow"]).not.toContain("\x1b");
  });

  it("keeps program lines out of the records, also look-alikes of sanitizer lines", () => {
    const r = parse(sample("mixed-interleaved.log"));
    expect(r.source.counters.programLines).toBe(11);
    expect(r.leaks).toHaveLength(1);
    expect(r.diagnostics).toEqual([]);
  });

  it("counts program output printed inside a leak report as program lines", () => {
    const log = sample("lsan-linked-list.log").replace(
      "    #2 0x5564fb5302fa",
      "worker 3: still running\n==4242==WARNING: fake\n    #2 0x5564fb5302fa",
    );
    const r = parse(log);
    expect(r.source.counters.programLines).toBe(2);
    expect(r.leaks.map((l) => l.stack.length)).toEqual(
      parse(sample("lsan-linked-list.log")).leaks.map((l) => l.stack.length),
    );
  });

  it("reports a SUMMARY that disagrees with the records", () => {
    const r = parse(
      sample("lsan-basic.log").replace("210 byte(s) leaked in 4", "211 byte(s) leaked in 4"),
    );
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.pid])).toEqual([
      ["warning", "summary-mismatch", 6172],
    ]);
    expect(r.source.complete).toBe(true);
  });
});

describe("sanitizer detection", () => {
  it("finds a report after program output, and is sure of it", () => {
    const lines = [
      ...Array.from({ length: 300 }, (_, i) => `line ${i}`),
      ...sample("lsan-basic.log").split("\n"),
    ];
    expect(detectSanitizer(lines)).toBe(1);
    expect(parse(lines.join("\n")).source.format).toBe("sanitizer");
  });

  it("does not claim Valgrind logs", () => {
    const valgrind = readFileSync(
      join(ROOT, "test", "fixtures", "sanitizer", "lsan-basic.valgrind.txt"),
      "utf8",
    );
    expect(detectSanitizer(valgrind.split("\n"))).toBe(0);
  });

  it("finds a report after thousands of lines of program output", () => {
    const log = `${Array.from({ length: 5000 }, (_, i) => `line ${i}`).join("\n")}\n${sample("lsan-basic.log")}`;
    const detected = parse(log);
    expect(detected.source.format).toBe("sanitizer");
    expect(detected.leaks).toHaveLength(4);
    expect(detected.source.counters.programLines).toBe(5000);
  });

  it("is detected when the report starts after the engine's first detection window", () => {
    // It needed --input-format sanitizer (campaign bs F1): detection now slides on.
    const log = `${Array.from({ length: 10_050 }, (_, i) => `line ${i}`).join("\n")}\n${sample("lsan-basic.log")}`;
    const detected = parse(log);
    expect(detected.source.format).toBe("sanitizer");
    expect(detected).toEqual(parse(log, { inputFormat: "sanitizer" }));
    expect(detected.leaks).toHaveLength(4);
    expect(detected.source.counters.programLines).toBe(10_050);
  });
});
