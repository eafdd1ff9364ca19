// Connection settings: Temporal's environment configuration (TEMPORAL_* variables, temporal.toml
// profiles), with the `temporal` CLI's flags on top: flags win.
import {
  loadClientConfigProfile,
  toClientOptions,
  type ClientConfigProfile,
  type ClientConnectConfig,
} from '@temporalio/envconfig';

export interface ConnectionOverrides {
  address?: string;
  namespace?: string;
  apiKey?: string;
  /** Turns TLS on (true) or off (false) whatever the profile says. */
  tls?: boolean;
  tlsCertPath?: string;
  tlsKeyPath?: string;
  tlsCaPath?: string;
}

export interface ConnectionSource {
  /** temporal.toml profile (TEMPORAL_PROFILE otherwise, then "default"). */
  profile?: string;
  /** temporal.toml path (TEMPORAL_CONFIG_FILE otherwise). */
  configFile?: string;
  overrides?: ConnectionOverrides;
}

export interface ConnectOptions extends ConnectionSource {
  taskQueue?: string;
}

/** The profile envconfig loads, with every given override applied over it. */
export function profileWith(profile: ClientConfigProfile, o: ConnectionOverrides): ClientConfigProfile {
  const tlsFiles = o.tlsCertPath !== undefined || o.tlsKeyPath !== undefined || o.tlsCaPath !== undefined;
  const merged: ClientConfigProfile = {
    ...profile,
    ...(o.address !== undefined ? { address: o.address } : {}),
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    ...(o.apiKey !== undefined ? { apiKey: o.apiKey } : {}),
  };
  if (o.tls === false) return { ...merged, tls: { disabled: true } };
  if (o.tls === true || tlsFiles) {
    const tls = { ...(profile.tls?.disabled ? {} : profile.tls) };
    if (o.tlsCertPath !== undefined) tls.clientCert = { path: o.tlsCertPath };
    if (o.tlsKeyPath !== undefined) tls.clientKey = { path: o.tlsKeyPath };
    if (o.tlsCaPath !== undefined) tls.serverCACert = { path: o.tlsCaPath };
    merged.tls = tls;
  }
  return merged;
}

/** Connection options and namespace from envconfig and the overrides. */
export function connectConfig(source: ConnectionSource = {}): ClientConnectConfig & { namespace: string } {
  const profile = loadClientConfigProfile({
    profile: source.profile,
    configSource: source.configFile === undefined ? undefined : { path: source.configFile },
  });
  const config = toClientOptions(profileWith(profile, source.overrides ?? {}));
  return { ...config, namespace: config.namespace ?? 'default' };
}
