import type { RegisteredDiagnostic, ErrorRecord, Finding, LeakRecord } from "../../model/index.js";
import { findLsanSuppression, type LsanSuppression } from "./lsan.js";
import type { ValgrindSuppression } from "./valgrind.js";
import { findValgrindSuppression } from "./valgrind-match.js";

/** Suppressions of every kind leaklog applies after the fact. */
export interface SuppressionSet {
  valgrind: readonly ValgrindSuppression[];
  lsan: readonly LsanSuppression[];
  /** Path of the LSan file(s), for the unused-suppression diagnostics. */
  lsanPath?: string;
}

/**
 * Applies suppressions one finding at a time (so a streaming summary can use it), as if the
 * program had been run with them: Valgrind entries match Valgrind's records with Memcheck's
 * rules, LeakSanitizer `leak:` entries match sanitizer leaks with LSan's. A suppressed leak
 * becomes kind `suppressed` (severity none; the kind it had stays in `details.suppressedKind`),
 * a suppressed error gets `suppressed: true` and severity none. `details.suppressedBy` names the
 * entry. Entries that matched nothing are reported by `unused()`.
 */
export class Suppressor {
  private readonly usedValgrind = new Set<ValgrindSuppression>();
  private readonly usedLsan = new Set<LsanSuppression>();

  constructor(private readonly set: SuppressionSet) {}

  apply<F extends Finding>(finding: F): F {
    const name = this.match(finding);
    if (name === undefined) return finding;
    return (
      finding.type === "leak" ? suppressLeak(finding, name) : suppressError(finding, name)
    ) as F;
  }

  /** Ids (positions: Valgrind entries first, then LSan's) of the entries that matched. */
  usedIds(): number[] {
    const ids: number[] = [];
    this.set.valgrind.forEach((s, i) => this.usedValgrind.has(s) && ids.push(i));
    const offset = this.set.valgrind.length;
    this.set.lsan.forEach((s, i) => this.usedLsan.has(s) && ids.push(offset + i));
    return ids;
  }

  /** Marks entries as used by their ids (from another Suppressor over the same set). */
  markUsed(ids: readonly number[]): void {
    const offset = this.set.valgrind.length;
    for (const id of ids) {
      const valgrind = this.set.valgrind[id];
      if (id < offset && valgrind !== undefined) this.usedValgrind.add(valgrind);
      const lsan = this.set.lsan[id - offset];
      if (id >= offset && lsan !== undefined) this.usedLsan.add(lsan);
    }
  }

  /** One `unused-suppression` info diagnostic per entry that matched nothing. */
  unused(): RegisteredDiagnostic[] {
    const valgrind = this.set.valgrind
      .filter((s) => s.memcheck && !this.usedValgrind.has(s))
      .map((s): RegisteredDiagnostic => ({
        severity: "info",
        code: "unused-suppression",
        message: `suppression ${JSON.stringify(s.name)} (${s.tools.join(",")}:${s.kind}) matched nothing`,
        path: s.path,
        line: s.line,
      }));
    const lsan = this.set.lsan
      .filter((s) => !this.usedLsan.has(s))
      .map((s): RegisteredDiagnostic => ({
        severity: "info",
        code: "unused-suppression",
        message: `suppression leak:${s.pattern} matched nothing`,
        path: this.set.lsanPath ?? "<suppressions>",
        line: s.line,
      }));
    return [...valgrind, ...lsan];
  }

  private match(finding: Finding): string | undefined {
    if (finding.tool === "valgrind" && this.set.valgrind.length > 0) {
      const supp = findValgrindSuppression(this.set.valgrind, finding);
      if (supp !== undefined) this.usedValgrind.add(supp);
      return supp?.name;
    }
    // LSan's `leak:` type suppresses leaks only; ASan errors have their own mechanisms.
    if ((finding.tool === "asan" || finding.tool === "lsan") && finding.type === "leak") {
      const supp = findLsanSuppression(this.set.lsan, finding);
      if (supp !== undefined) this.usedLsan.add(supp);
      return supp !== undefined ? `leak:${supp.pattern}` : undefined;
    }
    return undefined;
  }
}

export function suppressLeak(leak: LeakRecord, by: string): LeakRecord {
  if (leak.kind === "suppressed") return leak;
  return {
    ...leak,
    kind: "suppressed",
    severity: "none",
    details: { ...leak.details, suppressedKind: leak.kind, suppressedBy: by },
  };
}

export function suppressError(error: ErrorRecord, by: string): ErrorRecord {
  if (error.suppressed === true) return error;
  return {
    ...error,
    suppressed: true,
    severity: "none",
    details: { ...error.details, suppressedBy: by },
  };
}
