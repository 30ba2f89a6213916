/**
 * Which port mapper a node uses: the one that answers on the port (the real `epmd`, or
 * another process's embedded one), else an embedded one started here.
 *
 *   1. ask for the names (NAMES_REQ) at host:port; an answer means a port mapper runs
 *      there: use it ('external');
 *   2. the connection is refused: start the embedded server on that port ('embedded');
 *   3. that fails because the port was taken meanwhile (another node won the race):
 *      ask once more, and use the winner ('external').
 * Any other failure (a timeout, a bad answer: something else holds the port) rejects
 * with its PortMapperError.
 *
 * An embedded server lives in the process that started it (the caller closes it). When
 * that process stops, every other node's registration in it ends (their
 * `registration.closed` resolves): a node that wants to stay registered runs
 * ensurePortMapper + registerNode again, and one of them becomes the new embedded server.
 */
import { listNames, DEFAULT_PORT_MAPPER_HOST, DEFAULT_PORT_MAPPER_PORT, DEFAULT_PORT_MAPPER_TIMEOUT_MS } from './port-mapper-client.ts';
import { PortMapperServer, startPortMapper } from './port-mapper-server.ts';
import { PortMapperError } from './errors.ts';
import { checkOptions, isInteger, type OptionCheck } from '../core/options.ts';

export interface EnsurePortMapperOptions {
  host?: string;
  port?: number;
  timeoutMs?: number;
}

export type EnsuredPortMapper =
  | { readonly kind: 'external'; readonly host: string; readonly port: number }
  | { readonly kind: 'embedded'; readonly host: string; readonly port: number; readonly server: PortMapperServer };

const kChecks: Record<string, OptionCheck> = {
  host: (v) => (typeof v === 'string' && v !== '' ? null : 'must be a non-empty string'),
  port: (v) => (isInteger(v) && v >= 1 && v <= 65535 ? null : 'must be an integer in 1..65535'),
  timeoutMs: (v) => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? null : 'must be a positive finite number of milliseconds'),
};

export async function ensurePortMapper(options?: EnsurePortMapperOptions): Promise<EnsuredPortMapper> {
  checkOptions('ensurePortMapper', kChecks, options);
  const host = options?.host ?? DEFAULT_PORT_MAPPER_HOST;
  const port = options?.port ?? DEFAULT_PORT_MAPPER_PORT;
  const timeoutMs = options?.timeoutMs ?? DEFAULT_PORT_MAPPER_TIMEOUT_MS;
  const external = async (): Promise<EnsuredPortMapper> => {
    await listNames({ host, port, timeoutMs });
    return { kind: 'external', host, port };
  };
  try {
    return await external();
  } catch (err) {
    if (!(err instanceof PortMapperError) || err.failure !== 'refused') throw err;
  }
  try {
    const server = await startPortMapper({ host, port });
    return { kind: 'embedded', host, port, server };
  } catch (err) {
    const code = (err as { cause?: NodeJS.ErrnoException }).cause?.code;
    if (!(err instanceof PortMapperError) || code !== 'EADDRINUSE') throw err;
  }
  return external();
}
