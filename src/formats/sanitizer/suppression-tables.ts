import { safeInteger } from "../../../grammars/numbers.js";
import type { BlockLine } from "../../../grammars/sanitizer/parser.js";
import * as T from "../../../grammars/sanitizer/tokens.js";
import type { Amount } from "../../model/index.js";
import type { ParseSink } from "../types.js";

/** A row of ThreadSanitizer's table: `2 race:bump` (count, then the suppression as written). */
const TSAN_ROW = /^(\d+) (\w+:.*)$/;

/**
 * LeakSanitizer's `Suppressions used:` rows (`count bytes template`: objects, their bytes, the
 * suppression) added up, as its suppressions-used info lists them: the table is part of a leak
 * report when a leak is left (leaks.ts), alone when none is (SuppressionTables).
 */
export class LsanTableRows {
  readonly amount: Amount = { bytes: 0, blocks: 0 };
  private readonly rows: string[] = [];

  /** Adds a row's groups; false when its numbers are no safe integers (grammars/numbers.ts). */
  add(groups: readonly string[]): boolean {
    const [count = "", bytes = "", template = ""] = groups;
    const blocks = safeInteger(count);
    const size = safeInteger(bytes);
    if (blocks === undefined || size === undefined) return false;
    this.amount.blocks += blocks;
    this.amount.bytes += size;
    this.rows.push(`${template} (${count} object(s), ${bytes} byte(s))`);
    return true;
  }

  get message(): string {
    const { bytes, blocks } = this.amount;
    return `LeakSanitizer suppressed ${bytes} byte(s) in ${blocks} object(s): ${this.rows.join(", ")}`;
  }
}

type OpenTable =
  | { tool: "lsan"; line: number; rows: LsanTableRows }
  /** ThreadSanitizer's table names its process; LeakSanitizer's does not. */
  | { tool: "tsan"; line: number; pid?: number; rows: string[] };

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
      this.open = { tool: "lsan", line: line.lineNo, rows: new LsanTableRows() };
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
      if (!table.rows.add(line.groups)) this.sink.unrecognized(line.lineNo, line.body);
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
    if (table.tool === "lsan") {
      const { line, rows } = table;
      this.sink.diagnostic({
        severity: "info",
        code: "suppressions-used",
        message: rows.message,
        line,
      });
      this.sink.summary({ line, leak: { suppressed: rows.amount } });
      return;
    }
    const whose = table.pid !== undefined ? ` of process ${table.pid}` : "";
    this.sink.diagnostic({
      severity: "info",
      code: "suppressions-used",
      message: `ThreadSanitizer suppressed reports${whose}: ${table.rows.join(", ")}`,
      line: table.line,
      ...(table.pid !== undefined ? { pid: table.pid } : {}),
    });
  }
}
