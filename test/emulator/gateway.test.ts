// The gateway's chain: steps in order, the first answer stops it, the steps that ran see the
// answer last-first, a step that throws answers InternalError; and a custom list composes.
import { runChain, type Answer, type Exchange, type GatewayStep } from '../../src/emulator/gateway/chain';
import { DEFAULT_STEPS } from '../../src/emulator/gateway';
import { EmulatorCore } from '../../src/emulator/core';
import { alibabaFamily } from '../../src/emulator/alibabacloud/family';
import { EmulatorApiError } from '../../src/emulator/types';

const core = new EmulatorCore([alibabaFamily], []);
const exchange = (): Exchange => ({
  family: alibabaFamily,
  raw: { method: 'POST', path: '/', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) },
  requestId: 'req-1',
});

function recorder(log: string[], name: string, answers?: Answer): GatewayStep {
  return {
    name,
    request: () => {
      log.push(`request ${name}`);
      return answers;
    },
    response: (_ex, final) => {
      log.push(`response ${name} ${final.outcome.ok ? 'ok' : final.outcome.error.code}`);
    },
  };
}

describe('the gateway chain', () => {
  it('is authenticate, model, in-flight, quota, faults, idempotency, latency, handler', () => {
    expect(DEFAULT_STEPS.map((s) => s.name)).toEqual([
      'authenticate',
      'model',
      'in-flight',
      'quota',
      'faults',
      'idempotency',
      'latency',
      'handler',
    ]);
  });

  it('stops at the first answer; the steps that ran see it last-first', async () => {
    const log: string[] = [];
    const refusal: Answer = {
      outcome: { ok: false, error: new EmulatorApiError(400, 'No', 'no') },
      kind: 'normal',
    };
    const final = await runChain(
      [recorder(log, 'a'), recorder(log, 'b', refusal), recorder(log, 'c')],
      exchange(),
      core,
    );
    expect(final).toBe(refusal);
    expect(log).toEqual(['request a', 'request b', 'response b No', 'response a No']);
  });

  it('answers InternalError for a step that throws, and the provider code for an EmulatorApiError', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const bug: GatewayStep = {
      name: 'bug',
      request: () => {
        throw new TypeError('oops');
      },
    };
    const final = await runChain([bug], exchange(), core);
    expect(final.outcome).toMatchObject({ ok: false, error: { code: 'InternalError', httpStatus: 500 } });
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    const refusing: GatewayStep = {
      name: 'refusing',
      request: () => {
        throw new EmulatorApiError(403, 'Forbidden', 'no');
      },
    };
    expect((await runChain([refusing], exchange(), core)).outcome).toMatchObject({
      error: { code: 'Forbidden' },
    });
    // A chain where nobody answers is a wiring bug, still answered.
    expect((await runChain([], exchange(), core)).outcome).toMatchObject({
      error: { code: 'InternalError' },
    });
  });
});
