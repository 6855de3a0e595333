import type { GateResult, Group } from "../model/index.js";

/** What makes a run fail; every rule is checked and each match is reported. */
export interface GateRules {
  /** Leak kinds, error kinds, severities (`error`, `warning`, `note`), or `new` (with a baseline). */
  failOn: readonly string[];
  /** Fail when a kind's total bytes exceed the limit: `{ "definitely-lost": 1024 }`. */
  maxBytes: Readonly<Record<string, number>>;
}

const SEVERITIES = new Set(["error", "warning", "note"]);

/** Decides whether the groups fail the build, and says why in plain words. */
export function evaluateGate(groups: readonly Group[], rules: GateRules): GateResult {
  const reasons: string[] = [];
  for (const rule of rules.failOn) {
    const matched = groups.filter(
      (g) => g.suppressed !== true && g.severity !== "none" && matches(g, rule),
    );
    if (matched.length > 0) {
      const noun = matched.length === 1 ? "group" : "groups";
      reasons.push(`--fail-on ${rule}: ${matched.length} ${noun} (${describe(matched)})`);
    }
  }
  for (const [kind, limit] of Object.entries(rules.maxBytes)) {
    const total = groups
      .filter((g) => g.kind === kind && g.suppressed !== true)
      .reduce((sum, g) => sum + g.directBytes, 0);
    if (total > limit) reasons.push(`--max-bytes ${kind}=${limit}: ${total} bytes`);
  }
  return { failed: reasons.length > 0, reasons };
}

function matches(group: Group, rule: string): boolean {
  if (rule === "new") return group.baseline === "new";
  if (rule === "any") return true;
  if (SEVERITIES.has(rule)) return group.severity === rule;
  return group.kind === rule;
}

function describe(groups: readonly Group[]): string {
  const first = groups[0] as Group;
  const what = first.type === "leak" ? `${first.bytes} bytes ${first.kind}` : first.kind;
  return groups.length === 1 ? what : `first: ${what}`;
}
