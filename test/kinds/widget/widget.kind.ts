// A test-only sixth kind on an existing cloud (issue 14): the metadata file. With ./widget.ts
// (its provider module) and ./product.ts (its emulator product) it is the whole kind; nothing in
// src/ or in test helpers names it.
import { defineKind } from '../../../src/providers/kind';

export const WIDGET = defineKind({
  kind: 'tencentcloud.fake.widget',
  cloud: 'tencentcloud',
  service: 'fake',
  batchLimit: 10,
  describeLimit: 10,
  prepareLimit: 10,
  requiresRegion: false,
  requiresAppId: false,
  idPattern: /^wdg-[a-z0-9]{4,32}$/,
  idDescription: 'a widget id like "wdg-1234abcd"',
  enabled: true,
  calls: {
    describe: 'DescribeWidgets',
    delete: 'DeleteWidgets',
    poll: 'DescribeWidgets',
    discover: 'DescribeWidgets',
    prepare: { stop: 'StopWidgets' },
  },
  deleteTakesClientToken: true,
  idParameters: ['WidgetIds'],
  emulator: { durations: { stop: 1500, delete: 1500 } },
  example: { idPrefix: 'wdg-', status: 'STOPPED' },
  documentedErrors: [
    ['ResourceNotFound', 200, 'gone'],
    ['FailedOperation.WidgetLocked', 200, 'needs-operator'],
  ],
});
