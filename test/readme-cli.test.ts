import { describe, expect, it } from "vitest";
import { helpText } from "../src/cli/help.js";
import { ARG_SPEC, COMMAND_OPTIONS } from "../src/cli/command-line.js";
import { README, section, spelledOptions, tableRows } from "./helpers/readme.js";

// Users copy the README's commands: every option it spells must be one the CLI parses, and every
// option the CLI parses must be documented, each under the commands that take it.
type OptionName = keyof typeof ARG_SPEC;
const OPTIONS = Object.keys(ARG_SPEC) as OptionName[];
const isOption = (name: string): name is OptionName => name in ARG_SPEC;

/**
 * Options of the other tools the README tells users to run (Valgrind, meson, Node, kubectl). Listed by
 * hand so that a misspelled leaklog option cannot hide among them; the last test keeps the
 * list from holding options the README no longer names.
 */
const OTHER_TOOLS_OPTIONS = new Set([
  "child-silent-after-fork",
  "demangle",
  "error-markers",
  "error-exitcode",
  "errors-for-leak-kinds",
  "exit-on-first-error",
  "fullpath-after",
  "gen-suppressions",
  "history-level",
  "keep-debuginfo",
  "keep-stacktraces",
  "leak-check",
  "log-fd",
  "log-file",
  "log-socket",
  "main-stacksize",
  "max-stackframe",
  "num-callers",
  "show-error-list",
  "show-leak-kinds",
  "suppressions", // also Valgrind's own --suppressions=FILE
  "time-stamp",
  "tool",
  "track-fds",
  "track-origins",
  "trace-children",
  "trace-children-skip",
  "trace-malloc",
  "xml",
  "xml-fd",
  "xml-file",
  "xml-socket",
  "xml-user-comment",
  "xtree-leak",
  "wrap", // meson test --wrap
  "max-semi-space-size", // NODE_OPTIONS
  "timestamps", // kubectl logs --timestamps
  "log", // gh run view --log
  "log-failed", // gh run view --log-failed
  "no-log-prefix", // docker compose logs --no-log-prefix
  "no-save", // npm install --no-save, in the CI recipes
  "mode", // libtool --mode=execute
  "gtest", // GoogleTest's --gtest_repeat, --gtest_internal_run_death_test (a name stops at its underscore)
]);

/** `--fingerprint-*` stands for every option it prefixes; others stand for themselves. */
function expand(spelled: Iterable<string>): string[] {
  return [...spelled].flatMap((name) =>
    name.endsWith("-*") ? OPTIONS.filter((o) => o.startsWith(name.slice(0, -1))) : [name],
  );
}

/** Long names of the short options (`-f`) spelled in `text`. */
function shortOptions(text: string): string[] {
  return [...text.matchAll(/(?<![\w-])-([a-zA-Z])(?![\w-])/g)].map((m) => {
    const entry = Object.entries(ARG_SPEC).find(
      ([, spec]) => "short" in spec && spec.short === m[1],
    );
    if (entry === undefined) throw new Error(`-${m[1]} is no short option of leaklog`);
    return entry[0];
  });
}

/** The options a usage line of the README's Baselines block shows for `command`. */
function usageOptions(command: string): Set<string> {
  const lines = section("Baselines, merging and suppressions").split("\n");
  const at = lines.findIndex((l) => l.startsWith(`leaklog ${command} `));
  expect(at, `usage line of ${command}`).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(at + 1);
  const more = rest.findIndex((l) => !/^\s/.test(l));
  const usage = [lines[at], ...rest.slice(0, more < 0 ? undefined : more)].join("\n");
  return new Set([...expand(spelledOptions(usage)), ...shortOptions(usage)]);
}

describe("the README's options", () => {
  it("are all options of leaklog or of a tool it tells users to run", () => {
    const spelled = spelledOptions(README);
    for (const name of spelled) {
      if (name.endsWith("-*")) expect(expand([name]), `--${name}`).not.toEqual([name]);
      else expect(isOption(name) || OTHER_TOOLS_OPTIONS.has(name), `--${name}`).toBe(true);
    }
  });

  it("give every option of summarize, and only those, a row in the CLI table", () => {
    const rows = tableRows(section("CLI"), "| option | meaning |");
    const documented = rows.flatMap(([cell = ""]) => [
      ...expand(spelledOptions(cell)),
      ...shortOptions(cell.replace(/<[^>]*>/g, "")),
    ]);
    const expected = [...(COMMAND_OPTIONS["summarize"] ?? []), "help", "version"];
    expect(new Set(documented)).toEqual(new Set(expected));
    // A short option is shown beside its long one (`-f, --format`).
    for (const [name, spec] of Object.entries(ARG_SPEC)) {
      if (!("short" in spec)) continue;
      expect(
        rows.some(([cell = ""]) => cell.includes(`-${spec.short}, --${name}`)),
        name,
      ).toBe(true);
    }
  });

  it("show diff's and suppressions' options in their usage lines", () => {
    for (const command of ["diff", "suppressions"]) {
      expect(usageOptions(command), command).toEqual(new Set(COMMAND_OPTIONS[command]));
    }
  });

  it("are the options --help lists, and --help lists them all", () => {
    const help = helpText();
    const options = /\nOptions:\n([\s\S]*?)\n\n/.exec(help)?.[1] ?? "";
    const listed = [...options.matchAll(/^ {2}(?:-\w, | {4})--([a-z-]+)/gm)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(new Set(OPTIONS));
    for (const name of listed) expect(README, `--${name}`).toContain(`--${name}`);
    // help's usage lines name the commands the parser knows.
    for (const command of Object.keys(COMMAND_OPTIONS))
      expect(help).toContain(`leaklog ${command} [`);
  });

  it("lists only other tools' options that the README still names", () => {
    const spelled = spelledOptions(README);
    for (const name of OTHER_TOOLS_OPTIONS) expect(spelled.has(name), `--${name}`).toBe(true);
  });
});
