import { describe, expect, it } from "vitest";
import { AttributeSyntaxError, parseInfo } from "../../src/book/attributes.js";

describe("parseInfo", () => {
  it("reads a language without attributes as prose", () => {
    expect(parseInfo("sh")).toEqual({ lang: "sh", attributes: undefined });
    expect(parseInfo("")).toEqual({ lang: "", attributes: undefined });
  });

  it("reads bare and valued attributes in order", () => {
    expect(parseInfo("sh {step=start terminal=container timeout=20 background}")).toEqual({
      lang: "sh",
      attributes: [
        { key: "step", value: "start" },
        { key: "terminal", value: "container" },
        { key: "timeout", value: "20" },
        { key: "background", value: undefined },
      ],
    });
  });

  it("reads quoted values with spaces, braces and escapes", () => {
    const info = parseInfo('sh {step=a redact="PID:[0-9]{3,} \\"x\\" \\\\"}');
    expect(info.attributes?.[1]).toEqual({ key: "redact", value: 'PID:[0-9]{3,} "x" \\' });
  });

  it.each([
    ["sh {step=a", /not closed/],
    ["sh {step=a} extra", /unexpected text 'extra'/],
    ["sh {step=}", /has no value/],
    ['sh {step="a}', /not closed/],
    ["sh {=a}", /malformed attribute/],
    ["sh step=a}", /stray '}'/],
    ["sh bash {step=a}", /more than a language/],
  ])("rejects %s", (info, message) => {
    expect(() => parseInfo(info)).toThrowError(message);
    expect(() => parseInfo(info)).toThrowError(AttributeSyntaxError);
  });
});
