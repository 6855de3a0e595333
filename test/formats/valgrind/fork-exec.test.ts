import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

// Real logs of a child forked and exec'd untraced (fixtures/valgrind/fork-exec/README.md).
const parsed = (name: string) => {
  const path = `test/fixtures/valgrind/fork-exec/${name}`;
  return parse(readFileSync(join(ROOT, path), "utf8"), { path });
};

describe("a forked child that execs a program Valgrind does not trace", () => {
  it.each(["spawn.txt", "spawn_v.txt"])("leaves %s complete, every line understood", (name) => {
    const report = parsed(name);
    expect(report.diagnostics).toEqual([]);
    expect(report.source.complete).toBe(true);
    expect(report.source.counters.unrecognizedLines).toBe(0);
    expect(report.source.counters.programLines).toBe(0);
  });

  it.each([
    ["spawn.txt", 17796],
    ["spawn_v.txt", 17808],
  ])(
    "keeps the parent's leak, and makes no finding of the warnings' -v frames (%s)",
    (name, pid) => {
      const report = parsed(name);
      expect(report.leaks.map((l) => [l.pid, l.kind, l.bytes])).toEqual([
        [pid, "definitely-lost", 48],
      ]);
      expect(report.errors).toEqual([]);
    },
  );
});
