import type { GroupRow } from './GroupRow';

const COLUMNS: ReadonlyArray<keyof GroupRow> = [
    'id',
    'name',
    'displayName',
    'kind',
    'encrypted',
    'archived',
    'federated',
    'members',
    'lastActivity',
    'cannotEncrypt',
];

/**
 * The rows as CSV (RFC 4180: comma-separated, CRLF, quotes doubled). A group's name is anyone's
 * text, so every cell follows OWASP's advice against CSV injection (cheatsheetseries.owasp.org,
 * "CSV Injection"): see `cell`.
 */
export function toCsv(rows: ReadonlyArray<GroupRow>): string {
    const lines = [COLUMNS.join(',')];
    for (const row of rows) {
        lines.push(COLUMNS.map((column) => cell(row[column])).join(','));
    }
    return `${lines.join('\r\n')}\r\n`;
}

/**
 * What a spreadsheet may run as a formula: a tab or CR first, or `=`, `+`, `-`, `@` — in ASCII or
 * full width (＝ ＋ － ＠, which spreadsheets in CJK locales take for them) — after any leading
 * whitespace, which spreadsheets skip.
 */
const FORMULA = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/**
 * Quoted when it holds a separator — `,`, or `;`, which spreadsheets in many locales (German
 * Excel among them) split on — a quote or a line break: a quoted cell stays one cell wherever it
 * is opened, so nothing after such a character starts a cell of its own.
 */
const NEEDS_QUOTES = /[,;"'\r\n]/;

/** One cell: a formula defused with a leading apostrophe (shown as text), then quoted if needed. */
function cell(value: unknown): string {
    if (value === undefined || value === null) {
        return '';
    }
    let text = String(value);
    if (typeof value === 'string' && FORMULA.test(text)) {
        text = `'${text}`;
    }
    return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
