import { describe, expect, it } from "vitest";
import { parseFixture } from "../../helpers/golden.js";

// Real Helgrind and DRD runs of one program (fixtures/valgrind-xml/threads/README.md).
const read = (name: string) => parseFixture(`test/fixtures/valgrind-xml/threads/${name}`);

describe("Helgrind's and DRD's XML", () => {
  it("gives their races and lock misuse as errors, with nothing left unread", () => {
    const helgrind = read("helgrind.xml");
    expect(helgrind.errors.map((e) => e.kind)).toEqual(["Race", "Race", "UnlockBogus"]);
    // <announcethread>, once per thread, is part of Helgrind's protocol: no unknown element.
    expect(helgrind.diagnostics).toEqual([]);
    const drd = read("drd.xml");
    expect(drd.errors.map((e) => e.kind)).toEqual([
      "ConflictingAccess",
      "ConflictingAccess",
      "ConflictingAccess",
      "MutexErr",
    ]);
    expect(drd.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
  });
});
