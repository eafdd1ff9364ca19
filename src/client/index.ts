// The `cloud-teardown` library: the contract (schemas, report, names), the client and its schedules.
export * from '../contract';
export { KIND_NAMES, KINDS } from '../kinds';
export * from './teardown-client';
export * from './connection';
export * from './ids';
export type { TeardownSummary } from './list';
export { REQUEST_HASH_MEMO_KEY, requestHash } from './request-hash';
export * from './schedule-spec';
export * from './schedules';
export { WorkflowNotFoundError } from '@temporalio/client';
