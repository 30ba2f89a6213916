/**
 * Errors raised by Switchboard.
 *
 * One base class, `SwitchboardError`, with a stable string `code`; one subclass per
 * condition. Catch by class (`instanceof NoProcError`) or by code (`err.code ===
 * 'ERR_SB_NOPROC'`); the codes never change meaning once published.
 *
 * Exit *reasons* are not errors: they are tagged data (see `reason.ts`).
 */

export class SwitchboardError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The target process does not exist (never existed, or has exited). */
export class NoProcError extends SwitchboardError {
  readonly target: unknown;
  constructor(target: unknown, message = `no such process: ${describeTarget(target)}`) {
    super('ERR_SB_NOPROC', message);
    this.target = target;
  }
}

/** An argument is of the wrong type or out of range. The message names it. */
export class BadArgError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_BADARG', message);
  }
}

/** An option passed to a constructor or a spawn is invalid. The message names it. */
export class InvalidOptionError extends SwitchboardError {
  readonly option: string;
  constructor(option: string, message: string) {
    super('ERR_SB_INVALID_OPTION', message);
    this.option = option;
  }
}

/** A call got no reply within its timeout. A late reply is dropped, never delivered. */
export class CallTimeoutError extends SwitchboardError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super('ERR_SB_CALL_TIMEOUT', `call timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The callee exited before replying; `reason` is its exit reason. */
export class CallExitError extends SwitchboardError {
  readonly reason: unknown;
  constructor(reason: unknown) {
    super('ERR_SB_CALL_EXIT', `the called process exited: ${formatReasonShort(reason)}`);
    this.reason = reason;
  }
}

/** `register` with a name already taken, or a process already registered. */
export class NameTakenError extends SwitchboardError {
  readonly registeredName: string;
  constructor(name: string, message = `name already registered: ${name}`) {
    super('ERR_SB_NAME_TAKEN', message);
    this.registeredName = name;
  }
}

/** Send or `unregister` to a name that is not registered. */
export class NotRegisteredError extends SwitchboardError {
  readonly registeredName: string;
  constructor(name: string) {
    super('ERR_SB_NOT_REGISTERED', `name not registered: ${name}`);
    this.registeredName = name;
  }
}

/** A value that cannot be sent (functions, symbols, unregistered class instances). */
export class UnsendableError extends SwitchboardError {
  readonly path: string;
  constructor(path: string, what: string) {
    super('ERR_SB_UNSENDABLE', `cannot send ${what} at ${path}`);
    this.path = path;
  }
}

/** A behaviour could not be resolved from its module and export name. */
export class UndefinedBehaviourError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_UNDEF', message);
  }
}

/** The node (or scheduler) is not running: it was never started, or was stopped. */
export class NotRunningError extends SwitchboardError {
  constructor(message = 'the node is not running') {
    super('ERR_SB_NOT_RUNNING', message);
  }
}

/** A distribution operation (connectNode, monitorNode, spawn on a node, ...) on a node started without a name. */
export class NotDistributedError extends SwitchboardError {
  constructor(api: string) {
    super('ERR_SB_NOT_DISTRIBUTED', `${api}: this node has no name (start it with startNode({ name, cookie }) to use distribution)`);
  }
}

/** A context method was used outside the actor that owns it (e.g. after `await`). */
export class NotInActorError extends SwitchboardError {
  constructor(method: string) {
    super('ERR_SB_NOT_IN_ACTOR', `ctx.${method}() called while its actor is not running`);
  }
}

function formatReasonShort(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  if (reason !== null && typeof reason === 'object' && 'kind' in reason) {
    return String((reason as { kind: unknown }).kind);
  }
  try {
    return JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}

/** A call's or monitor's target in words: a pid or name as itself, `{ name, node }` as `name on node`. */
function describeTarget(t: unknown): string {
  if (typeof t === 'object' && t !== null) {
    const r = t as { name?: unknown; node?: unknown };
    if (typeof r.name === 'string' && typeof r.node === 'string' && !('id' in t)) return `${r.name} on ${r.node}`;
    const g = (t as { global?: unknown }).global;
    if (typeof g === 'string') return `{ global: ${JSON.stringify(g)} }`;
  }
  return String(t);
}
