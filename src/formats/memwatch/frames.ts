import type { IToken } from "chevrotain";
import { safeInteger } from "../../../grammars/numbers.js";
import type { Fields } from "../../../grammars/memwatch/fields.js";
import { shareStack } from "../../analysis/shared-stack.js";
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

/**
 * The one-frame stacks of a log's call sites, one shared frozen array per site (see
 * shareStack): a MEMWATCH log names the same few thousand `FILE(LINE)`s in every record, and
 * each record's own array was fingerprinted and, when listed, copied again (a tenth of
 * summarizing the 105 MB MEMWATCH bench log, profiled). Bounded: past MAX_SITES distinct sites,
 * stacks are made per record as `frame` makes them.
 */
export class SiteStacks {
  private readonly byFile = new Map<string, Map<string, Frame[]>>();
  private size = 0;

  /** The stack of `file` and `line` (as printed), shared with every record of that site. */
  at(file: string | undefined, line: string | undefined): Frame[] {
    if (file === undefined) return [];
    return this.shared(file, line) ?? frame(file, line);
  }

  /** The site's shared stack; undefined for a new site past MAX_SITES, which gets none. */
  shared(file: string, line: string | undefined): Frame[] | undefined {
    const key = line ?? "";
    let byLine = this.byFile.get(file);
    const known = byLine?.get(key);
    if (known !== undefined) return known;
    if (this.size >= MAX_SITES) return undefined;
    if (byLine === undefined) {
      byLine = new Map();
      this.byFile.set(file, byLine);
    }
    const stack = shareStack(frame(file, line));
    byLine.set(key, stack);
    this.size += 1;
    return stack;
  }
}

/** Distinct call sites whose stacks are shared: a bound for logs that never repeat one. */
const MAX_SITES = 1 << 14;

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
