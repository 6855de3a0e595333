import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { generateValgrindSuppressions } from "../../src/analysis/suppressions/valgrind-generate.js";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import { ROOT } from "../helpers/golden.js";

const have = (tool: string): boolean => spawnSync(tool, ["--version"]).status === 0;
const available = have("valgrind") && have("gcc");
if (!available) {
  console.warn("skipping the Valgrind round trip: valgrind and gcc are both needed on PATH");
}

/*
 * The generated suppressions must be something the real Valgrind reads and that suppresses the
 * findings they came from: run the corpus program, generate, run again with --suppressions.
 */
describe.skipIf(!available)("suppressions round trip through the real valgrind", () => {
  const dir = mkdtempSync(join(tmpdir(), "leaklog-supp-"));
  const program = join(dir, "leak_all_full");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const valgrind = (log: string, ...extra: string[]): string => {
    const args = ["--leak-check=full", "--show-leak-kinds=all", `--log-file=${log}`, ...extra];
    execFileSync("valgrind", [...args, program], { cwd: dir });
    return readFileSync(log, "utf8");
  };

  it.each([
    ["derived from the stacks", []],
    ["reusing --gen-suppressions=all blocks", ["--gen-suppressions=all"]],
  ])("%s: the second run has nothing left", (_label, genArgs) => {
    const source = join(ROOT, "test/fixtures/suppressions/leak_all_full.c");
    execFileSync("gcc", ["-g", "-O0", "-o", program, source]);
    const first = valgrind(join(dir, "first.txt"), ...genArgs);
    expect(first).toMatch(/definitely lost: [1-9]/);
    const report = summarize([parse(first, { path: "first.txt" })]);
    const supp = generateValgrindSuppressions(report);
    expect(parseValgrindSuppressions(supp).problems).toEqual([]);
    if (genArgs.length === 0) expect(supp).not.toContain("insert_a_suppression_name_here");
    const file = join(dir, "generated.supp");
    writeFileSync(file, supp);

    const second = valgrind(join(dir, "second.txt"), `--suppressions=${file}`);
    expect(second).toContain("definitely lost: 0 bytes in 0 blocks");
    expect(second).toContain("indirectly lost: 0 bytes in 0 blocks");
    expect(second).toContain("possibly lost: 0 bytes in 0 blocks");
    expect(second).toContain("still reachable: 0 bytes in 0 blocks");
    expect(second).toContain("suppressed: 424 bytes in 8 blocks");
    // And leaklog, applying the same file to the first log, agrees with Valgrind.
    const applied = summarize([parse(first, { path: "first.txt" })], {
      suppressions: {
        valgrind: parseValgrindSuppressions(supp, "generated.supp").suppressions,
        lsan: [],
      },
    });
    expect(applied.groups.every((g) => g.suppressed === true)).toBe(true);
    expect(applied.diagnostics.filter((d) => d.code === "unused-suppression")).toEqual([]);
  });

  // Memory errors of each suppressible kind: Param, Addr, Free, Overlap, FishyValue, Cond, Value.
  it.each([
    "syscall_uninit",
    "heap_overrun",
    "invalid_free",
    "memcpy_overlap",
    "fishy",
    "uninit_noorigins",
  ])("%s: the errors are suppressed on the second run", (name) => {
    const binary = join(dir, name);
    execFileSync("gcc", [
      "-g",
      "-O0",
      "-o",
      binary,
      join(ROOT, `test/fixtures/suppressions/${name}.c`),
    ]);
    const run = (log: string, ...extra: string[]): string => {
      spawnSync("valgrind", [`--log-file=${log}`, ...extra, binary], { cwd: dir });
      return readFileSync(log, "utf8");
    };
    const first = run(join(dir, `${name}.1.txt`));
    expect(first).toMatch(/ERROR SUMMARY: [1-9]/);
    const supp = generateValgrindSuppressions(summarize([parse(first)]));
    // leaklog's matcher, applying the file to the first log, agrees with Valgrind.
    const entries = parseValgrindSuppressions(supp).suppressions;
    const applied = summarize([parse(first)], { suppressions: { valgrind: entries, lsan: [] } });
    expect(applied.errors.every((e) => e.suppressed === true && e.severity === "none")).toBe(true);
    const file = join(dir, `${name}.supp`);
    writeFileSync(file, supp);
    const second = run(join(dir, `${name}.2.txt`), `--suppressions=${file}`);
    expect(second, supp).toMatch(/ERROR SUMMARY: 0 errors from 0 contexts \(suppressed: [1-9]/);
  });
});

const cppAvailable = available && have("g++");

/*
 * C++: Valgrind matches `fun:` against mangled names, the log holds demangled ones. What leaklog
 * writes must match the real mangled names, and no more than the qualified name says.
 */
describe.skipIf(!cppAvailable)("C++ suppressions round trip through the real valgrind", () => {
  const dir = mkdtempSync(join(tmpdir(), "leaklog-supp-cpp-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const build = (name: string): string => {
    const binary = join(dir, name);
    const source = join(ROOT, `test/fixtures/suppressions/cpp/${name}.cpp`);
    execFileSync("g++", ["-g", "-O0", "-o", binary, source], { stdio: "pipe" });
    return binary;
  };
  const run = (binary: string, log: string, args: string[], ...extra: string[]): string => {
    const options = ["--leak-check=full", "--show-leak-kinds=all", `--log-file=${log}`];
    spawnSync("valgrind", [...options, ...extra, binary, ...args], { cwd: dir });
    return readFileSync(log, "utf8");
  };

  it("a suppression for alpha::Cache::get leaves the new leak in beta::Store::get", () => {
    const binary = build("broad");
    const first = run(binary, join(dir, "broad1.txt"), []);
    const file = join(dir, "broad.supp");
    writeFileSync(file, generateValgrindSuppressions(summarize([parse(first)])));
    const second = run(binary, join(dir, "broad2.txt"), ["x"], `--suppressions=${file}`);
    expect(second).toContain("definitely lost: 22 bytes in 1 blocks");
    expect(second).toContain("suppressed: 11 bytes in 1 blocks");
  });

  it("every kind of C++ name is suppressed on the second run, by Valgrind and by leaklog", () => {
    const binary = build("names");
    const first = run(binary, join(dir, "names1.txt"), []);
    expect(first).toMatch(/definitely lost: [1-9]/);
    const supp = generateValgrindSuppressions(summarize([parse(first)]));
    const file = join(dir, "names.supp");
    writeFileSync(file, supp);
    const second = run(binary, join(dir, "names2.txt"), [], `--suppressions=${file}`);
    for (const kind of ["definitely lost", "indirectly lost", "possibly lost", "still reachable"])
      expect(second, supp).toContain(`${kind}: 0 bytes in 0 blocks`);
    const applied = summarize([parse(first)], {
      suppressions: { valgrind: parseValgrindSuppressions(supp).suppressions, lsan: [] },
    });
    expect(applied.groups.every((g) => g.suppressed === true)).toBe(true);
  });
});

/*
 * Optimized C++ and Rust: an inlined frame's `fun:` is its name as printed, the function it is
 * in is matched by its mangled name (C++'s, or Rust's legacy or v0 one).
 */
const rustAvailable = available && have("rustc");
describe("inlined and Rust frames round trip through the real valgrind", () => {
  const dir = mkdtempSync(join(tmpdir(), "leaklog-supp-inlined-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const roundTrip = (binary: string): { first: string; second: string; supp: string } => {
    const run = (log: string, ...extra: string[]): string => {
      const options = ["--leak-check=full", "--show-leak-kinds=all", `--log-file=${log}`];
      spawnSync("valgrind", [...options, ...extra, binary], { cwd: dir });
      return readFileSync(log, "utf8");
    };
    const first = run(`${binary}.1.txt`);
    const supp = generateValgrindSuppressions(summarize([parse(first)]));
    writeFileSync(`${binary}.supp`, supp);
    return { first, second: run(`${binary}.2.txt`, `--suppressions=${binary}.supp`), supp };
  };
  const nothingLeft = (second: string, supp: string): void => {
    for (const kind of ["definitely lost", "indirectly lost", "possibly lost", "still reachable"])
      expect(second, supp).toContain(`${kind}: 0 bytes in 0 blocks`);
  };

  it.skipIf(!cppAvailable)("C++ built with -O2 -g: nothing left", () => {
    const binary = join(dir, "stl");
    const source = join(ROOT, "test/fixtures/valgrind/cpp-inlined/stl.cpp");
    execFileSync("g++", ["-g", "-O2", "-o", binary, source], { stdio: "pipe" });
    const { first, second, supp } = roundTrip(binary);
    expect(first).toMatch(/indirectly lost: [1-9]/);
    nothingLeft(second, supp);
  });

  it.skipIf(!rustAvailable).each(["0", "2"])(
    "Rust built with -C opt-level=%s: nothing left",
    (level) => {
      const binary = join(dir, `sites-${level}`);
      const source = join(ROOT, "test/fixtures/valgrind/rust/sites.rs");
      execFileSync("rustc", ["-g", "-C", `opt-level=${level}`, "-o", binary, source], {
        stdio: "pipe",
      });
      const { first, second, supp } = roundTrip(binary);
      expect(first).toMatch(/definitely lost: [1-9]/);
      nothingLeft(second, supp);
      const applied = summarize([parse(first)], {
        suppressions: { valgrind: parseValgrindSuppressions(supp).suppressions, lsan: [] },
      });
      expect(applied.groups.every((g) => g.suppressed === true)).toBe(true);
    },
  );
});
