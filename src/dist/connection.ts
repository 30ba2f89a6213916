/**
 * One peer connection of the I/O thread, from the end of its handshake to its loss: the
 * socket, its FrameWriter and FrameReader, ticks, the tick timeout, busy accounting.
 *
 *   node thread records --> owner --> message(stream, payload) --> FrameWriter --+
 *                                                                               | sink
 *   socket <------------------------------------------------------------------ -+
 *   socket 'data' --> FrameReader.push --> onMessage/onControl --> owner (records)
 *
 * Steps
 *   1. start(rest): hook the socket ('data', 'drain', 'close', 'error'), push the bytes
 *      the handshake read past its end, start the tick timer.
 *   2. Every `tickTimeMs / 4`: if nothing was read for `tickTimeMs`, lose the connection
 *      with detail 'tick_timeout'; else queue a tick (a priority frame) and flush.
 *   3. message(): queue on the stream; the owner calls flush() once per batch of records.
 *      The sink writes each chunk to the socket; the socket saying "full" makes the writer
 *      wait for 'drain', which flushes again.
 *   4. Busy: queued (writer) + unsent (socket) bytes over `maxUnsentBytes` mark the
 *      connection busy (counted once per crossing, owner.onBusy(true)); at or below half
 *      of it again, checked at every flush ('drain' included), not busy (onBusy(false)).
 *      Nothing is refused or dropped meanwhile.
 *   3b. Credit (channel-frames.ts): after each socket chunk, once kCreditEveryBytes more
 *      fragment bytes were read, the writer grants the peer that much (a priority frame)
 *      and flushes; the peer's kCredit frees our writer's window and flushes.
 *   4b. Input pause (io-service.ts): pauseReading() stops reading the socket while the
 *      node thread is behind; the tick timeout does not count meanwhile (the silence is
 *      ours). resumeReading() reads again and counts the tick time afresh from then. The
 *      peer keeps getting our frames and ticks; its unsent bytes grow until it is busy,
 *      which holds its senders (TCP carries the pushback).
 *   5. Loss, exactly once, at the first of: socket 'close' ('closed'), 'error'
 *      ('error: <message>'), a malformed frame ('error: <message>'), the tick timeout,
 *      disconnect() ('disconnect'), stop ('stop'): the timer is cleared, the socket
 *      destroyed, and owner.onDown called (the owner tells the node thread).
 */
import type { Socket } from 'node:net';
import { kCreditEveryBytes } from './channel-frames.ts';
import type { ChannelKit, KitFrameHandler, KitFrameReader, KitFrameSink, KitFrameWriter, KitPeerInfo, KitProtocol } from './channel-kit.ts';

/** What a connection reports to the one that owns it (io-service.ts). */
export interface ConnectionOwner {
  onMessage(c: Connection, stream: number, payload: Uint8Array): void;
  onControl(c: Connection, body: Uint8Array): void;
  /** After a batch of socket input was handled (publish what onMessage queued). */
  onInputDone(c: Connection): void;
  onDown(c: Connection, detail: string): void;
  /** Busy (above maxUnsentBytes) or not busy again (below half of it): the node thread holds or resumes senders. */
  onBusy(c: Connection, busy: boolean): void;
  /** The peer sent bytes that are not frames (a FrameError): the connection closes next. */
  onBadInput(c: Connection, e: unknown): void;
}

export interface ConnectionSettings {
  readonly tickTimeMs: number;
  readonly fragmentBytes: number;
  readonly maxUnsentBytes: number;
}

export interface ConnectionStats {
  readonly conn: number;
  readonly name: string;
  readonly bytesIn: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  readonly ticksOut: number;
  readonly busy: boolean;
  readonly busyEvents: number;
  readonly queuedBytes: number;
  readonly unsentBytes: number;
}

export class Connection implements KitFrameHandler, KitFrameSink {
  readonly conn: number;
  readonly peer: KitPeerInfo;
  /** Did this node initiate the connection? */
  readonly outgoing: boolean;
  readonly socket: Socket;
  private readonly writer: KitFrameWriter;
  private readonly reader: KitFrameReader;
  private readonly owner: ConnectionOwner;
  private readonly settings: ConnectionSettings;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastHeard = 0;
  private down = false;
  private busy = false;
  /** Step 4b. */
  private readPaused = false;
  /** Something was written since the last tick timer (step 2 then sends no tick). */
  private wroteSinceTick = false;
  private busyEvents = 0;
  /** Fragment bytes read that credit was granted for (step 3b). */
  private credited = 0;
  private bytesIn = 0;
  private messagesIn = 0;
  private messagesOut = 0;
  private ticksOut = 0;
  private readonly onData: (chunk: Buffer) => void;
  private readonly onDrain: () => void;

  /** The protocol its frames are (io-service.ts step 6b). */
  readonly protocol: KitProtocol;

  constructor(kit: ChannelKit, socket: Socket, peer: KitPeerInfo, conn: number, outgoing: boolean, owner: ConnectionOwner, settings: ConnectionSettings, protocol: KitProtocol = 'switchboard') {
    this.conn = conn;
    this.protocol = protocol;
    this.peer = peer;
    this.outgoing = outgoing;
    this.socket = socket;
    this.owner = owner;
    this.settings = settings;
    this.writer = kit.createWriter(this, { fragmentBytes: settings.fragmentBytes, peerFlags: peer.flags });
    this.reader = kit.createReader(this);
    this.onData = (chunk) => this.input(chunk);
    this.onDrain = () => this.flush();
  }

  /** Step 1. */
  start(rest: Uint8Array): void {
    const s = this.socket;
    s.setNoDelay(true);
    s.on('data', this.onData);
    s.on('drain', this.onDrain);
    s.once('close', () => this.lose('closed'));
    s.on('error', (e: Error) => this.lose(`error: ${e.message}`));
    this.lastHeard = performance.now();
    const every = Math.max(1, Math.floor(this.settings.tickTimeMs / 4));
    this.timer = setInterval(() => this.onTickTimer(), every);
    if (rest.length > 0) this.input(rest);
    if (s.isPaused()) s.resume();
  }

  get isDown(): boolean {
    return this.down;
  }

  /** Step 4b: stop reading the socket (idempotent). */
  pauseReading(): void {
    if (this.down || this.readPaused) return;
    this.readPaused = true;
    this.socket.pause();
  }

  /** Step 4b: read again; the tick time counts from now. */
  resumeReading(): void {
    if (!this.readPaused) return;
    this.readPaused = false;
    this.lastHeard = performance.now();
    if (!this.down) this.socket.resume();
  }

  /** Step 3: queue a message; takes ownership of `payload`. */
  message(stream: number, payload: Uint8Array): void {
    if (this.down) return;
    this.messagesOut++;
    this.writer.message(stream, payload);
  }

  /** Queue a node-level control frame (priority). */
  control(body: Uint8Array): void {
    if (this.down) return;
    this.writer.control(body);
  }

  /** Write what is queued (as far as the socket takes it), then account busy (step 4). */
  flush(): void {
    if (this.down) return;
    this.writer.flush();
    const unsent = this.writer.queuedBytes + this.socket.writableLength;
    if (unsent > this.settings.maxUnsentBytes) {
      if (!this.busy) {
        this.busy = true;
        this.busyEvents++;
        this.owner.onBusy(this, true);
      }
    } else if (this.busy && unsent <= this.settings.maxUnsentBytes / 2) {
      // Hysteresis: not busy again only below half the bound, so a sender is not held and
      // resumed on every write.
      this.busy = false;
      this.owner.onBusy(this, false);
    }
  }

  /** Step 5 from the node thread's disconnect (or stop): lose the connection now. */
  disconnect(detail: string): void {
    this.lose(detail);
  }

  stats(): ConnectionStats {
    return {
      conn: this.conn,
      name: this.peer.name,
      bytesIn: this.bytesIn,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      ticksOut: this.ticksOut,
      busy: this.busy,
      busyEvents: this.busyEvents,
      queuedBytes: this.writer.queuedBytes,
      unsentBytes: this.socket.writableLength,
    };
  }

  // FrameSink (step 3): each chunk to the socket; false when it wants a 'drain'.
  write(chunks: Uint8Array[]): boolean {
    const s = this.socket;
    if (s.destroyed) return false;
    let ok = true;
    this.wroteSinceTick = true;
    // One writev for the batch: the chunks reach the kernel together.
    s.cork();
    for (let i = 0; i < chunks.length; i++) ok = s.write(chunks[i]!);
    s.uncork();
    return ok;
  }

  // FrameHandler.
  onTick(): void {
    // Hearing anything resets the tick timeout (input()); a tick needs no more.
  }

  onControl(body: Uint8Array): void {
    this.owner.onControl(this, body);
  }

  onCredit(bytes: number): void {
    this.writer.credit?.(bytes);
    this.flush();
  }

  onMessage(stream: number, payload: Uint8Array): void {
    this.messagesIn++;
    this.owner.onMessage(this, stream, payload);
  }

  private input(chunk: Uint8Array): void {
    if (this.down) return;
    this.lastHeard = performance.now();
    this.bytesIn += chunk.length;
    try {
      this.reader.push(chunk);
    } catch (e) {
      this.owner.onInputDone(this);
      this.owner.onBadInput(this, e);
      this.lose(`error: ${(e as Error).message}`);
      return;
    }
    const read = this.reader.fragmentBytesRead;
    if (read !== undefined && read - this.credited >= kCreditEveryBytes && this.writer.grantCredit !== undefined) {
      this.writer.grantCredit(read - this.credited);
      this.credited = read;
      this.flush();
    }
    this.owner.onInputDone(this);
  }

  /** Step 2. */
  private onTickTimer(): void {
    if (this.down) return;
    if (!this.readPaused && performance.now() - this.lastHeard >= this.settings.tickTimeMs) {
      this.lose('tick_timeout');
      return;
    }
    // Frames went out since the last timer and none wait in the socket: the peer hears
    // them, a tick would tell it nothing (Erlang's net_kernel ticks only idle links too).
    if (this.wroteSinceTick && this.socket.writableLength === 0) {
      this.wroteSinceTick = false;
      return;
    }
    this.ticksOut++;
    this.writer.tick();
    this.flush();
    this.wroteSinceTick = false; // the tick itself does not count as traffic
  }

  /** Step 5. */
  private lose(detail: string): void {
    if (this.down) return;
    this.down = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.socket.off('data', this.onData);
    this.socket.off('drain', this.onDrain);
    this.socket.on('error', () => {}); // late errors of a destroyed socket are not ours any more
    this.socket.destroy();
    this.owner.onDown(this, detail);
  }
}
