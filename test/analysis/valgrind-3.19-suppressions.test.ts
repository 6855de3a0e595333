import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import type { Report } from "../../src/model/index.js";
import { ROOT } from "../helpers/golden.js";

/* Suppression files held to what the real Valgrind 3.19 did with them (the fixtures' README). */
const DIR = join(ROOT, "test/fixtures/suppressions/valgrind-3.19");
const read = (file: string) => readFileSync(join(DIR, file), "utf8");

/** The unsuppressed log's report with the file applied, as `summarize --suppressions` does. */
function applied(log: string, suppFile: string): { report: Report; warnings: string[] } {
  const parsed = parseValgrindSuppressions(read(suppFile), suppFile);
  expect(parsed.problems.filter((p) => p.severity === "error")).toEqual([]);
  const report = summarize([parse(read(log), { path: log })], {
    suppressions: { valgrind: parsed.suppressions, lsan: [] },
  });
  return { report, warnings: parsed.problems.map((p) => p.message) };
}

/** The records a report leaves unsuppressed, comparable between two runs of one program. */
function remaining(report: Report): string[] {
  return report.leaks
    .filter((l) => l.kind !== "suppressed")
    .map((l) => `${l.kind} ${l.bytes} in ${l.blocks} ${l.fingerprint}`)
    .sort();
}

/** The log Valgrind wrote when it applied the file itself. */
const valgrindRun = (log: string): Report => summarize([parse(read(log), { path: log })]);

describe("suppression files as Valgrind 3.19 reads them", () => {
  const rows = read("verdicts/verdicts.tsv")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => line.split("\t") as [string, string, string]);
  // Kinds of Valgrind 3.21+ (3.19 refuses them), and an obj: line a text log cannot match.
  const LATER_KINDS = new Set(["badalign", "reallocz", "sizemismatch"]);
  const OBJECT_ONLY = new Set(["obj_text"]);

  it("has a verdict for every file", () => {
    const files = readdirSync(join(DIR, "verdicts")).filter((f) => f.endsWith(".supp"));
    expect(rows.map(([name]) => `${name}.supp`).sort()).toEqual(files.sort());
    expect(rows).toHaveLength(40);
  });

  it.each(rows.filter(([name]) => !LATER_KINDS.has(name)))(
    "%s: Valgrind %s it, leaklog too",
    (name, verdict, message) => {
      const file = `verdicts/${name}.supp`;
      const errors = parseValgrindSuppressions(read(file), file).problems.filter(
        (p) => p.severity === "error",
      );
      if (verdict === "fatal") {
        expect(errors, `Valgrind: ${message}`).not.toEqual([]);
        return;
      }
      expect(errors).toEqual([]);
      if (OBJECT_ONLY.has(name)) return;
      const { report } = applied("verdicts/nosupp.txt", file);
      const kinds = report.leaks.map((l) => l.kind);
      expect(kinds).toEqual([verdict === "suppressed" ? "suppressed" : "definitely-lost"]);
    },
  );
});

describe("an entry's lines past the run's --num-callers are not read", () => {
  it.each(["deep30.supp", "deep2.supp", "deep.supp"])(
    "%s suppresses the default run's 12-frame leak, as Valgrind did",
    (supp) => {
      const { report, warnings } = applied("num-callers/nosupp.txt", `num-callers/${supp}`);
      expect(remaining(report)).toEqual(remaining(valgrindRun("num-callers/supp.txt")));
      expect(remaining(report)).toEqual([]);
      expect(report.leaks.map((l) => l.kind)).toEqual(["suppressed"]);
      expect(report.diagnostics.filter((d) => d.code === "unused-suppression")).toEqual([]);
      // deep.supp's 14th line is no location line: Valgrind never reads it.
      expect(warnings).toEqual(
        supp === "deep.supp" ? [expect.stringMatching(/location line 14 .* is malformed/)] : [],
      );
    },
  );

  it("a longer stack shows more callers: its entry's lines are all read", () => {
    const log = parse(read("num-callers/nosupp.txt"), { path: "nosupp.txt" });
    const leak = log.leaks[0];
    expect(leak?.stack).toHaveLength(12);
    if (leak === undefined) return;
    // 14 frames: deep2.supp's 13th line, `fun:not_in_stack`, is read now, and does not match.
    const deeper = {
      ...log,
      leaks: [{ ...leak, stack: [...leak.stack, ...leak.stack.slice(1, 3)] }],
    };
    const parsed = parseValgrindSuppressions(read("num-callers/deep2.supp"));
    const report = summarize([deeper], {
      suppressions: { valgrind: parsed.suppressions, lsan: [] },
    });
    expect(report.leaks.map((l) => l.kind)).toEqual(["definitely-lost"]);
  });
});

describe("C++ names: Valgrind matches fun: lines against mangled symbols", () => {
  it("a demangled fun: line suppresses nothing, as in Valgrind, and the unused info says why", () => {
    const { report } = applied("cpp-names/o0.txt", "cpp-names/demangled.supp");
    expect(remaining(report)).toEqual(remaining(valgrindRun("cpp-names/o0-demangled.txt")));
    expect(report.leaks.some((l) => l.kind === "suppressed")).toBe(false);
    const unused = report.diagnostics.filter((d) => d.code === "unused-suppression");
    expect(unused.map((d) => d.message)).toEqual([
      expect.stringContaining("Valgrind matches fun: lines against mangled C++ names"),
    ]);
    // An example, said as one: a static function's mangled name has an `L` (campaign bqa Q1).
    expect(unused[0]?.message).toContain("_ZN5alphaL3rawEj where it is static");
  });

  it("does not call `fun:(below main)`, which Valgrind and leaklog write, a demangled name", () => {
    // A real curl log's unused entries ended in `fun:(below main)`: the info sent C users
    // looking for C++ mangling.
    const entry =
      "{\n   unused\n   Memcheck:Leak\n   fun:malloc\n   fun:nowhere\n   fun:(below main)\n}\n";
    const parsed = parseValgrindSuppressions(entry, "c.supp");
    const log = readFileSync(join(ROOT, "samples/valgrind/leak_definite.txt"), "utf8");
    const report = summarize([parse(log, { path: "leak_definite.txt" })], {
      suppressions: { valgrind: parsed.suppressions, lsan: [] },
    });
    const unused = report.diagnostics.filter((d) => d.code === "unused-suppression");
    expect(unused).toHaveLength(1);
    expect(unused[0]?.message).not.toContain("mangled");
  });

  it("the -O0 symbol does not match its -O2 clone `[clone .isra.0]`, as in Valgrind", () => {
    const { report } = applied("cpp-names/o2.txt", "cpp-names/clone-abitag.supp");
    expect(remaining(report)).toEqual(remaining(valgrindRun("cpp-names/o2-clone-abitag.txt")));
    expect(report.leaks.some((l) => l.kind === "suppressed")).toBe(false);
  });

  it("the clone's own symbol (`..Ei.isra.0`) matches it, as in Valgrind", () => {
    const { report } = applied("cpp-names/o2.txt", "cpp-names/clone.supp");
    expect(remaining(report)).toEqual(remaining(valgrindRun("cpp-names/o2-clone.txt")));
    expect(report.leaks.filter((l) => l.kind === "suppressed")).toHaveLength(2);
  });
});

describe("suppressions and the leak kinds a log counts but does not list", () => {
  const run = (log: string) => {
    const parsed = parseValgrindSuppressions(read("hidden-kinds/glib-part.supp"), "glib-part.supp");
    return summarize([parse(read(log), { path: log })], {
      suppressions: { valgrind: parsed.suppressions, lsan: [] },
    });
  };

  it("does not call the entries Valgrind used on unlisted blocks unused, and says what it could not reach", () => {
    // Valgrind used five of the six on still-reachable blocks the default run does not list.
    expect(read("hidden-kinds/supp.txt").match(/used_suppression:/g)).toHaveLength(5);
    const report = run("hidden-kinds/nosupp.txt");
    const unused = report.diagnostics.filter((d) => d.code === "unused-suppression");
    expect(unused).toHaveLength(6);
    for (const d of unused)
      expect(d.message).toMatch(
        /matched nothing the logs list: it may match their still-reachable blocks/,
      );
    const unreached = report.diagnostics.filter((d) => d.code === "unlisted-unsuppressed");
    expect(unreached.map((d) => [d.severity, d.path])).toEqual([["warning", "glib-part.supp"]]);
    expect(unreached[0]?.message).toContain("the 42472 bytes still-reachable");
  });

  it("the XML of the same run says it too, with no bytes (3.19's XML has no LEAK SUMMARY)", () => {
    const report = run("hidden-kinds/nosupp.xml");
    const unreached = report.diagnostics.filter((d) => d.code === "unlisted-unsuppressed");
    expect(unreached.map((d) => d.message)).toContainEqual(
      expect.stringContaining("the still-reachable blocks that the log counts but does not list"),
    );
  });

  it("names --leak-check=summary, not --show-leak-kinds, for a check that listed nothing", () => {
    // Campaign bh: rerunning with --show-leak-kinds=all, as advised, still listed nothing.
    const log = readFileSync(join(ROOT, "samples", "valgrind", "leak_all_summary.txt"), "utf8");
    const supp = "{\n  any-leak\n  Memcheck:Leak\n  fun:*alloc\n  ...\n}\n";
    const report = summarize([parse(log)], {
      suppressions: { valgrind: parseValgrindSuppressions(supp).suppressions, lsan: [] },
    });
    const advice = report.diagnostics
      .filter((d) => d.code === "unlisted-unsuppressed")
      .map((d) => /\(([^)]*)\).*rerun Valgrind with (.*)$/.exec(d.message)?.slice(1));
    const why = "a leak check with no loss records: --leak-check=summary";
    const all = "--leak-check=full --show-leak-kinds=all";
    // Definite, indirect, possible, still reachable: the default kinds need no more.
    expect(advice).toEqual([
      [why, "--leak-check=full"],
      [why, all],
      [why, "--leak-check=full"],
      [why, all],
    ]);
  });

  it("with every kind listed, an entry that matched nothing is unused as before", () => {
    const report = summarize([parse(read("num-callers/nosupp.txt"))], {
      suppressions: {
        valgrind: parseValgrindSuppressions(read("hidden-kinds/glib-part.supp")).suppressions,
        lsan: [],
      },
    });
    const messages = report.diagnostics.map((d) => d.message);
    expect(messages.every((m) => / matched nothing$/.test(m))).toBe(true);
    expect(messages).toHaveLength(6);
  });
});
