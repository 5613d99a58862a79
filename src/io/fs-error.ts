/** Node's file-system error codes in words a user can act on. */

/**
 * Says why a file operation failed: "permission denied", "no space left on device", ... followed
 * by Node's code, or Node's own message for a rare code.
 *
 * @example fsReason(Object.assign(new Error("x"), { code: "EROFS" })) // "the file system is read-only (EROFS)"
 */
export function fsReason(cause: unknown): string {
  const err = cause as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: "it does not exist",
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "the file system is read-only",
    ENOSPC: "no space left on device",
    EDQUOT: "the disk quota is exceeded",
    EISDIR: "it is a folder, not a file",
    ENOTDIR: "a part of its path is not a folder",
    EEXIST: "it already exists",
    ELOOP: "its symbolic links loop",
    EMFILE: "too many files are open",
    ENFILE: "too many files are open",
    ENAMETOOLONG: "the name is too long",
    EIO: "an input/output error of the device",
  };
  const word = err?.code === undefined ? undefined : words[err.code];
  return word === undefined ? (err?.message ?? String(cause)) : `${word} (${err.code})`;
}
