import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

// The first 48 lines of a real Helgrind run of a forking program (other-tools/fork/helgrind.txt),
// before its child's: the run goes on, so banner-less processes are suspected children.
const HELGRIND = readFileSync(
  join(ROOT, "test", "fixtures", "valgrind", "other-tools", "fork", "helgrind.txt"),
  "utf8",
)
  .split("\n")
  .slice(0, 48);
const PIDS = Array.from({ length: 10 }, (_, i) => 100 + i);
/** Tool-neutral: a suspect's held line, which tells nothing of its tool. */
const warning = (pid: number, i: number) =>
  `==${pid}== Warning: set address range perms: large range [0x${(0x10000000 + i * 4096).toString(16)}, 0x30000000) (defined)`;
/** Only Memcheck prints this block: it tells a -q Memcheck process. */
const invalidWrite = (pid: number) => [
  `==${pid}== Invalid write of size 4`,
  `==${pid}==    at 0x109197: main (w.c:8)`,
  `==${pid}==  Address 0x4a41044 is 0 bytes after a block of size 4 alloc'd`,
  `==${pid}==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)`,
  `==${pid}==    by 0x10918A: main (w.c:7)`,
  `==${pid}== `,
];

describe("suspected children's held lines, all together", () => {
  it("are bounded: past the bound, the suspect holding most is its tool's child", () => {
    // Ten -q Memcheck processes beside a Helgrind run, each with 10,000 warnings then an error:
    // all were held (a thousand such processes of a 734 MB log took 2.1 GB, campaign v20 Q1).
    // 100,000 lines pass the bound (32 MiB, a line weighing 256 more than its text) once:
    // the first of the ten, holding as many as any, is taken for Helgrind's child.
    const lines = [...HELGRIND];
    for (let i = 0; i < 10_000; i++) for (const pid of PIDS) lines.push(warning(pid, i));
    for (const pid of PIDS) lines.push(...invalidWrite(pid));
    const result = parse(lines.join("\n"), { path: "suspects.txt" });
    expect(result.errors.map((e) => e.pid)).toEqual(PIDS.slice(1));
    const children = result.diagnostics.filter((d) => d.code === "other-tool" && d.line !== 1);
    expect(children.map((d) => [d.line, d.message.slice(0, 30)])).toEqual([
      [49, "PID 100 runs Helgrind, not Mem"],
    ]);
  });

  it("below the bound, are all read once their process shows Memcheck's", () => {
    const lines = [...HELGRIND];
    for (let i = 0; i < 9_000; i++) for (const pid of PIDS) lines.push(warning(pid, i));
    for (const pid of PIDS) lines.push(...invalidWrite(pid));
    const result = parse(lines.join("\n"), { path: "suspects.txt" });
    expect(result.errors.map((e) => e.pid)).toEqual(PIDS);
    expect(result.diagnostics.filter((d) => d.code === "other-tool" && d.line !== 1)).toEqual([]);
  });
});
