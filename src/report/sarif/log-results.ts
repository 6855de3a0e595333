import { locateLogLine, type LogBases } from "../log-location.js";
import { type Ordinals, stableLogPath } from "../stable-log.js";
import { logLocation, messageText, unlocatedNote } from "./locations.js";
import { FINGERPRINT_KEY, type SarifResult } from "./results.js";
import type { SarifLevel } from "./level.js";
import { logResultFingerprint } from "./summary-only.js";

/** What a result about a log itself (not about a finding of it) says, and where. */
export interface LogResultFacts {
  ruleId: string;
  level: SarifLevel;
  /** The log's path as the command line gave it. */
  path: string;
  /** 1-based line of the log it points at (line 1 when nothing names one). */
  line: number | undefined;
  /** The log's first process, whose PID `--log-file=vg.%p.log` puts in its name. */
  pid: number | undefined;
  /** The message, before a note on a log that is no file in the checkout. */
  text: string;
  properties: Record<string, unknown>;
}

/**
 * A result at a log: an incomplete one or an input leaklog could not use. GitHub code scanning
 * reads results, not tool execution notifications, so without one such a run closed every open
 * alert as fixed. The fingerprint is the log's path as it stays from run to run (see
 * stableLogPath) and its place among the results of that path, not the line, which moves with
 * where the run was cut.
 */
export function logResult(facts: LogResultFacts, bases: LogBases, seen: Ordinals): SarifResult {
  const log = locateLogLine(facts.path, facts.line ?? 1, bases);
  const where = log.located ? "" : ` ${unlocatedNote(log)}`;
  const stable = stableLogPath(facts.path, facts.pid);
  return {
    ruleId: facts.ruleId,
    level: facts.level,
    message: { text: messageText(`${facts.text}${where}`) },
    locations: log.located ? [logLocation(log, undefined)] : [],
    partialFingerprints: {
      [FINGERPRINT_KEY]: logResultFingerprint(facts.ruleId, stable, seen),
    },
    properties: facts.properties,
  };
}

/** The text ending in a full stop (a diagnostic's message mostly has none). */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
