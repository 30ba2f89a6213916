import { describe, expect, it } from 'vitest';
import { PortMapperError } from '../../src/dist/errors.ts';
import { SwitchboardError } from '../../src/core/errors.ts';
import { errorClassPrototype } from '../../src/core/error-classes.ts';
import { copyMessage } from '../../src/core/copy.ts';
import { decodeMessage, encodeMessage } from '../../src/codec/index.ts';

describe('PortMapperError: a registered error class', () => {
  it('has a stable code and crosses the codec and the local copy as itself, with its failure', () => {
    const err = new PortMapperError('timeout', 'lookupNode: no answer from the port mapper at 127.0.0.1:4369 within 2000 ms');
    expect(err).toBeInstanceOf(SwitchboardError);
    expect(err.name).toBe('PortMapperError');
    expect(errorClassPrototype('ERR_SB_PORT_MAPPER')).toBe(PortMapperError.prototype);
    for (const out of [decodeMessage(encodeMessage(err)), copyMessage(err)] as PortMapperError[]) {
      expect(Object.getPrototypeOf(out)).toBe(PortMapperError.prototype);
      expect(out.code).toBe('ERR_SB_PORT_MAPPER');
      expect(out.failure).toBe('timeout');
      expect(out.message).toBe(err.message);
    }
  });
});
