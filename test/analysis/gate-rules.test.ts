import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateGate, type GateRules } from "../../src/analysis/gate.js";
import { failOnProblem, maxBytesProblem } from "../../src/analysis/gate-rules.js";
import type { Group } from "../../src/model/index.js";
import { ROOT } from "../helpers/golden.js";

/** Every finding kind the sample goldens hold (records of every input format). */
function goldenKinds(): Set<string> {
  const kinds = new Set<string>();
  const golden = join(ROOT, "test", "golden");
  for (const folder of ["valgrind", "valgrind-xml", "sanitizer", "memwatch", "memleax"]) {
    for (const name of readdirSync(join(golden, folder))) {
      const parsed = JSON.parse(readFileSync(join(golden, folder, name), "utf8")) as {
        leaks: { kind: string }[];
        errors: { kind: string }[];
      };
      for (const record of [...parsed.leaks, ...parsed.errors]) kinds.add(record.kind);
    }
  }
  return kinds;
}

describe("--fail-on and --max-bytes values", () => {
  it("accept every kind the formats produce, so no gate rule is refused that could match", () => {
    const kinds = goldenKinds();
    expect(kinds.size).toBeGreaterThan(30);
    for (const kind of kinds) {
      if (kind !== "suppressed") expect(failOnProblem(kind), kind).toBeUndefined();
    }
  });

  it("accept severities, any and new, and take leak kinds only for --max-bytes", () => {
    for (const rule of ["error", "warning", "note", "any", "new", "still-reachable"])
      expect(failOnProblem(rule), rule).toBeUndefined();
    expect(failOnProblem("none")).toMatch(
      /^unknown value "none" \(did you mean note\?\); expected/,
    );
    expect(maxBytesProblem("possibly-lost")).toBeUndefined();
    expect(maxBytesProblem("error")).toBe(
      'unknown leak kind "error"; expected one of definitely-lost, indirectly-lost, possibly-lost, still-reachable',
    );
  });

  it("refuse suppressed, which every rule leaves out: such a gate could never fail", () => {
    const why =
      '"suppressed" cannot be gated: suppressed findings are left out of every rule (remove the suppression to gate on its findings)';
    expect(failOnProblem("suppressed")).toBe(why);
    expect(maxBytesProblem("suppressed")).toBe(why);
  });

  it("suggest the value meant for a slip of case or a letter or two, and nothing for others", () => {
    expect(failOnProblem("invalidwrite")).toMatch(
      /^unknown value "invalidwrite" \(did you mean InvalidWrite\?\);/,
    );
    expect(failOnProblem("HEAP-USE-AFTER-FREE")).toContain("(did you mean heap-use-after-free?)");
    expect(failOnProblem("definately-lost")).toContain("(did you mean definitely-lost?)");
    expect(failOnProblem("InvalidRaed")).toContain("(did you mean InvalidRead?)");
    // Short values allow fewer edits: "ab" is two edits from "any" but means nothing.
    expect(failOnProblem("ab")).toMatch(/^unknown value "ab"; expected/);
    expect(failOnProblem("leaks")).toMatch(/^unknown value "leaks"; expected/);
  });
});

describe("evaluateGate, called on its own", () => {
  const group = {
    id: "g1",
    type: "leak",
    kind: "definitely-lost",
    severity: "error",
    count: 1,
    bytes: 96,
    directBytes: 96,
    indirectBytes: 0,
    blocks: 1,
  } as unknown as Group;

  it.each([
    [
      { failOn: ["definitly-lost"] },
      /^gate\.failOn: unknown value "definitly-lost" \(did you mean definitely-lost\?\)/,
    ],
    [{ failOn: ["suppressed"] }, /^gate\.failOn: /],
    [{ failOn: [], maxBytes: { "definitly-lost": 0 } }, /^gate\.maxBytes: /],
    [{ failOn: [], maxBytes: { "definitely-lost": -5 } }, /whole number of bytes/],
    [{ failOn: [], maxBytes: { "definitely-lost": Number.NaN } }, /whole number of bytes/],
    [{ failOn: "any" }, /^gate\.failOn: an array of rules/],
    // Campaign bs Q2: byte limits alone; the message did not say how.
    [
      { maxBytes: { "definitely-lost": 10 } },
      /^gate\.failOn: an array of rules, such as \["definitely-lost"\], or \[\] for a gate on maxBytes alone$/,
    ],
  ])("refuses a rule that could never match, as Summarizer does: %j", (rules, message) => {
    expect(() => evaluateGate([group], rules as GateRules)).toThrow(message);
  });

  it("takes failOn [] with byte limits alone, as the message says", () => {
    const rules = { failOn: [], maxBytes: { "definitely-lost": 10 } };
    expect(evaluateGate([group], rules).failed).toBe(true);
  });

  it("takes rules without maxBytes, and fails on a group they match", () => {
    expect(evaluateGate([group], { failOn: ["definitely-lost"] }).failed).toBe(true);
    expect(evaluateGate([], { failOn: ["new"] }).failed).toBe(false);
  });
});
