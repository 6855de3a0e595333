import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

/*
 * Projects with their own files named like glibc's sources (test/fixtures/libc-namesakes, real
 * runs with glibc's debug info): gnulib/ and compat/ keep one-line replacements that are not
 * compiled (src/lib/opendir.c, vasprintf.c; src/compat/regcomp.c, glob.c, memstream.c), own/
 * compiles its own src/lib/opendir.c, whose `__dircache_new` leaks beside glibc's opendir. With
 * --source-root, glibc's `__alloc_dir (opendir.c:115)` and its neighbours were the program's
 * own: leaks were placed in those files instead of at main.c (campaign bz F2). The XML of the
 * same run says where each frame is, so the text and ASan logs must point where it does.
 */
const FIXTURES = "test/fixtures/libc-namesakes";
const SCRATCH = "/tmp/fix-src-scratch";

interface Issue {
  location: { path: string; lines: { begin: number } };
}

/** Code Quality's places (`path:line`, sorted) for `log` of `project` under --source-root `root`. */
async function places(
  project: string,
  log: string,
  root = `${FIXTURES}/${project}`,
  scratch = SCRATCH,
) {
  const map = ["--path-map", `${scratch}/${project}=${root}`];
  const args = [`${FIXTURES}/${project}/${log}`, ...map, "--source-root", root];
  const { stdout } = await cli(["summarize", ...args, "-f", "codequality"]);
  return (JSON.parse(stdout) as Issue[])
    .map((i) => `${i.location.path}:${i.location.lines.begin}`)
    .sort();
}

const GNULIB = `${FIXTURES}/gnulib/src/main.c`;
const OWN = `${FIXTURES}/own/src`;

describe("--source-root with the project's own files named like glibc's", () => {
  it("places glibc's leaks at the program's calls, in the text log as in the XML", async () => {
    const expected = [`${GNULIB}:13`, `${GNULIB}:15`, `${GNULIB}:7`, `${GNULIB}:9`];
    expect(await places("gnulib", "valgrind.txt")).toEqual(expected);
    expect(await places("gnulib", "valgrind.xml")).toEqual(expected);
    // 17 groups through glibc's regcomp, glob, tsearch and open_memstream, all in main2.c (18
    // before a recursion's repeated frames were left out: calc_eclosure_iter's at two depths).
    const compat = await places("compat", "valgrind.txt");
    expect(compat).toEqual(await places("compat", "valgrind.xml.gz"));
    expect(compat).toHaveLength(17);
    expect(compat.every((place) => place.startsWith(`${FIXTURES}/compat/src/main2.c:`))).toBe(true);
  });

  it("keeps the project's own functions in its file of glibc's name, reserved names too", async () => {
    const expected = [`${OWN}/lib/opendir.c:7`, `${OWN}/lib/opendir.c:8`, `${OWN}/main.c:5`];
    for (const log of ["valgrind.txt", "valgrind.xml", "asan.txt"])
      expect(await places("own", log), log).toEqual(expected);
  });

  it("in an ASan log too, glibc's frames are not the project's files of their names", async () => {
    // `__alloc_dir ../sysdeps/unix/sysv/linux/opendir.c:115`, `libio/vasprintf.c:71`.
    const expected = [`${GNULIB}:13`, `${GNULIB}:15`, `${GNULIB}:7`, `${GNULIB}:9`];
    expect(await places("gnulib", "asan.txt")).toEqual(expected);
    expect(await places("gnulib", "asan.txt", `${FIXTURES}/gnulib/src`)).toEqual(expected);
  });

  it("shows glibc's frames nowhere as the program's: summary, annotations, code flows", async () => {
    const root = `${FIXTURES}/gnulib`;
    const log = `${root}/valgrind.txt`;
    const text = await cli(["summarize", log, "--source-root", root]);
    expect(text.stdout).toContain("at main (main.c:7)");
    expect(text.stdout).not.toContain("__alloc_dir");
    const github = await cli(["summarize", log, "--source-root", root, "-f", "github"]);
    expect(github.stdout).not.toContain("src/lib/");
    const sarif = await cli(["summarize", log, "--source-root", root, "-f", "sarif"]);
    expect(sarif.stdout).toContain(GNULIB);
    expect(sarif.stdout).not.toContain("src/lib/");
  });

  describe("files long enough to hold glibc's lines", () => {
    // A real replacement is longer than the fixtures' one line (gnulib's opendir.c holds a line
    // 115): copies padded with comment lines are decided by the names they spell alone.
    const scratch = mkdtempSync(join(tmpdir(), "leaklog-libc-namesakes-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));
    const DIRS = { gnulib: "src/lib", compat: "src/compat", own: "src/lib" } as const;

    /** A copy of `project` whose files in DIRS end with `text` and 4,000 comment lines. */
    function padded(project: keyof typeof DIRS, copy: string, text = ""): string {
      const root = join(scratch, copy);
      cpSync(join(ROOT, FIXTURES, project), root, { recursive: true });
      for (const file of readdirSync(join(root, DIRS[project])))
        appendFileSync(join(root, DIRS[project], file), text + "/* ... */\n".repeat(4000));
      return root;
    }

    it.each(["gnulib", "compat", "own"] as const)(
      "%s: the text log still points where the XML does",
      async (project) => {
        const root = padded(project, project);
        const xml = project === "compat" ? "valgrind.xml.gz" : "valgrind.xml";
        expect(await places(project, "valgrind.txt", root)).toEqual(
          await places(project, xml, root),
        );
      },
    );

    it("a copy of glibc's file names glibc's functions: an ASan log's directories still tell", async () => {
      // gnulib's regcomp.c is glibc's; here opendir.c and vasprintf.c spell glibc's names too.
      const names = "/* __alloc_dir opendir_tail __vasprintf_internal */\n";
      const root = padded("gnulib", "gnulib-copy", names);
      expect(await places("gnulib", "asan.txt", root)).toEqual(
        await places("gnulib", "valgrind.xml", root),
      );
    });
  });
});

/*
 * A program's own functions named like the C library's (program/: a static `dup` in main.c, a
 * static `open` and `read` in util.c, an `asprintf` in compat/asprintf.c) beside glibc's own
 * `write`, `read` and `strdup` called from sys.c. The text log prints both kinds alike (`dup
 * (main.c:9)`, `read (read.c:26)`): the program's were taken for glibc's, so their leaks and
 * errors were placed at their callers where the XML places them inside (campaign cf Q7).
 */
describe("--source-root with the program's own functions named like the C library's", () => {
  const PROGRAM = `${FIXTURES}/program`;
  const SRC = `${PROGRAM}/src`;
  // An absolute root, so that the XML's mapped paths stay absolute, as the XML wrote them.
  const at = (log: string) => places("program", log, join(ROOT, PROGRAM), "/tmp/leaklog-namesakes");
  // What the XML says: each own function where it is, glibc's at the program's calls.
  const inside = [`${SRC}/main.c:9`, `${SRC}/util.c:17`, `${SRC}/util.c:7`];
  const glibc = [`${SRC}/sys.c:11`, `${SRC}/sys.c:13`, `${SRC}/sys.c:9`];

  it.each([
    ["3.19", "valgrind.txt", "valgrind.xml"],
    ["3.27", "valgrind-3.27.txt", "valgrind-3.27.xml"],
  ])("Valgrind %s: the text log places them where the XML does", async (_, text, xml) => {
    const compat = `${SRC}/compat/asprintf.c:11`;
    expect(await at(xml)).toEqual([compat, ...inside, ...glibc].sort());
    // But in a file named after the function (a replacement, perhaps not compiled beside
    // glibc's), where the text log still places the leak at the call.
    expect(await at(text)).toEqual([`${SRC}/main.c:15`, ...inside, ...glibc].sort());
  });

  it("shows the own function in the summary, and glibc's frames nowhere", async () => {
    const log = `${PROGRAM}/valgrind.txt`;
    const { stdout } = await cli(["summarize", log, "--source-root", PROGRAM]);
    for (const frame of ["dup (main.c:9)", "open (util.c:7)", "read (util.c:17)"])
      expect(stdout).toContain(`at ${frame}`);
    for (const frame of ["read.c", "write.c", "strdup.c", "canonicalize.c"])
      expect(stdout).not.toContain(frame);
  });

  it("without --source-root, still takes them for the C library's", async () => {
    const { stdout } = await cli(["summarize", `${PROGRAM}/valgrind.txt`]);
    expect(stdout).toContain("at main (main.c:12)");
    expect(stdout).not.toContain("at dup (main.c:9)");
  });
});
