// `node --import ./src/compiler/register.mjs app.ts`: TypeScript and reduction counting
// (for modules that opt in) without a build step. See loader.ts.
import { registerSwitchboardLoader } from './bootstrap.mjs';

await registerSwitchboardLoader();
