// What may be a file= path: a regular file under the run's work dir.

/** A problem found in a block's attributes; the parser adds the fence's file:line. */
export interface BlockProblem {
  what: string;
  fix: string;
}

const NAME_MAX = 255;

/**
 * What is wrong with a file= path, if anything. A path names a regular file under
 * the work dir: relative, no empty, '.' or '..' components, no trailing '/', no
 * control characters, each component at most 255 bytes.
 */
export function filePathProblem(path: string): BlockProblem | undefined {
  const shown = JSON.stringify(path);
  if (path === "") return { what: "file= names no path (it is empty)", fix: "write file=PATH, e.g. file=bin/setup.sh" };
  if (path.startsWith("/") || path.split("/").includes("..")) {
    return { what: `file path ${shown} leaves the run's work dir`, fix: "use a relative path without '..'; it is written under the work dir" };
  }
  if (/[\u0000-\u001f\u007f-\u009f]/.test(path)) {
    return { what: `file path ${shown} has control characters`, fix: "use printable characters only, e.g. file=bin/setup.sh" };
  }
  if (path.endsWith("/")) {
    return { what: `file path ${shown} ends with '/': it names a directory, not a file`, fix: `name the file, e.g. file=${path}setup.sh` };
  }
  const parts = path.split("/");
  if (parts.includes(""))
    return { what: `file path ${shown} has an empty component ('//')`, fix: `write it with single slashes: file=${parts.filter(Boolean).join("/")}` };
  if (path === ".") return { what: `file path "." names the work dir itself, not a file`, fix: "name a file, e.g. file=setup.sh" };
  if (parts.includes(".")) {
    const clean = parts.filter((p) => p !== ".").join("/");
    return { what: `file path ${shown} has a '.' component`, fix: clean ? `write it as file=${clean}` : "name a file, e.g. file=setup.sh" };
  }
  const long = parts.find((p) => Buffer.byteLength(p) > NAME_MAX);
  if (long) return { what: `file path ${shown} has a component longer than ${NAME_MAX} bytes`, fix: "use shorter names" };
  return undefined;
}
