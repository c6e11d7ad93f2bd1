// What `npm start` prints fits a terminal of 100 columns: long lines are broken at spaces.

export const COLUMNS = 100;

/**
 * One printed line as lines of at most `width` columns, broken at spaces. A continuation is
 * indented to where the text of the first line starts: after a `[stand-in] ` prefix, at the value
 * column of a banner row (`  label           value`, or a line that starts there), else two
 * spaces deeper than the line. A single word longer than the width (a token, a URL) is left
 * whole: there is no good place to break it.
 */
export function wrapLine(line: string, width = COLUMNS): Array<string> {
    if (line.length <= width) {
        return [line];
    }
    const indent = continuationIndent(line);
    const lines: Array<string> = [];
    let rest = line;
    let prefix = '';
    while (prefix.length + rest.length > width) {
        const room = width - prefix.length;
        let cut = rest.lastIndexOf(' ', room);
        // Not inside the line's own leading spaces or label column.
        const floor = prefix ? 0 : indent.length;
        if (cut <= floor) {
            cut = rest.indexOf(' ', room);
            if (cut < 0) {
                break;
            }
        }
        lines.push(prefix + rest.slice(0, cut).trimEnd());
        rest = rest.slice(cut + 1).trimStart();
        prefix = indent;
    }
    lines.push(prefix + rest);
    return lines;
}

function continuationIndent(line: string): string {
    const tagged = /^(\s*\[[^\]]+\] )/.exec(line);
    if (tagged) {
        return ' '.repeat(tagged[1].length);
    }
    // A banner row: two spaces, a label, and the value from column 18 — or a row's value going on
    // on a line of its own.
    if (/^ {2}[A-Za-z][A-Za-z ]{14} \S/.test(line) || /^ {18}\S/.test(line)) {
        return ' '.repeat(18);
    }
    return ' '.repeat(/^\s*/.exec(line)![0].length + 2);
}
