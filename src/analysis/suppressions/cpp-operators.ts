/* The operator codes of the Itanium C++ ABI (5.1.5 "Operator encodings"). */

/**
 * Operators whose code does not depend on their arity (Itanium ABI 5.1.5); `+`, `-`, `*` and `&`
 * do (`pl`/`ps`, `mi`/`ng`, `ml`/`de`, `an`/`ad`): see BY_ARITY.
 */
export const OPERATOR_CODES: Readonly<Record<string, string>> = {
  "[]": "ix",
  "()": "cl",
  "->": "pt",
  "->*": "pm",
  "=": "aS",
  "==": "eq",
  "!=": "ne",
  "<": "lt",
  ">": "gt",
  "<=": "le",
  ">=": "ge",
  "<=>": "ss",
  "<<": "ls",
  ">>": "rs",
  "<<=": "lS",
  ">>=": "rS",
  "+=": "pL",
  "-=": "mI",
  "*=": "mL",
  "/=": "dV",
  "%=": "rM",
  "&=": "aN",
  "|=": "oR",
  "^=": "eO",
  "/": "dv",
  "%": "rm",
  "|": "or",
  "^": "eo",
  "!": "nt",
  "~": "co",
  "&&": "aa",
  "||": "oo",
  ",": "cm",
  "++": "pp",
  "--": "mm",
  // `operator new(unsigned long)`: the demangler writes a space before a word.
  " new": "nw",
  " new[]": "na",
  " delete": "dl",
  " delete[]": "da",
};

/**
 * The operators whose code depends on their arity: index 1 unary, index 2 binary. Only a free
 * operator's parameter count gives its arity; a member's, one operand fewer than it takes.
 */
export const BY_ARITY: Readonly<Record<string, readonly (string | undefined)[]>> = {
  "+": [undefined, "ps", "pl"],
  "-": [undefined, "ng", "mi"],
  "*": [undefined, "de", "ml"],
  "&": [undefined, "ad", "an"],
};
