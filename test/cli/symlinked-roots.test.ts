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
 * leak_definite.xml rewritten as if the program had been built in `builtIn`/src.
 */
function checkout(builtIn: "real" | "link") {
  const base = realpathSync(mkdtempSync(join(tmpdir(), "leaklog-links-")));
  const real = join(base, "real");
  const link = join(base, "link");
  mkdirSync(join(real, "src"), { recursive: true });
  symlinkSync(real, link);
  symlinkSync("src", join(real, "srclink"));
  writeFileSync(join(real, "src/leak_definite.c"), "/* the program */\n");
  const xml = readFileSync(join(ROOT, "samples/valgrind-xml/leak_definite.xml"), "utf8");
  const dir = join(builtIn === "real" ? real : link, "src");
  writeFileSync(
    join(real, "vg.xml"),
    xml.replaceAll("<dir>/src/vgcorpus</dir>", `<dir>${dir}</dir>`),
  );
  return { real, link };
}

async function annotations(cwd: string, env: Record<string, string>, args: string[]) {
  const { stdout } = await cli(["summarize", "vg.xml", "-f", "github", ...args], [], { cwd, env });
  return stdout.split("\n").filter((l) => l.startsWith("::error"));
}

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
    const lines = await annotations(real, { PWD: link }, []);
    expect(lines.map((l) => /^::error file=([^,]*),line=(\d+)/.exec(l)?.slice(1))).toEqual([
      ["src/leak_definite.c", "7"],
      ["src/leak_definite.c", "7"],
      ["src/leak_definite.c", "26"],
    ]);
    const without = await annotations(real, {}, []);
    expect(without.every((l) => l.startsWith("::error file=vg.xml,"))).toBe(true);
  });
});
