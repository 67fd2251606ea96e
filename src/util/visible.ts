// Makes untrusted text (chapter prose, titles, step output, messages) safe to print:
// control characters become visible escapes instead of commands to the terminal.

// C0 controls except tab and newline, DEL, and the C1 controls (U+0080..U+009F).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function escapeOne(ch: string): string {
  return `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

/**
 * `text` with every control character shown as `\xHH` (ESC → `\x1b`, CR → `\x0d`).
 * Tab and newline are kept; so is everything printable. Apply it to untrusted text
 * before the tool's own colours are added, never to the coloured result.
 */
export function visible(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** true if `text` holds a character `visible` would escape. */
export function hasControl(text: string): boolean {
  CONTROL.lastIndex = 0;
  const found = CONTROL.test(text);
  CONTROL.lastIndex = 0;
  return found;
}
