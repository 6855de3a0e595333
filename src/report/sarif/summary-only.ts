import { createHash } from "node:crypto";
import { summaryOnlySeverity } from "../../analysis/severity.js";
import type { IncompleteProcess } from "../../analysis/input-states.js";
import type { Amount, LeakKind, SummaryOnlyLeak } from "../../model/index.js";
import { summaryOnlySentence } from "../describe.js";
import { locateLogLine, type LogBases } from "../log-location.js";
import { Ordinals, stableLogPath } from "../stable-log.js";
import { levelOf } from "./level.js";
import { logLocation, messageText, unlocatedNote } from "./locations.js";
import { FINGERPRINT_KEY, type SarifResult } from "./results.js";

/**
 * One result per kind of each leak that only a tool's summary reports: code scanning should
 * show the leak rather than a clean run. With no stack there is no code location, so it points
 * at the summary's line in the log, as a group without an own frame does (GitHub drops results
 * without a file and line); a log that is no file in the checkout leaves it without a location.
 * The fingerprint names the kind, the log and the entry's place among the log's entries of the
 * kind, not the PID, which changes from run to run (nor one a log's name holds: see
 * stableLogPath): the kind alone gave every log's summary-only
 * leak of a kind one fingerprint, which code scanning takes for one alert.
 */
export function summaryOnlyResults(
  entries: readonly SummaryOnlyLeak[],
  bases: LogBases,
  incomplete: IncompleteProcess,
): SarifResult[] {
  const seen = new Ordinals();
  return entries.flatMap((entry) => {
    const log = locateLogLine(entry.path, entry.line ?? 1, bases);
    const where = log.located ? "" : ` ${unlocatedNote(log)}`;
    return (Object.entries(entry.leak) as [LeakKind, Amount][]).map(([kind, amount]) => ({
      ruleId: kind,
      level: levelOf(summaryOnlySeverity(entry, kind)),
      message: {
        text: messageText(
          `${summaryOnlySentence([{ ...entry, leak: { [kind]: amount } }], incomplete)}.${where}`,
        ),
      },
      locations: log.located ? [logLocation(log, undefined)] : [],
      partialFingerprints: {
        [FINGERPRINT_KEY]: fingerprintOf(kind, stableLogPath(entry.path, entry.pid), seen),
      },
      properties: {
        summaryOnly: true,
        bytes: amount.bytes,
        blocks: amount.blocks,
        ...(entry.pid !== undefined ? { pid: entry.pid } : {}),
      },
    }));
  });
}

/** 16 hex digits, as stack fingerprints are; `seen` counts the log's entries of each kind. */
function fingerprintOf(kind: string, log: string, seen: Ordinals): string {
  return logResultFingerprint("summary-only", `${kind}\u0000${log}`, seen);
}

/**
 * The fingerprint of a result that stands at a log, not at a stack: `what` and `key` (a log's
 * stable path, a PID of `%p` left out), and the how-manieth result of that key it is (`seen`).
 */
export function logResultFingerprint(what: string, key: string, seen: Ordinals): string {
  return createHash("sha256")
    .update(`${what}\u0000${key}\u0000${seen.next(key)}`)
    .digest("hex")
    .slice(0, 16);
}
