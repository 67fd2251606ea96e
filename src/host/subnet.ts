// A private /24 for a run's veth pairs that no route of the host already touches.

import { randomInt } from "../util/random.js";
import { readFileSync } from "node:fs";

/** IPv4 routes of this network namespace as [network, mask] (default route left out). */
function routes(): [number, number][] {
  let text = "";
  try {
    text = readFileSync("/proc/net/route", "utf8");
  } catch {
    return [];
  }
  const swap = (hex: string) => Buffer.from(hex, "hex").readUInt32LE(0) >>> 0;
  return text
    .split("\n")
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 8)
    .map((f): [number, number] => [swap(f[1]!), swap(f[7]!)])
    .filter(([, mask]) => mask !== 0);
}

/** A /24 in 10.200.0.0/13 that no route of the host touches, picked at random. */
export function pickFreeSubnet(taken = routes()): string | undefined {
  for (let tries = 0; tries < 64; tries++) {
    const a = 200 + randomInt(8);
    const b = randomInt(256);
    const net = ((10 << 24) | (a << 16) | (b << 8)) >>> 0;
    const mask = 0xffffff00;
    const clash = taken.some(([rnet, rmask]) => {
      const m = (rmask & mask) >>> 0;
      return (rnet & m) >>> 0 === (net & m) >>> 0;
    });
    if (!clash) return `10.${a}.${b}`;
  }
  return undefined;
}
