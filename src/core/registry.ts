/**
 * Registry: the node's local names (Erlang's register/unregister/whereis).
 *
 * A name maps to one pid and a pid has at most one name. The scheduler frees a name
 * when its process starts exiting, before links and monitors fire, so a supervisor
 * restarting the process can register the name again right away.
 */
import { BadArgError, NameTakenError } from './errors.ts';
import type { Pid } from './pid.ts';

export class Registry {
  private readonly names = new Map<string, Pid>();

  /** Throw if `name` is not a valid name or is taken. */
  check(name: string): void {
    if (typeof name !== 'string' || name.length === 0) {
      throw new BadArgError(`register: name must be a non-empty string, got ${typeof name === 'string' ? '""' : typeof name}`);
    }
    if (this.names.has(name)) throw new NameTakenError(name);
  }

  add(name: string, pid: Pid): void {
    this.check(name);
    this.names.set(name, pid);
  }

  /** Remove `name`; with `pid`, only if the name still maps to that process. */
  remove(name: string, pid?: Pid): void {
    if (pid !== undefined && this.names.get(name) !== pid) return;
    this.names.delete(name);
  }

  whereis(name: string): Pid | undefined {
    return this.names.get(name);
  }

  registered(): string[] {
    return [...this.names.keys()];
  }
}
