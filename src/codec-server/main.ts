// Codec server entry point: `npm run codec-server` (settings in ./settings.ts). Point the UI at it
// (`temporal server start-dev --ui-codec-endpoint http://127.0.0.1:8888`, or the UI's
// "Codec Server" setting) and the CLI (`temporal workflow show --codec-endpoint ...`).
import { loadCodecServerSettings } from './settings';
import { startCodecServer } from './server';

async function main(): Promise<void> {
  const settings = loadCodecServerSettings();
  const server = await startCodecServer({
    ...settings,
    onError: (message) => process.stderr.write(`codec server: ${message}\n`),
  });
  // Tests wait for this line. No key and no token is ever printed.
  process.stdout.write(
    `codec server listening on ${server.url} (keys ${[...settings.ring.keys.keys()].join(', ')}; ` +
      `CORS ${settings.corsOrigins.join(', ')}; ${settings.token ? 'bearer token required' : 'no token'})\n`,
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
