import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KNOWN_ERROR_KINDS, LeakKind, type Group, type Report } from "../../../src/model/index.js";
import { REPORTERS } from "../../../src/report/index.js";
import { CONTEXT, reportOf } from "./helpers.js";
import { analyzedUris, isSerious, MULTITOOL_AVAILABLE, validateSarif } from "./multitool.js";

interface Rule {
  id: string;
  name?: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  properties: { tags: string[] };
}

/**
 * use_after_free.txt's first error and first leak group, copied once per kind of `kinds`
 * (errors) and `leakKinds`: a report whose SARIF has a rule for each of them.
 */
async function reportOfKinds(kinds: readonly string[], leakKinds: readonly string[] = []) {
  const report = await reportOf("valgrind/use_after_free.txt", "valgrind/leak_indirect.txt");
  const error = report.groups.find((g) => g.type === "error") as Group;
  const leak = report.groups.find((g) => g.type === "leak") as Group;
  // Severity warning: a suppressed group (severity none) is no result, so has no rule.
  const copy = (group: Group, kind: string): Group => ({ ...group, kind, severity: "warning" });
  const groups = [...leakKinds.map((k) => copy(leak, k)), ...kinds.map((k) => copy(error, k))];
  return { ...report, groups, summaryOnlyLeaks: [] } satisfies Report;
}

function rulesOf(report: Report): Map<string, Rule> {
  const log = JSON.parse(REPORTERS.sarif.render(report, CONTEXT)) as {
    runs: { tool: { driver: { rules: Rule[] } } }[];
  };
  return new Map((log.runs[0]?.tool.driver.rules ?? []).map((r) => [r.id, r]));
}

const ALL_KINDS = [...LeakKind.options, ...KNOWN_ERROR_KINDS];
const allKindsReport = () => reportOfKinds(KNOWN_ERROR_KINDS, LeakKind.options);

describe("sarif rules", () => {
  // Campaign cf Q6: every kind but Memcheck's and the leaks' had `Memory error of kind
  // 'invalid-shift-exponent'.`, tagged memory-error: integer overflow and races called memory
  // errors, with nothing said of what they are.
  it("describe every kind leaklog knows in words of their own", async () => {
    const rules = rulesOf(await allKindsReport());
    expect([...rules.keys()].sort()).toEqual([...ALL_KINDS].sort());
    for (const kind of ALL_KINDS) {
      const rule = rules.get(kind) as Rule;
      const short = rule.shortDescription.text;
      const full = rule.fullDescription.text;
      // One line that names the kind, ended by a period (SARIF2001); no fallback wording.
      expect(short, kind).toMatch(/^[^.\n][^\n]*[^.]\.$/);
      expect(short, kind).not.toContain(kind === "Unknown" ? "'" : `'${kind}'`);
      expect(`${short} ${full}`, kind).not.toMatch(/of kind '|keeps as printed/);
      // One or two sentences: what it means and what usually causes it.
      expect(full, kind).toMatch(/^\S.{30,}\.$/);
      expect(full.split(/\. (?=[A-Z])/).length, kind).toBeLessThanOrEqual(2);
      expect(rule.help.text.startsWith(`${full} `), kind).toBe(true);
      if (kind !== "Unknown") expect(rule.properties.tags, kind).not.toEqual([]);
    }
  });

  it("tag each kind by what it is about, and no race, UB or crash a memory error", async () => {
    const rules = rulesOf(await allKindsReport());
    const tags = (kind: string) => rules.get(kind)?.properties.tags;
    expect(tags("InvalidRead")).toEqual(["memory", "memory-error"]);
    expect(tags("heap-use-after-free")).toEqual(["memory", "memory-error"]);
    expect(tags("definitely-lost")).toEqual(["memory", "leak"]);
    for (const kind of ["Race", "ConflictingAccess", "LockOrder", "data-race", "MutexErr"])
      expect(tags(kind), kind).toEqual(["concurrency"]);
    expect(tags("invalid-shift-exponent")).toEqual(["undefined-behavior"]);
    expect(tags("signed-integer-overflow")).toEqual(["undefined-behavior", "integer-overflow"]);
    // Wrapping is defined for unsigned types: UBSan reports it on request, as a likely bug.
    expect(tags("unsigned-integer-overflow")).toEqual(["integer-overflow"]);
    expect(tags("ABRT")).toEqual(["crash"]);
    expect(tags("FdNotClosed")).toEqual(["file-descriptor", "leak"]);
    const memoryErrors = ALL_KINDS.filter((k) => tags(k)?.includes("memory-error"));
    for (const kind of memoryErrors) {
      expect(tags(kind), kind).not.toContain("concurrency");
      expect(tags(kind), kind).not.toContain("undefined-behavior");
    }
    // GitHub treats a rule tagged `security` as a vulnerability's, ranked by security-severity.
    for (const kind of ALL_KINDS) expect(tags(kind), kind).not.toContain("security");
  });

  it("name a kind leaklog does not know, and call it nothing more", async () => {
    // `constructor` is no kind of the table either, though every object has one.
    const rules = rulesOf(await reportOfKinds(["FutureKind", "constructor"], []));
    expect(rules.get("FutureKind")).toEqual({
      id: "FutureKind",
      shortDescription: { text: "Finding of kind 'FutureKind'." },
      fullDescription: {
        text: "The tool reported a finding of kind 'FutureKind', which leaklog does not know and keeps as printed; the result's message gives the tool's own words.",
      },
      help: { text: expect.stringMatching(/^The tool reported a finding of kind 'FutureKind'/) },
      defaultConfiguration: { level: "warning" },
      properties: { tags: [] },
    });
    expect(rules.get("constructor")?.shortDescription.text).toBe("Finding of kind 'constructor'.");
  });

  describe("SARIF Multitool", () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-sarif-rules-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.skipIf(!MULTITOOL_AVAILABLE)(
      "finds the rules of every known kind valid (Sarif;Gh)",
      async () => {
        writeFileSync(
          join(dir, "kinds.sarif"),
          REPORTERS.sarif.render(await allKindsReport(), CONTEXT),
        );
        const run = validateSarif(join(dir, "kinds.sarif"), join(dir, "out.sarif.json"));
        expect(run.status, run.output).toBe(0);
        expect([...analyzedUris(run.results)].some((uri) => uri.endsWith("/kinds.sarif"))).toBe(
          true,
        );
        expect(
          run.results.filter(isSerious).map((r) => `${r.ruleId} ${r.message.id ?? ""}`),
        ).toEqual([]);
      },
      120_000,
    );
  });
});
