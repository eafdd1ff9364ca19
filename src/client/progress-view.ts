// Live progress of a teardown: one cli-progress bar per kind on a TTY (with the totals and what
// blocks the run above them), plain lines whenever they change otherwise.
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { TeardownReport } from '../contract';
import { formatBlocked, formatProgress, formatTotals, progressByKind } from './format';

type Stream = NodeJS.WriteStream;

export class ProgressView {
  private multi?: MultiBar;
  private readonly bars = new Map<string, SingleBar>();
  private readonly lines: SingleBar[] = [];
  private last = '';

  constructor(private readonly stream: Stream = process.stdout) {}

  update(report: TeardownReport): void {
    if (!this.stream.isTTY) {
      const text = formatProgress(report);
      if (text !== this.last) this.stream.write(`${text}\n`);
      this.last = text;
      return;
    }
    const multi = (this.multi ??= new MultiBar(
      {
        stream: this.stream,
        hideCursor: true,
        clearOnComplete: false,
        format: ' {kind} [{bar}] {value}/{total} {extra}',
      },
      Presets.shades_classic,
    ));
    const text = [formatTotals(report), ...formatBlocked(report)];
    while (this.lines.length < text.length)
      this.lines.push(multi.create(1, 0, { text: '' }, { format: '{text}' }));
    this.lines.forEach((line, i) => line.update(0, { text: text[i] ?? '' }));
    for (const [kind, { done, total, failed }] of progressByKind(report)) {
      const extra = failed ? `(${failed} failed)` : '';
      const bar = this.bars.get(kind) ?? multi.create(total, done, { kind, extra });
      this.bars.set(kind, bar);
      bar.setTotal(total);
      bar.update(done, { kind, extra });
    }
  }

  stop(): void {
    this.multi?.stop();
    this.multi = undefined;
  }
}
