import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

/**
 * A checkout at `real`, reached through the link `link`, with samples/valgrind-xml's
 * leak_definite.xml rewritten as if the program had been built in `builtIn`/`sources` (as
 * written, `..` and all: gcc run in build/ on ../src/x.c records `<dir>.../build/../src</dir>`),
 * and a copy of the log in `real/build`.
 */
function checkout(builtIn: "real" | "link", sources = "src") {
  const base = realpathSync(mkdtempSync(join(tmpdir(), "leaklog-links-")));
  const real = join(base, "real");
  const link = join(base, "link");
  mkdirSync(join(real, "src"), { recursive: true });
  mkdirSync(join(real, "build"));
  symlinkSync(real, link);
  symlinkSync("src", join(real, "srclink"));
  writeFileSync(join(real, "src/leak_definite.c"), "/* the program */\n");
  const xml = readFileSync(join(ROOT, "samples/valgrind-xml/leak_definite.xml"), "utf8");
  const dir = `${builtIn === "real" ? real : link}/${sources}`;
  const log = xml.replaceAll("<dir>/src/vgcorpus</dir>", `<dir>${dir}</dir>`);
  writeFileSync(join(real, "vg.xml"), log);
  writeFileSync(join(real, "build/vg.xml"), log);
  return { base, real, link };
}

async function annotations(cwd: string, env: Record<string, string>, args: string[]) {
  const { stdout } = await cli(["summarize", "vg.xml", "-f", "github", ...args], [], { cwd, env });
  return stdout.split("\n").filter((l) => l.startsWith("::error"));
}

/** The file and line of each GitHub annotation. */
function places(lines: readonly string[]) {
  return lines.map((l) => /^::error file=([^,]*),line=(\d+)/.exec(l)?.slice(1));
}

const OWN = [
  ["src/leak_definite.c", "7"],
  ["src/leak_definite.c", "7"],
  ["src/leak_definite.c", "26"],
];

describe("a source root reached through a symbolic link", () => {
  it("takes frames under its real path (--source-root srclink, a link to src)", async () => {
    const { real } = checkout("real");
    const lines = await annotations(real, {}, ["--source-root", "srclink"]);
    // Frames lost their file and line: the annotations pointed at vg.xml.
    expect(lines.map((l) => /^::error file=([^,]*),line=(\d+)/.exec(l)?.slice(1))).toEqual([
      ["srclink/leak_definite.c", "7"],
      ["srclink/leak_definite.c", "7"],
      ["srclink/leak_definite.c", "26"],
    ]);
  });

  it("takes frames under the shell's spelling of the working directory (PWD)", async () => {
    // Built and run in `link`: gcc wrote the logical $PWD, the process's cwd is the real path.
    const { real, link } = checkout("link");
    expect(places(await annotations(real, { PWD: link }, []))).toEqual(OWN);
    const without = await annotations(real, {}, []);
    expect(without.every((l) => l.startsWith("::error file=vg.xml,"))).toBe(true);
  });

  it("takes PWD's spelling of a root above or beside the working directory (campaign bqa F3)", async () => {
    // CMake's layout: built and run in link/build, gcc recorded link/build/../src; the frames
    // pointed at vg.xml, since only a root inside the working directory had a PWD spelling.
    const { real, link } = checkout("link", "build/../src");
    const env = { PWD: join(link, "build") };
    expect(places(await annotations(join(real, "build"), env, ["--source-root", ".."]))).toEqual(
      OWN,
    );
    const beside = await annotations(join(real, "build"), env, ["--source-root", "../src"]);
    expect(places(beside)).toEqual(OWN.map(([, line]) => ["leak_definite.c", line]));
    // The same root written as its real absolute path.
    expect(places(await annotations(join(real, "build"), env, ["--source-root", real]))).toEqual(
      OWN,
    );
  });

  it("gives no PWD spelling that names another directory than the root", async () => {
    const { base, real, link } = checkout("link", "build/../src");
    const build = join(real, "build");
    const onlyLog = (lines: string[]) =>
      lines.length === 3 && lines.every((l) => l.startsWith("::error file=vg.xml,"));
    // A PWD left from another directory (a process started elsewhere keeps its parent's): the
    // root is build, not link/src.
    expect(onlyLog(await annotations(build, { PWD: join(link, "src") }, []))).toBe(true);
    // A working directory reached through a link of its own: `..` is the real parent (other),
    // not link, which PWD's lexical `..` would name.
    mkdirSync(join(base, "other/b"), { recursive: true });
    writeFileSync(join(base, "other/b/vg.xml"), readFileSync(join(build, "vg.xml")));
    symlinkSync(join(base, "other/b"), join(real, "b"));
    const elsewhere = await annotations(join(base, "other/b"), { PWD: join(link, "b") }, [
      "--source-root",
      "..",
    ]);
    expect(onlyLog(elsewhere)).toBe(true);
  });
});
