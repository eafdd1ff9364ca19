// tencentcloud.ms.scan: Mobile Security app scans (ms 2018-04-08), design.md section 4.
// Delete with DeleteScanInstances (AppSids <= 20, answers Progress 1 done / 2 processing / 3 error /
// 4 timed out); look and confirm with DescribeScanInstances filtered by AppSid (ScanSet[].TaskStatus
// uses the same codes). MS takes no ClientToken: calling DeleteScanInstances again with the same
// AppSids reports the same task, and after a 4 it starts a fresh one, so re-sending is safe.
import { z } from 'zod';
import { registerProvider } from '../registered';
import { MS_SCAN } from './ms.kind';
import { DISCOVERY_PAGE_SIZE, isoTime, nextOffsetToken, parseOffsetToken } from '../discovery-helpers';
import type { ErrorClass } from '../errors';
import { ProviderError } from '../errors';
import type {
  Assessment,
  CallContext,
  CallOutcome,
  DeleteAnswer,
  DiscoveryPage,
  KindProvider,
  PollOutcome,
} from '../types';
import { callTencent, makeTencentClassifier, type TencentProduct } from './client';

/** MS's own table (seed document) over the common Tencent codes. */
export const MS_ERRORS: Record<string, ErrorClass> = {
  InternalError: 'transient',
  'InternalError.ServerError': 'transient',
  // "Quota exceeded": MS's name for being over its request quota.
  LimitExceeded: 'throttled',
};

const MS: TencentProduct = {
  service: 'ms',
  version: '2018-04-08',
  classify: makeTencentClassifier(MS_ERRORS),
};

const TASK_STATUS = { 1: 'DONE', 2: 'PROCESSING', 3: 'ERROR', 4: 'TIMEOUT' } as const;
const taskStatus = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);

const deleteSchema = z.object({ Progress: taskStatus });
const describeSchema = z.object({
  TotalCount: z.number().int().min(0),
  // The SDK models omit empty arrays: an absent ScanSet is an empty one.
  ScanSet: z
    .array(z.object({ AppSid: z.string().min(1), TaskStatus: z.number().int() }))
    .nullish()
    .transform((v) => v ?? []),
});

/** DescribeScanInstances as discovery reads it (AppScanSet). */
const listSchema = z.object({
  TotalCount: z.number().int().min(0),
  ScanSet: z
    .array(
      z.object({
        AppSid: z.string().min(1),
        AppName: z.string().nullish(),
        TaskStatus: z.number().int(),
        TaskTime: z.number().nullish(),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
});

function statusLabel(code: number): string {
  const name = (TASK_STATUS as Record<number, string>)[code];
  return name ? `TaskStatus ${code} (${name})` : `TaskStatus ${code}`;
}

/** DescribeScanInstances pages of at most 100 scans (SDK model); a listing longer than this is refused. */
const LIST_PAGE = 100;
/** 100,000 scans, as many as one teardown may select. */
const MAX_LIST_PAGES = 1_000;

/**
 * AppSid -> TaskStatus of those of `ids` that exist. DescribeScanInstances documents filters by
 * app name and package name only, not AppSid, and a filter it does not know is ignored: so the
 * whole listing is paged (oldest first, so scans created meanwhile land on later pages) and
 * matched by exact AppSid. Absence is only concluded after the last page.
 */
async function describeScans(ctx: CallContext, ids: string[]): Promise<Map<string, number>> {
  const wanted = new Set(ids);
  const found = new Map<string, number>();
  const pace = pacer(ctx.pageIntervalMs ?? 0);
  for (let page = 0, offset = 0; found.size < wanted.size; page++) {
    if (page === MAX_LIST_PAGES) {
      throw new ProviderError(
        'tencentcloud',
        'ListingTooLong',
        `DescribeScanInstances lists more than ${MAX_LIST_PAGES * LIST_PAGE} scans; cannot prove which AppSids are gone`,
        'permanent',
      );
    }
    await pace();
    const answer = await callTencent(
      ctx,
      MS,
      'DescribeScanInstances',
      { Offset: offset, Limit: LIST_PAGE, OrderField: 'TaskTime', OrderDirection: 'asc' },
      describeSchema,
    );
    for (const scan of answer.ScanSet) if (wanted.has(scan.AppSid)) found.set(scan.AppSid, scan.TaskStatus);
    offset += answer.ScanSet.length;
    if (answer.ScanSet.length === 0 || offset >= answer.TotalCount) break;
  }
  return found;
}

/** Waits so that successive calls start at least `intervalMs` apart (the first one at once). */
function pacer(intervalMs: number): () => Promise<void> {
  let last = -Infinity;
  return async () => {
    const wait = last + intervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    last = Date.now();
  };
}

export const tencentMsScan: KindProvider = registerProvider({
  meta: MS_SCAN,
  classify: MS.classify,

  async describe(ctx, ids): Promise<Assessment[]> {
    const found = await describeScans(ctx, ids);
    return ids.map((id): Assessment => {
      const status = found.get(id);
      return status === undefined
        ? { id, state: 'gone' }
        : { id, state: 'ready', status: statusLabel(status) };
    });
  },

  async delete(ctx, ids): Promise<DeleteAnswer> {
    const answer = await callTencent(
      ctx,
      MS,
      'DeleteScanInstances',
      { AppSids: [...new Set(ids)] },
      deleteSchema,
    );
    const outcomes = ids.map((id): CallOutcome => {
      switch (answer.Progress) {
        // Done or under way: the poll confirms each scan is gone.
        case 1:
        case 2:
          return { id, result: 'accepted' };
        case 3:
          return {
            id,
            result: 'failed',
            errorCode: 'Progress.Error',
            message: 'DeleteScanInstances reported Progress 3: the delete task of this batch failed',
            errorClass: 'permanent',
          };
        case 4:
          return {
            id,
            result: 'retry',
            errorCode: 'Progress.Timeout',
            message:
              'DeleteScanInstances reported Progress 4: the delete task timed out; it must be sent again',
          };
      }
    });
    return { outcomes, requestId: answer.RequestId || undefined };
  },

  // Scans carry no tags, and MS documents no prefix match for its AppName filter: every scan is
  // listed, oldest first by TaskTime (so scans added while we page land after the pages read),
  // and the caller filters.
  async discover(ctx, _query, pageToken): Promise<DiscoveryPage> {
    const offset = parseOffsetToken('tencentcloud', pageToken);
    const answer = await callTencent(
      ctx,
      MS,
      'DescribeScanInstances',
      { Offset: offset, Limit: DISCOVERY_PAGE_SIZE, OrderField: 'TaskTime', OrderDirection: 'asc' },
      listSchema,
    );
    return {
      resources: answer.ScanSet.map((scan) => ({
        id: scan.AppSid,
        name: scan.AppName ?? '',
        tags: {},
        createdAt: isoTime(scan.TaskTime, 's'),
        status: statusLabel(scan.TaskStatus),
      })),
      nextPageToken: nextOffsetToken(offset, answer.ScanSet.length, answer.TotalCount),
    };
  },

  async poll(ctx, ids): Promise<PollOutcome[]> {
    const found = await describeScans(ctx, ids);
    return ids.map((id): PollOutcome => {
      const status = found.get(id);
      if (status === undefined) return { id, result: 'gone' };
      const label = statusLabel(status);
      if (status === 3) {
        return {
          id,
          result: 'failed',
          status: label,
          errorCode: 'TaskStatus.Error',
          message: 'the delete task reported an error (TaskStatus 3); the scan was not deleted',
          errorClass: 'permanent',
        };
      }
      if (status === 4) return { id, result: 'reissue', status: label };
      // 2: still processing; 1 and still listed: the task has not removed it yet (any other
      // value is not documented: keep waiting, bounded by the deadline).
      return { id, result: 'pending', status: label };
    });
  },
});
