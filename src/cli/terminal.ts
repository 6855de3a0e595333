/**
 * Whether `stream` is a terminal that shows escape codes as what they do: a dumb one (TERM=dumb:
 * Emacs' shell, some CI consoles) shows them as text. Colour and the progress line both ask.
 */
/**
 * Whether the text summary is coloured on `stream`: FORCE_COLOR first, as Node reads it (`0` or
 * `false` turns colour off, any other value on, a pipe included: CI logs that show colour),
 * then a terminal that takes escape codes and no NO_COLOR (no-color.org: set to anything but
 * the empty string). Campaign ab: FORCE_COLOR=0 on a terminal still coloured.
 */
export function wantsColour(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const force = env["FORCE_COLOR"];
  if (force !== undefined) return force !== "0" && force !== "false";
  return takesEscapeCodes(stream, env) && (env["NO_COLOR"] ?? "") === "";
}

export function takesEscapeCodes(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stream.isTTY === true && env["TERM"] !== "dumb";
}
