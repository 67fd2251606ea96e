import { describe, expect, it } from "vitest";
import { MarkerProtocol, NeedleScanner } from "../../src/terminal/marker.js";

/** Feeds `text` to a fresh reader in chunks of `size`. */
function read(p: MarkerProtocol, seq: number, text: string, size: number) {
  const r = p.reader(seq);
  for (let i = 0; i < text.length; i += size) r.push(text.slice(i, i + size));
  return r;
}

describe("MarkerProtocol", () => {
  const p = new MarkerProtocol("salt");

  it("never writes the whole tag in the command text, so echoed input cannot fake it", () => {
    expect(p.ackCommand(3)).not.toContain(`${p.tag}:3:`);
    expect(p.endCommand(3)).not.toContain(`${p.tag}:3:`);
  });

  it.each([1, 2, 3, 7, 1000])("finds the output between ack and end, fed in chunks of %i", (size) => {
    const buf = `junk${p.tag}:3:ack\nhello\nworld\n${p.tag}:3:7\nmore`;
    expect(read(p, 3, buf, size).end).toEqual({ output: "hello\nworld", status: 7 });
  });

  it("keeps output without a final newline exact", () => {
    expect(read(p, 1, `${p.tag}:1:ack\nabc\n${p.tag}:1:0\n`, 5).end?.output).toBe("abc");
    expect(read(p, 2, `${p.tag}:2:ack\n\n${p.tag}:2:0\n`, 5).end?.output).toBe("");
  });

  it("waits for the whole end line and ignores other steps' markers", () => {
    expect(read(p, 1, `${p.tag}:1:ack\nx\n${p.tag}:1:`, 4).end).toBeUndefined();
    expect(read(p, 1, `${p.tag}:12:ack\n`, 4).hasAck).toBe(false);
    expect(read(p, 1, `${p.tag}:1:ack\nx\n${p.tag}:12:0\n`, 4).end).toBeUndefined();
  });

  it("cuts set -v's echo of the END command off the output, and notices END printed back", () => {
    const echoed = `${p.tag}:4:ack\nout\n${p.endCommand(4)}\n${p.tag}:4:0\n`;
    expect(read(p, 4, echoed, 3).end).toEqual({ output: "out\n", status: 0 });
    const eaten = read(p, 5, `${p.tag}:5:ack\n${p.endCommand(5)}`, 6);
    expect(eaten.end).toBeUndefined();
    expect(eaten.consumedInput).toBe(true);
    expect(eaten.strip(eaten.text())).toBe("");
  });
});

describe("NeedleScanner", () => {
  it("finds a needle across chunk boundaries and reports the offset past it", () => {
    for (let size = 1; size <= 6; size++) {
      const s = new NeedleScanner("abcab");
      const text = "xxabcaabcabyy";
      let found = false;
      for (let i = 0; i < text.length && !found; i += size) found = s.push(text.slice(i, i + size));
      expect(s.end).toBe(11);
    }
  });
});
