import { safeInteger } from "../numbers.js";

/**
 * The fields of one memleax frame line, exactly as printed (formats/memleax.md §2.4):
 *
 *     "    0x" HEX "  " LIB [ "  " FUNC "()+" DEC ] [ "  " [ "?()  " ] FILE ":" DEC ]
 *
 * Fields are separated by two spaces; paths may contain single spaces, function names cannot.
 */
export interface FrameFields {
  /** `0x` and the hex digits, as printed. */
  address: string;
  /** LIB: the mapping's basename cut after `.so`; `??` for anonymous code. */
  module?: string;
  /** FUNC without `()`; absent for `?()` and for frames with no symbol. */
  func?: string;
  /** Decimal bytes from the symbol start (`main()+22` gives 22). */
  offset?: number;
  /** True when the `?()` placeholder stood for an unknown function. */
  unknownFunc?: boolean;
  /** FILE as printed (absolute, relative, or cut at the compile directory). */
  file?: string;
  /** The last `:<digits>` of the location (paths may contain `:`; §8.7). */
  line?: number;
}

const FRAME_HEAD = /^ {4}0x([0-9a-fA-F]+)(.*)$/;
const FUNC = /^(\S+)\(\)\+(\d+)$/;
const LOCATION = /^(.*):(\d+)$/;

/** Splits a frame line into its fields; undefined when the line is not a frame line. */
export function splitFrameLine(text: string): FrameFields | undefined {
  const m = FRAME_HEAD.exec(text);
  if (m === null) return undefined;
  const fields: FrameFields = { address: `0x${m[1] ?? ""}` };
  const rest = m[2] ?? "";
  if (!rest.startsWith("  ")) return splitOldLayout(fields, rest);
  const parts = rest.slice(2).split("  ");
  const module = parts.shift();
  if (module !== undefined && module !== "") fields.module = module;
  const func = parts.length > 0 ? FUNC.exec(parts[0] ?? "") : null;
  if (func !== null) {
    parts.shift();
    fields.func = func[1] ?? "";
    setOffset(fields, func[2]);
  } else if (parts[0] === "?()") {
    parts.shift();
    fields.unknownFunc = true;
  }
  if (parts.length > 0) setLocation(fields, parts.join("  "));
  return fields;
}

/**
 * v0.1-v0.2 printed frames with single spaces and no library column (§2.4, §9); the exact
 * layout was never captured, so keep what can be recognised and put the rest in `file`.
 */
function splitOldLayout(fields: FrameFields, rest: string): FrameFields {
  const words = rest.trim().split(/ +/);
  const func = words.length > 0 ? FUNC.exec(words[0] ?? "") : null;
  if (func !== null) {
    words.shift();
    fields.func = func[1] ?? "";
    setOffset(fields, func[2]);
  }
  if (words.length > 0 && words.join(" ") !== "") setLocation(fields, words.join(" "));
  return fields;
}

function setLocation(fields: FrameFields, location: string): void {
  const m = LOCATION.exec(location);
  if (m === null) {
    fields.file = location;
    return;
  }
  fields.file = m[1] ?? "";
  const line = safeInteger(m[2] ?? "");
  if (line !== undefined) fields.line = line;
}

/** An offset or line past 2^53 is none (grammars/numbers.ts): the frame leaves it out. */
function setOffset(fields: FrameFields, digits: string | undefined): void {
  const offset = safeInteger(digits ?? "");
  if (offset !== undefined) fields.offset = offset;
}
