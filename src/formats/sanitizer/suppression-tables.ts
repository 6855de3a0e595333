import { safeInteger } from "../../../grammars/numbers.js";
import type { BlockLine } from "../../../grammars/sanitizer/parser.js";
import * as T from "../../../grammars/sanitizer/tokens.js";
import type { Amount } from "../../model/index.js";
import type { ParseSink } from "../types.js";

/** A row of ThreadSanitizer's table: `2 race:bump` (count, then the suppression as written). */
const TSAN_ROW = /^(\d+) (\w+:.*)$/;

interface OpenTable {
  tool: "lsan" | "tsan";
  /** The line that heads the table (`Suppressions used:`, `ThreadSanitizer: Matched ...`). */
  line: number;
  /** ThreadSanitizer's table names its process; LeakSanitizer's does not. */
  pid?: number;
  rows: string[];
  amount: Amount;
}

/**
 * The tables of suppressions a sanitizer used, printed outside any report: LeakSanitizer's
 * `Suppressions used:` when its suppressions took every leak (with a leak left, the table is
 * part of the leak report: see leaks.ts), and ThreadSanitizer's `Matched N suppressions
 * (pid=P):` (print_suppressions=1). The rerun that `leaklog suppressions` is for prints nothing
 * else, and was "not a log leaklog can read" (exit 2) when its suppressions made it clean.
 * Each table is one `suppressions-used` info; LeakSanitizer's bytes are its run's `suppressed`.
 */
export class SuppressionTables {
  private open: OpenTable | undefined;
  /** LeakSanitizer's rule line before `Suppressions used:`, held until the next line says. */
  private rule: BlockLine | undefined;

  constructor(
    private readonly sink: ParseSink,
    /** A held line that turned out to be the program's. */
    private readonly programLine: (line: BlockLine) => void,
  ) {}

  /** Whether the line (outside any report) belongs to a table, which then keeps it. */
  takes(line: BlockLine): boolean {
    if (this.open !== undefined) {
      if (this.row(this.open, line)) return true;
      this.close();
      // LeakSanitizer's closing rule ends its table.
      if (line.type === T.SuppressionRule) return true;
    }
    const rule = this.rule;
    this.rule = undefined;
    if (line.type === T.SuppressionsUsed && rule !== undefined) {
      this.open = { tool: "lsan", line: line.lineNo, rows: [], amount: { bytes: 0, blocks: 0 } };
      return true;
    }
    if (rule !== undefined) this.programLine(rule);
    if (line.type === T.SuppressionRule) {
      this.rule = line;
      return true;
    }
    if (line.type === T.TsanSuppressions) {
      const pid = safeInteger(line.groups[1] ?? "");
      this.open = {
        tool: "tsan",
        line: line.lineNo,
        ...(pid !== undefined ? { pid } : {}),
        rows: [],
        amount: { bytes: 0, blocks: 0 },
      };
      if (pid !== undefined) this.sink.process({ pid });
      return true;
    }
    return false;
  }

  end(): void {
    this.close();
    if (this.rule !== undefined) this.programLine(this.rule);
    this.rule = undefined;
  }

  private row(table: OpenTable, line: BlockLine): boolean {
    if (table.tool === "lsan") {
      if (line.type === T.SuppressionColumns) return true;
      if (line.type !== T.SuppressionRow) return false;
      const [count = "", bytes = "", template = ""] = line.groups;
      const blocks = safeInteger(count);
      const size = safeInteger(bytes);
      if (blocks === undefined || size === undefined) {
        this.sink.unrecognized(line.lineNo, line.body);
        return true;
      }
      table.amount.blocks += blocks;
      table.amount.bytes += size;
      table.rows.push(`${template} (${count} object(s), ${bytes} byte(s))`);
      return true;
    }
    const m = line.type === T.Text ? TSAN_ROW.exec(line.body) : null;
    if (m === null) return false;
    table.rows.push(`${m[2] ?? ""} (${m[1] ?? ""} report(s))`);
    return true;
  }

  private close(): void {
    const table = this.open;
    this.open = undefined;
    if (table === undefined) return;
    const rows = table.rows.join(", ");
    const pid = table.pid !== undefined ? { pid: table.pid } : {};
    const { bytes, blocks } = table.amount;
    this.sink.diagnostic({
      severity: "info",
      code: "suppressions-used",
      message:
        table.tool === "lsan"
          ? `LeakSanitizer suppressed ${bytes} byte(s) in ${blocks} object(s): ${rows}`
          : `ThreadSanitizer suppressed reports${table.pid !== undefined ? ` of process ${table.pid}` : ""}: ${rows}`,
      line: table.line,
      ...pid,
    });
    if (table.tool === "lsan")
      this.sink.summary({ line: table.line, leak: { suppressed: table.amount } });
  }
}
