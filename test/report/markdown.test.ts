/**
 * The Markdown report: the summary table as a GitHub table, notes and theory rows, and the
 * same bytes for the same report.
 */
import { describe, expect, it } from 'vitest';
import { mdText, renderMarkdown } from '../../src/report/markdown.ts';
import type { Report } from '../../src/report/model.ts';
import { fixtureReport, fixtureSweep } from './fixture.ts';

/** A report small enough to spell out its whole Markdown. */
function tinyReport(): Report {
  const base = fixtureReport();
  return {
    ...base,
    title: 'Tiny',
    summary: 'One line\nsplit in two.',
    table: {
      columns: ['Variant', 'p99 (ms)', 'Cost/hour', 'SLO'],
      rows: [
        ['a|b', '12.5', '$1.20', 'met'],
        ['c', '130', '–', 'missed'],
      ],
    },
    theory: [
      {
        stage: 'gpu',
        model: 'M/M/1',
        quantity: 'mean wait (ms)',
        analytic: 10,
        simulated: { value: 10.4, ci95: 0.25 },
        note: 'Assumptions hold.',
      },
    ],
    notes: ['First note.', 'Second\nnote.'],
  };
}

describe('renderMarkdown', () => {
  it('writes title, summary, table, notes and theory exactly', () => {
    expect(renderMarkdown(tinyReport())).toBe(
      [
        '# Tiny',
        '',
        'One line split in two.',
        '',
        '## Summary',
        '',
        '| Variant | p99 (ms) | Cost/hour | SLO |',
        '| --- | ---: | ---: | --- |',
        '| a\\|b | 12.5 | $1.20 | met |',
        '| c | 130 | – | missed |',
        '',
        '- First note.',
        '- Second note.',
        '',
        '## Theory against simulation',
        '',
        '| Stage | Model | Quantity | Analytic | Simulated | Difference | Note |',
        '| --- | --- | --- | ---: | ---: | ---: | --- |',
        // Reference: (10.4 - 10) / 10 = +4.0 %.
        '| gpu | M/M/1 | mean wait (ms) | 10.0 | 10.4 ± 0.25 | +4.0% | Assumptions hold. |',
        '',
      ].join('\n'),
    );
  });

  it('has one table row per variant of the fixture', () => {
    const report = fixtureReport();
    const md = renderMarkdown(report);
    const lines = md.split('\n');
    // The fixture's "SLO p99 < 250 ms" column is escaped like any text.
    const header = lines.indexOf(`| ${report.table.columns.map((c) => mdText(c)).join(' | ')} |`);
    expect(header).toBeGreaterThan(0);
    const rows = lines.slice(header + 2, header + 2 + report.variants.length);
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(report.variants.map((v) => `| ${v.name}`));
    expect(lines[header + 2 + report.variants.length]).toBe('');
  });

  it('gives the same bytes for the same report', () => {
    const a = renderMarkdown(fixtureReport());
    const b = renderMarkdown(structuredClone(fixtureReport()));
    expect(b).toBe(a);
  });

  it('leaves out the theory section when there are no theory rows', () => {
    const md = renderMarkdown({ ...tinyReport(), theory: [], notes: [] });
    expect(md).not.toContain('Theory');
    expect(md.endsWith('| c | 130 | – | missed |\n')).toBe(true);
  });

  it('passes no raw HTML, code span, link or control character from user strings', () => {
    const hostile = '<script>alert(1)</script> "><img src=x onerror=alert(1)> `code` [x](javascript:alert(1)) a|b \u001b[31mred\u001b[0m\u0007 & \\';
    const report = { ...tinyReport(), title: hostile, summary: `# ${hostile}`, notes: [`- ${hostile}`] };
    report.table = { columns: ['Variant', 'p99 (ms)'], rows: [[hostile, '1']] };
    const md = renderMarkdown(report);
    expect(md).not.toMatch(/[<>\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(md).not.toMatch(/(^|[^\\])`/m);
    expect(md).not.toMatch(/(^|[^\\])[[\]|]x/m);
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt; "&gt;&lt;img src=x onerror=alert(1)&gt; \\`code\\` \\[x\\](javascript:alert(1)) a\\|b \ufffd\\[31mred\ufffd\\[0m\ufffd &amp; \\\\';
    expect(md.split('\n')[0]).toBe(`# ${escaped}`);
    // Block starts are escaped, so the summary is no heading and the note no nested list.
    expect(md).toContain(`\n\\# ${escaped}\n`);
    expect(md).toContain(`\n- \\- ${escaped}\n`);
    expect(md).toContain(`| ${escaped} | 1 |`);
  });
});

describe('Markdown sweep report', () => {
  it('lists p99 against the varied value, theory beside the simulated wait, and the knee', () => {
    const md = renderMarkdown(fixtureReport({ sweep: fixtureSweep() }));
    expect(md).toContain('## p99 against arrivals.qps\n\n| arrivals.qps | p99 ms | stage | mean wait ms | theory wait ms |');
    // Reference: the fixture's point at 3.022: p99 6068 ± 4%, wait 530 ± 5%, theory 0.98 × 530.
    expect(md).toContain('| 3.022 | 6,068 ± 243 | model | 530 ± 26.5 | 519 |');
    expect(md).toContain('- knee of the p99 curve at arrivals.qps = 3.022');
  });
});
