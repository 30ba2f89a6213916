/**
 * The TTY side of `switchboard top`: plain ANSI escape sequences, no dependency.
 *
 *   open():  1. switch to the alternate screen (CSI ?1049h) and hide the cursor (CSI ?25l),
 *            2. put stdin in raw mode (keys arrive one by one, Ctrl-C as a byte), resume it.
 *   draw():  cursor home (CSI H), each line followed by erase-to-end-of-line (CSI K), the
 *            actor table's header in reverse video (CSI 7m .. CSI 0m), then erase below
 *            (CSI J): the frame is overwritten in place, no flicker of a full clear.
 *   close(): raw mode off, stdin paused, cursor shown, back to the main screen (the
 *            shell's screen is as it was). Idempotent; also safe if open() never ran.
 */
import type { TopFrame } from './render.ts';

/** The parts of process.stdin / process.stdout the screen uses. */
export interface TtyIn {
  setRawMode(on: boolean): unknown;
  resume(): unknown;
  pause(): unknown;
  setEncoding(enc: BufferEncoding): unknown;
  on(ev: 'data', l: (d: string) => void): unknown;
  off(ev: 'data', l: (d: string) => void): unknown;
}
export interface TtyOut {
  write(s: string): unknown;
  readonly columns?: number;
  readonly rows?: number;
}

const CSI = '\u001b[';

export class TerminalScreen {
  private opened = false;
  private onData: ((d: string) => void) | null = null;

  constructor(private readonly input: TtyIn, private readonly output: TtyOut) {}

  get width(): number {
    return this.output.columns ?? 80;
  }

  get height(): number {
    return this.output.rows ?? 24;
  }

  open(onKeys: (chunk: string) => void): void {
    if (this.opened) return;
    this.opened = true;
    this.output.write(`${CSI}?1049h${CSI}?25l`);
    this.input.setRawMode(true);
    this.input.setEncoding('utf8');
    this.onData = onKeys;
    this.input.on('data', onKeys);
    this.input.resume();
  }

  draw(frame: TopFrame): void {
    let s = `${CSI}H`;
    frame.lines.forEach((l, i) => {
      s += (i === frame.tableHeader ? `${CSI}7m${l}${CSI}0m` : l) + `${CSI}K\r\n`;
    });
    this.output.write(s + `${CSI}J`);
  }

  close(): void {
    if (!this.opened) return;
    this.opened = false;
    if (this.onData !== null) this.input.off('data', this.onData);
    this.input.setRawMode(false);
    this.input.pause();
    this.output.write(`${CSI}?25h${CSI}?1049l`);
  }
}
