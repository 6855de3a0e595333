import { posix } from "node:path";
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

/**
 * The rest of absolute `path` under the first of `roots` it lies in, or undefined. The path is
 * normalized before it is compared: an out-of-tree build (meson's builddir) compiles
 * `../src/leak.c`, and Valgrind's XML gives `<dir>/p/builddir/../src</dir>`, which is under the
 * root `/p/src` only once its `..` is taken out. posix.normalize is pure string work (unlike
 * posix.relative, which reads the process's cwd).
 */
export function pathUnder(path: string, roots: readonly string[]): string | undefined {
  const normal = posix.normalize(path);
  for (const root of roots) {
    const prefix = root.endsWith("/") ? root : `${root}/`;
    if (normal.startsWith(prefix)) return normal.slice(prefix.length);
  }
  return undefined;
}

export function baseName(path: string): string {
  return path.slice(baseStart(path));
}

/**
 * Where a path's base name starts: after its last `/`, or `\`, which a sanitizer on Windows
 * writes (`C:\work\asan.c`): taken whole, the checkout's directory went into fingerprints, and
 * every finding of another build agent was new (campaign bj).
 */
export function baseStart(path: string): number {
  return Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1;
}
