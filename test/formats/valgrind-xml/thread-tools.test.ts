import { describe, expect, it } from "vitest";
import { summarize } from "../../../src/api/summarize.js";
import { REPORTERS } from "../../../src/report/index.js";
import type { ParseResult } from "../../../src/api/parse.js";
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

  it("say which tool wrote them, and a clean run of theirs claims no run without leaks", () => {
    // locked.c leaks 10 bytes, which neither tool checks: "No leaks ... found" said otherwise.
    const helgrind = read("locked-helgrind.xml");
    const drd = read("locked-drd.xml");
    expect([helgrind.source.tool, drd.source.tool, read("helgrind.xml").source.tool]).toEqual([
      "helgrind",
      "drd",
      "helgrind",
    ]);
    const text = (...results: ParseResult[]) =>
      REPORTERS.text.render(summarize(results), { color: false, top: 20 });
    expect(text(helgrind)).toContain("valgrind-xml 3.19.0, Helgrind  PID");
    expect(text(helgrind)).toContain("No Helgrind errors found.");
    expect(text(helgrind, drd)).toContain("No Helgrind and DRD errors found.");
    const markdown = REPORTERS.markdown.render(summarize([helgrind]), { color: false, top: 20 });
    expect(markdown).toContain("## leaklog: no Helgrind errors");
    // A Memcheck log beside them checked leaks: the sentence is Memcheck's.
    const memcheck = parseFixture("test/fixtures/valgrind-xml/clientreq.xml");
    expect(memcheck.source.tool).toBeUndefined();
    expect(text(helgrind, memcheck)).not.toContain("No Helgrind");
  });
});
