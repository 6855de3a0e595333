import { isAbsolute } from "node:path";
import { describeFrame, type OwnCode } from "../../analysis/own-frames.js";
import type { Frame } from "../../model/index.js";
import { frameCheckoutPath, type SourceLocation } from "../describe.js";
import {
  unlocatedClause,
  type LogBases,
  type LogLine,
  type UnlocatedLogLine,
} from "../log-location.js";

/** The uriBaseId of paths relative to the source root (`--source-root`, or the cwd). */
export const SRCROOT = "%SRCROOT%";
/**
 * The uriBaseId of paths relative to the working directory, when that is not the source root:
 * log paths given relative to the cwd, and source files under the cwd, which GitHub code
 * scanning resolves against the repository root whatever the base says.
 */
export const WORKDIR = "%WORKDIR%";

const BASE_IDS = { "source-root": SRCROOT, "working-directory": WORKDIR } as const;

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

/**
 * An absolute directory as a `file:` URI ending in a slash (SARIF1004). A relative one (a
 * library caller's `sourceRoot: "src"`) made `file://src/`, a host named src: refused.
 */
export function directoryUri(dir: string): string {
  if (!isAbsolute(dir)) {
    throw new RangeError(`sarif: sourceRoot and workingDirectory must be absolute, not "${dir}"`);
  }
  const withSlash = dir.endsWith("/") ? dir : `${dir}/`;
  return `file://${pathUri(withSlash)}`;
}

/** The location of a group in the program's own code. */
export function sourceLocation(source: SourceLocation): SarifLocation {
  return {
    physicalLocation: physical(source.path, source.line, BASE_IDS[source.base]),
    ...logical(source.frame),
  };
}

/**
 * Where to point a group that has no frame in the program's own code: the log line that
 * reported it, relative to the working directory (`%WORKDIR%`, or `%SRCROOT%` when the source
 * root is the working directory) or to the source root, plus the top frame's function as a
 * logical location. A log that is no file under either (standard input, a log elsewhere) has no
 * physical location: only the logical one, if any (see `unlocatedNote`).
 */
export function logLocation(log: LogLine | undefined, top: Frame | undefined): SarifLocation {
  return {
    ...(log?.located === true
      ? { physicalLocation: physical(log.path, log.line, BASE_IDS[log.base]) }
      : {}),
    ...(top !== undefined ? logical(top) : {}),
  };
}

/**
 * The sentence a result's message gets when its log line has no file location: GitHub code
 * scanning rejects a whole upload with such a result, so the message says where the line is.
 */
export function unlocatedNote(log: UnlocatedLogLine): string {
  return `The log line that reported it (${unlocatedClause(log)}) has no file location in the checkout.`;
}

/** One step of a code flow: the frame's file when it is under the root, its function, its text. */
export function frameLocation(frame: Frame, ownCode: OwnCode & LogBases): SarifLocation {
  const where = frameCheckoutPath(frame, ownCode);
  return {
    ...(where !== undefined
      ? { physicalLocation: physical(where.path, frame.line, BASE_IDS[where.base]) }
      : {}),
    ...logical(frame),
    message: { text: messageText(describeFrame(frame)) },
  };
}

function physical(
  path: string,
  line: number | undefined,
  uriBaseId: string = SRCROOT,
): SarifLocation["physicalLocation"] & {} {
  return {
    artifactLocation: { uri: pathUri(path), uriBaseId },
    ...(line !== undefined && line > 0 ? { region: { startLine: line } } : {}),
  };
}

function logical(frame: Frame): Pick<SarifLocation, "logicalLocations"> {
  if (frame.function === undefined) return {};
  return { logicalLocations: [{ name: frame.function, kind: "function" }] };
}
