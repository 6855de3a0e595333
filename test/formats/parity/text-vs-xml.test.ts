import { describe, expect, it } from "vitest";
import type { ErrorRecord, LeakRecord } from "../../../src/model/index.js";
import { parseSample, sampleFiles } from "../../helpers/golden.js";

/*
 * The text log and the XML of one corpus program are two runs of the same deterministic program
 * (corpus MANIFEST.md): the same records and addresses, other PIDs. Where Valgrind itself prints
 * different things, the difference is named here with VERIFY.md's reason.
 */
const LEAKS_DIFFER: Readonly<Record<string, string>> = {
  // XML mode upgrades --leak-check=summary to full: the XML lists records, the text does not.
  leak_all_summary: "XML mode forces --leak-check=full",
  // Added leak checks print only new or increased records, differently in each mode.
  client_requests: "VALGRIND_DO_ADDED_LEAK_CHECK passes",
};
const ERRORS_DIFFER: Readonly<Record<string, string>> = {
  // XML mode has no 1000-context limit: 1010 errors in the XML, 1000 in the text.
  many_errors: "no error limit in XML mode",
  // --track-fds output goes only to the text log in XML mode (MANIFEST.md).
  fd_leak: "FILE DESCRIPTORS section only in the text log",
};

const cases = sampleFiles("valgrind-xml", [".xml"])
  .map((name) => name.replace(/\.xml$/, ""))
  .filter((name) => !name.startsWith("fork_single"))
  .filter((name) => sampleFiles("valgrind", [`${name}.txt`]).includes(`${name}.txt`));

const leakKey = (l: LeakRecord) => ({
  kind: l.kind,
  bytes: l.bytes,
  directBytes: l.directBytes,
  indirectBytes: l.indirectBytes,
  blocks: l.blocks,
  lossRecord: l.lossRecord,
  thread: l.thread,
  stack: l.stack.map((f) => ({ ip: f.ip, function: f.function, line: f.line })),
});
// With its thread: the text names it only when it changes (from 1), the XML on every error. The
// text names no thread for a fatal signal (no header comes before it; only a stack overflow
// notice names one), so there the thread is compared only when the text names it.
const errorKinds = (errors: readonly ErrorRecord[], fatalThread: boolean) =>
  errors
    .map((e) => {
      const thread = fatalThread || e.kind !== "FatalSignal" ? e.thread : undefined;
      return `${e.kind} in thread ${thread}`;
    })
    .sort();
// Each aux line of the text is one <auxwhat> or <xauxwhat> of the XML (pp_addrinfo emits them one
// by one), with the stack that follows it. Not a fatal signal's: it is no pp_Error, and its
// <fatal_signal> element has no aux lines (its advice paragraph is in the text only).
const auxOf = (errors: readonly ErrorRecord[]) =>
  errors
    .filter((e) => e.kind !== "FatalSignal")
    .map((e) =>
      (e.aux ?? []).map((a) => ({
        message: a.message.replace(/0x[0-9a-f]+/gi, "0x"),
        stack: (a.stack ?? []).map((f) => f.function),
      })),
    )
    .map((aux) => JSON.stringify(aux))
    .sort();

describe("the text and the XML of one program give the same records", () => {
  it("covers the corpus cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)("%s", async (name) => {
    const text = await parseSample("valgrind", `${name}.txt`);
    const xml = await parseSample("valgrind-xml", `${name}.xml`);
    if (LEAKS_DIFFER[name] === undefined) {
      expect(text.leaks.map(leakKey)).toEqual(xml.leaks.map(leakKey));
    }
    if (ERRORS_DIFFER[name] === undefined) {
      const fatalThread = text.errors.some((e) => e.kind === "FatalSignal" && e.thread);
      expect(errorKinds(text.errors, fatalThread)).toEqual(errorKinds(xml.errors, fatalThread));
      const fingerprints = (r: { errors: ErrorRecord[] }) =>
        r.errors.map((e) => e.fingerprint).sort();
      expect(fingerprints(text)).toEqual(fingerprints(xml));
      expect(auxOf(text.errors)).toEqual(auxOf(xml.errors));
    }
    // A run cut short (--exit-on-first-error: no ERROR SUMMARY, no <status> FINISHED) is
    // incomplete in both; the text's error limit has no XML counterpart.
    if (name !== "many_errors") expect(xml.source.complete).toBe(text.source.complete);
  });

  it("fork_single: each process's XML equals its part of the text log", async () => {
    const text = await parseSample("valgrind", "fork_single.txt");
    const xmlLeaks = [];
    for (const name of sampleFiles("valgrind-xml", [".xml"]).filter((n) =>
      n.startsWith("fork_single"),
    )) {
      xmlLeaks.push(...(await parseSample("valgrind-xml", name)).leaks);
    }
    // Not the thread: a forked child prints no banner and goes on from its parent's last printed
    // thread, which the text does not say (the XML's <tid> does), so the text leaves it unknown.
    const key = (l: LeakRecord) => JSON.stringify({ ...leakKey(l), thread: undefined });
    expect(text.leaks.map(key).sort()).toEqual(xmlLeaks.map(key).sort());
  });
});
