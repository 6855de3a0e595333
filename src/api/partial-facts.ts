import type { CountedLeak } from "../analysis/counted-leaks.js";
import type { PrintedContextsData } from "../analysis/printed-contexts.js";
import type { ErrorRecord } from "../model/index.js";

/**
 * What a summarizer of some of the inputs (a worker thread's, see Summarizer.finishPartial)
 * knows of them beyond its report, and the summary of all the inputs needs: facts about records
 * its report does not list (past `maxRecords`) that only every input together settles. Plain
 * data, few and small, so that it crosses threads cheaply.
 */
export interface PartialFacts {
  /**
   * A forked child's `-s` recap records that `maxRecords` left out of the report, undecided
   * (see InheritedCopies): which of them copy a parent's context only every input tells.
   */
  inheritedCopies: ErrorRecord[];
  /**
   * Baseline keys of the groups of records its logs ended in, listed or not (see
   * Summarizer.noteCut): a record cut by a log's end that the cap left out was otherwise lost,
   * and its group was new against a baseline on workers.
   */
  cutKeys: string[];
  /**
   * The error contexts each process of its inputs printed (see PrintedContexts), all of them:
   * a forked child's recap record is a copy when its parent printed the context, which the
   * cap can have left out of the report, and a child's summary-mismatch is explained by what
   * its parent printed in all.
   */
  printed: PrintedContextsData;
  /**
   * The loss records it counted, listed or not, as a forked child's are compared with its
   * parent's (see InheritedLossRecords): past `maxRecords` it counts them as they come, and
   * which were copies, to be taken back out of its groups and totals, only every input tells.
   * None while it holds them all (its report lists them); absent when it gave the comparison up
   * (a merged report's unlisted records), which the summary of every input then does too.
   */
  countedLeaks?: CountedLeak[];
}
