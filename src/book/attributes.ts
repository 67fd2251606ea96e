// Parses a fence info string like `sh {step=start terminal=container timeout=20}`.

export interface RawAttribute {
  key: string;
  /** undefined for a bare flag such as `background`. */
  value: string | undefined;
}

export interface ParsedInfo {
  lang: string;
  /** undefined when the info string has no `{...}` part: a prose block. */
  attributes: RawAttribute[] | undefined;
}

/** Thrown with a message that says what is wrong; the caller adds file:line. */
export class AttributeSyntaxError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

const KEY = /^[A-Za-z][A-Za-z0-9-]*$/;

/**
 * Splits an info string into its language and attribute list.
 * Values may be bare (`a=b`) or double-quoted (`a="x y"`, with `\"` and `\\`).
 */
export function parseInfo(info: string): ParsedInfo {
  const trimmed = info.trim();
  const open = trimmed.indexOf("{");
  if (open < 0) {
    if (trimmed.includes("}")) {
      throw new AttributeSyntaxError(`stray '}' in the fence info string '${trimmed}'`, "write attributes as {key=value ...}");
    }
    return { lang: trimmed.split(/\s+/)[0] ?? "", attributes: undefined };
  }
  const lang = trimmed.slice(0, open).trim();
  if (lang.includes(" ")) {
    throw new AttributeSyntaxError(`the fence info string '${trimmed}' has more than a language before '{'`, "write it as ```sh {step=ID ...}");
  }
  const body = trimmed.slice(open + 1);
  const attributes: RawAttribute[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < body.length && /\s/.test(body[i]!)) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= body.length) {
      throw new AttributeSyntaxError(`the attribute list '{${body}' is not closed`, "end the attribute list with '}'");
    }
    if (body[i] === "}") {
      const rest = body.slice(i + 1).trim();
      if (rest !== "") {
        throw new AttributeSyntaxError(`unexpected text '${rest}' after the attribute list`, "put everything inside the braces");
      }
      return { lang, attributes };
    }
    const start = i;
    while (i < body.length && !/[\s=}]/.test(body[i]!)) i++;
    const key = body.slice(start, i);
    if (!KEY.test(key)) {
      throw new AttributeSyntaxError(`malformed attribute '${key || body[i]}'`, "attributes look like key=value or a bare flag such as background");
    }
    if (body[i] !== "=") {
      attributes.push({ key, value: undefined });
      continue;
    }
    i++; // past '='
    if (body[i] === '"') {
      i++;
      let value = "";
      for (;;) {
        if (i >= body.length) {
          throw new AttributeSyntaxError(`the quoted value of '${key}' is not closed`, 'close the value with a double quote (") ');
        }
        const c = body[i]!;
        if (c === "\\" && (body[i + 1] === '"' || body[i + 1] === "\\")) {
          value += body[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      attributes.push({ key, value });
    } else {
      const vstart = i;
      while (i < body.length && !/[\s}]/.test(body[i]!)) i++;
      const value = body.slice(vstart, i);
      if (value === "") {
        throw new AttributeSyntaxError(`attribute '${key}=' has no value`, `give it a value, e.g. ${key}=VALUE, or quote an empty one`);
      }
      if (value.includes('"')) {
        throw new AttributeSyntaxError(`the value of '${key}' has a stray double quote`, `quote the whole value: ${key}="..."`);
      }
      attributes.push({ key, value });
    }
  }
}
