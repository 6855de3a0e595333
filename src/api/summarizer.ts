import { compareRun, unlistedInRun } from "./baseline-comparison.js";
import { markCountsUnknown } from "../analysis/counts-unknown.js";
import { baselineKey, type SuppressedMore } from "../analysis/baseline.js";
import { suppressedBeyond } from "../analysis/used-suppressions.js";
import { LeakCheckSums } from "../analysis/cross-check.js";
import { evaluateGate, type GateRules } from "../analysis/gate.js";
import { uncountedKinds } from "../analysis/uncounted-kinds.js";
import { Detacher } from "../analysis/detach.js";
import { Grouper } from "../analysis/group.js";
import { checkGateRules } from "../analysis/gate-rules.js";
import { explainInheritedContexts } from "../analysis/forked-children.js";
import { PrintedContexts } from "../analysis/printed-contexts.js";
import { markDeathTests } from "../analysis/death-tests.js";
import { ForkedDeaths } from "../analysis/forked-deaths.js";
import { settlePreambleOnly } from "../analysis/preamble-only.js";
import { incompleteProcesses, unusableInputs } from "../analysis/input-states.js";
import { InheritedCopies } from "../analysis/inherited-copies.js";
import { copiesSettling, InheritedLossRecords } from "../analysis/inherited-loss-records.js";
import { FindingsByProcess, type ProcessFindings } from "../analysis/process-findings.js";
import {
  leaksBeyondRecords,
  unlistedLeakKinds,
  type LeaksBeyondRecords,
} from "../analysis/summary-only.js";
import { repeatedProcesses } from "../analysis/repeated-processes.js";
import {
  isValgrind,
  unlistedUnsuppressed,
  unreachedKinds,
} from "../analysis/suppressions/unlisted-kinds.js";
import {
  hasSuppressions,
  Suppressor,
  type SuppressionSet,
  type SuppressionUse,
} from "../analysis/suppressions/suppressor.js";
import { AwaitingMangling } from "../analysis/suppressions/awaiting-mangling.js";
import { SaturatedSums } from "../analysis/saturated-sums.js";
import { TotalsBuilder } from "../analysis/totals.js";
import type { ParsedReportPart } from "../engine/source-builder.js";
import type { StreamEvent } from "./parse.js";
import type {
  Diagnostic,
  ErrorRecord,
  Finding,
  Group,
  LeakRecord,
  Report,
  Source,
  SummaryOnlyLeak,
  ToolSummary,
} from "../model/index.js";
import { VERSION } from "../version.js";
import { appendAll } from "../lists.js";
import { DistinctIds, withDistinctIds, type RenamedPartial } from "./distinct-ids.js";
import { finishedWith, refuseInput } from "./finished-summarizer.js";
import { checkSuppressionSet } from "./suppression-set-check.js";
import type { PartialFacts } from "./partial-facts.js";

/** Options of summarize() and of the streaming Summarizer. */
export interface SummarizeOptions {
  /** Gate rules; when given, `report.gate` says whether the run fails. */
  gate?: GateRules;
  /** Valgrind, LeakSanitizer and ThreadSanitizer suppressions applied before grouping. */
  suppressions?: SuppressionSet;
  /**
   * A previous report (or anything with its groups): groups are marked new or unchanged, and the
   * baseline's groups that are gone are appended as `fixed` (severity none, no members), unless
   * this run counted their leak kind without listing it (see compareWithBaseline).
   * `diagnostics`: what was wrong with the baseline itself, listed in the report; `path`: its
   * file, for the report's diagnostics about it. Its groups' members name the logs of their
   * findings: a process of this run that died of a fatal signal, or that a sanitizer stopped at
   * an error, holds back the groups of its own log and of logs this run has not (see
   * FatalStops).
   */
  baseline?: {
    groups: readonly Group[];
    diagnostics?: readonly Diagnostic[];
    path?: string;
    /**
     * The baseline run's tool summaries: a gone group is not called fixed when this run's
     * checker suppressed more of its type than the baseline's did (see suppressedMore).
     */
    summaries?: readonly ToolSummary[];
    /**
     * The baseline run's sources: the suppressions its processes used, against this run's (see
     * errorsSuppressedMore, leakRecordsSuppressedMore).
     */
    sources?: readonly Source[];
  };
  /**
   * List at most this many leak records and this many error records in the report; the rest
   * still count in groups and totals (`recordsOmitted` says how many). Unlimited by default;
   * the CLI caps it so that memory stays bounded on gigabyte logs.
   */
  maxRecords?: number;
  /** List suppressions that matched nothing (default true; off for a partial report). */
  listUnusedSuppressions?: boolean;
  /**
   * How many inputs will be summarized, when known: with one, nothing is counted for the check
   * of processes that two inputs repeat (`repeated-process`), which costs a little per finding.
   */
  inputs?: number;
  /**
   * Groups list every input and process they have findings in (`sites`, never capped, unlike
   * `members`): the JUnit report's test suites are per log and per process.
   */
  sites?: boolean;
}

/**
 * Builds a report one event at a time, so that a log of any size is summarized in memory
 * proportional to its distinct stacks and processes: findings are suppressed, grouped, totalled
 * and cross-checked as they arrive (but the few whose suppression waits for a Rust crate's
 * mangling, at their source's end: see AwaitingMangling), and only the first `maxRecords` are
 * kept as records.
 */
export class Summarizer {
  private readonly sources: Source[] = [];
  private readonly leaks: LeakRecord[] = [];
  private readonly errors: ErrorRecord[] = [];
  /** The ids of the records listed, once a partial report came (see distinctIdsOf). */
  private listedIds: Set<string> | undefined;
  /** Record ids unique across the sources (see DistinctIds). */
  private readonly ids = new DistinctIds();
  private readonly summaries: ToolSummary[] = [];
  /** Summaries whose records went through this summarizer: these are cross-checked here. */
  private readonly toCheck: ToolSummary[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  /** The sources' paths, to warn of one given twice (see source). */
  private readonly sourcePaths = new Set<string>();
  /** Partial reports' cross-check diagnostics: they follow every parse diagnostic (see partial). */
  private readonly partialCrossChecks: Diagnostic[] = [];
  /** Worker reports' leaks without records (their records' sums stayed in the worker). */
  private readonly summaryOnly: SummaryOnlyLeak[] = [];
  private readonly unshown: SummaryOnlyLeak[] = [];
  private readonly omitted = { leaks: 0, errors: 0 };
  /** One string table for the records and groups kept: they repeat the same names. */
  private readonly detacher = new Detacher();
  private readonly grouper: Grouper;
  private readonly sums = new LeakCheckSums();
  /** Sums of totals and groups held at 2^53 - 1 (see SaturatedSums). */
  private readonly saturation = new SaturatedSums();
  private readonly totals = new TotalsBuilder(this.saturation);
  /** Error contexts per process of each input, for forked children's logs (see finish). */
  private readonly printed = new PrintedContexts();
  /** A forked child's recap contexts that its own log never printed, until every input is in. */
  private readonly copies = new InheritedCopies();
  /** Listed loss records, until every input shows which are forked children's copies. */
  private readonly lossRecords = new InheritedLossRecords((r) => this.count(r), this.detacher);
  /** Baseline keys of the groups of records a log ended in (see noteCut). */
  private readonly cutKeys = new Set<string>();
  /** What each process of each input counted, to find processes two inputs repeat. */
  private readonly byProcess: FindingsByProcess | undefined;
  private readonly suppressor: Suppressor | undefined;
  /** Findings whose suppression waits for a Rust crate's mangling (see AwaitingMangling). */
  private readonly awaiting: AwaitingMangling | undefined;
  private readonly maxRecords: number;

  /**
   * Throws a RangeError for a gate rule that could never match (see checkGateRules), a TypeError
   * for suppressions that are not lists of entries.
   */
  constructor(private readonly options: SummarizeOptions = {}) {
    if (options.gate !== undefined) checkGateRules(options.gate, options.baseline !== undefined);
    if (options.suppressions !== undefined) checkSuppressionSet(options.suppressions);
    this.suppressor = options.suppressions && new Suppressor(options.suppressions);
    this.awaiting = this.suppressor ? new AwaitingMangling(this.suppressor) : undefined;
    this.maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
    this.grouper = new Grouper(this.detacher, options.sites === true, this.saturation);
    // One input cannot repeat another's processes: nothing to count for every finding.
    this.byProcess = options.inputs === 1 ? undefined : new FindingsByProcess();
  }

  /**
   * One event of parseStream or parseInto. The `end` of a source adds it, as `source` does, so
   * that parseStream's events can be handed over as they come. Anything else is refused at once:
   * an unknown event taken for a diagnostic broke `finish` with an unrelated TypeError.
   */
  event(event: StreamEvent): void {
    if (event.type === "finding") this.finding(event.finding);
    else if (event.type === "summary") {
      this.summaries.push(event.summary);
      this.toCheck.push(event.summary);
    } else if (event.type === "diagnostic") this.diagnostics.push(event.diagnostic);
    else if (event.type === "end") this.source(event.source);
    else if (event.type === "report-part") this.reportPart(event.part);
    else if (event.type === "preamble") this.lossRecords.preamble(event);
    else throw new TypeError(`Summarizer.event: not a parse event: ${describe(event)}`);
  }

  /**
   * What a leaklog report adds to its replayed records (see ReportPart): its summaries, checked
   * already, are not checked again; its unlisted records count in their groups and totals.
   * This run's suppressions cannot match records the report does not list, which is said.
   */
  private reportPart({ path, ...part }: ParsedReportPart): void {
    appendAll(this.summaries, part.summaries);
    appendAll(this.summaryOnly, part.summaryOnlyLeaks);
    appendAll(this.unshown, part.unshownLeaks);
    // Its listed records, held, count before the groups of its unlisted ones, in their order;
    // which of those are copies no record tells.
    if (part.unlisted.length + part.unreplayedProcesses.length > 0) this.lossRecords.stop(path);
    for (const group of part.unlisted) {
      this.grouper.addGroup(group, path);
      this.totals.addGroup(group);
    }
    for (const group of part.unreplayedProcesses) this.grouper.addProcesses(group, group.processes);
    this.totals.addSuppressedErrors(part.unlistedSuppressedErrors);
    this.totals.addSuppressedLeakAmounts(part.unlistedSuppressedLeaks);
    this.totals.addInheritedLeaks(part.unlistedInheritedLeaks);
    if (part.unlisted.length > 0) this.byProcess?.unknown(path);
    this.omitted.leaks += part.recordsOmitted.leaks;
    this.omitted.errors += part.recordsOmitted.errors;
    if (hasSuppressions(this.options.suppressions) && part.unlisted.length > 0) {
      const omitted = part.recordsOmitted.leaks + part.recordsOmitted.errors;
      this.diagnostics.push(unlistedUnsuppressed(path, omitted));
    }
  }

  /** Records a log ended in (`details.truncated`), by group: see baselineComparison. */
  private noteCut(record: Finding): void {
    if (record.details?.["truncated"] === true) this.cutKeys.add(baselineKey(record));
  }

  finding(found: Finding): void {
    const parsed = this.withDistinctId(found);
    // The tool's totals count what it reported, so records are checked with their parsed kinds.
    if (parsed.type === "leak") this.sums.add(parsed);
    else this.printed.add(parsed);
    // Listed in its place now, counted once its input has ended (see settled).
    if (this.awaiting?.hold(parsed, () => this.keep(parsed)) === true) return;
    const finding = this.suppressor !== undefined ? this.suppressor.apply(parsed) : parsed;
    this.tally(finding, this.keep(finding));
  }

  /** A finding held for a Rust crate's mangling, suppressed now: in its place, counted once. */
  private readonly settled = (finding: Finding, listed: number | undefined): void => {
    const list: Finding[] = finding.type === "leak" ? this.leaks : this.errors;
    if (listed !== undefined)
      list[listed] = Number.isFinite(this.maxRecords) ? this.detacher.copy(finding) : finding;
    this.tally(finding, listed);
  };

  /**
   * Counts a finding listed at `listed` (undefined: past --max-records), unless it waits: a
   * record whose forked children may repeat it, or a loss record of an inherited recap.
   */
  private tally(finding: Finding, listed: number | undefined): void {
    if (InheritedCopies.undecided(finding)) return this.copies.hold(finding, listed);
    this.noteCut(finding);
    if (InheritedLossRecords.holds(finding))
      return this.lossRecords.add(finding, listed, this.leaks);
    this.count(finding);
  }

  /** The record, its id unique in the report (see DistinctIds). */
  private withDistinctId<T extends { id: string }>(finding: T): T {
    const id = this.ids.id(finding.id, this.sources.length);
    return id === finding.id ? finding : { ...finding, id };
  }

  /** A source is finished (its description comes last, with its counters). */
  source(source: Source): void {
    this.awaiting?.settle(this.settled, source.path);
    // summarize() gives each result a path of its own; a streaming caller may not have.
    if (this.sourcePaths.has(source.path)) {
      this.diagnostics.push({
        severity: "warning",
        code: "duplicate-path",
        message: `another input has the path ${source.path} too: the processes of both are cross-checked as one log's, which can give false summary-mismatch warnings; give each parse its own path option`,
        path: source.path,
      });
    }
    this.sources.push(source);
    this.sourcePaths.add(source.path);
  }

  /**
   * Merges a report of some sources made elsewhere (a worker thread's, already cross-checked,
   * made without suppressions' unused list, baseline or gate). The last `crossChecked` of its
   * diagnostics are cross-checks (see finishPartial): they are listed after every parse
   * diagnostic, where a summarizer that parsed all the sources itself lists its own.
   * `byProcess` is what finishPartial gave with it; without it, the report's processes are not
   * checked for repeats across inputs (see repeatedProcesses). `facts` too: without them, what
   * the report does not list is left out of what only every input settles (see PartialFacts).
   */
  partial(
    merged: Report,
    crossChecked = 0,
    byProcess?: readonly ProcessFindings[],
    facts?: PartialFacts,
  ): void {
    const renamed = this.distinctIdsOf(merged, facts);
    const { report } = renamed;
    appendAll(this.sources, report.sources);
    if (byProcess !== undefined) this.byProcess?.merge(byProcess);
    else for (const source of report.sources) this.byProcess?.unknown(source.path);
    for (const key of facts?.cutKeys ?? []) this.cutKeys.add(key);
    if (facts !== undefined) this.printed.merge(facts.printed);
    // Without them only its listed errors tell what its processes printed: past its cap a
    // parent's count falls short, a forked child's copy of a context it left out counts twice.
    else for (const error of report.errors) this.printed.add(error);
    this.partialRecords(renamed);
    this.omitted.leaks += report.recordsOmitted?.leaks ?? 0;
    this.omitted.errors += report.recordsOmitted?.errors ?? 0;
    for (const group of report.groups) this.grouper.addGroup(group);
    this.totals.addTotals(report.totals);
    appendAll(this.summaries, report.summaries);
    const parsed = report.diagnostics.length - crossChecked;
    for (const [i, diagnostic] of report.diagnostics.entries()) {
      (i < parsed ? this.diagnostics : this.partialCrossChecks).push(diagnostic);
    }
    appendAll(this.summaryOnly, report.summaryOnlyLeaks ?? []);
    appendAll(this.unshown, report.unshownLeaks ?? []);
  }

  /**
   * A partial report's listed records, listed here as this summarizer's own up to its cap, the
   * forked children's recap records it left out (`held`, see PartialFacts), and what comparing
   * the loss records it counted takes (`counted`, undefined when it gave that up).
   */
  private partialRecords({ report, held, counted: countedLeaks }: RenamedPartial): void {
    // A partial report that held its loss records counted none (see finishPartial): it has no
    // group of leaks. One that has counted them all, in its groups, which join these after
    // the records held here are counted.
    const counted = report.groups.some((group) => group.type === "leak");
    if (counted) this.lossRecords.release();
    const listedAt: (number | undefined)[] = [];
    for (const leak of report.leaks) {
      this.noteCut(leak);
      const listed = this.keep(leak);
      listedAt.push(listed);
      if (!counted && InheritedLossRecords.holds(leak))
        this.lossRecords.add(leak, listed, this.leaks);
    }
    this.lossRecords.addCounted(countedLeaks, listedAt, report.sources[0]?.path);
    for (const error of report.errors) {
      this.noteCut(error);
      // A partial report groups no such record: it leaves them to this summary to settle.
      if (InheritedCopies.undecided(error)) this.copies.hold(error, this.keep(error));
      else this.keep(error);
    }
    // Its cap left them out: they came after its listed ones, where one summarizer holds them.
    for (const error of held) this.copies.hold(error, undefined);
  }

  /**
   * A partial report's records and group members, and the records its facts tell of beside it,
   * their ids unique here (see DistinctIds).
   */
  private distinctIdsOf(report: Report, facts: PartialFacts | undefined): RenamedPartial {
    const before = this.sources.length;
    // Made at the first partial report after a source (a summarizer of findings alone never
    // needs it), then kept up as records are listed, rather than made again for each report.
    const listed =
      before === 0
        ? undefined
        : (this.listedIds ??= new Set([...this.leaks, ...this.errors].map((f) => f.id)));
    return withDistinctIds(report, this.ids, before, (id) => listed?.has(id) === true, facts);
  }

  /** Adds what suppressions did elsewhere (a worker's), so used ones are not listed as unused. */
  suppressionsUsedElsewhere(use: SuppressionUse | undefined): void {
    if (use !== undefined) this.suppressor?.addUse(use);
  }

  /** What the suppressions did here (see SuppressionUse); undefined without any. */
  suppressionsUsed(): SuppressionUse | undefined {
    return this.suppressor?.use();
  }

  finish(): Report {
    // A streaming caller may not have ended every source.
    this.awaiting?.settle(this.settled);
    const diagnostics = [...this.diagnostics, ...this.crossChecks()];
    const set = this.options.suppressions;
    // Found once: the suppressions' diagnostics and the report both need it.
    const beyond = this.beyondRecords();
    if (
      this.suppressor !== undefined &&
      set !== undefined &&
      this.options.listUnusedSuppressions !== false
    ) {
      appendAll(diagnostics, set.warnings ?? []);
      const { summaryOnly, unshown } = beyond;
      const unlisted = unlistedLeakKinds([...summaryOnly, ...unshown], this.sources, isValgrind);
      const first = set.valgrind[0];
      // Kinds of a check that listed no record at all (--leak-check=summary), not hidden ones.
      const unchecked = unlistedLeakKinds(summaryOnly, [], isValgrind);
      if (first !== undefined)
        appendAll(diagnostics, unreachedKinds(set.valgrind, unlisted, unchecked, first.path));
      appendAll(diagnostics, this.suppressor.unused(unlisted));
    }
    return finishedWith(this, this.report(diagnostics, true, beyond));
  }

  /** What the checker suppressed in this run beyond the baseline's (see suppressedBeyond). */
  private suppressedMore(baseline: NonNullable<SummarizeOptions["baseline"]>): SuppressedMore {
    const run = { summaries: this.summaries, sources: this.sources };
    return suppressedBeyond(run, baseline, this.options.suppressions?.valgrind ?? []);
  }

  /** The leaks the tools counted beyond their records: in summaries only, or left unshown. */
  private beyondRecords(): LeaksBeyondRecords {
    const merged = { summaryOnly: this.summaryOnly, unshown: this.unshown };
    return leaksBeyondRecords(this.sources, this.toCheck, this.sums, merged);
  }

  /**
   * The report of some sources for another summarizer's `partial`, how many of its
   * diagnostics, the last ones, are cross-checks, and the facts that go with it (see
   * PartialFacts). It never lists unused suppressions: other sources may use them. Nor does it
   * count its loss records while it holds them all, nor a forked child's recap records: a
   * child's parent may be another input's, so the summary of all inputs settles them.
   */
  finishPartial(): {
    report: Report;
    crossChecked: number;
    byProcess: ProcessFindings[];
    facts: PartialFacts;
  } {
    this.awaiting?.settle(this.settled);
    const crossChecks = this.crossChecks();
    const facts: PartialFacts = {
      inheritedCopies: this.copies.unlisted(),
      cutKeys: [...this.cutKeys],
      printed: this.printed.data(),
      ...this.lossRecords.facts(),
    };
    const report = this.report([...this.diagnostics, ...crossChecks]);
    const byProcess = this.byProcess?.all() ?? [];
    return { report, crossChecked: crossChecks.length, byProcess, facts };
  }

  private crossChecks(): Diagnostic[] {
    return [...this.partialCrossChecks, ...this.sums.check(this.toCheck)];
  }

  /**
   * `whole`: every source is here, so a process repeated across inputs can be seen, and so can
   * the parent of a forked child that wrote a log of its own.
   */
  private report(
    diagnostics: Diagnostic[],
    whole = false,
    beyond: LeaksBeyondRecords = this.beyondRecords(),
  ): Report {
    refuseInput(this, whole ? "finish" : "finishPartial");
    if (whole) {
      const place = {
        count: (error: ErrorRecord) => this.count(error),
        list: (copy: ErrorRecord, listed: number | undefined) => this.list(copy, listed),
      };
      appendAll(diagnostics, this.copies.settle(this.sources, this.printed, place));
      const settling = copiesSettling(this.leaks, this.grouper, this.totals, this.byProcess);
      appendAll(diagnostics, this.lossRecords.settle(this.sources, settling));
    }
    let current = markCountsUnknown(this.grouper.result(), diagnostics);
    let deaths: ForkedDeaths | undefined;
    // A worker's report says so already when its own sums passed (see partial).
    const saturated = this.saturation.diagnostic(this.sources[0]?.path ?? "-");
    if (saturated !== undefined && !diagnostics.some((d) => d.message === saturated.message))
      diagnostics.push(saturated);
    if (whole) {
      explainInheritedContexts(diagnostics, this.sources, this.printed);
      settlePreambleOnly(this.sources, diagnostics);
      appendAll(diagnostics, repeatedProcesses(this.sources, this.byProcess?.all() ?? []));
      // Only all the inputs show a forked child's parent running on (its own log may be another).
      deaths = new ForkedDeaths(this.sources, this.summaries);
      current = markDeathTests(this.errors, current, this.sources, deaths);
    }
    const omitted = this.omitted.leaks + this.omitted.errors > 0;
    const { summaryOnly, unshown } = beyond;
    const baseline = this.options.baseline;
    let groups = current;
    const incomplete = this.sources.filter((s) => !s.complete).map((s) => s.path);
    if (baseline !== undefined) {
      const beyondRecords = [...unshown, ...summaryOnly];
      const listing = unlistedInRun(beyondRecords, this.sources, diagnostics);
      const compared = compareRun(current, baseline, {
        sources: this.sources,
        ...listing,
        incomplete: incomplete.length > 0,
        more: this.suppressedMore(baseline),
        cutKeys: this.cutKeys,
        ...(deaths !== undefined ? { deaths } : {}),
      });
      groups = compared.groups;
      if (whole) {
        appendAll(diagnostics, baseline.diagnostics ?? []);
        appendAll(diagnostics, compared.diagnostics);
      }
    }
    return {
      schemaVersion: 1,
      generator: { name: "leaklog", version: VERSION },
      sources: this.sources,
      leaks: this.leaks,
      errors: this.errors,
      groups,
      summaries: this.summaries,
      ...(summaryOnly.length > 0 ? { summaryOnlyLeaks: summaryOnly } : {}),
      ...(unshown.length > 0 ? { unshownLeaks: unshown } : {}),
      diagnostics,
      totals: this.totals.result(current),
      ...(omitted ? { recordsOmitted: { ...this.omitted } } : {}),
      ...(this.options.gate !== undefined
        ? {
            gate: evaluateGate(
              groups,
              this.options.gate,
              summaryOnly,
              unshown,
              incomplete,
              unusableInputs(this.sources, diagnostics),
              uncountedKinds(this.sources, this.summaries, diagnostics),
              incompleteProcesses(this.sources),
            ),
          }
        : {}),
    };
  }

  /**
   * Under a cap, listed records are copies: they outlive the parser's objects (see Detacher).
   * Without one every record is kept, which is what V8 expects of the parser's sites anyway.
   */
  private keep(finding: Finding): number | undefined {
    const list: Finding[] = finding.type === "leak" ? this.leaks : this.errors;
    if (list.length >= this.maxRecords) {
      this.omitted[`${finding.type}s`] += 1;
      return undefined;
    }
    list.push(Number.isFinite(this.maxRecords) ? this.detacher.copy(finding) : finding);
    this.listedIds?.add(finding.id);
    return list.length - 1;
  }

  /** Groups and totals a finding, or a settled record of a forked child's (see InheritedCopies). */
  private count(finding: Finding): void {
    const group = this.grouper.add(finding);
    this.totals.add(finding);
    this.byProcess?.add(finding, group);
  }

  /**
   * Lists a settled copy (see InheritedCopies) in place of its held record; one that
   * --max-records left out is listed past the cap, as it counts nowhere else.
   */
  private list(copy: ErrorRecord, listed: number | undefined): void {
    const kept = Number.isFinite(this.maxRecords) ? this.detacher.copy(copy) : copy;
    if (listed !== undefined) {
      this.errors[listed] = kept;
      return;
    }
    this.omitted.errors -= 1;
    this.errors.push(kept);
  }
}

/** What an event that is none of parseStream's has for a type, for the error. */
function describe(event: object): string {
  const type = (event as { type?: unknown }).type;
  if (type === undefined) return "it has no type";
  return `type ${typeof type === "string" ? JSON.stringify(type) : String(type)}`;
}
