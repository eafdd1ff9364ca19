// Injected faults: the next N calls of an action (or each call with a probability) fail with a
// chosen code, optionally only when the call names a given resource id.
import { EmulatorApiError, type ApiCall, type FaultSpec } from './types';

interface ActiveFault {
  spec: FaultSpec;
  /** Calls left to fail; undefined with a probability means "until cleared". */
  remaining: number | undefined;
}

/** A status that matches the code when the caller did not give one. */
export function defaultFaultStatus(code: string): number {
  if (/^ServiceUnavailable/i.test(code)) return 503;
  if (/^InternalError|^InternalServerError|^InternalFailure/i.test(code)) return 500;
  if (/NotFound/i.test(code)) return 404;
  return 400;
}

/** Whether any parameter value names the id: equal, in a JSON array, or in a comma list. */
export function paramsMention(params: Record<string, unknown>, id: string): boolean {
  const visit = (value: unknown): boolean => {
    if (typeof value === 'string') {
      if (value === id) return true;
      const trimmed = value.trim();
      if (trimmed.startsWith('[')) {
        try {
          return visit(JSON.parse(trimmed));
        } catch {
          return false;
        }
      }
      return value.includes(',') && value.split(',').some((part) => part.trim() === id);
    }
    if (Array.isArray(value)) return value.some(visit);
    if (value && typeof value === 'object') return Object.values(value).some(visit);
    return false;
  };
  return visit(params);
}

export class FaultInjector {
  private faults: ActiveFault[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec): void {
    const remaining = spec.count ?? (spec.probability === undefined ? 1 : undefined);
    this.faults.push({ spec: { ...spec }, remaining });
  }

  list(): Array<FaultSpec & { remaining?: number }> {
    return this.faults.map((f) => ({ ...f.spec, remaining: f.remaining }));
  }

  clear(): void {
    this.faults = [];
  }

  /** The error of the first fault that fires for this call, consuming one of its count. */
  match(call: ApiCall): EmulatorApiError | undefined {
    for (const fault of this.faults) {
      const { spec } = fault;
      if (spec.provider && spec.provider !== call.provider) continue;
      if (spec.action !== '*' && spec.action !== call.action) continue;
      if (spec.resourceId !== undefined && !paramsMention(call.params, spec.resourceId)) continue;
      if (spec.probability !== undefined && !(this.random() < spec.probability)) continue;
      if (fault.remaining !== undefined) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      }
      return new EmulatorApiError(
        spec.httpStatus ?? defaultFaultStatus(spec.code),
        spec.code,
        spec.message ?? `Injected fault ${spec.code} for ${call.action}.`,
      );
    }
    return undefined;
  }
}
