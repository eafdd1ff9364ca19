// Public payloads are plain JSON: the codec compresses nothing, and only decodes `binary/gzip`
// payloads earlier versions wrote (src/codec.ts).
import { gzipSync } from 'node:zlib';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { LegacyGzipDecoder } from '../src/codec';

const big = { resources: Array.from({ length: 5_000 }, (_, i) => ({ id: `i-${i}`, outcome: 'deleted' })) };

it('leaves every payload as plain JSON, however large', async () => {
  const payload = defaultPayloadConverter.toPayload(big);
  const [encoded] = await new LegacyGzipDecoder().encode([payload]);
  expect(new TextDecoder().decode(encoded!.metadata!.encoding!)).toBe('json/plain');
  expect(encoded).toBe(payload);
});

it('still decodes a gzip payload an earlier version wrote', async () => {
  const inner = defaultPayloadConverter.toPayload(big);
  const legacy = {
    metadata: { encoding: new TextEncoder().encode('binary/gzip') },
    data: gzipSync(temporal.api.common.v1.Payload.encode(inner).finish()),
  };
  const [decoded] = await new LegacyGzipDecoder().decode([legacy]);
  expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(big);
});
