import { describe, expect, it } from 'vitest';
import { Pid } from '../../src/core/pid.ts';
import { Router, kRouteHere, kRouteNode, kRouteThread, type Transport } from '../../src/core/router.ts';

const t = (): Transport => ({ send() {}, exit() {}, link() {}, unlink() {}, monitor() {}, demonitor() {}, down() {} });

describe('router: where a pid lives', () => {
  it('node index, then owner endpoint by id % stride, then moved-out ids', () => {
    const thread = t();
    const node = t();
    const moved = new Set([5]);
    const r = new Router(1, 4, thread, node, moved);
    expect(r.route(new Pid(0, 1, 0))).toBe(kRouteHere);
    expect(r.route(new Pid(0, 2, 0))).toBe(kRouteThread);
    expect(r.route(new Pid(0, 5, 0))).toBe(kRouteThread); // ours, moved away
    expect(r.route(new Pid(3, 1, 0))).toBe(kRouteNode);
    expect(r.transportFor(new Pid(0, 1, 0))).toBe(null);
    expect(r.transportFor(new Pid(0, 2, 0))).toBe(thread);
    expect(r.transportFor(new Pid(0, 5, 0))).toBe(thread);
    expect(r.transportFor(new Pid(3, 1, 0))).toBe(node);
  });

  it('without transports nothing is carried', () => {
    const r = new Router(0, 1, null, null, null);
    expect(r.transportFor(new Pid(0, 3, 0))).toBe(null);
    expect(r.transportFor(new Pid(1, 3, 0))).toBe(null);
    expect(r.route(new Pid(1, 3, 0))).toBe(kRouteNode);
  });
});
