/**
 * How user-supplied text is shown back to the user: in an error message, a terminal
 * table, a report. Control characters (ANSI escapes, carriage returns, NUL, DEL, C1) would
 * let a scenario name or a trace line rewrite the user's terminal, so they are replaced;
 * long text is cut so a message never echoes more of a file than the offending field.
 */

// C0 controls except tab and newline are replaced by `shownText`; `shownField` replaces
// those two as well, since a field belongs on one line.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Multi-line text (a narrative) with every control character but tab and newline replaced by U+FFFD. */
export function shownText(text: string): string {
  return text.replace(CONTROL, '\ufffd');
}

/**
 * One field of user input for a one-line message: control characters (newlines too)
 * replaced by U+FFFD, cut to `max` characters (default 80) with an ellipsis.
 */
export function shownField(text: string, max = 80): string {
  const clean = text.replace(CONTROL_OR_BREAK, '\ufffd');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
