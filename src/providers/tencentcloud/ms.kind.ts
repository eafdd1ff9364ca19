// tencentcloud.ms.scan: Mobile Security app scans (ms 2018-04-08). Workflow-safe facts; the
// calls are in ./ms.ts, the emulator's product in src/emulator/tencentcloud/ms.ts.
import { defineKind } from '../kind';

export const MS_SCAN = defineKind({
  kind: 'tencentcloud.ms.scan',
  cloud: 'tencentcloud',
  service: 'ms',
  batchLimit: 20,
  describeLimit: 20,
  // DescribeScanInstances cannot filter by AppSid (./ms.ts): 20,000 ids a group keeps the group's
  // history near 4,000 events (1,000 deletes) while 100,000 scans need 5 listings a round, not 200.
  describesByListing: { groupLimit: 20_000 },
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
  // The same AppSids report the same task, so a re-sent delete needs no token.
  deleteTakesClientToken: false,
  idParameters: ['AppSids'],
  emulator: { durations: { delete: 2000 } },
  example: { idPrefix: 'app-', status: 'SCANNED' },
  documentedErrors: [
    ['InternalError', 200, 'transient'],
    ['InternalError.ServerError', 200, 'transient'],
    ['LimitExceeded', 200, 'throttled'],
  ],
});
