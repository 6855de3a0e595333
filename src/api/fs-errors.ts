const IS_A_DIRECTORY = "is a directory, not a log file";

/**
 * The directory `path` given as an input. The hint names the usual way out: a user who passed
 * the folder of a test suite's logs meant the files in it (campaign cg Q4).
 */
export function directoryGiven(path: string): string {
  const glob = `${path.replace(/[\\/]+$/, "")}/*.log`;
  return `${IS_A_DIRECTORY}: give the logs in it by a quoted glob, e.g. "${glob}"`;
}

/**
 * A file system error in a few words: the common ones as a user would say them, any other by
 * its message (Node's start with the errno code: `EIO: i/o error, read`).
 */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return IS_A_DIRECTORY;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
