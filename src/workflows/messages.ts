// Signals, queries and updates of the teardown workflows, and the inputs the parent hands its children.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import {
  APPROVE_UPDATE,
  POSTPONE_UPDATE,
  PROGRESS_QUERY,
  REJECT_UPDATE,
  RESOURCES_QUERY,
  type Blocked,
  type ErrorClassCounts,
  type ResourcesPage,
  type ResourcesQuery,
  type ResourceReport,
  type TeardownPhase,
  type TeardownReport,
} from '../contract';
import type { KindName } from '../kinds';
import type { ReportPack } from './report';

export const progressQuery = defineQuery<TeardownReport>(PROGRESS_QUERY);
/** One page of the full per-resource list ({ outcome?, kind?, offset, limit }). */
export const resourcesQuery = defineQuery<ResourcesPage, [ResourcesQuery]>(RESOURCES_QUERY);
export const approveUpdate = defineUpdate<TeardownReport, [{ approvedBy: string; comment?: string }]>(
  APPROVE_UPDATE,
);
export const rejectUpdate = defineUpdate<TeardownReport, [{ rejectedBy: string; reason: string }]>(
  REJECT_UPDATE,
);
/** The same decisions as signals (design.md: "update (or signal)"); invalid ones are ignored and logged. */
export const approveSignal = defineSignal<[{ approvedBy: string; comment?: string }]>(APPROVE_UPDATE);
export const rejectSignal = defineSignal<[{ rejectedBy: string; reason: string }]>(REJECT_UPDATE);
/** Moves the start time of a teardown still waiting for it (options.startAt). */
export const postponeUpdate = defineUpdate<TeardownReport, [{ until: string }]>(POSTPONE_UPDATE);

/** A child tells its parent what changed, so the parent's `progress` query stays live. */
export interface GroupProgress {
  groupId: string;
  phase: TeardownPhase;
  /** Before packed-reports; empty since (the same entries are in `packed`). */
  changed: ResourceReport[];
  /** Failed provider calls per class since the last signal. */
  failures?: ErrorClassCounts;
  /** What the group now waits on; null: it no longer waits (absent: no news). */
  blocked?: Blocked | null;
  packed?: ReportPack[];
}
export const groupProgressSignal = defineSignal<[GroupProgress]>('groupProgress');

/** Everything a resource-group child needs; no credentials (the worker's environment has them). */
export interface ResourceGroupInput {
  teardownId: string;
  groupId: string;
  kind: KindName;
  region?: string;
  appId?: string;
  /** A named account of the worker's (absent: its default credentials), and where the request named it. */
  account?: string;
  accountField?: string;
  ids: string[];
  force: boolean;
  convertPrepaid: boolean;
  dryRun: boolean;
  /** Epoch ms after which nothing new is started and unfinished resources are reported failed. */
  deadlineAt: number;
  /** Parent to report progress to. */
  parentWorkflowId?: string;
  /** Poll pacing; tests shorten it. */
  pollIntervalMs: number;
  maxPollIntervalMs: number;
}
