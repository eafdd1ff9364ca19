// JSON Schemas of the public payloads, generated from the zod schemas, for callers in other
// languages. Committed in schema/ (`npm run schemas` rewrites them; a test fails when they are stale).
import { z } from 'zod';
import {
  kindSchema,
  approvalSchema,
  postponeSchema,
  rejectionSchema,
  resourcesPageSchema,
  resourcesQuerySchema,
  teardownReportSchema,
  teardownRequestSchema,
} from '../contract';
import { KIND_NAMES } from '../kinds';

interface Entry {
  file: string;
  title: string;
  description: string;
  schema: z.ZodType;
  io: 'input' | 'output';
}

const ENTRIES: Entry[] = [
  {
    file: 'teardown-request.json',
    title: 'TeardownRequest',
    description:
      'Input of the `teardown` workflow (one argument). Cross-field rules (ids per kind, region and appId per kind, duplicates, limits) are checked by the workflow and refused with a message naming the field.',
    schema: teardownRequestSchema,
    io: 'input',
  },
  {
    file: 'teardown-report.json',
    title: 'TeardownReport',
    description:
      'Result of the `teardown` workflow, answer of the `progress` query and of the `approve`, `reject` and `postpone` updates.',
    schema: teardownReportSchema,
    io: 'output',
  },
  {
    file: 'update-approve.json',
    title: 'ApproveUpdateArgument',
    description: 'Argument of the `approve` update (and signal). Answers with teardown-report.json.',
    schema: approvalSchema,
    io: 'input',
  },
  {
    file: 'update-reject.json',
    title: 'RejectUpdateArgument',
    description: 'Argument of the `reject` update (and signal). Answers with teardown-report.json.',
    schema: rejectionSchema,
    io: 'input',
  },
  {
    file: 'update-postpone.json',
    title: 'PostponeUpdateArgument',
    description:
      'Argument of the `postpone` update; `until` must be in the future. Answers with teardown-report.json.',
    schema: postponeSchema,
    io: 'input',
  },
  {
    file: 'query-resources.json',
    title: 'ResourcesQueryArgument',
    description:
      'Argument of the `resources` query: one page of the full per-resource list, optionally filtered by outcome and kind. Answers with query-resources-answer.json.',
    schema: resourcesQuerySchema,
    io: 'input',
  },
  {
    file: 'query-resources-answer.json',
    title: 'ResourcesQueryAnswer',
    description:
      'Answer of the `resources` query: `total` resources match the filter; `resources` holds those from `offset`, at most `limit`, in full detail.',
    schema: resourcesPageSchema,
    io: 'output',
  },
];

/** Every schema file's name and its text (stable, two-space JSON with a final newline). */
export function jsonSchemaFiles(): Array<{ file: string; text: string }> {
  return ENTRIES.map(({ file, title, description, schema, io }) => {
    const generated = z.toJSONSchema(schema, {
      io,
      target: 'draft-2020-12',
      unrepresentable: 'any',
      // Kinds are checked against the registry when parsing (a custom check): name them here.
      override: (ctx) => {
        if (ctx.zodSchema === kindSchema)
          Object.assign(ctx.jsonSchema, { type: 'string', enum: [...KIND_NAMES] });
      },
    });
    const document = { ...generated, title, description };
    return { file, text: JSON.stringify(document, null, 2) + '\n' };
  });
}
