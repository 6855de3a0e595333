/**
 * Whether `stream` is a terminal that shows escape codes as what they do: a dumb one (TERM=dumb:
 * Emacs' shell, some CI consoles) shows them as text. Colour and the progress line both ask.
 */
/**
 * Whether the text summary is coloured on `stream`: FORCE_COLOR first, as Node reads it (``,
 * `1`, `2`, `3` or `true` turn colour on, a pipe included: CI logs that show colour; any other
 * value off),
 * then a terminal that takes escape codes and no NO_COLOR (no-color.org: set to anything but
 * the empty string). Campaign ab: FORCE_COLOR=0 on a terminal still coloured.
 */
const FORCE_COLOR_ON = new Set(["", "1", "2", "3", "true"]);

export function wantsColour(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const force = env["FORCE_COLOR"];
  if (force !== undefined) return FORCE_COLOR_ON.has(force);
  return takesEscapeCodes(stream, env) && (env["NO_COLOR"] ?? "") === "";
}

export function takesEscapeCodes(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stream.isTTY === true && env["TERM"] !== "dumb";
}
