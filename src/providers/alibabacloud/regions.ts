// Alibaba Cloud's region ids and the endpoints that do not follow `<product>.<region>.aliyuncs.com`.
// Workflow-safe data (the client schema checks regions too). No package we install ships the list:
// it is Terraform's alicloud provider `alicloud/connectivity/regions.go` ValidRegions (v1.289.0),
// less the OSS-only aliases (cn-hzfinance, cn-hzjbp, cn-szfinance, cn-shenzhen-finance, *-pub).
// New regions: CLOUD_TEARDOWN_ALIBABACLOUD_EXTRA_REGIONS in the worker's and client's environment.

export const ALIBABA_REGIONS: readonly string[] = [
  'cn-qingdao',
  'cn-beijing',
  'cn-zhangjiakou',
  'cn-huhehaote',
  'cn-wulanchabu',
  'cn-hangzhou',
  'cn-shanghai',
  'cn-nanjing',
  'cn-fuzhou',
  'cn-shenzhen',
  'cn-heyuan',
  'cn-guangzhou',
  'cn-chengdu',
  'cn-zhongwei',
  'cn-hongkong',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ap-southeast-8',
  'ap-south-1',
  'us-east-1',
  'us-west-1',
  'us-southeast-1',
  'na-south-1',
  'eu-central-1',
  'eu-west-1',
  'me-east-1',
  'me-central-1',
  'rus-west-1',
  'cn-north-2-gov-1',
  'cn-hangzhou-finance',
  'cn-shanghai-finance-1',
  'cn-shenzhen-finance-1',
  'cn-beijing-finance-1',
];

/**
 * ECS endpoints of the regions that have their own (finance, government), from the official SDK's
 * endpoint data (`@alicloud/ecs20140526` 7.11.6, `Client._endpointMap`; Terraform's provider
 * agrees and reaches ecs-cn-hangzhou through its alias ecs.aliyuncs.com). Every other region is
 * `ecs.<region>.aliyuncs.com`.
 */
export const ALIBABA_ECS_ENDPOINTS: Readonly<Record<string, string>> = {
  'cn-hangzhou-finance': 'ecs.aliyuncs.com',
  'cn-shanghai-finance-1': 'ecs-cn-hangzhou.aliyuncs.com',
  'cn-shenzhen-finance-1': 'ecs-cn-hangzhou.aliyuncs.com',
  'cn-north-2-gov-1': 'ecs.aliyuncs.com',
};
