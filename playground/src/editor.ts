/**
 * The scenario editor: a plain textarea over a mirror of its lines, so problems can be
 * shown on the offending line itself (highlighted, the message after the line's text, a
 * mark in the line-number gutter) without an editor library. The mirror draws only
 * backgrounds and messages; the textarea, transparent on top, draws the text. Both use
 * one font, line height, padding and no wrapping, so their lines coincide.
 */
import type { Problem } from './problems.ts';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The editor: set its text, listen to edits, show problems. */
export class ScenarioEditor {
  readonly textarea: HTMLTextAreaElement;
  private readonly gutter: HTMLElement;
  private readonly mirror: HTMLElement;
  private readonly list: HTMLElement;
  private problems: Problem[] = [];
  /** Called on every edit by the user (not on setText). */
  onEdit: (text: string) => void = () => {};

  constructor(root: HTMLElement) {
    const frame = el('div', 'editor-frame');
    this.gutter = el('div', 'gutter');
    this.gutter.setAttribute('aria-hidden', 'true');
    const code = el('div', 'code');
    this.mirror = el('div', 'mirror');
    this.mirror.setAttribute('aria-hidden', 'true');
    this.textarea = el('textarea', 'source');
    this.textarea.id = 'scenario-text';
    this.textarea.spellcheck = false;
    this.textarea.wrap = 'off';
    this.textarea.setAttribute('autocapitalize', 'off');
    this.textarea.setAttribute('autocomplete', 'off');
    this.textarea.setAttribute('aria-label', 'Scenario file (YAML or JSON)');
    code.append(this.mirror, this.textarea);
    frame.append(this.gutter, code);
    this.list = el('ul', 'problems');
    this.list.id = 'problems';
    root.append(frame, this.list);

    this.textarea.addEventListener('input', () => {
      this.render();
      this.onEdit(this.textarea.value);
    });
    this.textarea.addEventListener('scroll', () => this.sync());
    // The width of one character of the editor's font, for placing messages after a line.
    const probe = el('span', 'txt', 'M'.repeat(100));
    this.mirror.append(probe);
    const w = probe.getBoundingClientRect().width / 100;
    probe.remove();
    frame.style.setProperty('--char-w', `${w > 0 ? w : 7.5}px`);
    // Tab indents (two spaces, as YAML wants) instead of leaving the editor.
    this.textarea.addEventListener('keydown', (e) => {
      if (e.key !== 'Tab' || e.shiftKey || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      document.execCommand('insertText', false, '  ');
    });
  }

  get text(): string {
    return this.textarea.value;
  }

  /** Replaces the text (a new scenario), without calling onEdit. */
  setText(text: string): void {
    this.textarea.value = text;
    this.textarea.scrollTop = 0;
    this.textarea.scrollLeft = 0;
    this.render();
  }

  /** Shows problems: on their lines, in the gutter, and listed under the editor. */
  setProblems(problems: Problem[]): void {
    this.problems = problems;
    this.render();
    this.list.replaceChildren();
    for (const p of problems) {
      const li = el('li');
      if (p.line !== undefined) {
        const jump = el('button', 'at', `line ${p.line}`);
        jump.type = 'button';
        jump.addEventListener('click', () => this.reveal(p.line!, p.col ?? 1));
        li.append(jump, ' ');
      }
      li.append(el('span', 'problem-text', p.text));
      this.list.append(li);
    }
  }

  /** Puts the caret at a line and column and scrolls it into view. */
  reveal(line: number, col: number): void {
    const lines = this.textarea.value.split('\n');
    let pos = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i]!.length + 1;
    pos += Math.max(0, Math.min(col - 1, (lines[line - 1] ?? '').length));
    this.textarea.focus();
    this.textarea.setSelectionRange(pos, pos);
    const lh = parseFloat(getComputedStyle(this.textarea).lineHeight) || 20;
    this.textarea.scrollTop = Math.max(0, (line - 4) * lh);
    this.sync();
  }

  private render(): void {
    const lines = this.textarea.value.split('\n');
    const byLine = new Map<number, Problem[]>();
    for (const p of this.problems) {
      if (p.line === undefined) continue;
      const at = Math.min(Math.max(p.line, 1), lines.length);
      byLine.set(at, [...(byLine.get(at) ?? []), p]);
    }
    const numbers: HTMLElement[] = [];
    const rows: HTMLElement[] = [];
    lines.forEach((text, i) => {
      const n = i + 1;
      const here = byLine.get(n);
      const num = el('div', here ? 'num err' : 'num', String(n));
      const row = el('div', here ? 'line err' : 'line');
      row.dataset.line = String(n);
      row.append(el('span', 'txt', text === '' ? ' ' : text));
      if (here) {
        const message = here.map((p) => p.message).join(' · ');
        num.title = message;
        // After the line's text (the font is monospaced: its length in characters is its width).
        const msg = el('span', 'msg', message);
        msg.style.left = `calc(var(--pad-x) + ${text.length + 2} * var(--char-w))`;
        row.append(msg);
      }
      numbers.push(num);
      rows.push(row);
    });
    this.gutter.replaceChildren(...numbers);
    this.mirror.replaceChildren(...rows);
    this.sync();
  }

  private sync(): void {
    // Messages end before the textarea's scroll bar, which the mirror does not have.
    this.mirror.style.setProperty('--scrollbar', `${this.textarea.offsetWidth - this.textarea.clientWidth}px`);
    this.mirror.scrollTop = this.textarea.scrollTop;
    this.mirror.scrollLeft = this.textarea.scrollLeft;
    this.gutter.scrollTop = this.textarea.scrollTop;
  }
}
