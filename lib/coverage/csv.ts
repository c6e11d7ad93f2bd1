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
 * text: a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading
 * apostrophe (OWASP's advice against CSV injection).
 */
export function toCsv(rows: ReadonlyArray<GroupRow>): string {
    const lines = [COLUMNS.join(',')];
    for (const row of rows) {
        lines.push(COLUMNS.map((column) => cell(row[column])).join(','));
    }
    return `${lines.join('\r\n')}\r\n`;
}

function cell(value: unknown): string {
    if (value === undefined || value === null) {
        return '';
    }
    let text = String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
        text = `'${text}`;
    }
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
