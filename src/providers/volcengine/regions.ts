// Volcengine's ECS region ids. Workflow-safe data (the client schema checks regions too). No
// package we install ships them (@volcengine/openapi knows only its own services' defaults): this
// is Volcengine's "Regions and availability zones" list for ECS. New regions:
// CLOUD_TEARDOWN_VOLCENGINE_EXTRA_REGIONS in the worker's and client's environment.

export const VOLCENGINE_REGIONS: readonly string[] = [
  'cn-beijing',
  'cn-shanghai',
  'cn-guangzhou',
  'cn-hongkong',
  'ap-southeast-1',
  'ap-southeast-3',
];
