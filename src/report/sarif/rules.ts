import type { Group, Severity, SummaryOnlyLeak } from "../../model/index.js";
import { summaryOnlySeverity } from "../../analysis/severity.js";
import { kindText } from "./kinds.js";
import { levelOf, type SarifLevel } from "./level.js";

const HELP =
  "Open the code flow to see the whole stack, innermost frame last. leaklog groups findings with the same kind and stack across processes, files and runs; `leaklog summarize --format json` lists every member.";

/** A SARIF reportingDescriptor (rule) for one kind. */
export interface SarifRule {
  id: string;
  name?: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[] };
}

/**
 * One rule per kind present in the groups, in order of first appearance, then the leak kinds
 * only the tools' summaries report (SummaryOnlyLeak), each at its worst severity.
 */
export function rulesFor(
  groups: readonly Group[],
  summaryOnly: readonly SummaryOnlyLeak[] = [],
): SarifRule[] {
  const worst = new Map<string, { type: Group["type"]; severity: Severity }>();
  const see = (kind: string, type: Group["type"], severity: Severity): void => {
    const seen = worst.get(kind);
    if (seen === undefined || rank(severity) < rank(seen.severity))
      worst.set(kind, { type, severity });
  };
  for (const group of groups) see(group.kind, group.type, group.severity);
  for (const entry of summaryOnly)
    for (const kind of Object.keys(entry.leak)) see(kind, "leak", summaryOnlySeverity(entry, kind));
  return [...worst].map(([kind, { type, severity }]) => ruleFor(kind, type, severity));
}

function ruleFor(kind: string, type: Group["type"], severity: Severity): SarifRule {
  const text = kindText(kind, type);
  const name = pascalCase(kind);
  return {
    id: kind,
    // SARIF1001: a name identical to the id must be left out, and the Multitool compares them
    // ignoring case (`suppressed` and `Suppressed`).
    ...(name.toLowerCase() !== kind.toLowerCase() && name !== "" ? { name } : {}),
    shortDescription: { text: `${text.short}.` },
    fullDescription: { text: text.full },
    help: { text: `${text.full} ${HELP}` },
    defaultConfiguration: { level: levelOf(severity) },
    properties: { tags: [...text.tags] },
  };
}

const RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, note: 2, none: 3 };

function rank(severity: Severity): number {
  return RANK[severity];
}

/** `definitely-lost` -> `DefinitelyLost`; other characters dropped (SARIF2012 wants Pascal case). */
function pascalCase(kind: string): string {
  return kind
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => `${part[0]?.toUpperCase() ?? ""}${part.slice(1)}`)
    .join("");
}
