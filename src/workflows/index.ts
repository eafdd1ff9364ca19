// Workflow entry points registered with the worker (bundled; deterministic code only).
export { teardown } from './teardown';
export { deleteResourceGroup } from './resource-group';
