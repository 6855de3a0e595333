import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseFile, type ParseResult } from "../../../src/index.js";
import type { ErrorRecord, Frame } from "../../../src/model/index.js";
import { cli } from "../../helpers/cli.js";
import { ROOT } from "../../helpers/golden.js";

// Real runs of Valgrind 3.24 and 3.27, each program once as text and once as XML (README.md).
const FOLDER = "test/fixtures/valgrind/v3.22-3.27-headlines";
const DIR = join(ROOT, FOLDER);
const PAIRS = [
  "align-3.24",
  "align-3.27",
  "dclose-3.27",
  "fdmix-3.27",
  "fds-yes-3.24",
  "fds-yes-3.27",
  "sized2-3.27",
  "zero1-3.27",
  "zero3-3.24",
  "zero3-3.27",
];

const read = (name: string): Promise<ParseResult> => parseFile(join(DIR, name));
const where = (stack: readonly Frame[] | undefined) =>
  (stack ?? []).map((f) => `${f.function} (${f.file}:${f.line})`);

/**
 * An error as the text and the XML of two runs of one program both give it: no addresses, and
 * not a descriptor left open, whose XML differs for reasons of its own (campaign bw F8, Q1).
 */
const errorKeys = (result: ParseResult) =>
  result.errors
    .filter((e) => e.kind !== "FdNotClosed")
    .map((e: ErrorRecord) =>
      JSON.stringify({
        kind: e.kind,
        fingerprint: e.fingerprint,
        stack: where(e.stack),
        aux: (e.aux ?? []).map((a) => [a.message.replace(/0x[0-9a-f]+/gi, "0x"), where(a.stack)]),
      }),
    )
    .sort();

const codes = (result: ParseResult) => result.diagnostics.map((d) => d.code);

// Campaign bw F1: headlines of 3.22-3.27 that were not known were lost after another error
// (taken for an --error-markers line) or read as Unknown or as the wrong kind.
describe("Valgrind 3.22-3.27's new error headlines: the text gives the XML's records", () => {
  it.each(PAIRS)("%s", async (name) => {
    const text = await read(`${name}.txt`);
    const xml = await read(`${name}.xml`);
    expect(errorKeys(text)).toEqual(errorKeys(xml));
    expect(text.errors.map((e) => e.kind)).not.toContain("Unknown");
    expect(text.source.counters.unrecognizedLines).toBe(0);
    expect(codes(text)).not.toContain("error-markers");
    expect(codes(text)).not.toContain("summary-mismatch");
    expect(text.source.complete).toBe(true);
    expect(xml.source.complete).toBe(true);
  });

  it("reads each new headline as the XML's kind", async () => {
    const kinds = async (name: string) => {
      const result = await read(name);
      return result.errors.filter((e) => e.kind !== "FdNotClosed").map((e) => e.kind);
    };
    expect(await kinds("dclose-3.27.txt")).toEqual(["FdBadClose"]);
    expect(await kinds("zero1-3.27.txt")).toEqual(["InvalidSize"]);
    expect(await kinds("zero3-3.24.txt")).toEqual(["InvalidWrite", "InvalidSize"]);
    expect(await kinds("fdmix-3.27.txt")).toEqual(["InvalidWrite", "FdBadClose"]);
    // `File descriptor 7 was closed already` is a read of a closed descriptor, not a close.
    expect(await kinds("fds-yes-3.27.txt")).toEqual(["FdBadClose", "FdBadUse"]);
    const sized = await read("sized2-3.27.txt");
    const message = (kind: string) =>
      sized.errors.filter((e) => e.kind === kind).map((e) => e.message);
    expect(message("MismatchedAllocateDeallocateSize")).toContain(
      "Mismatched new[][/delete[] size value: 24",
    );
    expect(message("MismatchedAllocateDeallocateAlignment")).toContain(
      "Mismatched new[]/delete[] alignment alloc value: 32 dealloc value: 16",
    );
  });

  it("gates a double close after another error as the XML does", async () => {
    for (const ext of ["txt", "xml"]) {
      const run = await cli([
        "summarize",
        `${FOLDER}/fdmix-3.27.${ext}`,
        "--fail-on",
        "FdBadClose",
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("--fail-on FdBadClose: 1 group");
    }
  });

  it("-s: the recap's double close is the one the process printed, not one it inherited", async () => {
    const text = await read("fdmix-s-3.27.txt");
    expect(errorKeys(text)).toEqual(errorKeys(await read("fdmix-3.27.xml")));
    expect(text.errors.filter((e) => e.inheritedFrom !== undefined)).toEqual([]);
    expect(codes(text)).toEqual([]);
  });

  it("-q: none is lost where no ERROR SUMMARY would tell", async () => {
    const text = await read("sized2-q-3.27.txt");
    expect(text.errors).toHaveLength(11);
    expect(errorKeys(text)).toEqual(errorKeys(await read("sized2-3.27.xml")));
  });

  // The BEGIN marker is known by the error headline after it.
  it("takes the --error-markers lines around the new headlines out of their records", async () => {
    const text = await read("align-markers-3.27.txt");
    expect(errorKeys(text)).toEqual(errorKeys(await read("align-3.27.xml")));
    expect(text.source.counters.unrecognizedLines).toBe(0);
    expect(codes(text)).toEqual(["error-markers", "error-markers"]);
  });

  it("keeps a headline of no known shape after an error as an Unknown error, not a marker", () => {
    const log = readFileSync(join(DIR, "fdmix-3.27.txt"), "utf8").replace(
      "File descriptor 3: /etc/passwd is already closed",
      "Some future headline of fd 3",
    );
    const result = parse(log, { path: "future.txt" });
    const unknown = result.errors.find((e) => e.kind === "Unknown");
    expect(unknown?.message).toBe("Some future headline of fd 3");
    expect(where(unknown?.stack)).toEqual(["close (close.c:27)", "main (fdmix.c:9)"]);
    expect(result.source.counters.unrecognizedLines).toBe(0);
    expect(codes(result)).toEqual([]);
  });
});

// Campaign bw F9: 3.24 prints FdBadUse's own stack last, after its aux entries' stacks.
describe("Valgrind 3.24's FdBadUse: its own stack comes last", () => {
  it.each(["fds-yes-3.24.txt", "fds-yes-3.24.xml"])(
    "%s: at the read(), not the close()",
    async (name) => {
      const result = await read(name);
      const badUse = result.errors.find((e) => e.kind === "FdBadUse");
      expect(where(badUse?.stack)).toEqual(["read (read.c:26)", "main (fds.c:17)"]);
      expect(badUse?.aux?.map((a) => [a.message, where(a.stack)])).toEqual([
        ["Previously closed", ["close (close.c:27)", "main (fds.c:14)"]],
        ["Originally opened", ["open (open64.c:41)", "main (fds.c:13)"]],
      ]);
    },
  );
});
