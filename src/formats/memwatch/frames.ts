import type { IToken } from "chevrotain";
import { safeInteger } from "../../../grammars/numbers.js";
import type { Fields } from "../../../grammars/memwatch/fields.js";
import type { Details, Frame } from "../../model/index.js";

/** The fields the grammar attached to a line token. */
export function fieldsOf(token: IToken): Fields {
  return (token.payload ?? {}) as Fields;
}

/** 1-based log line of a token. */
export function lineOf(token: IToken): number {
  return token.startLine ?? 1;
}

/**
 * A `{file, line}` frame: MEMWATCH has no call stacks, only `__FILE__`/`__LINE__` of the call.
 * The line is printed with `%d` and no range check, so a damaged negative one is left out.
 */
export function frame(file: string | undefined, line: string | undefined): Frame[] {
  if (file === undefined) return [];
  // Past 2^53 it is no line either (grammars/numbers.ts).
  const n = safeInteger(line ?? "");
  return [n !== undefined && n >= 0 ? { file, line: n } : { file }];
}

/** Numeric fields as numbers, others as strings; absent fields are left out. */
export function pick(f: Fields, names: Readonly<Record<string, string>>): Details {
  const details: Details = {};
  // for-in, not Object.entries: no pair arrays per event line (profiled).
  for (const from in names) {
    const to = names[from] as string;
    const value = f[from];
    if (value === undefined || value === "") continue;
    details[to] = /^\d{1,15}$/.test(value) ? Number(value) : value;
  }
  return details;
}
