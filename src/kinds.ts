// Pure metadata about the resource kinds of the public contract (design.md section 2).
// No SDK or Node imports: workflows, the client schema and providers all read this file.

export const KIND_NAMES = [
  'tencentcloud.ms.scan',
  'tencentcloud.gaap.proxy',
  'alibabacloud.ecs.instance',
  'alibabacloud.sae.instance',
  'volcengine.ecs.instance',
] as const;

export type KindName = (typeof KIND_NAMES)[number];
export type CloudName = 'tencentcloud' | 'alibabacloud' | 'volcengine';

export interface KindMeta {
  kind: KindName;
  cloud: CloudName;
  /** Most ids one delete call accepts. */
  batchLimit: number;
  /** Most ids one describe / poll call accepts. */
  describeLimit: number;
  /** Most ids one prepare call (stop / convert) accepts. */
  prepareLimit: number;
  requiresRegion: boolean;
  requiresAppId: boolean;
  /** What a well-formed id looks like, with a human description for error messages. */
  idPattern: RegExp;
  idDescription: string;
  /** Kinds not yet wired end to end are refused by the client schema with a clear message. */
  enabled: boolean;
  /** The provider actions behind each step, named in activity summaries so the UI shows the real call. */
  calls: {
    describe: string;
    delete: string;
    poll: string;
    discover: string;
    prepare?: Record<string, string>;
  };
}

export const KINDS: Record<KindName, KindMeta> = {
  'tencentcloud.ms.scan': {
    kind: 'tencentcloud.ms.scan',
    cloud: 'tencentcloud',
    batchLimit: 20,
    describeLimit: 20,
    prepareLimit: 20,
    requiresRegion: false,
    requiresAppId: false,
    idPattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    idDescription: 'an AppSid (letters, digits, "-" or "_", at most 64 characters)',
    enabled: true,
    calls: {
      describe: 'DescribeScanInstances',
      delete: 'DeleteScanInstances',
      poll: 'DescribeScanInstances',
      discover: 'DescribeScanInstances',
    },
  },
  'tencentcloud.gaap.proxy': {
    kind: 'tencentcloud.gaap.proxy',
    cloud: 'tencentcloud',
    batchLimit: 100,
    describeLimit: 100,
    prepareLimit: 100,
    requiresRegion: false,
    requiresAppId: false,
    idPattern: /^link-[a-z0-9]{4,32}$/,
    idDescription: 'a proxy id like "link-11112222"',
    enabled: true,
    calls: {
      describe: 'DescribeProxies',
      delete: 'DestroyProxies',
      poll: 'DescribeProxies',
      discover: 'DescribeProxies',
    },
  },
  'alibabacloud.ecs.instance': {
    kind: 'alibabacloud.ecs.instance',
    cloud: 'alibabacloud',
    batchLimit: 100,
    describeLimit: 100,
    prepareLimit: 20,
    requiresRegion: true,
    requiresAppId: false,
    idPattern: /^i-[a-z0-9]{6,32}$/,
    idDescription: 'an instance id like "i-bp1a2b3c4d5e6f7g8h9i"',
    enabled: true,
    calls: {
      describe: 'DescribeInstances',
      delete: 'DeleteInstances',
      poll: 'DescribeInstances',
      discover: 'DescribeInstances',
      // In the order the steps run (convert a prepaid instance first, then stop it).
      prepare: { convert: 'ModifyInstanceChargeType', stop: 'StopInstances' },
    },
  },
  'alibabacloud.sae.instance': {
    kind: 'alibabacloud.sae.instance',
    cloud: 'alibabacloud',
    batchLimit: 100,
    describeLimit: 100,
    prepareLimit: 100,
    requiresRegion: true,
    requiresAppId: true,
    idPattern: /^[A-Za-z0-9][A-Za-z0-9-]{2,127}$/,
    idDescription: 'an SAE instance id (letters, digits and "-")',
    enabled: true,
    calls: {
      describe: 'DescribeApplicationInstances',
      delete: 'DeleteInstances',
      poll: 'DescribeChangeOrder',
      discover: 'DescribeApplicationInstances',
    },
  },
  'volcengine.ecs.instance': {
    kind: 'volcengine.ecs.instance',
    cloud: 'volcengine',
    batchLimit: 100,
    describeLimit: 100,
    prepareLimit: 20,
    requiresRegion: true,
    requiresAppId: false,
    idPattern: /^i-[a-z0-9]{6,32}$/,
    idDescription: 'an instance id like "i-ybo349sxoncm9t"',
    enabled: true,
    calls: {
      describe: 'DescribeInstances',
      delete: 'DeleteInstances',
      poll: 'DescribeInstances',
      discover: 'DescribeInstances',
      // In the order the steps run (convert a prepaid instance first, then stop it).
      prepare: { convert: 'ModifyInstanceChargeType', stop: 'StopInstances' },
    },
  },
};
