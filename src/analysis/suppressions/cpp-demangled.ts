/*
 * Reading demangled C++ names as Valgrind prints them (`long* alpha::tmake<long>(int)`,
 * `main::{lambda(int)#1}::operator()(int) const`): where the parameter list starts, what is
 * outside template arguments. Only `<>` and `()` nest; nothing here builds a regular expression
 * from the name.
 */

/** `f(int)::{lambda(int)#1}::...`, `main::{lambda()#1}`, `f()::Local::g()`: `f`, `main`, `f`. */
export function localEnclosing(name: string): string | undefined {
  const paren = parameterListStart(name);
  const brace = name.indexOf("::{");
  if (brace !== -1 && (paren === -1 || brace < paren)) return name.slice(0, brace);
  if (paren !== -1 && closingParen(name, paren) !== -1) {
    const after = closingParen(name, paren) + 1;
    if (name.startsWith("::", after)) return name.slice(0, paren);
  }
  return undefined;
}

/** The index of the first `(` outside template arguments, or -1. */
export function parameterListStart(name: string): number {
  let depth = 0;
  for (let i = 0; i < name.length; i += 1) {
    const c = name[i];
    if (c === "<") depth += 1;
    else if (c === ">") depth -= 1;
    else if (c === "(" && depth === 0) return i;
  }
  return -1;
}

function closingParen(name: string, open: number): number {
  let depth = 0;
  for (let i = open; i < name.length; i += 1) {
    if (name[i] === "(") depth += 1;
    else if (name[i] === ")" && (depth -= 1) === 0) return i;
  }
  return -1;
}

/** Top-level commas of `int, void (*)(int, int)) const`, plus one; `)` and `void)` are 0. */
export function parameterCount(parameters: string): number | undefined {
  let depth = 0;
  let commas = 0;
  for (let i = 0; i < parameters.length; i += 1) {
    const c = parameters[i];
    if (c === "<" || c === "(") depth += 1;
    else if (c === ">" || (c === ")" && depth > 0)) depth -= 1;
    else if (c === "," && depth === 0) commas += 1;
    else if (c === ")") {
      const list = parameters.slice(0, i).trim();
      return list === "" || list === "void" ? 0 : commas + 1;
    }
  }
  return undefined;
}

/** Splits on `separator` outside `<...>`; undefined when the angle brackets do not balance. */
export function splitTopLevel(text: string, separator: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === "<") depth += 1;
    else if (c === ">" && (depth -= 1) < 0) return undefined;
    else if (depth === 0 && text.startsWith(separator, i)) {
      out.push(text.slice(start, i));
      start = i + separator.length;
      i = start - 1;
    }
  }
  if (depth !== 0) return undefined;
  out.push(text.slice(start));
  return out;
}

/** `ns::Foo<int>::bar(int) const` -> `bar`; `Foo::~Foo()` -> `Foo`; undefined for operators. */
export function lastIdentifier(name: string): string | undefined {
  const end = parameterListStart(name);
  let base = end === -1 ? name : name.slice(0, end);
  while (/<[^<>]*>/.test(base)) base = base.replace(/<[^<>]*>/g, "");
  const last = base.split("::").pop()?.replace(/^~/, "") ?? "";
  return /^[A-Za-z_]\w*$/.test(last) && !last.startsWith("operator") ? last : undefined;
}
