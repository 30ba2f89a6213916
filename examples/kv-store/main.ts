/**
 * Run the key-value store example: node scripts/run-ts.mjs examples/kv-store/main.ts [sessions]
 */
import { runDemo } from './demo.ts';

const n = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
const result = await runDemo((line) => console.log(line), n);
console.log(JSON.stringify(result));
