// What each command module gets from the program: a connected client, the output mode, the exit code.
import type { TeardownClient } from './teardown-client';
import type { Output } from './cli-common';
import type { Ask } from './confirm';

export interface CliContext {
  /** Connects with the global connection flags over Temporal's environment configuration. */
  connect(): Promise<TeardownClient>;
  output(): Output;
  /** The code the process exits with once the command's action returns. */
  setExitCode(code: number): void;
  /** A person at a terminal (stdin and stdout are TTYs): only then is anything asked. */
  interactive(): boolean;
  ask: Ask;
}
