// Finding a step's end, as its output grows: 10, 20 and 40 MB steps.
// (1) end to end: a real bash terminal runs `yes ... | head -c SIZE`; the
//     runner's own step time (ack sent → end marker seen, output joined).
// (2) the scan alone, side by side on the same recorded chunks: the reader the
//     terminal uses (StepReader, each byte looked at once) and the earlier way
//     (append each chunk to one string, search it again from the step's start).
// Median of ROUNDS (default 3) runs each. Linear means: twice the output, twice the time.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmt, median, ROOT } from "./lib.mjs";

const { Terminal } = await import(join(ROOT, "dist/lib/terminal/terminal.js"));
const { MarkerProtocol } = await import(join(ROOT, "dist/lib/terminal/marker.js"));

const MB = 1024 * 1024;
const command = (size) => `yes 0123456789abcde | head -c ${size}\n`;

/** The output of `command` as the terminal would receive it: 64 KiB pipe chunks. */
function chunksOf(size, protocol, seq) {
  const out = spawnSync("sh", ["-c", command(size)], { maxBuffer: size + MB }).stdout.toString("latin1");
  const stream = `${protocol.ackNeedle(seq)}${out}\n${protocol.tag}:${seq}:0\n`;
  const chunks = [];
  for (let i = 0; i < stream.length; i += 65536) chunks.push(stream.slice(i, i + 65536));
  return chunks;
}

function scanNew(protocol, seq, chunks) {
  const t0 = performance.now();
  const r = protocol.reader(seq);
  for (const c of chunks) r.push(c);
  if (!r.end) throw new Error("end not found");
  return performance.now() - t0;
}

/** The earlier scan: one growing string, searched from the step's start after every chunk. */
function scanOld(protocol, seq, chunks) {
  const t0 = performance.now();
  const ack = protocol.ackNeedle(seq);
  const needle = protocol.endNeedle(seq);
  let buffer = "";
  let start = -1;
  let found = false;
  for (const c of chunks) {
    buffer += c;
    if (start < 0) {
      const i = buffer.indexOf(ack);
      if (i < 0) continue;
      start = i + ack.length;
    }
    const at = buffer.indexOf(needle, start);
    if (at >= 0 && buffer.indexOf("\n", at + needle.length) >= 0) {
      buffer.slice(start, at);
      found = true;
      break;
    }
  }
  if (!found) throw new Error("end not found");
  return performance.now() - t0;
}

export async function endDetection({ rounds = 3, sizesMb = [10, 20, 40] } = {}) {
  const cwd = mkdtempSync(join(tmpdir(), "consh-bench-end-"));
  const rows = [];
  try {
    for (const mb of sizesMb) {
      const size = mb * MB;
      const endToEnd = [];
      for (let i = 0; i < rounds; i++) {
        const t = Terminal.start({ name: "bench", cwd, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, shell: ["bash", "--noprofile", "--norc"] });
        const r = await t.run({ text: command(size), timeoutMs: 300_000 });
        await t.kill();
        if (r.kind !== "done" || r.output.length !== size) throw new Error(`the ${mb} MB step did not end as expected (${r.kind})`);
        endToEnd.push(r.durationMs);
      }
      const protocol = new MarkerProtocol();
      const chunks = chunksOf(size, protocol, 1);
      const scanNewMs = [];
      const scanOldMs = [];
      for (let i = 0; i < rounds; i++) {
        scanNewMs.push(scanNew(protocol, 1, chunks));
        scanOldMs.push(scanOld(protocol, 1, chunks));
      }
      rows.push({ mb, endToEnd: median(endToEnd), scanNew: median(scanNewMs), scanOld: median(scanOldMs) });
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  return { rounds, rows };
}

export function printEndDetection(r) {
  console.log(`Finding a step's end (median of ${r.rounds} runs each; ms)`);
  console.log("  output   step in a bash terminal   ms/MB   scan: StepReader   earlier scan   earlier/StepReader");
  for (const row of r.rows) {
    console.log(
      `  ${String(row.mb).padStart(3)} MB   ${fmt(row.endToEnd, 0).padStart(23)}   ${fmt(row.endToEnd / row.mb, 1).padStart(5)}   ${fmt(row.scanNew, 1).padStart(16)}   ${fmt(row.scanOld, 0).padStart(12)}   ${fmt(row.scanOld / row.scanNew, 0).padStart(18)}`,
    );
  }
  const [a, , c] = r.rows;
  if (a && c) {
    const k = c.mb / a.mb;
    console.log(
      `  ${c.mb} MB / ${a.mb} MB (${k}x the output): step ${fmt(c.endToEnd / a.endToEnd, 2)}x, StepReader ${fmt(c.scanNew / a.scanNew, 2)}x, earlier scan ${fmt(c.scanOld / a.scanOld, 2)}x`,
    );
    console.log(`  target: linear (step time ratio <= ${fmt(k * 1.3, 1)}): ${c.endToEnd / a.endToEnd <= k * 1.3 ? "met" : "MISSED"}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printEndDetection(await endDetection({ rounds: Number(process.env.ROUNDS ?? 3) }));
