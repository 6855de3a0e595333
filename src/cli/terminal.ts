/**
 * Whether `stream` is a terminal that shows escape codes as what they do: a dumb one (TERM=dumb:
 * Emacs' shell, some CI consoles) shows them as text. Colour and the progress line both ask.
 */
export function takesEscapeCodes(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stream.isTTY === true && env["TERM"] !== "dumb";
}
