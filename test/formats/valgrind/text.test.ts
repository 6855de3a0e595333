import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crossCheckLeaks } from "../../../src/analysis/cross-check.js";
import { parse } from "../../../src/api/parse.js";
import { expectGolden, parseSample, ROOT, sampleFiles } from "../../helpers/golden.js";
import { readTruth } from "./truth.js";

const samples = sampleFiles("valgrind", [".txt"]);
const kindWords: Record<string, string> = {
  "definitely lost": "definitely-lost",
  "indirectly lost": "indirectly-lost",
  "possibly lost": "possibly-lost",
  "still reachable": "still-reachable",
};

describe("valgrind text samples", () => {
  it("has the corpus cases", () => {
    expect(samples.length).toBeGreaterThanOrEqual(30);
  });

  it.each(samples)("%s matches its golden file", async (name) => {
    const result = await parseSample("valgrind", name);
    expect(result.fatal).toBeUndefined();
    expectGolden("valgrind", name, result);
  });

  it.each(samples)("%s: every loss record equals the truth file's text record", async (name) => {
    const base = name.replace(/\.txt$/, "");
    const truthName = existsSync(join(ROOT, "test", "fixtures", "valgrind", `${base}.truth.json`))
      ? base
      : `${base}.${"19010"}`; // fork_single has one truth per process, both naming the text log
    const truth = readTruth(truthName);
    const result = await parseSample("valgrind", name);
    const expected = truth.text_log.processes.flatMap((p) =>
      p.text_leak_records.map((r) => ({
        pid: p.pid,
        kind: kindWords[r.kind],
        bytes: r.bytes,
        directBytes: r.direct ?? r.bytes,
        indirectBytes: r.indirect ?? 0,
        blocks: r.blocks,
        lossRecord: { index: r.record, of: r.of },
      })),
    );
    // truth.py's regex does not read the delta form `64 (+64) bytes in 1 (+1) blocks` of an
    // added leak check (client_requests.txt), so those records are not in the truth file.
    const actual = result.leaks
      .filter((l) => l.details?.["addedLeakCheck"] !== true)
      .map((l) => ({
        pid: l.pid,
        kind: l.kind,
        bytes: l.bytes,
        directBytes: l.directBytes,
        indirectBytes: l.indirectBytes,
        blocks: l.blocks,
        lossRecord: l.lossRecord,
      }));
    const order = (
      a: { pid?: number | undefined; lossRecord?: { index: number } | undefined },
      b: typeof a,
    ) => (a.pid ?? 0) - (b.pid ?? 0) || (a.lossRecord?.index ?? 0) - (b.lossRecord?.index ?? 0);
    expect(actual.sort(order)).toEqual(expected.sort(order));
  });

  // client_requests runs several leak checks whose records VERIFY.md explains differ between
  // the text and XML runs; fork_single's truth is split per process. Both are covered above.
  const stackCases = samples.filter((n) => !["client_requests.txt", "fork_single.txt"].includes(n));
  it.each(stackCases)("%s: leak stacks have the functions of the XML run", async (name) => {
    const truth = readTruth(name.replace(/\.txt$/, ""));
    const result = await parseSample("valgrind", name);
    const xml = new Map(
      truth.errors
        .filter((e) => e.xwhat !== null && e.kind.startsWith("Leak_"))
        .map((e) => [
          /loss record (\d+) of/.exec(e.xwhat?.text ?? "")?.[1],
          e.stack.map((f) => f.fn ?? undefined),
        ]),
    );
    let compared = 0;
    for (const leak of result.leaks) {
      const functions = xml.get(String(leak.lossRecord?.index));
      if (functions === undefined) continue; // kind not shown in the XML run (VERIFY.md)
      expect(
        leak.stack.map((f) => f.function),
        `${name} record ${leak.lossRecord?.index}`,
      ).toEqual(functions);
      compared += 1;
    }
    expect(compared).toBe(Math.min(result.leaks.length, xml.size));
  });

  it.each(samples)("%s: listed kinds add up to the LEAK SUMMARY", async (name) => {
    const result = await parseSample("valgrind", name);
    const problems = crossCheckLeaks(result.leaks, result.summaries).filter(
      (d) => d.severity !== "info",
    );
    expect(problems).toEqual([]);
  });
});

describe("valgrind text details", () => {
  it("splits direct and indirect bytes and keeps leak checks apart", async () => {
    const result = await parseSample("valgrind", "client_requests.txt");
    expect(result.summaries.filter((s) => s.leak !== undefined).map((s) => s.leakCheck)).toEqual([
      1, 2, 3,
    ]);
    expect(result.leaks.map((l) => l.leakCheck)).toEqual([1, 1, 2, 3, 3, 3]);
    const mismatch = crossCheckLeaks(result.leaks, result.summaries);
    expect(mismatch.every((d) => d.severity === "info")).toBe(true);
  });

  it("takes -s recap counts without counting an error twice", async () => {
    const result = await parseSample("valgrind", "dup_errors_s.txt");
    expect(result.errors.map((e) => [e.kind, e.count])).toEqual([
      ["InvalidRead", 5],
      ["UninitCondition", 3],
    ]);
  });

  it("attaches generated suppression blocks to the record before them", async () => {
    const result = await parseSample("valgrind", "gensupp_all.txt");
    const withBlocks = [...result.errors, ...result.leaks].filter(
      (f) => f.suppression !== undefined,
    );
    expect(withBlocks).toHaveLength(4);
    expect(result.leaks[0]?.suppression).toContain("fun:real_leak");
  });

  it("marks the source incomplete after the error limit", async () => {
    const result = await parseSample("valgrind", "many_errors.txt");
    expect(result.source.complete).toBe(false);
    expect(result.errors).toHaveLength(1000);
  });

  it("keeps program output as program lines, and a fake ==PID== line as a diagnostic", async () => {
    const result = await parseSample("valgrind", "mixed_output.txt");
    expect(result.source.counters.programLines).toBeGreaterThan(0);
    expect(result.source.processes.map((p) => p.pid)).toHaveLength(1);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["unrecognized-line"]);
    expect(result.errors.map((e) => e.kind)).toEqual(["InvalidRead"]);
  });

  it("reads --xtree-leak=yes's report line as where the leaks went, not an unknown line", () => {
    // A Valgrind 3.19 run with --xtree-leak=yes: the line sits between the heap and leak summaries.
    const result = parse(
      [
        "==12928== Memcheck, a memory error detector",
        "==12928== ",
        "==12928== HEAP SUMMARY:",
        "==12928==     in use at exit: 1,438 bytes in 7 blocks",
        "==12928==   total heap usage: 7 allocs, 0 frees, 1,438 bytes allocated",
        "==12928== ",
        "==12928== xtree leak report: /tmp/explore/logs/xtleak.kcg",
        "==12928== LEAK SUMMARY:",
        "==12928==    definitely lost: 234 bytes in 2 blocks",
        "==12928== ",
        "==12928== ERROR SUMMARY: 2 errors from 2 contexts (suppressed: 0 from 0)",
        "",
      ].join("\n"),
    );
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([["xtree-leak-file", 7]]);
    expect(result.summaries[0]?.leak?.["definitely-lost"]?.bytes).toBe(234);
  });

  it("reads a PID that comes back after its process finished as the same process", async () => {
    // A finished process keeps only its counters (ProcessState.retirement); a reused PID (a long
    // test suite) or a second recap must read as if its whole state had been kept.
    for (const name of ["client_requests.txt", "dup_errors_s.txt"]) {
      const once = await parseSample("valgrind", name);
      const text = readFileSync(join(ROOT, "samples", "valgrind", name), "utf8");
      const twice = parse(text + text);
      const checks = once.summaries.filter((s) => s.leak !== undefined).length;
      expect(twice.leaks.map((l) => l.leakCheck)).toEqual([
        ...once.leaks.map((l) => l.leakCheck),
        ...once.leaks.map((l) => (l.leakCheck ?? 1) + checks),
      ]);
      expect(twice.summaries).toHaveLength(2 * once.summaries.length);
      expect(twice.errors.length).toBeGreaterThanOrEqual(2 * once.errors.length);
      expect(twice.diagnostics.filter((d) => d.code === "incomplete")).toEqual([]);
      const mismatch = crossCheckLeaks(twice.leaks, twice.summaries);
      expect(mismatch.filter((d) => d.severity !== "info")).toEqual([]);
    }
  });

  it("reads every process of a forked run", async () => {
    const result = await parseSample("valgrind", "fork_single.txt");
    expect(result.source.processes).toHaveLength(2);
    expect(new Set(result.leaks.map((l) => l.pid)).size).toBe(2);
  });

  it("gives the error kinds the XML of the same program has", async () => {
    for (const name of [
      "use_after_free",
      "heap_overrun",
      "invalid_free",
      "cpp_mismatch",
      "syscall_uninit",
      "uninit_noorigins",
      "memcpy_overlap",
      "fishy",
      "threads",
    ]) {
      const truth = readTruth(name);
      const result = await parseSample("valgrind", `${name}.txt`);
      const xmlKinds = truth.errors
        .filter((e) => !e.kind.startsWith("Leak_"))
        .map((e) => e.kind)
        .sort();
      expect(result.errors.map((e) => e.kind).sort(), name).toEqual(xmlKinds);
    }
  });
});

describe("valgrind -q logs", () => {
  // Real valgrind 3.19 runs; see test/fixtures/valgrind/quiet/README.md.
  const quiet = (name: string) =>
    readFileSync(join(ROOT, "test", "fixtures", "valgrind", "quiet", name), "utf8");
  const incomplete = (text: string) =>
    parse(text)
      .diagnostics.filter((d) => d.code === "incomplete")
      .map((d) => d.message.slice(0, d.message.indexOf(":")));

  it("are complete without an ERROR SUMMARY: -q prints none, nor a preamble", () => {
    for (const name of ["realloc-q.txt", "globals-q-trimmed.txt", "fork-killed-q.txt"]) {
      const result = parse(quiet(name));
      expect(result.source.complete, name).toBe(true);
      // Only the counts of a log with error contexts are unknown without -s (campaign bl).
      const advice = result.errors.length > 0 ? ["error-counts-unknown"] : [];
      expect(
        result.diagnostics.map((d) => d.code),
        name,
      ).toEqual(advice);
      expect(result.leaks.length + result.errors.length, name).toBeGreaterThan(0);
    }
  });

  it("still show a process cut short when another process shows the run's summaries", () => {
    // The SIGKILLed child prints neither a preamble nor summaries, with or without -q; its
    // parent's preamble (or, under -q -s, its ERROR SUMMARY) shows that the child lost its own.
    expect(incomplete(quiet("fork-killed.txt"))).toEqual(["PID 30848"]);
    expect(incomplete(quiet("fork-killed-q-s.txt"))).toEqual(["PID 32339"]);
  });

  it("are not mistaken for a log that lost its preamble and its end but kept its summaries", () => {
    const lines = quiet("fork-killed.txt").split("\n");
    const withoutPreamble = lines.filter(
      (l) => !/== (Memcheck|Copyright|Using|Command|Parent)/.test(l),
    );
    const cut = withoutPreamble.filter((l) => !l.includes("ERROR SUMMARY")).join("\n");
    expect(cut).toContain("HEAP SUMMARY");
    expect(incomplete(cut)).toEqual(["PID 30843", "PID 30848"]);
  });
});
