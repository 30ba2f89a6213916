/**
 * Same-process A/B of the 1-scheduler GenServer call loop across source trees: each tree
 * given (a checkout's root, e.g. this worktree and a worktree at main) gets its own
 * LocalNode, server and client in this one process, and the trees take turns, 5 rounds of
 * 300,000 calls each, so every tree sees the same machine load. Prints wall and process
 * CPU ns/call (min / median / max) per tree; on a loaded machine the CPU minimum is the
 * steadiest figure.
 *
 *   node scripts/run-ts.mjs native-bench/genserver-call-ab.ts /work/wt-before /work/wt-after
 *
 * Not a BEAM comparison (genserver-call.ts and the bench driver do that).
 */

const trees = process.argv.slice(2).filter((a) => a.startsWith('/'));
const calls = 300_000;
const rounds = 5;
async function load(root: string) {
  const { LocalNode } = await import(root + '/src/core/local-node.ts');
  const { GenServer, defineGenServer } = await import(root + '/src/otp/gen-server.ts');
  const { defineActor } = await import(root + '/src/core/behaviour.ts');
  const Server = defineGenServer(import.meta.url, { init: () => ({ ok: 0 }), handleCall: (_m: unknown, _f: unknown, n: number) => ({ reply: n + 1, state: n + 1 }) }, 'S' + root.replace(/\W/g, ''));
  const Client = defineActor(import.meta.url, function* (ctx: any, server: any): Generator<unknown, void, any> {
    for (;;) {
      const go = (yield ctx.receive({ type: '$call' })) as any;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < go.msg; i++) yield* GenServer.call(ctx, server, 'incr');
      const t1 = performance.now();
      const c = process.cpuUsage(c0);
      ctx.reply(go.from, [(t1 - t0) * 1e6 / go.msg, (c.user + c.system) * 1e3 / go.msg]);
    }
  }, 'C' + root.replace(/\W/g, ''));
  const node = new LocalNode();
  const server = await GenServer.start(node, Server, []);
  const client = await node.spawn(Client, [server]);
  await node.call(client, 20_000, 600_000);
  return { node, client };
}
const ls = [];
for (const t of trees) ls.push(await load(t));
const res: number[][][] = trees.map(() => [[], []]);
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < trees.length; k++) {
    const [w, c] = (await ls[k]!.node.call(ls[k]!.client, calls, 600_000)) as [number, number];
    res[k]![0]!.push(w);
    res[k]![1]!.push(c);
  }
}
const f = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return `min ${s[0]!.toFixed(0)} med ${s[s.length >> 1]!.toFixed(0)} max ${s[s.length - 1]!.toFixed(0)}`; };
trees.forEach((t, k) => console.log(t.padEnd(22), 'wall', f(res[k]![0]!), '| cpu', f(res[k]![1]!)));
for (const l of ls) await l.node.stop();
