import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  findTsanSuppression,
  parseTsanSuppressions,
} from "../../../src/analysis/suppressions/tsan.js";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { ROOT } from "../../helpers/golden.js";

const TSAN = join(ROOT, "test", "fixtures", "sanitizer", "tsan");
const LOGS = ["race", "heap", "leak", "order", "unlock", "destroy", "free", "many"] as const;

/*
 * What ThreadSanitizer itself reported (gcc 12.2) when kinds.c ran with each file as
 * TSAN_OPTIONS=suppressions=FILE: the reports left of each log's run (suppressions/README.md).
 */
const LEFT_BY_TSAN: Readonly<Record<string, readonly number[]>> = {
  //               race heap leak order unlock destroy free many
  racer: /*     */ [0, 1, 1, 1, 1, 1, 1, 1],
  "race-top": /**/ [0, 0, 1, 1, 1, 1, 1, 0],
  global: /*    */ [0, 1, 1, 1, 1, 1, 1, 1],
  thread: /*    */ [1, 1, 0, 1, 1, 1, 1, 2],
  file: /*      */ [0, 0, 1, 1, 1, 1, 0, 0],
  module: /*    */ [1, 1, 1, 0, 1, 1, 1, 2],
  mutex: /*     */ [1, 1, 1, 1, 0, 0, 1, 2],
  "heap-writer": [1, 0, 1, 1, 1, 1, 0, 1],
  alloc: /*     */ [1, 1, 1, 1, 1, 1, 1, 2],
  creation: /*  */ [1, 1, 1, 1, 1, 1, 1, 2],
  lib: /*       */ [1, 1, 1, 1, 1, 1, 1, 2],
};

const suppressionsOf = (name: string) => {
  const path = join(TSAN, "suppressions", `${name}.supp`);
  return parseTsanSuppressions(readFileSync(path, "utf8"), path);
};

describe("ThreadSanitizer suppression files", () => {
  it.each(Object.entries(LEFT_BY_TSAN))("%s.supp leaves what TSan left", (name, expected) => {
    const { suppressions, problems } = suppressionsOf(name);
    expect(problems).toEqual([]);
    const left = LOGS.map((log) => {
      const result = parse(readFileSync(join(TSAN, `${log}.log`)));
      return summarize([result], {
        suppressions: { valgrind: [], lsan: [], tsan: suppressions },
      }).errors.filter((e) => e.suppressed !== true).length;
    });
    expect(left).toEqual(expected);
  });

  it("names the entry that matched, and never reports called_from_lib unused", () => {
    const { suppressions } = suppressionsOf("lib");
    const result = parse(readFileSync(join(TSAN, "race.log")), { path: "race.log" });
    const report = summarize([result], {
      suppressions: { valgrind: [], lsan: [], tsan: suppressions, tsanPath: "lib.supp" },
    });
    const unused = report.diagnostics.filter((d) => d.code === "unused-suppression");
    expect(unused.map((d) => [d.message, d.path, d.line])).toEqual([
      ["suppression race:nothing_matches matched nothing", "lib.supp", 3],
    ]);
    const racer = suppressionsOf("racer").suppressions;
    const race = parse(readFileSync(join(TSAN, "race.log"))).errors[0];
    expect(race && findTsanSuppression(racer, race)).toEqual({
      type: "race",
      pattern: "racer",
      line: 2,
    });
    const suppressed = summarize([parse(readFileSync(join(TSAN, "race.log")))], {
      suppressions: { valgrind: [], lsan: [], tsan: racer },
    }).errors[0];
    expect(suppressed?.details?.["suppressedBy"]).toBe("race:racer");
  });

  it("reports malformed entries with file and line, and reads the rest", () => {
    const { suppressions, problems } = parseTsanSuppressions(
      "race:a\nleak:b\nrace_top\nmutex:\n",
      "bad.supp",
    );
    expect(problems.map((p) => [p.severity, p.code, p.line, p.message])).toEqual([
      [
        "error",
        "bad-suppression",
        2,
        'unknown suppression type "leak": ThreadSanitizer reads race, race_top, thread, mutex, signal, deadlock, called_from_lib',
      ],
      [
        "error",
        "bad-suppression",
        3,
        expect.stringMatching(/^expected "race:PATTERN" or .* found "race_top"$/),
      ],
      [
        "warning",
        "suppression-matches-all",
        4,
        "empty pattern: it suppresses every report of its type",
      ],
    ]);
    expect(suppressions.map((s) => `${s.type}:${s.pattern}`)).toEqual(["race:a", "mutex:"]);
  });
});
