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
      return "is a directory, not a log file";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
