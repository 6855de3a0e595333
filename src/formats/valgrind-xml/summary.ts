import type { Amount, LeakKind, ToolSummary } from "../../model/index.js";
import { parseSummaryCount } from "../../../grammars/valgrind-xml/text-patterns.js";
import { child, childCount, childText } from "./nodes.js";
import type { XNode } from "./tree.js";
import { processFields } from "../process-fields.js";

type Summary = Omit<ToolSummary, "path">;

/** Protocol 6 `<leak_summary>` children and the model's leak kinds. */
const LEAK_SUMMARY_KINDS: Readonly<Record<string, LeakKind>> = {
  definitely_lost: "definitely-lost",
  indirectly_lost: "indirectly-lost",
  possibly_lost: "possibly-lost",
  still_reachable: "still-reachable",
  suppressed: "suppressed",
};

/**
 * `<bytes>` with `<in_blocks>` or `<blocks>`: a heap summary's, or a leak summary's, whose
 * counts a delta check prints with their change (`<bytes>150 (+50)</bytes>`, see
 * parseSummaryCount): read as the whole amount, as the text log's `150 (+50) bytes` is. Read as
 * no count, a delta check's summary said nothing (`leak: {}`).
 */
function amount(node: XNode | undefined): Amount | undefined {
  if (node === undefined) return undefined;
  const bytes = parseSummaryCount(childText(node, "bytes"));
  const blocks = parseSummaryCount(childText(node, "in_blocks") ?? childText(node, "blocks"));
  return bytes !== undefined && blocks !== undefined ? { bytes, blocks } : undefined;
}

/**
 * Collects protocol 6's `<heap_summary>`, `<leak_summary>` and `<error_summary>`
 * (docs/internals/xml-output-protocol6.txt) into ToolSummary objects, one per leak check:
 * a second heap or leak summary in one process (client-requested leak checks) starts a new
 * one. Protocols 4 and 5 print none of them, and nothing is emitted for those. It numbers the
 * process's leak checks, for its summaries and its loss records alike (see lossRecordCheck).
 */
export class SummaryCollector {
  private current: Summary | undefined;
  private leakChecks = 0;
  /** A loss record came since the last `<leak_summary>` (see lossRecordCheck). */
  private recordsUnsummarised = false;

  constructor(
    private readonly emit: (summary: Summary) => void,
    /** The document's process: its PID and run. */
    private readonly process: () => { pid?: number; run?: number },
  ) {}

  /** Takes a `<heap_summary>`; returns what it says is in use, if it says. */
  heap(node: XNode): Amount | undefined {
    if (this.current?.heap !== undefined || this.current?.leak !== undefined) this.flush();
    const inUse = amount(child(node, "memory_in_use_at_exit"));
    const total = child(node, "total_heap_usage");
    const summary = this.open(node.line);
    if (inUse === undefined) return undefined;
    summary.heap = { inUseBytes: inUse.bytes, inUseBlocks: inUse.blocks };
    const allocs = total && childCount(total, "allocs");
    const frees = total && childCount(total, "frees");
    const allocated = total && childCount(total, "bytes_allocated");
    if (allocs !== undefined) summary.heap.allocs = allocs;
    if (frees !== undefined) summary.heap.frees = frees;
    if (allocated !== undefined) summary.heap.allocatedBytes = allocated;
    return inUse;
  }

  /**
   * Takes a `<leak_summary>`. `kindsHidden`: the run's `--show-leak-kinds` hid kinds from its
   * loss records (the XML's check at exit is a full one), as the text log's `Reachable blocks
   * (those to which a pointer was found) are not shown.` says: without it, a check that listed
   * no record made its default-hidden still reachable blocks a leak without loss records, gated
   * where the text log of the same run passed (campaign cc F3). `xtreeFile`: where
   * `--xtree-leak=yes` wrote the check's loss records (ToolSummary.xtreeFile).
   */
  leak(node: XNode, kindsHidden = false, xtreeFile?: string): void {
    if (this.current?.leak !== undefined) this.flush();
    const summary = this.open(node.line);
    const leak: Partial<Record<LeakKind, Amount>> = {};
    // Depth-first, so that 3.26.0's unclosed <still_reachable> still yields <suppressed>
    // should the repair have nested it.
    const walk = (n: XNode): void => {
      for (const c of n.children) {
        const kind = LEAK_SUMMARY_KINDS[c.name];
        const value = amount(c);
        if (kind !== undefined && value !== undefined) leak[kind] = value;
        walk(c);
      }
    };
    walk(node);
    this.leakChecks += 1;
    this.recordsUnsummarised = false;
    summary.leak = leak;
    summary.leakCheck = this.leakChecks;
    if (kindsHidden) summary.kindsHidden = true;
    if (xtreeFile !== undefined) summary.xtreeFile = xtreeFile;
  }

  /**
   * The leak check of a loss record (LeakRecord.leakCheck), which `starts` one or goes on with
   * the last (see LeakCheckBoundaries). Protocol 6 prints each check's `<leak_summary>` after its
   * records, so they are the check the next summary numbers: without the number, every record of
   * the process was cross-checked against its first summary, and its last check, which listed
   * the leaks at exit, read as one that listed none, its leaks counted again as leaks without
   * loss records (campaign ce F1). Protocols 4 and 5, and protocol 6 under `-q`, print no
   * summary: a check that starts after records no summary closed counts on, as the text parser
   * numbers a `-q` log's checks.
   */
  lossRecordCheck(starts: boolean): number {
    if (starts && this.recordsUnsummarised) this.leakChecks += 1;
    this.recordsUnsummarised = true;
    return this.leakChecks + 1;
  }

  errors(node: XNode): void {
    const summary = this.open(node.line);
    const errors = childCount(node, "errors");
    const contexts = childCount(node, "error_contexts");
    if (errors !== undefined && contexts !== undefined) {
      const suppressed = childCount(node, "suppressed");
      const suppressedContexts = childCount(node, "suppressed_contexts");
      summary.errors = {
        errors,
        contexts,
        ...(suppressed !== undefined ? { suppressed } : {}),
        ...(suppressedContexts !== undefined ? { suppressedContexts } : {}),
      };
    }
    this.flush();
  }

  /** Emits what has been collected (end of a leak check, of the error summary, of a document). */
  flush(): void {
    const summary = this.current;
    this.current = undefined;
    if (summary === undefined) return;
    if (summary.heap === undefined && summary.leak === undefined && summary.errors === undefined) {
      return;
    }
    this.emit(summary);
  }

  /** Starts a new process: leak checks are numbered per process. */
  reset(): void {
    this.flush();
    this.leakChecks = 0;
    this.recordsUnsummarised = false;
  }

  private open(line: number): Summary {
    if (this.current === undefined) {
      const { pid, run } = this.process();
      this.current = { ...processFields(pid, run), line };
    }
    return this.current;
  }
}
