import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSample, ROOT, sampleFiles } from "../../helpers/golden.js";
import type { ErrorRecord, LeakRecord } from "../../../src/model/index.js";
import { records } from "./helpers.js";

/** The parts of corpus/valgrind/truth.py's output these tests compare. */
interface TruthFrame {
  ip: string | null;
  obj: string | null;
  fn: string | null;
  file: string | null;
  line: number | null;
}
interface TruthError {
  unique: string;
  tid: number | null;
  threadname: string | null;
  kind: string;
  what: string | null;
  xwhat: { text: string; leakedbytes?: number; leakedblocks?: number } | null;
  stack: TruthFrame[];
  aux: { text: string | null; stack: TruthFrame[] | null }[];
  suppression: { rawtext: string | null } | null;
}
interface Truth {
  xml_run_pid: number;
  errors: TruthError[];
  errorcounts: { count: number; unique: string }[];
  fatal_signals: { signame: string; stack: TruthFrame[] }[];
}

const LEAK_KINDS: Record<string, string> = {
  Leak_DefinitelyLost: "definitely-lost",
  Leak_IndirectlyLost: "indirectly-lost",
  Leak_PossiblyLost: "possibly-lost",
  Leak_StillReachable: "still-reachable",
};

const fnOf = (f: TruthFrame): string | undefined =>
  f.fn === null || f.fn === "???" ? undefined : f.fn;

function expectStack(got: LeakRecord["stack"], want: TruthFrame[]): void {
  expect(got.map((f) => f.function)).toEqual(want.map(fnOf));
  expect(got.map((f) => f.ip)).toEqual(want.map((f) => f.ip));
  expect(got.map((f) => f.line)).toEqual(want.map((f) => f.line ?? undefined));
}

function expectLeak(got: LeakRecord, want: TruthError): void {
  expect(got.kind).toBe(LEAK_KINDS[want.kind]);
  expect(got.toolKind).toBe(want.kind);
  expect(got.bytes).toBe(want.xwhat?.leakedbytes);
  expect(got.blocks).toBe(want.xwhat?.leakedblocks);
  expect(got.directBytes + got.indirectBytes).toBe(got.bytes);
}

function expectError(got: ErrorRecord, want: TruthError, counts: Map<string, number>): void {
  expect(got.kind).toBe(want.kind);
  expect(got.message).toBe((want.what ?? want.xwhat?.text)?.trim());
  expect(got.count).toBe(counts.get(want.unique) ?? 1);
  expect(got.aux.map((a) => a.message)).toEqual(want.aux.map((a) => a.text ?? ""));
  got.aux.forEach((a, i) => {
    const stack = want.aux[i]?.stack;
    if (stack !== null && stack !== undefined) expectStack(a.stack ?? [], stack);
    else expect(a.stack).toBeUndefined();
  });
}

describe("valgrind-xml records agree with the corpus truth (truth.py)", () => {
  for (const name of sampleFiles("valgrind-xml", [".xml"])) {
    it(`${name}: every <error> is one record of its kind, bytes, blocks and frames`, async () => {
      const truthFile = join(
        ROOT,
        "test",
        "fixtures",
        "valgrind-xml",
        name.replace(/\.xml$/, ".truth.json"),
      );
      const truth = JSON.parse(readFileSync(truthFile, "utf8")) as Truth;
      const result = await parseSample("valgrind-xml", name);
      const counts = new Map(truth.errorcounts.map((c) => [c.unique, c.count]));
      const got = records(result).filter((r) => r.kind !== "FatalSignal");
      expect(got).toHaveLength(truth.errors.length);
      truth.errors.forEach((want, i) => {
        const record = got[i] as LeakRecord | ErrorRecord;
        expect(record.pid).toBe(truth.xml_run_pid);
        expect(record.thread).toBe(want.tid ?? undefined);
        expect(record.details?.["unique"]).toBe(want.unique);
        expect(record.details?.["threadname"]).toBe(want.threadname ?? undefined);
        expect(record.suppression).toBe(want.suppression?.rawtext?.trim());
        expectStack(record.stack, want.stack);
        if (record.type === "leak") expectLeak(record, want);
        else expectError(record, want, counts);
      });
      const signals = result.errors.filter((e) => e.kind === "FatalSignal");
      expect(signals.map((s) => s.details?.["signame"])).toEqual(
        truth.fatal_signals.map((s) => s.signame),
      );
      signals.forEach((s, i) => expectStack(s.stack, truth.fatal_signals[i]?.stack ?? []));
    });
  }
});
