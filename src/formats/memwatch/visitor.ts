import type { IToken } from "chevrotain";
import { safeInteger } from "../../../grammars/numbers.js";
import type {
  BlockCstChildren,
  DetailedCstChildren,
  HeaderCstChildren,
  MemwatchCstVisitor,
  SingleCstChildren,
  StatisticsCstChildren,
  UnfreedEntryCstChildren,
} from "../../../grammars/memwatch/cst.js";
import { memwatchParser } from "../../../grammars/memwatch/parser.js";
import { errorDraft } from "./events.js";
import { fieldsOf, lineOf } from "./frames.js";
import { mapUnfreed } from "./leaks.js";
import type { Sessions } from "./session.js";
import { readStats, reportTable } from "./statistics.js";

const BaseVisitor = memwatchParser().getBaseCstVisitorConstructor<undefined, void>();

/** Gives each parsed block its meaning: sessions, records, summaries, diagnostics. */
export class MemwatchVisitor extends BaseVisitor implements MemwatchCstVisitor<undefined, void> {
  constructor(private readonly sessions: Sessions) {
    super();
    this.validateVisitor();
  }

  block(ctx: BlockCstChildren): void {
    const node = ctx.header ?? ctx.statistics ?? ctx.unfreedEntry ?? ctx.single;
    if (node !== undefined) this.visit(node);
  }

  header(ctx: HeaderCstChildren): void {
    const banner = ctx.Banner?.[0];
    if (banner === undefined) {
      // `Started at`/`Modes:` with no banner: an embedded fork's header (memwatch.md 0).
      const first = ctx.headerLine?.[0]?.children;
      const token =
        first?.Started?.[0] ?? first?.Modes?.[0] ?? first?.Sizes?.[0] ?? first?.Compiled?.[0];
      if (token !== undefined) this.sessions.ensure(lineOf(token));
      return;
    }
    this.sessions.open(lineOf(banner), true);
    const version = fieldsOf(banner)["version"];
    if (version !== undefined) this.sessions.sink.toolVersion(version);
  }

  /** Header lines are key/value noise for leaklog (memwatch.md pitfall 9). */
  headerLine(): void {}

  statistics(ctx: StatisticsCstChildren): void {
    const title = ctx.StatsGlobal?.[0];
    if (title !== undefined) {
      const session = this.sessions.ensure(lineOf(title));
      session.stats = readStats(lineOf(title), ctx.StatLine ?? [], this.sessions.sink);
    }
    if (ctx.detailed !== undefined) this.visit(ctx.detailed);
  }

  detailed(ctx: DetailedCstChildren): void {
    const rows = [...(ctx.ModuleRow ?? []), ...(ctx.LineRow ?? [])];
    reportTable(rows, this.sessions.sink, this.sessions.session?.pid);
  }

  /** A leak whose dump wrapped onto the lines after it (one-line entries never come here). */
  unfreedEntry(ctx: UnfreedEntryCstChildren): void {
    const head = ctx.Unfreed[0];
    if (head !== undefined) mapUnfreed(head, ctx.DumpCont ?? [], this.sessions);
  }

  single(ctx: SingleCstChildren): void {
    if (ctx.Stopped?.[0] !== undefined) return this.stopped(ctx.Stopped[0]);
    if (ctx.Anomalies?.[0] !== undefined) return this.anomalies(ctx.Anomalies[0]);
    if (ctx.TraceOverflow?.[0] !== undefined) return this.traceOverflow(ctx.TraceOverflow[0]);
    const notice = ctx.StderrNotice?.[0];
    if (notice !== undefined)
      return this.sessions.info("stderr-notice", notice.image, lineOf(notice));
    // Stray table rows, dump pieces and plain text: TRACE output or foreign lines.
    const other = ctx.Text ?? ctx.DumpCont ?? ctx.StatLine ?? ctx.DetailHeader ?? ctx.ModuleRow;
    const token = (other ?? ctx.LineRow)?.[0];
    if (token !== undefined) this.sessions.text(lineOf(token), token.image);
  }

  private stopped(token: IToken): void {
    const session = this.sessions.ensure(lineOf(token));
    if (session.stoppedLine !== undefined) {
      this.sessions.note(
        "warning",
        "repeated-footer",
        `second footer: ${token.image}`,
        lineOf(token),
      );
    }
    session.stoppedLine = lineOf(token);
  }

  /** `MEMWATCH detected N anomalies` follows the statistics (no MW_STDIO, memwatch.md 5.11). */
  private anomalies(token: IToken): void {
    const session = this.sessions.session;
    if (session === undefined) return this.sessions.sink.unrecognized(lineOf(token), token.image);
    const count = safeInteger(fieldsOf(token)["count"] ?? "");
    // A count past 2^53 (grammars/numbers.ts) is not read.
    if (count === undefined) return this.sessions.sink.unrecognized(lineOf(token), token.image);
    session.anomalies = { count, line: lineOf(token) };
  }

  /** A TRACE() over 2048 characters: program text, and an anomaly for MEMWATCH. */
  private traceOverflow(token: IToken): void {
    this.sessions.text(lineOf(token), token.image);
    const draft = errorDraft(token, "TraceOverflow", this.sessions.sites);
    draft.message = "TRACE output overflowed MEMWATCH's 2048-byte buffer: SYSTEM UNSTABLE";
    draft.details = { length: token.image.length };
    this.sessions.finding(draft, true);
  }
}
