/**
 * Lines only memleax prints, with how sure each makes us (0..1). The banner and the CallStack
 * events are unmistakable; error-only outputs (corpus/memleax/cli-*.log, err-*.log) are short
 * and less distinctive, so they score lower and lose to any format that claims them more surely.
 */
const SIGNS: readonly { re: RegExp; score: number }[] = [
  { re: /^== Begin monitoring process \d+\.\.\.$/, score: 1 },
  {
    re: /^CallStack\[\d+\]: (memory expires with -?\d+ bytes, |expired-memory frees after |may-leak=)/,
    score: 1,
  },
  {
    re: /^== (Callstack statistics: \(in ascending order\)|No expired memory blocks\.)$/,
    score: 1,
  },
  { re: /^Usage: \S*memleax \[options\] target-pid$/, score: 1 },
  { re: /^Author: Wu Bingzheng$/, score: 1 },
  { re: /^== Attach process error:: /, score: 0.9 },
  { re: /^\S*memleax: (invalid option|option requires an argument) -- /, score: 0.9 },
  { re: /^Warning: (no symbol table|no debug-line) found for \//, score: 0.8 },
  {
    re: /^Warning: (use debug file .* without checking|unmatch (build-id|CRC32) of debug file )/,
    score: 0.8,
  },
  { re: /^Error: invalid debug-info file /, score: 0.8 },
  { re: /^not found api: (malloc|free|realloc|calloc)$/, score: 0.8 },
  {
    re: /^(invalid target pid: |too big backtrace limit: |invalid (expire|memblock_limit|callstack_limit|backtrace limit): )/,
    score: 0.6,
  },
  { re: /^[Ee]rror in open \/proc\/pid\/(maps|exe|tasks): /, score: 0.6 },
  { re: /^Try `-h` for help information\.$/, score: 0.5 },
];

/**
 * Leading lines a memleax log may have before the banner: preamble warnings, a shell prompt.
 * Looking further (a CI job's set-up) took a job log whose sanitizer report came after a
 * memleax step's banner, and lost the report (campaign v14): force `--input-format memleax`.
 */
const LOOK_AT = 40;

/** How sure we are that a log starting with `head` is memleax output. */
export function detectMemleax(head: readonly string[]): number {
  let best = 0;
  for (const raw of head.slice(0, LOOK_AT)) {
    // Terminal captures may carry an echoed Ctrl-C in front of a line (corpus 21).
    const text = raw.startsWith("^C") ? raw.slice(2) : raw;
    for (const sign of SIGNS) {
      if (sign.score > best && sign.re.test(text)) best = sign.score;
    }
    if (best === 1) break;
  }
  return best;
}
