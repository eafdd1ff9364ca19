// Account names of the public contract (design.md section 2): a resource group or selector may
// name the account its resources live in; the worker maps the name to credentials (src/account-map.ts).
// Pure: the contract, the workflows and the client share it.
import { z } from 'zod';

/** The worker's own credentials per cloud: what a group without `account` uses. */
export const DEFAULT_ACCOUNT = 'default';

/** Short and plain, since it is part of task queue names, search attributes and ClientTokens. */
export const accountNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, "-" or "_" (at most 63)');

/** Patch id: groups and selectors naming an account check it first (histories before it name none). */
export const ACCOUNTS_PATCH = 'named-accounts';
