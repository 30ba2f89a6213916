/**
 * How a module-defined behaviour is named to another node for a remote spawn: relative to
 * the sender's code root, resolved against the receiver's, never as a file URL of the
 * sender's machine (the nodes may run from different directories or hosts).
 *
 *   sender                                    wire                   receiver
 *   file:///srv/a/app/echo.ts  (root /srv/a/)  'root:app/echo.ts'  -> file:///home/b/app/echo.ts (root /home/b/)
 *   'some-package/actors.js'                   'some-package/actors.js' (bare: as is)
 *   file:///elsewhere/x.ts (outside the root)  refused on the sender (NotPortableError)
 */
import { pathToFileURL } from 'node:url';
import { BadArgError } from '../core/errors.ts';
import { NotPortableError } from '../threads/errors.ts';

const kRootPrefix = 'root:';

/** The code root as a directory URL ending in '/'. */
export function codeRootUrl(root: string): string {
  const u = root.startsWith('file:') ? root : pathToFileURL(root).href;
  return u.endsWith('/') ? u : u + '/';
}

/** The wire name of module `url` (step "sender" above). @throws NotPortableError */
export function portableModule(url: string, rootUrl: string): string {
  if (!url.startsWith('file:')) {
    if (url.startsWith('data:') || url.startsWith('node:')) throw new NotPortableError(`spawn on a node: module ${url} cannot be loaded by another node`);
    return url;
  }
  if (!url.startsWith(rootUrl)) {
    throw new NotPortableError(`spawn on a node: module ${url} is outside this node's code root ${rootUrl} (set dist.codeRoot)`);
  }
  return kRootPrefix + url.slice(rootUrl.length);
}

/** The URL to import for wire name `name` (step "receiver"). @throws BadArgError */
export function resolveModule(name: string, rootUrl: string): string {
  if (name.startsWith(kRootPrefix)) {
    const rel = name.slice(kRootPrefix.length);
    if (rel === '' || rel.startsWith('/') || rel.split('/').includes('..')) throw new BadArgError(`spawn request: module ${name} leaves the code root`);
    return new URL(rel, rootUrl).href;
  }
  if (name.startsWith('file:') || name.startsWith('data:') || name.startsWith('node:') || name.startsWith('.') || name.startsWith('/')) {
    throw new BadArgError(`spawn request: module ${name} is not relative to the code root nor a package name`);
  }
  return name;
}
