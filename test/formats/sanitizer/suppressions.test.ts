import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  findLsanSuppression,
  matchesLsanSuppression,
  parseLsanSuppressions,
  templateMatch,
} from "../../../src/analysis/suppressions/lsan.js";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { ROOT } from "../../helpers/golden.js";

const SAMPLES = join(ROOT, "samples", "sanitizer");
const suppFile = readFileSync(join(SAMPLES, "lsan-suppressions.supp"), "utf8");

describe("LeakSanitizer suppression files", () => {
  it("reads the corpus file: four leak entries, no problems", () => {
    const { suppressions, problems } = parseLsanSuppressions(suppFile, "lsan-suppressions.supp");
    expect(problems).toEqual([]);
    expect(suppressions).toEqual([
      { type: "leak", pattern: "leak_b", line: 2 },
      { type: "leak", pattern: "leak_loop", line: 3 },
      { type: "leak", pattern: "^leak_j$", line: 4 },
      { type: "leak", pattern: "function_that_does_not_exist", line: 5 },
    ]);
  });

  it("reports malformed entries with file and line, and reads the rest", () => {
    const text =
      "  # comment\r\nleak_b\ninterceptor_via_fun:foo\nleak:\nleak: spaced\n\tleak:ok \r\n";
    const { suppressions, problems } = parseLsanSuppressions(text, "bad.supp");
    expect(problems.map((p) => [p.severity, p.code, p.path, p.line])).toEqual([
      ["error", "bad-suppression", "bad.supp", 2],
      ["error", "bad-suppression", "bad.supp", 3],
      ["warning", "suppression-matches-all", "bad.supp", 4],
      ["warning", "suppression-leading-space", "bad.supp", 5],
    ]);
    expect(suppressions.map((s) => s.pattern)).toEqual(["", " spaced", "ok"]);
  });
});

describe("LeakSanitizer template matching", () => {
  it.each([
    ["leak_b", "leak_b", true],
    ["leak_b", "my_leak_b_helper", true],
    ["^leak_j$", "leak_j", true],
    ["^leak_j$", "leak_jj", false],
    ["^leak_j$", "xleak_j", false],
    ["^leak", "xleak", false],
    ["leak$", "leak_x", false],
    ["foo*bar", "foo::x::bar()", true],
    ["foo*bar", "barfoo", false],
    ["^*foo", "xfoo", true],
    ["foo*$", "foo_anything", true],
    ["libfoo.so", "/usr/lib/libfoo.so.1", true],
    ["", "anything", true],
    ["x", "", false],
  ])("%j matches %j: %s", (pattern, name, expected) => {
    expect(templateMatch(pattern, name)).toBe(expected);
  });

  it("matches function, file or module names of any frame", () => {
    const leak = {
      stack: [
        { function: "__interceptor_malloc", file: "../../asan/asan_malloc_linux.cpp" },
        { function: "leaky_table", object: "/home/dev/asan/libleaky.so" },
        { function: "use_library", file: "/home/dev/asan/lsan-stripped-so.c" },
      ],
    };
    expect(matchesLsanSuppression("libleaky.so", leak)).toBe(true);
    expect(matchesLsanSuppression("^use_library$", leak)).toBe(true);
    expect(matchesLsanSuppression("lsan-stripped-so.c", leak)).toBe(true);
    // The interceptor frame is part of the stack LSan matches, as in LSan itself.
    expect(matchesLsanSuppression("malloc", leak)).toBe(true);
    expect(matchesLsanSuppression("^leaky$", leak)).toBe(false);
  });

  it("agrees with LSan on the corpus: the reported leaks of lsan-suppressions match no entry", () => {
    const { suppressions } = parseLsanSuppressions(suppFile);
    const reported = parse(readFileSync(join(SAMPLES, "lsan-suppressions.log"))).leaks;
    expect(reported).toHaveLength(8);
    for (const leak of reported) expect(findLsanSuppression(suppressions, leak)).toBeUndefined();
  });

  it("suppresses the same program's leak_j when the file is not applied (lsan-max-leaks)", () => {
    const { suppressions } = parseLsanSuppressions(suppFile);
    const leaks = parse(readFileSync(join(SAMPLES, "lsan-max-leaks.log"))).leaks;
    const found = leaks.map((l) => findLsanSuppression(suppressions, l)?.pattern);
    expect(found).toEqual(["^leak_j$", undefined, undefined]);
  });

  it("lists in the log exactly the entries that matched something", () => {
    const r = parse(readFileSync(join(SAMPLES, "lsan-suppressions.log")));
    const used = r.diagnostics.find((d) => d.code === "suppressions-used");
    expect(used?.message).toBe(
      "LeakSanitizer suppressed 1260 byte(s) in 7 object(s): leak_b (1 object(s), 200 byte(s)), leak_loop (5 object(s), 60 byte(s)), ^leak_j$ (1 object(s), 1000 byte(s))",
    );
    expect(used?.message).not.toContain("function_that_does_not_exist");
  });
});

// Campaign bk: `leak:libvendor.so`, the usual way to silence a library, is matched by LSan
// against every frame's module; the log prints none for a symbolized frame.
describe("a LeakSanitizer entry naming a module", () => {
  it("that matched nothing says why LSan itself may still apply it", () => {
    const log = parse(readFileSync(join(SAMPLES, "lsan-suppressions.log")), { path: "l.log" });
    const { suppressions } = parseLsanSuppressions("leak:libvendor.so\nleak:nothing_here\n");
    const report = summarize([log], { suppressions: { valgrind: [], lsan: suppressions } });
    const unused = report.diagnostics.filter((d) => d.code === "unused-suppression");
    expect(unused.map((d) => d.message.split(":")[1]?.split(" ")[0])).toEqual([
      "libvendor.so",
      "nothing_here",
    ]);
    expect(unused[0]?.message).toContain("(libfoo.so+0x1234), not symbolized ones");
    expect(unused[1]?.message).toBe("suppression leak:nothing_here matched nothing");
  });
});
