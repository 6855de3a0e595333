import { describeFrame } from "../../analysis/own-frames.js";
import { relativeSourcePath, relativeToRoot } from "../../analysis/paths.js";
import type { Frame, GroupMember } from "../../model/index.js";
import type { SourceLocation } from "../describe.js";

/** The uriBaseId every artifact location uses: the source root (`--source-root`, or the cwd). */
export const SRCROOT = "%SRCROOT%";

/** A SARIF location (§3.28), reduced to the parts leaklog fills in. */
export interface SarifLocation {
  physicalLocation?: {
    artifactLocation: { uri: string; uriBaseId: string };
    region?: { startLine: number };
  };
  logicalLocations?: { name: string; kind: string }[];
  message?: { text: string };
}

/**
 * Escapes a plain-text SARIF message: SARIF 2.1.0 §3.11.6 reads `[text](n)` as an embedded link,
 * so literal brackets (C++'s `operator[]`) and backslashes are escaped; control characters, which
 * no viewer shows usefully, become `?`.
 */
export function messageText(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, " ")
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, "?")
    .replace(/[\\[\]]/g, (c) => `\\${c}`);
}

/** A relative path as a URI reference: every segment percent-encoded (spaces, `#`, `?`, `%`). */
export function pathUri(path: string): string {
  // encodeURIComponent throws on lone surrogates; a hostile log must not crash the report.
  const wellFormed = path.replace(/[\uD800-\uDFFF]/gu, "\uFFFD");
  return wellFormed.split("/").map(encodeURIComponent).join("/");
}

/** An absolute directory as a `file:` URI ending in a slash (SARIF1004). */
export function directoryUri(dir: string): string {
  const withSlash = dir.endsWith("/") ? dir : `${dir}/`;
  return `file://${pathUri(withSlash)}`;
}

/** The location of a group in the program's own code. */
export function sourceLocation(source: SourceLocation): SarifLocation {
  return {
    physicalLocation: physical(source.path, source.line),
    ...logical(source.frame),
  };
}

/**
 * Where to point a group that has no frame in the program's own code: the log line that
 * reported it (log paths as given on the command line are relative to the working directory,
 * which is the default source root), plus the top frame's function as a logical location.
 * Standard input and logs outside the root get the logical location only.
 */
export function logLocation(
  member: GroupMember | undefined,
  top: Frame | undefined,
  sourceRoot: string | undefined,
): SarifLocation {
  const path =
    member !== undefined && member.path !== "-"
      ? relativeToRoot(member.path, sourceRoot)
      : undefined;
  return {
    ...(path !== undefined && member !== undefined
      ? { physicalLocation: physical(path, member.line) }
      : {}),
    ...(top !== undefined ? logical(top) : {}),
  };
}

/** One step of a code flow: the frame's file when it is under the root, its function, its text. */
export function frameLocation(frame: Frame, sourceRoot: string | undefined): SarifLocation {
  const path = relativeSourcePath(frame, sourceRoot);
  return {
    ...(path !== undefined ? { physicalLocation: physical(path, frame.line) } : {}),
    ...logical(frame),
    message: { text: messageText(describeFrame(frame)) },
  };
}

function physical(path: string, line: number | undefined): SarifLocation["physicalLocation"] & {} {
  return {
    artifactLocation: { uri: pathUri(path), uriBaseId: SRCROOT },
    ...(line !== undefined && line > 0 ? { region: { startLine: line } } : {}),
  };
}

function logical(frame: Frame): Pick<SarifLocation, "logicalLocations"> {
  if (frame.function === undefined) return {};
  return { logicalLocations: [{ name: frame.function, kind: "function" }] };
}
