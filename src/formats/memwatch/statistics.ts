import type { IToken } from "chevrotain";
import { safeInteger } from "../../../grammars/numbers.js";
import type { Fields } from "../../../grammars/memwatch/fields.js";
import type { ToolSummary } from "../../model/index.js";
import type { ParseSink } from "../types.js";
import type { Session } from "./session.js";

/** One `X)... : value` statistics line, in bytes (or a count for N). */
interface StatValue {
  /** As printed. */
  value: number;
  /** Bytes per printed unit: 1, or 1024 for the `%ldkb` copy (stu/alfc, memwatch.md 0). */
  factor: number;
  /** 1-based line it was printed on. */
  line: number;
}

/** The global statistics of one session (memwatch.md 5.10). */
export interface SessionStats {
  line: number;
  /** All four lines were there (a crash can cut the block). */
  complete: boolean;
  values: Partial<Record<"N" | "L" | "T" | "U", StatValue>>;
}

const UNIT_FACTORS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  bytes: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1 << 20,
  mb: 1 << 20,
  mib: 1 << 20,
};

/** Bytes per unit as printed after a number; undefined for a unit leaklog does not know. */
export function unitFactor(unit: string | undefined): number | undefined {
  return UNIT_FACTORS[(unit ?? "").toLowerCase()];
}

function fields(token: IToken): Fields {
  return token.payload as Fields;
}

/**
 * Forgets a statistics value printed on `line`, the log's last, which has no line end: the file
 * was cut inside its number (` U)nfreed bytes totals      : 428` of 4282), which is then no
 * total of MEMWATCH's to check the records against (campaign bg F5).
 */
export function dropCutValue(stats: SessionStats, line: number): void {
  for (const key of ["N", "L", "T", "U"] as const) {
    if (stats.values[key]?.line !== line) continue;
    delete stats.values[key];
    stats.complete = false;
  }
}

/** Reads the `N)`, `L)`, `T)`, `U)` lines of a statistics block. */
export function readStats(
  line: number,
  statLines: readonly IToken[],
  sink: ParseSink,
): SessionStats {
  const values: SessionStats["values"] = {};
  for (const token of statLines) {
    const f = fields(token);
    const key = f["key"] as "N" | "L" | "T" | "U";
    const factor = unitFactor(f["unit"]);
    if (factor === undefined) {
      sink.diagnostic({
        severity: "warning",
        code: "unknown-unit",
        message: `statistics unit "${f["unit"] ?? ""}" not understood; read as bytes`,
        line: token.startLine ?? line,
      });
    }
    const value = safeInteger(f["value"] ?? "");
    if (value === undefined || !Number.isSafeInteger(value * (factor ?? 1))) {
      // Past 2^53 (grammars/numbers.ts): not read, and the block is then incomplete.
      sink.unrecognized(token.startLine ?? line, token.image);
      continue;
    }
    values[key] = { value, factor: factor ?? 1, line: token.startLine ?? line };
  }
  const complete = (["N", "L", "T", "U"] as const).every((k) => values[k] !== undefined);
  return { line, complete, values };
}

/** The detailed table as info diagnostics, one per module with its line rows folded in. */
export function reportTable(rows: readonly IToken[], sink: ParseSink, pid?: number): void {
  let message: string | undefined;
  let line = 0;
  const flush = (): void => {
    if (message === undefined) return;
    sink.diagnostic({
      severity: "info",
      code: "statistics-table",
      message,
      line,
      ...(pid !== undefined ? { pid } : {}),
    });
    message = undefined;
  };
  for (const row of [...rows].sort((a, b) => (a.startLine ?? 0) - (b.startLine ?? 0))) {
    const f = fields(row);
    const figures = `${f["number"]} allocations, largest ${f["largest"]}, total ${f["total"]}, unfreed ${f["unfreed"]}`;
    if (f["module"] !== undefined) {
      flush();
      line = row.startLine ?? 0;
      message = `statistics for module ${f["module"].trim()}: ${figures}`;
    } else {
      message = `${message ?? "statistics"}; line ${f["line"]}: ${figures}`;
    }
  }
  flush();
}

function mismatch(sink: ParseSink, s: Session, line: number, message: string): void {
  sink.diagnostic({ severity: "warning", code: "summary-mismatch", message, line, pid: s.pid });
}

/**
 * Emits the session's own summary and checks it against the records. U)nfreed bytes can
 * disagree with the unfreed lines after heap damage (heap_corruption.log: 48 vs 16).
 */
export function checkSession(sink: ParseSink, s: Session): void {
  const { stats, anomalies } = s;
  if (anomalies !== undefined && anomalies.count !== s.counted) {
    mismatch(
      sink,
      s,
      anomalies.line,
      `MEMWATCH counted ${anomalies.count} anomalies; the session's lines show ${s.counted}`,
    );
  }
  if (stats === undefined) return;
  const summary: Omit<ToolSummary, "path"> = { pid: s.pid, line: stats.line };
  const { N, T, U } = stats.values;
  if (U !== undefined) {
    const bytes = U.value * U.factor;
    // MEMWATCH prints no block count; the listed `unfreed` lines are the only one there is.
    summary.leak = { "definitely-lost": { bytes, blocks: s.unfreedBlocks } };
    summary.listedKinds = ["definitely-lost"];
    summary.heap = {
      inUseBytes: bytes,
      inUseBlocks: s.unfreedBlocks,
      ...(N !== undefined ? { allocs: N.value } : {}),
      ...(T !== undefined ? { allocatedBytes: T.value * T.factor } : {}),
    };
    if (Math.floor(s.unfreedBytes / U.factor) !== U.value) {
      mismatch(
        sink,
        s,
        stats.line,
        `U)nfreed bytes totals says ${U.value}${U.factor === 1 ? "" : ` x ${U.factor}`} bytes; ` +
          `the ${s.unfreedBlocks} unfreed lines add up to ${s.unfreedBytes} bytes`,
      );
    }
  }
  if (anomalies !== undefined) {
    summary.errors = { errors: anomalies.count, contexts: anomalies.count };
  }
  sink.summary(summary);
}
