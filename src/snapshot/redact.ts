// Runs a step's redact= patterns where they can be stopped: in a worker thread,
// with a time limit. A pattern that backtracks catastrophically ((a+)+$) then
// costs the step its time limit, not the runner its event loop: timeouts and
// signals keep working, and the worker is terminated (V8 stops a running match).

import { Worker } from "node:worker_threads";
import type { Redaction } from "../book/model.js";
import { applyRedactions } from "./normalize.js";

export type RedactOutcome =
  | { kind: "done"; text: string }
  /** Redaction `index` did not finish within the limit; its worker was terminated. */
  | { kind: "too-slow"; index: number; redaction: Redaction; ms: number }
  | { kind: "aborted" };

// The worker runs applyRedactions itself (its source, so there is one implementation),
// one redaction at a time, saying which one it starts.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const applyRedactions = ${applyRedactions.toString()};
parentPort.on("message", ({ id, text, redactions }) => {
  let out = text;
  for (let i = 0; i < redactions.length; i++) {
    parentPort.postMessage({ id, at: i });
    out = applyRedactions(out, [redactions[i]]);
  }
  parentPort.postMessage({ id, done: out });
});
`;

let worker: Worker | undefined;
let nextId = 0;

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
  }
  return worker;
}

/** Stops the worker (if any); the next redaction starts a new one. */
export async function stopRedactionWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (w) await w.terminate();
}

/** Applies `redactions` to `text` in order, giving up after `limitMs` or when `signal` aborts. */
export function redact(text: string, redactions: readonly Redaction[], limitMs: number, signal?: AbortSignal): Promise<RedactOutcome> {
  if (redactions.length === 0) return Promise.resolve({ kind: "done", text });
  if (signal?.aborted) return Promise.resolve({ kind: "aborted" });
  const w = getWorker();
  const id = ++nextId;
  const started = performance.now();
  return new Promise((resolve) => {
    let at = 0;
    const finish = (outcome: RedactOutcome, stop: boolean) => {
      clearTimeout(timer);
      w.off("message", onMessage);
      w.off("error", onError);
      signal?.removeEventListener("abort", onAbort);
      if (stop) {
        if (worker === w) worker = undefined;
        void w.terminate();
      } else {
        w.unref();
      }
      resolve(outcome);
    };
    const onMessage = (m: { id: number; at?: number; done?: string }) => {
      if (m.id !== id) return;
      if (m.at !== undefined) at = m.at;
      if (m.done !== undefined) finish({ kind: "done", text: m.done }, false);
    };
    const onError = () => {
      // Not expected (patterns were compiled when the chapter was read); run here instead.
      finish({ kind: "done", text: applyRedactions(text, redactions) }, true);
    };
    const onAbort = () => finish({ kind: "aborted" }, true);
    const timer = setTimeout(
      () => {
        finish({ kind: "too-slow", index: at, redaction: redactions[at]!, ms: Math.round(performance.now() - started) }, true);
      },
      Math.max(limitMs, 0),
    );
    w.on("message", onMessage);
    w.on("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
    w.ref();
    w.postMessage({ id, text, redactions });
  });
}
