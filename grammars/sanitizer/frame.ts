import { safeInteger } from "../numbers.js";

/** The parts of one sanitizer frame line, as printed (syntax only, no interpretation). */
export interface FrameParts {
  /** `#N`, 0-based. */
  index: number;
  /** The program counter as printed (`0x7fbc2a0b89cf`); ThreadSanitizer prints none. */
  pc?: string;
  function?: string;
  file?: string;
  line?: number;
  column?: number;
  /** Module path of `(module+0xOFFSET)`. */
  module?: string;
  /** `0xOFFSET` of `(module+0xOFFSET)`. */
  offset?: string;
  /** Hex of a trailing `(BuildId: hex)` (clang). */
  buildId?: string;
}

const HEAD = /^\s*#(\d+) (0x[0-9a-fA-F]+)(?: in (.*)| +(.*))?$/;
// ThreadSanitizer's `#N function file:line[:col] (module+0xOFF)`, `<null>` for what it lacks.
const TSAN_HEAD = /^\s*#(\d+) (?!0x)(\S.*)$/;
const NULL_FILE = " <null>";
const NULL_NAME = "<null>";
const BUILD_ID = / ?\(BuildId: ([0-9a-fA-F]+)\)$/;
// The module path may contain `+` or spaces; the offset is the part after the last `+0x`.
const MODULE = /(?:^| )\(([^()]*)\+(0x[0-9a-fA-F]+)\)$/;
const UNKNOWN_MODULE = /(?:^| )\((<unknown module>)\)$/;
// `file:line[:col]` is the last space-separated token; everything before it is the function,
// which may itself contain spaces (`operator new[](unsigned long)`, sanitizers.md §4).
const FILE_LINE = /^(?:(.*) )?(\S+?):(\d+)(?::(\d+))?$/;

/**
 * Splits a frame line from its right end: `(BuildId: …)`, then `(module+0xOFF)` or
 * `file:line[:col]`, and the rest after `in ` is the function. Undefined when not a frame.
 */
export function parseFrameLine(text: string): FrameParts | undefined {
  const head = HEAD.exec(text);
  if (head === null) return parseTsanFrameLine(text);
  const index = safeInteger(head[1] ?? "");
  if (index === undefined) return undefined;
  const parts: FrameParts = { index, pc: head[2] ?? "" };
  const named = head[3] !== undefined;
  let rest = takeBuildId((head[3] ?? head[4] ?? "").trim(), parts);
  const mod = MODULE.exec(rest) ?? UNKNOWN_MODULE.exec(rest);
  if (mod !== null) {
    parts.module = mod[1] ?? "";
    if (mod[2] !== undefined) parts.offset = mod[2];
    rest = rest.slice(0, mod.index).trim();
  } else if (named) {
    rest = takeFileLine(rest, parts);
  }
  if (named && rest !== "") parts.function = rest;
  return parts;
}

/** `rest` without its trailing `(BuildId: hex)`, which goes into `parts`. */
function takeBuildId(rest: string, parts: FrameParts): string {
  const build = BUILD_ID.exec(rest);
  if (build === null) return rest;
  parts.buildId = build[1] ?? "";
  return rest.slice(0, build.index).trimEnd();
}

/** ThreadSanitizer's frame: no PC, the function and file `<null>` where unknown. */
function parseTsanFrameLine(text: string): FrameParts | undefined {
  const head = TSAN_HEAD.exec(text);
  const index = safeInteger(head?.[1] ?? "");
  if (head === null || index === undefined) return undefined;
  const parts: FrameParts = { index };
  // clang's TSan ends its frames with a build id too (`(race+0xd0114) (BuildId: f509…)`).
  let rest = takeBuildId(head[2] ?? "", parts);
  const mod = MODULE.exec(rest) ?? UNKNOWN_MODULE.exec(rest);
  if (mod !== null) {
    parts.module = mod[1] ?? "";
    if (mod[2] !== undefined) parts.offset = mod[2];
    rest = rest.slice(0, mod.index).trim();
  }
  rest = rest.endsWith(NULL_FILE) ? rest.slice(0, -NULL_FILE.length) : takeFileLine(rest, parts);
  if (rest !== "" && rest !== NULL_NAME) parts.function = rest;
  return parts;
}

/**
 * Where an absolute path starts after a space (`/`, `C:\`, `C:/`): in a frame's function part,
 * the first one is where the file really starts when its path holds spaces.
 */
const PATH_START = / (?:\/|[A-Za-z]:[\\/])/;

function takeFileLine(rest: string, parts: FrameParts): string {
  const m = FILE_LINE.exec(rest);
  // A lone token without a space is a function name (`in main`), not a file.
  if (m === null || m[1] === undefined) return takeFileAlone(rest, parts);
  let file = m[2] ?? "";
  let name = m[1];
  // `in make_list /home/me/my project/list.c:10`: the last token is only the path's end. A
  // function never holds ` /` (C++'s operator/ has no space before it), so an absolute path
  // starting in the function part is the file's beginning.
  const start = /^(?:\/|[A-Za-z]:[\\/])/.test(file) ? null : PATH_START.exec(name);
  if (start !== null) {
    file = `${name.slice(start.index + 1)} ${file}`;
    name = name.slice(0, start.index);
  }
  parts.file = file;
  // A line or column past 2^53 is not one (see grammars/numbers.ts): left out.
  const line = safeInteger(m[3] ?? "");
  if (line !== undefined) parts.line = line;
  const column = safeInteger(m[4] ?? "");
  if (column !== undefined) parts.column = column;
  return name;
}

/**
 * `in _GLOBAL__sub_I_app.cpp /tmp/app.cpp`: the symbolizer knows a function's file but no line
 * (clang's static initializers, artificial functions). The path was read as part of the name.
 */
function takeFileAlone(rest: string, parts: FrameParts): string {
  const start = PATH_START.exec(rest);
  if (start === null) return rest;
  parts.file = rest.slice(start.index + 1);
  return rest.slice(0, start.index);
}
