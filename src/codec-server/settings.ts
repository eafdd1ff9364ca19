// Settings of the codec server (`npm run codec-server`), environment only:
//   TEARDOWN_CODEC_ADDRESS       host:port to listen on (default 127.0.0.1:8888; port 0 picks one)
//   TEARDOWN_CODEC_CORS_ORIGINS  comma-separated origins of the Temporal UI allowed to call it
//                                (default the dev server's UI, http://localhost:8233 and http://127.0.0.1:8233;
//                                `*` allows any origin)
//   TEARDOWN_CODEC_TOKEN         when set, every /encode and /decode needs `Authorization: Bearer <token>`
//   TEARDOWN_ENCRYPTION_KEYS     the key ring (src/encryption/keys.ts); required: without keys there is nothing to decode
import { z } from 'zod';
import { keyRingFromEnv, ENCRYPTION_KEYS_VARIABLE, type KeyRing } from '../encryption/keys';
import { parseHostPort } from '../workers/http';

export interface CodecServerSettings {
  host: string;
  port: number;
  /** Allowed browser origins; '*' allows any. */
  corsOrigins: string[];
  token?: string;
  ring: KeyRing;
}

export const DEFAULT_CODEC_ADDRESS = '127.0.0.1:8888';
export const DEFAULT_CORS_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];

const origin = z.union([
  z.literal('*'),
  z
    .string()
    .regex(
      /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/,
      'must be scheme://host[:port] with no path, e.g. http://localhost:8233',
    ),
]);

const token = z
  .string()
  .min(16, 'must be at least 16 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export function loadCodecServerSettings(env: NodeJS.ProcessEnv = process.env): CodecServerSettings {
  const { host, port } = parseHostPort(
    env.TEARDOWN_CODEC_ADDRESS?.trim() || DEFAULT_CODEC_ADDRESS,
    'TEARDOWN_CODEC_ADDRESS',
  );
  const rawOrigins = env.TEARDOWN_CODEC_CORS_ORIGINS?.trim();
  const corsOrigins = rawOrigins
    ? rawOrigins.split(',').map((o, i) => {
        const parsed = origin.safeParse(o.trim());
        if (!parsed.success)
          throw new Error(
            `TEARDOWN_CODEC_CORS_ORIGINS: origin ${i + 1} "${o.trim()}" ${parsed.error.issues[0]?.message}`,
          );
        return parsed.data;
      })
    : DEFAULT_CORS_ORIGINS;
  const rawToken = env.TEARDOWN_CODEC_TOKEN?.trim();
  if (rawToken) {
    const parsed = token.safeParse(rawToken);
    if (!parsed.success) throw new Error(`TEARDOWN_CODEC_TOKEN: ${parsed.error.issues[0]?.message}`);
  }
  const ring = keyRingFromEnv(env);
  if (!ring)
    throw new Error(
      `${ENCRYPTION_KEYS_VARIABLE} is not set: the codec server needs the keys it decodes with`,
    );
  return { host, port, corsOrigins, token: rawToken || undefined, ring };
}
