// The workflow bundle of the sixth-kind test: the real workflows, plus the test kind's metadata
// (workflow-safe, like every kind's), which registers itself when the bundle loads.
import './widget.kind';

export * from '../../../src/workflows';
