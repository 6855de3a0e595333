import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/golden.js";
import { codes, doc, parseXml } from "./helpers.js";

/** A document whose `<vargv>` holds these Valgrind options. */
const withOptions = (...options: string[]): string =>
  doc(
    [
      "<args>",
      "  <vargv>",
      "    <exe>/usr/bin/valgrind.bin</exe>",
      ...options.map((o) => `    <arg>${o}</arg>`),
      "  </vargv>",
      "  <argv><exe>./prog</exe></argv>",
      "</args>",
    ].join("\n"),
  );

describe("--xtree-leak=yes in <vargv>", () => {
  it("marks a real 3.19 log incomplete: its leaks went to the named .kcg file", () => {
    // valgrind --leak-check=full --xtree-leak=yes --xtree-leak-file=logs/xt.kcg --xml=yes of a
    // program that leaked 143 bytes: the XML holds its errors and no leak at all.
    const text = readFileSync(
      join(ROOT, "test", "fixtures", "valgrind-xml", "xtree-leak-3.19.0.xml"),
      "utf8",
    );
    const result = parseXml(text);
    expect(result.leaks).toEqual([]);
    expect(result.errors.map((e) => e.kind)).toEqual(["UninitCondition"]);
    expect(result.source.complete).toBe(false);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "xtree-leak-file",
        line: 23,
        message:
          "leaks were written to logs/xt.kcg (--xtree-leak=yes), not to this log: leaklog " +
          "cannot count them; run without --xtree-leak for loss records",
      }),
    ]);
  });

  it("names Valgrind's default file with the process's pid when no file is given", () => {
    const result = parseXml(withOptions("--leak-check=full", "--xtree-leak=yes"));
    expect(result.diagnostics[0]?.message).toMatch(/^leaks were written to xtleak\.kcg\.100 /);
    expect(result.diagnostics[0]?.line).toBe(16);
  });

  it("reads the --memcheck: form and lets the last occurrence win, as Valgrind does", () => {
    const prefixed = parseXml(
      withOptions("--memcheck:xtree-leak=yes", "--memcheck:xtree-leak-file=a.kcg"),
    );
    expect(prefixed.diagnostics[0]?.message).toMatch(/^leaks were written to a\.kcg /);
    const off = parseXml(withOptions("--xtree-leak=yes", "--xtree-leak=no"));
    expect(off.source.complete).toBe(true);
    expect(codes(off)).toEqual([]);
    const on = parseXml(withOptions("--xtree-leak=no", "--xtree-leak=yes"));
    expect(codes(on)).toEqual(["xtree-leak-file"]);
  });

  it("leaves --leak-check=no alone: with --xml=yes Memcheck still lists its loss records", () => {
    // 3.19's leaks_no.xml (--leak-check=no --xml=yes) holds two Leak_DefinitelyLost records.
    const result = parseXml(withOptions("--leak-check=no", "--xml=yes"));
    expect(result.source.complete).toBe(true);
    expect(codes(result)).toEqual([]);
  });
});
