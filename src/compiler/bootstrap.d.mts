import type { LoaderData } from './loader.ts';

/** URL of the hooks module to register: `loader.js` from a build, else a bundled `data:` URL. */
export declare function loaderSpecifier(): Promise<string>;
/** Register Switchboard's module hooks in this process and enable source maps. */
export declare function registerSwitchboardLoader(data?: LoaderData): Promise<void>;
/** The hooks registerSwitchboardLoader registered in this thread, or null. */
export declare function registeredLoader(): { readonly specifier: string; readonly data: LoaderData } | null;
