import type { compile } from 'vega-lite';

type CompileLogger = NonNullable<NonNullable<Parameters<typeof compile>[1]>['logger']>;

/**
 * Keeps Vega-Lite's compile warnings instead of printing them: a warning means a spec
 * draws something other than meant, so the report and the playground collect them.
 */
export class WarningLog implements CompileLogger {
  readonly warnings: string[] = [];
  private current = 2;
  level(): number;
  level(level: number): this;
  level(level?: number): number | this {
    if (level === undefined) return this.current;
    this.current = level;
    return this;
  }
  error(...args: unknown[]): this {
    this.warnings.push(`error: ${args.map(String).join(' ')}`);
    return this;
  }
  warn(...args: unknown[]): this {
    this.warnings.push(args.map(String).join(' '));
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}
