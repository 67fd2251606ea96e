// ANSI colours: on for a TTY, off with NO_COLOR, forced either way by FORCE_COLOR.

export interface Colors {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

/**
 * Colour or not, as Node itself decides: FORCE_COLOR set (to anything but 0
 * or false) forces it on even off a terminal, FORCE_COLOR=0 or false turns it
 * off; otherwise NO_COLOR (non-empty) turns it off; otherwise on for a TTY.
 */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true;
}

export function makeColors(enabled: boolean): Colors {
  if (!enabled) {
    const id = (s: string) => s;
    return { red: id, green: id, yellow: id, cyan: id, dim: id, bold: id };
  }
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/** Colours a unified diff: removals red, additions green, hunk headers cyan. */
export function colorDiff(diff: string, c: Colors): string {
  return diff
    .split("\n")
    .map((l) => {
      if (l.startsWith("---") || l.startsWith("+++")) return c.bold(l);
      if (l.startsWith("@@")) return c.cyan(l);
      if (l.startsWith("-")) return c.red(l);
      if (l.startsWith("+")) return c.green(l);
      return l;
    })
    .join("\n");
}
