import { existsSync } from "node:fs";
import { join } from "node:path";
import { applyPathMap, type PathMapping } from "../../../src/analysis/paths.js";
import { summarize } from "../../../src/api/summarize.js";
import type { Frame, Report } from "../../../src/model/index.js";
import type { ReportContext } from "../../../src/report/index.js";
import { parseFixture, parseSample, ROOT } from "../../helpers/golden.js";

/** A fixed, made-up source root: goldens must not depend on where the repository lives. */
export const SOURCE_ROOT = "/work/project";
export const CONTEXT: ReportContext = { color: false, top: 20, sourceRoot: SOURCE_ROOT };

/**
 * Samples rendered into test/golden/report/<format>/: a few of every input format (leaks,
 * memory errors, several processes, a clean run, a truncated log). Missing ones are skipped, so
 * that a folder still being written by another engineer does not break these tests.
 */
export const GOLDEN_SAMPLES = [
  "valgrind/leak_indirect.txt",
  "valgrind/use_after_free.txt",
  "valgrind/fd_leak.txt",
  "valgrind/threads.txt",
  "valgrind/clean.txt",
  "valgrind/suppressed.txt",
  "valgrind/stripped_bin.txt",
  "valgrind/leak_all_summary.txt",
  "valgrind-xml/leak_indirect.xml",
  "valgrind-xml/invalid_free.xml",
  "memleax/02-multi-stacks-malloc-calloc-realloc.log",
  "memleax/22-sigkill-truncated.log",
  "memwatch/classic.log",
  "memwatch/bad_frees.log",
  "sanitizer/asan-use-after-free.log",
  "sanitizer/lsan-basic.log",
  "sanitizer/mixed-interleaved.log",
].filter((sample) => existsSync(join(ROOT, "samples", sample)));

/**
 * Fixtures (`test/fixtures/<folder>/<name>`) rendered into test/golden/report/<format>/ as
 * samples are: logs the samples lack, a run CI killed before Valgrind's leak check, a text log
 * without `-s` whose error counts are only lower bounds, an XML log that cannot tell whether its
 * run leaked.
 */
export const GOLDEN_FIXTURES = [
  "killed-in-ci/hang.4635.log",
  "killed-in-ci/write-hang-killed.xml",
  "valgrind/counts-unknown/vg.log",
  "valgrind-xml/cannot-tell/none-3.19.xml",
];

/** Where the samples were built (`--path-map` rules), mapped onto SOURCE_ROOT. */
export const PATH_MAP: readonly PathMapping[] = [
  { from: "/src/vgcorpus", to: SOURCE_ROOT },
  { from: "/home/dev/leaktests", to: SOURCE_ROOT },
  { from: "/home/dev/asan", to: SOURCE_ROOT },
  { from: "/tmp/killed-in-ci", to: SOURCE_ROOT },
];

/** Parses samples (`folder/name`), summarizes them into one report and applies PATH_MAP. */
export async function reportOf(...samples: string[]): Promise<Report> {
  const results = [];
  for (const sample of samples) {
    const [folder = "", name = ""] = sample.split("/");
    results.push(await parseSample(folder, name));
  }
  return applyPathMap(summarize(results), PATH_MAP);
}

/** Parses fixtures (`folder/name` under test/fixtures) into one report, as reportOf does. */
export function fixtureReportOf(...fixtures: string[]): Report {
  const results = fixtures.map((fixture) => parseFixture(`test/fixtures/${fixture}`));
  return applyPathMap(summarize(results), PATH_MAP);
}

/** Strings a hostile log can put into function names, files, messages and kinds. */
export const HOSTILE = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "]]>",
  "`rm -rf /`",
  "a | b",
  "*bold* _em_ [link](javascript:alert(1)) @octocat #1",
  "ctl\u0000\u0001\u0007\u001b[31m\u007f\u0085\u2028end",
  "nul-like \ufffe\uffff \ud800 &amp; &#0; \" '",
  "bidi \u202eevil\u202c \u2066isolate\u2069",
];

/**
 * leak_definite.txt and use_after_free.txt with every function, file, object, message and kind
 * replaced by hostile strings: what a program printing into its own log could make leaklog read.
 */
export async function hostileReport(): Promise<Report> {
  const report = await reportOf("valgrind/leak_definite.txt", "valgrind/use_after_free.txt");
  let n = 0;
  const next = () => HOSTILE[n++ % HOSTILE.length] as string;
  const frame = (f: Frame): Frame => ({
    ...f,
    function: next(),
    file: `${next()}.c`,
    object: next(),
  });
  return {
    ...report,
    sources: report.sources.map((s) => ({
      ...s,
      processes: s.processes.map((p) => ({ ...p, command: next() })),
    })),
    groups: report.groups.map((g) => ({
      ...g,
      kind: g.type === "error" ? next() : g.kind,
      message: next(),
      stack: g.stack.map(frame),
      ...(g.aux !== undefined
        ? {
            aux: g.aux.map((a) => ({
              message: next(),
              ...(a.stack ? { stack: a.stack.map(frame) } : {}),
            })),
          }
        : {}),
    })),
    diagnostics: [
      { severity: "warning", code: "unrecognized-line", message: next(), path: next(), line: 3 },
    ],
    gate: { failed: true, reasons: [next()] },
  };
}
