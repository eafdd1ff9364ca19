// The NextToken guard the ECS discoveries (Alibaba and Volcengine) share: a provider answering the
// token it was given would page forever.
import { nextPageToken } from '../../src/providers/discovery-helpers';
import { ProviderError } from '../../src/providers/errors';

describe('nextPageToken', () => {
  test('no token, or an empty one, ends the discovery; another token is the next page', () => {
    expect(nextPageToken('alibabacloud', 'DescribeInstances', undefined, undefined)).toBeUndefined();
    expect(nextPageToken('volcengine', 'DescribeInstances', null, 'page-1')).toBeUndefined();
    expect(nextPageToken('alibabacloud', 'DescribeInstances', '', 'page-1')).toBeUndefined();
    expect(nextPageToken('volcengine', 'DescribeInstances', 'page-2', 'page-1')).toBe('page-2');
    expect(nextPageToken('alibabacloud', 'DescribeInstances', 'page-1', undefined)).toBe('page-1');
  });

  test('the token it was given, answered again, is a transient MalformedResponse', () => {
    let thrown: unknown;
    try {
      nextPageToken('volcengine', 'DescribeInstances', 'page-1', 'page-1', 'req-7');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect(thrown).toMatchObject({
      cloud: 'volcengine',
      code: 'MalformedResponse',
      message: 'DescribeInstances answered the same NextToken it was given',
      errorClass: 'transient',
      httpStatus: undefined,
      requestId: 'req-7',
    });
  });
});
