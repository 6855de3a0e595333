import { cleanText } from "../describe.js";

/** GitHub's annotation levels. */
export type Level = "error" | "warning" | "notice";

/** Where an annotation points: a file of the checkout and a 1-based line. */
export interface Place {
  file: string;
  line: number;
}

/**
 * One workflow command line: `::error file=F,line=N,title=T::message`. The message's lines are
 * joined by an escaped line break (GitHub shows them as lines); every value is escaped as
 * GitHub's toolkit escapes it (`%`, CR and LF; in properties `:` and `,` too), so that nothing
 * from a log can end the command or start another one, and control characters are replaced
 * first (cleanText).
 */
export function workflowCommand(
  level: Level,
  properties: Partial<Place> & { title: string },
  message: string | readonly string[],
): string {
  const lines = typeof message === "string" ? [message] : message;
  const data = lines.map((line) => escapeData(cleanText(line))).join("%0A");
  // A file's name is kept whole, its line breaks escaped: cleaned, a newline in a log's path
  // became a space, a path that does not exist (campaign bi).
  const props = (["file", "line", "title"] as const)
    .filter((key) => properties[key] !== undefined)
    .map((key) => {
      const value = String(properties[key]);
      return `${key}=${escapeProperty(key === "file" ? value : cleanText(value))}`;
    });
  return `::${level}${props.length > 0 ? ` ${props.join(",")}` : ""}::${data}`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
