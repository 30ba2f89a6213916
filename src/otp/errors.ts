/**
 * Errors raised by the OTP layer (GenServer, Supervisor, Application, sys).
 *
 * Every class extends the core `SwitchboardError` and has a stable `code`. The core errors
 * a call can end with are reused as they are: `NoProcError` (the server is dead or the
 * name unregistered), `CallTimeoutError` (no reply in time; the late reply is dropped),
 * `CallExitError` (the server exited before replying; carries the reason).
 *
 * Exit reasons are data, not errors: the OTP layer's structured reasons are listed in
 * `reasons` below (tagged by `kind`, as in src/core/reason.ts).
 */
import { SwitchboardError } from '../core/errors.ts';
import { registerErrorClass } from '../core/error-classes.ts';

/** A child spec or supervisor flags object is invalid. The message names the field. */
export class InvalidChildSpecError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_CHILD_SPEC', message);
  }
}

/** A GenServer's (or supervisor's) init returned `{ stop }`, threw, or its start timed out. */
export class StartFailedError extends SwitchboardError {
  readonly reason: unknown;
  constructor(reason: unknown, message = `the process failed to start: ${describeReason(reason)}`) {
    super('ERR_SB_START_FAILED', message);
    this.reason = reason;
  }
}

/** An application, or one of its dependencies, is not defined (by name). */
export class UndefinedApplicationError extends SwitchboardError {
  readonly application: string;
  constructor(application: string, message: string) {
    super('ERR_SB_UNDEF_APPLICATION', message);
    this.application = application;
  }
}

/** An application definition is invalid (the message names the field). */
export class InvalidApplicationError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_INVALID_APPLICATION', message);
  }
}

/** `Application.start` of an application already running on that node. */
export class AlreadyStartedError extends SwitchboardError {
  readonly application: string;
  constructor(application: string) {
    super('ERR_SB_ALREADY_STARTED', `application "${application}" is already started on this node`);
    this.application = application;
  }
}

/** `Application.stop` / `getEnv`-style query of an application that is not running. */
export class NotStartedError extends SwitchboardError {
  readonly application: string;
  constructor(application: string) {
    super('ERR_SB_NOT_STARTED', `application "${application}" is not started on this node`);
    this.application = application;
  }
}

/** Shutdown reason of a supervisor that gave up: `{ kind: 'shutdown', reason }`. */
export interface ShutdownReason {
  readonly kind: 'shutdown';
  readonly reason: unknown;
}

export function shutdownReason(reason: unknown): ShutdownReason {
  return Object.freeze({ kind: 'shutdown', reason });
}

/** Is this exit reason a clean shutdown ('normal', 'shutdown', `{ kind: 'shutdown' }`)? */
export function isCleanExit(reason: unknown): boolean {
  return reason === 'normal' || reason === 'shutdown' || (typeof reason === 'object' && reason !== null && (reason as { kind?: unknown }).kind === 'shutdown');
}

export function describeReason(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  try {
    return JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}

// Cross threads and nodes as themselves (core/error-classes.ts).
registerErrorClass('ERR_SB_CHILD_SPEC', InvalidChildSpecError);
registerErrorClass('ERR_SB_START_FAILED', StartFailedError);
registerErrorClass('ERR_SB_UNDEF_APPLICATION', UndefinedApplicationError);
registerErrorClass('ERR_SB_INVALID_APPLICATION', InvalidApplicationError);
registerErrorClass('ERR_SB_ALREADY_STARTED', AlreadyStartedError);
registerErrorClass('ERR_SB_NOT_STARTED', NotStartedError);
