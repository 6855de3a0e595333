import { describe, expect, it } from "vitest";
import { ERROR_FIELDS, errorRecord, LEAK_FIELDS, leakRecord } from "../../src/engine/records.js";
import type { ErrorDraft, LeakDraft } from "../../src/formats/types.js";

const STAMP = {
  id: "0:1",
  fingerprint: "0123456789abcdef",
  severity: "error" as const,
  location: { path: "log", line: 3 },
};
const STAMP_KEYS = ["id", "fingerprint", "severity", "location"];

/** A draft with every listed field set (to a distinct value), given in reverse order. */
function fullDraft(fields: readonly string[]): Record<string, unknown> {
  const draft: Record<string, unknown> = { line: 3 };
  for (const field of [...fields].reverse()) draft[field] = `${field} value`;
  return draft;
}

describe("records made from drafts", () => {
  it("copy every listed leak field, in the list's order, then the stamp", () => {
    const record = leakRecord(fullDraft(LEAK_FIELDS) as unknown as LeakDraft, STAMP);
    expect(Object.keys(record)).toEqual([...LEAK_FIELDS, ...STAMP_KEYS]);
    for (const field of LEAK_FIELDS) expect(record[field]).toBe(`${field} value`);
  });

  it("copy every listed error field, in the list's order, then the stamp", () => {
    const record = errorRecord(fullDraft(ERROR_FIELDS) as unknown as ErrorDraft, STAMP);
    expect(Object.keys(record)).toEqual([...ERROR_FIELDS, ...STAMP_KEYS]);
    for (const field of ERROR_FIELDS) expect(record[field]).toBe(`${field} value`);
  });

  it("leave out fields the draft does not have, and never the draft's line", () => {
    const draft = { type: "leak", tool: "valgrind", kind: "definitely-lost", line: 9 };
    const record = leakRecord(draft as unknown as LeakDraft, STAMP);
    expect(Object.keys(record)).toEqual(["type", "tool", "kind", ...STAMP_KEYS]);
  });
});
