import { describe, expect, it } from "vitest";
import { MarkerProtocol } from "../../src/terminal/marker.js";

describe("MarkerProtocol", () => {
  const p = new MarkerProtocol("salt");

  it("never writes the whole tag in the command text, so echoed input cannot fake it", () => {
    expect(p.ackCommand(3)).not.toContain(`${p.tag}:3:`);
    expect(p.endCommand(3)).not.toContain(`${p.tag}:3:`);
  });

  it("finds the output between ack and end, without the marker's own newline", () => {
    const buf = `junk${p.tag}:3:ack\nhello\nworld\n${p.tag}:3:7\nmore`;
    const start = p.findAck(buf, 3);
    expect(buf.slice(start)).toBe(`hello\nworld\n${p.tag}:3:7\nmore`);
    expect(p.findEnd(buf, 3, start)).toEqual({ output: "hello\nworld", status: 7, next: buf.length - 4 });
  });

  it("keeps output without a final newline exact", () => {
    const buf = `${p.tag}:1:ack\nabc\n${p.tag}:1:0\n`;
    expect(p.findEnd(buf, 1, p.findAck(buf, 1))?.output).toBe("abc");
    const empty = `${p.tag}:2:ack\n\n${p.tag}:2:0\n`;
    expect(p.findEnd(empty, 2, p.findAck(empty, 2))?.output).toBe("");
  });

  it("waits for the whole end line and ignores other steps' markers", () => {
    expect(p.findEnd(`${p.tag}:1:ack\nx\n${p.tag}:1:`, 1, 0)).toBeUndefined();
    expect(p.findAck(`${p.tag}:12:ack\n`, 1)).toBe(-1);
  });
});
