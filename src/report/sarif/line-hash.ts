import { createHash } from "node:crypto";
import { Ordinals } from "../stable-log.js";
import { FINGERPRINT_KEY, type SarifResult } from "./results.js";

/**
 * The one partial fingerprint GitHub code scanning tracks an alert by: its SARIF support page
 * (github/docs `sarif-support-for-code-scanning`, the `result` object) says "Code scanning only
 * uses the `primaryLocationLineHash`". Left out, `upload-sarif` fills it in from the text of the
 * result's line in the checkout (codeql-action `src/fingerprints.ts`, `hash` and
 * `locationUpdateCallback`): a log line holds `==PID==`, so a result at a log line was a new
 * alert every run (the old one closed as fixed), and groups at one line of the program's code
 * (one helper's leak reached from three tests) were one alert (campaign cf F1).
 */
const LINE_HASH_KEY = "primaryLocationLineHash";

/**
 * The results with a `primaryLocationLineHash` made from leaklog's own fingerprint, which
 * leaves PIDs, addresses and line numbers out, and the rule: `upload-sarif` keeps a value that
 * is present (it only logs a warning that its own hash of the line differs). The value has
 * codeql-action's shape, 16 hex digits, `:`, and the how-manieth result of that hash in the run
 * it is (`4b1d9e0a5c3f2e71:1`), so that it stays unique within the run as the action's does.
 */
export function withLineHashes(results: readonly SarifResult[]): SarifResult[] {
  const seen = new Ordinals();
  return results.map((result) => {
    const hash = createHash("sha256")
      .update(`${result.ruleId}\u0000${result.partialFingerprints[FINGERPRINT_KEY] ?? ""}`)
      .digest("hex")
      .slice(0, 16);
    return {
      ...result,
      partialFingerprints: {
        ...result.partialFingerprints,
        [LINE_HASH_KEY]: `${hash}:${seen.next(hash)}`,
      },
    };
  });
}
