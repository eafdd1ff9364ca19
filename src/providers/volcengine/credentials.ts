// Volcengine credentials: the environment (VOLCENGINE_ACCESS_KEY/_SECRET_KEY, VOLCENGINE_SESSION_TOKEN
// for temporary keys; the SDK's own VOLC_ACCESSKEY/VOLC_SECRETKEY/VOLC_SESSION_TOKEN too), else the
// profile file the SDK reads (~/.volc/config: JSON with VOLC_ACCESSKEY, VOLC_SECRETKEY and
// optionally VOLC_SESSION_TOKEN). Read at every call, so a refreshed file is picked up without a restart.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { CloudCredentials, CredentialSource } from '../types';

const profileSchema = z.object({
  VOLC_ACCESSKEY: z.string().min(1),
  VOLC_SECRETKEY: z.string().min(1),
  VOLC_SESSION_TOKEN: z.string().optional(),
});

function fromEnv(env: NodeJS.ProcessEnv): CloudCredentials | undefined {
  const accessKeyId = (env.VOLCENGINE_ACCESS_KEY ?? env.VOLC_ACCESSKEY)?.trim();
  const accessKeySecret = (env.VOLCENGINE_SECRET_KEY ?? env.VOLC_SECRETKEY)?.trim();
  if (!accessKeyId || !accessKeySecret) return undefined;
  const securityToken = (env.VOLCENGINE_SESSION_TOKEN ?? env.VOLC_SESSION_TOKEN)?.trim() || undefined;
  return { accessKeyId, accessKeySecret, securityToken };
}

async function fromProfile(file: string): Promise<CloudCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON`);
  }
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file}: needs VOLC_ACCESSKEY and VOLC_SECRETKEY`);
  return {
    accessKeyId: parsed.data.VOLC_ACCESSKEY,
    accessKeySecret: parsed.data.VOLC_SECRETKEY,
    securityToken: parsed.data.VOLC_SESSION_TOKEN || undefined,
  };
}

export function volcengineDefaultChain(env: NodeJS.ProcessEnv = process.env): CredentialSource {
  return {
    origin: 'the Volcengine chain (environment, ~/.volc/config)',
    async resolve() {
      const found = fromEnv(env) ?? (await fromProfile(path.join(env.HOME ?? homedir(), '.volc', 'config')));
      if (!found) {
        throw new Error('no Volcengine credentials found: tried the environment and ~/.volc/config');
      }
      return found;
    },
  };
}
