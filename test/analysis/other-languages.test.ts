import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownFrames } from "../../src/analysis/own-frames.js";
import { isRuntimeFrame } from "../../src/analysis/runtime-frames.js";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { ROOT } from "../helpers/golden.js";

// Real Valgrind runs of D, Fortran and Ada programs (fixtures/valgrind/languages/README.md).
const DIR = "test/fixtures/valgrind/languages";
const firstOwn = (name: string) => {
  const path = `${DIR}/${name}`;
  const report = summarize([parse(readFileSync(join(ROOT, path), "utf8"), { path })]);
  return report.groups.map((g) => {
    const frame = ownFrames(g.stack)[0];
    return `${g.kind} ${frame?.function} ${frame?.file?.replace(/.*\//, "")}:${frame?.line}`;
  });
};

describe("programs in other languages, in Valgrind's text log as in its XML", () => {
  it.each([
    [
      "d-gdc",
      [
        "definitely-lost _D4leak8listLeakFZPSQs4Node leak.d:15",
        "definitely-lost _D4leak5cLeakFmZPv leak.d:9",
        "InvalidRead _D4leak3oobFZi leak.d:24",
      ],
    ],
    [
      "fortran",
      [
        "definitely-lost __leakmod_MOD_leak_list leak.f90:16",
        "definitely-lost __leakmod_MOD_leak_pointer leak.f90:10",
        "InvalidRead __leakmod_MOD_oob leak.f90:30",
      ],
    ],
    ["ada", ["definitely-lost _ada_hello hello.adb:6"]],
  ])("place %s's leaks and errors at the program's functions", (name, expected) => {
    const text = firstOwn(`${name}.txt`);
    for (const line of expected) expect(text, name).toContain(line);
    expect(text.sort()).toEqual(firstOwn(`${name}.xml`).sort());
  });

  it("leave the language runtimes' own names theirs", () => {
    const runtime = (fn: string, file = "x.d") => isRuntimeFrame({ function: fn, file });
    expect(runtime("_D4core8internal2gc4impl12conservativeQw10initializeFZv")).toBe(true);
    expect(runtime("_D3std5stdio4File7writelnFZv")).toBe(true);
    expect(runtime("_D2rt6dmain212_d_run_main2UAAamPUQgZiZ6runAllMFZv")).toBe(true);
    expect(runtime("__iso_c_binding_MOD_c_f_pointer", "x.f90")).toBe(true);
    expect(runtime("_gfortran_runtime_error_at", "x.f90")).toBe(true);
    expect(runtime("main", "entrypoint.d")).toBe(true);
    expect(runtime("main", "b~hello.adb")).toBe(true);
    expect(runtime("__gnat_malloc", "s-memory.adb")).toBe(true);
    // The program's: its D module, its Fortran module, its Ada main procedure.
    expect(runtime("_Dmain")).toBe(false);
    expect(runtime("_D7corelib4workFZv")).toBe(false);
    expect(runtime("__core_utils_MOD_work", "x.f90")).toBe(false);
    // A Fortran module named like one of D's runtime packages is the program's (campaign y).
    expect(runtime("__core_MOD_grab", "f.f90")).toBe(false);
    expect(runtime("__std_MOD_grab2", "f.f90")).toBe(false);
    expect(runtime("_ada_hello", "hello.adb")).toBe(false);
  });
});
