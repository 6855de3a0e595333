/**
 * VG_(string_match): the whole name against a pattern where `*` matches any run of characters,
 * `?` one character and `\` escapes the next one. Greedy with one backtrack point, so the cost
 * stays O(pattern x name) whatever the pattern (no regular expression is built from user text).
 */
export function globMatch(pattern: string, name: string): boolean {
  const tokens = tokenize(pattern);
  let t = 0;
  let n = 0;
  let starT = -1;
  let starN = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (token === STAR) {
      starT = t;
      starN = n;
      t += 1;
    } else if (token !== undefined && (token === ANY || token === name[n])) {
      t += 1;
      n += 1;
    } else if (starT !== -1) {
      t = starT + 1;
      starN += 1;
      n = starN;
    } else return false;
  }
  while (tokens[t] === STAR) t += 1;
  return t === tokens.length;
}

const STAR = Symbol("*");
const ANY = Symbol("?");

function tokenize(pattern: string): (string | typeof STAR | typeof ANY)[] {
  const tokens: (string | typeof STAR | typeof ANY)[] = [];
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] as string;
    if (c === "\\" && i + 1 < pattern.length) tokens.push(pattern[++i] as string);
    else tokens.push(c === "*" ? STAR : c === "?" ? ANY : c);
  }
  return tokens;
}
