// Run as a child process with the HOME and environment under test: the SDKs find profile files
// through os.homedir(), which reads the real process environment (jest's process.env is a copy).
// Prints what the cloud's chain resolved as one JSON line.
import { alibabaDefaultChain } from '../../src/providers/alibabacloud/credentials';
import { tencentDefaultChain } from '../../src/providers/tencentcloud/credentials';
import { volcengineDefaultChain } from '../../src/providers/volcengine/credentials';

const chains = {
  alibabacloud: alibabaDefaultChain,
  tencentcloud: tencentDefaultChain,
  volcengine: volcengineDefaultChain,
};
const cloud = process.argv[2] as keyof typeof chains;
chains[cloud]()
  .resolve()
  .then((credentials) => process.stdout.write(`${JSON.stringify(credentials)}\n`))
  .catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
