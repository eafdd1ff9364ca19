import { makeClassifier, ProviderError, toApplicationFailure } from '../../src/providers/errors';

describe('error classes', () => {
  const classify = makeClassifier({
    'Throttling*': 'throttled',
    'Throttling.User': 'throttled',
    'InvalidParameter*': 'permanent',
    'InvalidInstanceId.NotFound': 'gone',
    IncorrectInstanceStatus: 'busy',
  });

  it('looks up exact codes, then the longest prefix, then the HTTP status', () => {
    expect(classify('IncorrectInstanceStatus', 403)).toBe('busy');
    expect(classify('Throttling.Api', 400)).toBe('throttled');
    expect(classify('InvalidParameter.Foo', 400)).toBe('permanent');
    expect(classify('Whatever', 503)).toBe('transient');
    expect(classify('Whatever', 429)).toBe('throttled');
    expect(classify('Whatever', 400)).toBe('permanent');
  });

  it('never treats an unknown "Invalid..." code as not-found', () => {
    expect(classify('InvalidArgument', 400)).toBe('permanent');
  });

  it('maps classes to retry behaviour with the provider code as the failure type', () => {
    const throttled = toApplicationFailure(
      new ProviderError('alibabacloud', 'Throttling.User', 'slow down', 'throttled', 400),
      30,
    );
    expect(throttled.type).toBe('Throttling.User');
    expect(throttled.nonRetryable).toBe(false);
    expect(Number(throttled.nextRetryDelay)).toBeGreaterThan(0);

    const permanent = toApplicationFailure(
      new ProviderError('alibabacloud', 'InvalidParameter', 'bad', 'permanent', 400),
      1,
    );
    expect(permanent.nonRetryable).toBe(true);
    expect(permanent.details?.[0]).toMatchObject({ errorClass: 'permanent', httpStatus: 400 });

    const transient = (attempt: number) =>
      toApplicationFailure(
        new ProviderError('alibabacloud', 'InternalError', 'oops', 'transient', 500),
        attempt,
      );
    expect(transient(1).nonRetryable).toBe(false);
    expect(transient(6).nonRetryable).toBe(true);

    const clock = (attempt: number) =>
      toApplicationFailure(
        new ProviderError('tencentcloud', 'AuthFailure.SignatureExpire', 'late', 'clock'),
        attempt,
      );
    expect(clock(1).nonRetryable).toBe(false);
    expect(clock(2).nonRetryable).toBe(true);

    const auth = toApplicationFailure(
      new ProviderError('volcengine', 'SignatureDoesNotMatch', 'no', 'auth', 403),
      1,
    );
    expect(auth.nonRetryable).toBe(true);
  });
});
