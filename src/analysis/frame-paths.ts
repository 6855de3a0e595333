import type { Frame } from "../model/index.js";

/*
 * A frame's source path, for every module that reads frames (own, allocator, Rust library
 * frames): a leaf that imports nothing of ours, so that those modules can share it without
 * importing one another in a circle.
 */

/** The frame's file joined with its directory when the file name is relative. */
export function framePath(frame: Frame): string {
  const file = frame.file ?? "";
  if (frame.dir === undefined || file.startsWith("/")) return file;
  return `${frame.dir.replace(/\/$/, "")}/${file}`;
}

export function baseName(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? path : path.slice(slash + 1);
}
