import { forwarding } from "../../engine/embedded-sink.js";
import type { Amount } from "../../model/index.js";
import type { ParseSink } from "../types.js";
import { DIAG } from "./messages.js";
import {
  deriveFromStream,
  leakFromStats,
  leakFromStream,
  nullAllocError,
  unwrap,
} from "./records.js";
import type { MemleaxRun } from "./run.js";
import type { StatsEntry } from "./visitor.js";

/** How the log ended, as seen by the line parser. */
export interface RunEnd {
  /** Last line of the run. */
  lastLine: number;
  /** A last line that matched nothing and had nothing after it: the log was cut mid-line. */
  cutLine?: number;
  /** The input's last line had no line end, whatever it matched (see LineParser.end). */
  endedMidLine?: boolean;
}

/**
 * Emits everything a finished run knows: its leak records (from the report when printed, from
 * the stream otherwise), the tool's own totals, NULL-allocation records and completeness.
 */
export function finishRun(run: MemleaxRun, pidSink: ParseSink, end: RunEnd): void {
  if (!run.started) return;
  const sink = runSink(run, pidSink);
  switch (run.report?.kind) {
    case "statistics":
      finishWithStatistics(run, sink, end);
      break;
    case "no-expired":
      finishNoExpired(run, sink);
      break;
    case "too-short":
      sink.incomplete(
        "memleax monitored for less than its expiry time, so nothing could expire (no report)",
        run.report.line,
      );
      break;
    default:
      finishFromStream(run, sink, end);
  }
  for (const n of run.nullAllocs.values()) sink.finding(nullAllocError(n, run.pid));
}

/**
 * The sink of a PID's later run (see ProcessInfo.run): its records and its report are a leak
 * check of their own, numbered on across the PID's runs as Valgrind's and the sanitizers' are.
 */
function runSink(run: MemleaxRun, sink: ParseSink): ParseSink {
  const later = run.later;
  if (later === undefined) return sink;
  const check = { run: later, leakCheck: later };
  return forwarding(sink, {
    finding: (d) => sink.finding(d.type === "leak" ? { ...d, ...check } : { ...d, run: later }),
    summary: (s) => sink.summary({ ...s, ...check }),
  });
}

function finishWithStatistics(run: MemleaxRun, sink: ParseSink, end: RunEnd): void {
  const total: Amount = { blocks: 0, bytes: 0 };
  const listed = new Set<number>();
  for (const s of run.stats) {
    listed.add(s.id);
    checkStats(s, sink);
    const draft = leakFromStats(s, run.stacks.get(s.id), run.pid);
    total.blocks += draft.blocks;
    total.bytes += draft.bytes;
    if (draft.blocks > 0) sink.finding(draft);
  }
  const last = run.stats.at(-1);
  // Each report block ends with an empty line (§2.6): without it after the last block (or with
  // no block at all) the log was cut inside the report, wherever the cut fell (campaign bg F2).
  const cut =
    !run.reportClosed ||
    end.cutLine !== undefined ||
    end.endedMidLine === true ||
    last === undefined ||
    last.unfreedLiveMax === undefined ||
    last.stack.length === 0;
  // A cut report's blocks add up to no total memleax printed: no tool's summary to check against.
  if (!cut) {
    sink.summary({
      ...(run.pid !== undefined ? { pid: run.pid } : {}),
      ...(run.report !== undefined ? { line: run.report.line } : {}),
      leak: { "possibly-lost": total },
      listedKinds: ["possibly-lost"],
    });
  }
  // Every stack whose expiries outnumber its frees is in the report (§2.6); one with printed
  // expiries, no frees and no quiet warning that is missing means the report was cut short. In a
  // report known to be cut, any stack it had not reached yet may be one still leaking.
  const unlisted = [...run.stacks.values()].filter((t) => !listed.has(t.id));
  const missing = cut
    ? unlisted.filter((t) => deriveFromStream(t).blocks > 0)
    : unlisted.filter((t) => t.freesAfterExpiry === 0 && t.quietFrom === undefined);
  if (!cut && missing.length === 0) return;
  const cutAt = end.cutLine ?? (end.endedMidLine === true ? end.lastLine : undefined);
  const midLine = cutAt !== undefined ? ` (line ${cutAt} ends mid-line)` : "";
  const derived =
    missing.length > 0
      ? `; ${missing.length} call stack(s) missing from it are derived from the event stream`
      : "";
  sink.incomplete(`memleax's final report is cut short${midLine}${derived}`, end.lastLine);
  for (const t of missing) sink.finding(leakFromStream(t, deriveFromStream(t), run.pid));
}

/** The report's own arithmetic (may-leak = expired - free_expired) and 32-bit wrap-around. */
function checkStats(s: StatsEntry, sink: ParseSink): void {
  const values = [s.mayLeak, s.expired, s.freeExpired, s.alloc, s.free].flatMap((a) =>
    a === undefined ? [] : [a.blocks, a.bytes],
  );
  if (values.some((v) => unwrap(v).wrapped)) {
    sink.diagnostic({
      severity: "warning",
      code: DIAG.counterWrapped,
      message: `CallStack[${s.id}]: negative counters read as 32-bit values that wrapped past 2 GiB`,
      line: s.line,
    });
  }
  const { expired, freeExpired } = s;
  if (expired === undefined || freeExpired === undefined) return;
  if (expired.blocks - freeExpired.blocks !== s.mayLeak.blocks) {
    sink.diagnostic({
      severity: "warning",
      code: DIAG.summaryMismatch,
      message: `CallStack[${s.id}]: may-leak=${s.mayLeak.blocks} but expired=${expired.blocks} and free_expired=${freeExpired.blocks}`,
      line: s.line,
    });
  }
}

function finishNoExpired(run: MemleaxRun, sink: ParseSink): void {
  sink.summary({
    ...(run.pid !== undefined ? { pid: run.pid } : {}),
    ...(run.report !== undefined ? { line: run.report.line } : {}),
    leak: { "possibly-lost": { bytes: 0, blocks: 0 } },
    listedKinds: ["possibly-lost"],
  });
  if (run.stacks.size > 0) return;
  // corpus/memleax/15-unpatched-modern-elf.log: stock memleax hooks nothing on separate-code ELF
  // layouts and then reports exactly this, leaks or not (§0, §8.12).
  sink.diagnostic({
    severity: "info",
    code: DIAG.noExpired,
    message:
      "memleax saw no expired memory blocks; stock memleax 1.1.1 also says so when it could not hook the allocator (binaries with a separate code segment), so this alone does not prove the program clean",
    ...(run.report !== undefined ? { line: run.report.line } : {}),
  });
}

function finishFromStream(run: MemleaxRun, sink: ParseSink, end: RunEnd): void {
  const why =
    run.stop !== undefined
      ? "memleax stopped but its final report is missing"
      : "memleax output ends before its final report (no stop line, no '== Callstack statistics')";
  const cut = end.cutLine !== undefined ? `; line ${end.cutLine} is cut mid-line` : "";
  sink.incomplete(`${why}${cut}; counts are derived from the event stream`, end.lastLine);
  for (const t of run.stacks.values()) {
    const derived = deriveFromStream(t);
    if (derived.blocks > 0) sink.finding(leakFromStream(t, derived, run.pid));
  }
}
