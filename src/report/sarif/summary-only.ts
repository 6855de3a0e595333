import { createHash } from "node:crypto";
import { severityOf } from "../../analysis/severity.js";
import type { Amount, LeakKind, SummaryOnlyLeak } from "../../model/index.js";
import { summaryOnlySentence } from "../describe.js";
import { locateLogLine, type LogBases } from "../log-location.js";
import { levelOf } from "./level.js";
import { logLocation, messageText, unlocatedNote } from "./locations.js";
import { FINGERPRINT_KEY, type SarifResult } from "./results.js";

/**
 * One result per kind of each leak that only a tool's summary reports: code scanning should
 * show the leak rather than a clean run. With no stack there is no code location, so it points
 * at the summary's line in the log, as a group without an own frame does (GitHub drops results
 * without a file and line); a log that is no file in the checkout leaves it without a location. The fingerprint names the kind and the log, not the PID, which
 * changes from run to run.
 */
export function summaryOnlyResults(
  entries: readonly SummaryOnlyLeak[],
  bases: LogBases,
): SarifResult[] {
  return entries.flatMap((entry) => {
    const log = locateLogLine(entry.path, entry.line ?? 1, bases);
    const where = log.located ? "" : ` ${unlocatedNote(log)}`;
    return (Object.entries(entry.leak) as [LeakKind, Amount][]).map(([kind, amount]) => ({
      ruleId: kind,
      level: levelOf(severityOf(kind)),
      message: {
        text: messageText(
          `${summaryOnlySentence([{ ...entry, leak: { [kind]: amount } }])}.${where}`,
        ),
      },
      locations: log.located ? [logLocation(log, undefined)] : [],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprintOf(kind) },
      properties: {
        summaryOnly: true,
        bytes: amount.bytes,
        blocks: amount.blocks,
        ...(entry.pid !== undefined ? { pid: entry.pid } : {}),
      },
    }));
  });
}

/** 16 hex digits, as stack fingerprints are: the kind alone, for there is no stack. */
function fingerprintOf(kind: string): string {
  return createHash("sha256").update(`summary-only\u0000${kind}`).digest("hex").slice(0, 16);
}
