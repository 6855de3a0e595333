import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseChunks, type ParseOptions, type ParseResult } from "../../src/api/parse.js";
import { ErrorRecord, LeakRecord, ToolSummary, type FormatId } from "../../src/model/index.js";
import {
  concat,
  emissionLines,
  loadCorpus,
  recordShape,
  recordsOf,
  splitLines,
  type Emitted,
  type FuzzSample,
} from "./corpus.js";
import {
  capLineArb,
  chunked,
  FUZZ_LINE_CAP,
  mutate,
  mutateTail,
  mutationArb,
  splitsArb,
} from "./mutations.js";

/**
 * Property tests over mutated samples of every input format. The seed is fixed so that a
 * failure reproduces: fast-check prints `{ seed, path }` with the counterexample; rerun with
 * LEAKLOG_FUZZ_SEED=<seed> (and LEAKLOG_FUZZ_RUNS=<n> to search longer).
 */
const SEED = Number(process.env["LEAKLOG_FUZZ_SEED"] ?? 20_240_607);
const RUNS = Number(process.env["LEAKLOG_FUZZ_RUNS"] ?? 500);
/** A parse of a few hundred KiB takes milliseconds; seconds mean a hang or a regex blow-up. */
const MAX_MS = 2_000;

let corpus: FuzzSample[] = [];
/** Per sample, when each record came out of a line-by-line parse. */
const emissions = new Map<string, Emitted[]>();

beforeAll(async () => {
  corpus = await loadCorpus();
  for (const sample of corpus) emissions.set(sample.name, await emissionLines(sample));
});

const settings = (runs = RUNS): fc.Parameters<unknown> => ({ seed: SEED, numRuns: runs });

/** Parses with a time bound; the parse must not throw (a throw fails the property). */
function timedParse(bytes: Uint8Array, options: ParseOptions): ParseResult {
  const start = performance.now();
  const result = parse(bytes, options);
  const elapsed = performance.now() - start;
  if (elapsed > MAX_MS) throw new Error(`parse took ${Math.round(elapsed)} ms`);
  return result;
}

/** Every record a parse gives is valid by the published schema, however broken the input. */
function expectValidRecords(result: ParseResult): void {
  for (const leak of result.leaks) LeakRecord.parse(leak);
  for (const error of result.errors) ErrorRecord.parse(error);
  for (const summary of result.summaries) ToolSummary.parse(summary);
}

const sampleArb = () => fc.nat().map((i) => corpus[i % corpus.length] as FuzzSample);

describe("mutated logs of every format", () => {
  it("covers every input format", () => {
    const formats = new Set(corpus.map((s) => s.format));
    expect([...formats].sort()).toEqual(
      ["leaklog-json", "memleax", "memwatch", "sanitizer", "valgrind", "valgrind-xml"].sort(),
    );
  });

  it("never throws, never hangs, gives valid records, and chunking never changes the result", async () => {
    await fc.assert(
      fc.asyncProperty(
        sampleArb(),
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        splitsArb,
        fc.boolean(),
        async (sample, mutations, splits, auto) => {
          const bytes = mutate(sample.bytes, mutations);
          const options: ParseOptions = {
            path: "fuzz.log",
            inputFormat: auto ? "auto" : sample.format,
            maxLineLength: FUZZ_LINE_CAP,
          };
          const whole = timedParse(bytes, options);
          expectValidRecords(whole);
          const start = performance.now();
          const pieces = await parseChunks(chunked(bytes, splits), options);
          expect(performance.now() - start).toBeLessThan(MAX_MS);
          expect(pieces).toEqual(whole);
        },
      ),
      settings(),
    );
  });

  it("CRLF line ends give the same records, summaries and processes as LF", () => {
    for (const sample of corpus) {
      const lf = parse(sample.bytes, { path: "x", maxLineLength: FUZZ_LINE_CAP });
      const crlf = parse(mutate(sample.bytes, [{ kind: "crlf" }]), {
        path: "x",
        maxLineLength: FUZZ_LINE_CAP,
      });
      expect(crlf.leaks, sample.name).toEqual(lf.leaks);
      expect(crlf.errors, sample.name).toEqual(lf.errors);
      expect(crlf.summaries, sample.name).toEqual(lf.summaries);
      expect(crlf.source.processes, sample.name).toEqual(lf.source.processes);
    }
  });

  it("a CRLF log with a line at the cap agrees with its LF twin, diagnostics too", () => {
    // A CRLF line of exactly the cap was once reported cut: its CR counted as text.
    fc.assert(
      fc.property(sampleArb(), capLineArb, (sample, capLine) => {
        const lf = parse(mutate(sample.bytes, [capLine]), {
          path: "x",
          maxLineLength: FUZZ_LINE_CAP,
        });
        const crlf = parse(mutate(sample.bytes, [capLine, { kind: "crlf" }]), {
          path: "x",
          maxLineLength: FUZZ_LINE_CAP,
        });
        expect(crlf.diagnostics).toEqual(lf.diagnostics);
        expect(recordsOf(crlf)).toEqual(recordsOf(lf));
        expect(crlf.summaries).toEqual(lf.summaries);
      }),
      settings(Math.ceil(RUNS / 10)),
    );
  });

  it("keeps every complete record before the point where the log is cut or mangled", async () => {
    const checked = new Map<string, number>();
    await fc.assert(
      fc.property(
        sampleArb().filter((s) => s.format !== "leaklog-json"),
        fc.nat(),
        fc.array(mutationArb, { maxLength: 3 }),
        (sample, pick, mutations) => {
          const lines = splitLines(sample.bytes);
          const blocks = (emissions.get(sample.name) ?? []).map((e) => blockOf(sample.format, e));
          // Cut points: just before a record block's first line, or at the end of the log.
          const starts = [...new Set(blocks.map((b) => b.first - 1))];
          const cut = [...starts, lines.length][pick % (starts.length + 1)] as number;
          const keep = concat(lines.slice(0, cut)).byteLength;
          const complete = blocks.filter((b) => b.first <= cut && b.completeBy <= cut + 1);
          const tail = mutations.length > 0 ? mutations : [{ kind: "truncate" as const, at: 0 }];
          const bytes = mutateTail(sample.bytes, keep, tail);
          const result = timedParse(bytes, {
            path: "x",
            inputFormat: sample.format,
            maxLineLength: FUZZ_LINE_CAP,
          });
          const got = recordsOf(result).map(
            (r) => blockOf(sample.format, { record: r, afterLine: 0 }).shape,
          );
          for (const b of complete) expect(got).toContainEqual(b.shape);
          checked.set(sample.format, (checked.get(sample.format) ?? 0) + complete.length);
        },
      ),
      settings(),
    );
    // The property is not vacuous: records of every format were checked.
    for (const format of ["memleax", "memwatch", "sanitizer", "valgrind", "valgrind-xml"])
      expect(checked.get(format) ?? 0, format).toBeGreaterThan(0);
  });
});

/** Where a record's block starts, the line by which it is complete, and what must survive. */
interface Block {
  first: number;
  completeBy: number;
  shape: unknown;
}

/**
 * A record's block in the log. Usually the record's own lines: complete when the line-by-line
 * parse had emitted it by the time the line after the cut arrived (Valgrind closes a block at
 * the next headline), so records still open at a cut (interleaved processes) may rightly change.
 * memleax reports a stack when its run ends, with counts only final then (a later "freed" or
 * "times again" line changes them), so what must survive of a memleax record is its stack, from
 * its first expiry (`CallStack[N]: memory expires with ..., backtrace:` and the frames after).
 * That stack ends at the line after its last frame, which must be before the cut too: a frame
 * line there would extend it (fuzz seed 13 moved another stack's frames under it).
 */
function blockOf(format: FormatId, { record, afterLine }: Emitted): Block {
  const firstExpiry = record.details?.["firstExpiryLine"];
  if (format === "memleax" && typeof firstExpiry === "number") {
    return {
      first: firstExpiry,
      completeBy: firstExpiry + record.stack.length + 2,
      shape: { pid: record.pid, stack: record.stack },
    };
  }
  return { first: record.location.line, completeBy: afterLine, shape: recordShape(record) };
}
