// The README's "Try it" walkthrough, taken from README.md itself and run as a reader runs it: a
// fresh `npm start` (the default profile), then every ```sh block of the section, verbatim and in
// order, in one `bash -euo pipefail` session that starts where the reader stands — a folder holding
// the `.standin.env` that start wrote (its own folder, so a stand-in the developer runs in the
// repository keeps its file). Each block's output must show, in order, every answer the block
// announces in a `# → ` line (`…` stands for anything on that line). A README command that breaks
// fails here.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { eventually } from '../support/eventually';

const ROOT = join(__dirname, '..', '..');
const READY = 'Ctrl-C stops everything.';
const SECTION = '## Try it';
const ANSWER = '# → ';

export interface Block {
    /** The block's first line in README.md (1-based), for messages. */
    line: number;
    code: string;
    /** What its output must show, in order: the `# → ` lines, as patterns. */
    answers: Array<RegExp>;
}

/** The ```sh blocks of README.md's "Try it" section. */
export function tryItBlocks(readme: string): Array<Block> {
    const lines = readme.split('\n');
    const start = lines.indexOf(SECTION);
    assert.ok(start >= 0, `README.md has no "${SECTION}" section`);
    const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
    const blocks: Array<Block> = [];
    let open: Block | undefined;
    for (let index = start + 1; index < (end < 0 ? lines.length : end); index++) {
        const line = lines[index];
        if (!open && line === '```sh') {
            open = { line: index + 2, code: '', answers: [] };
        } else if (open && line === '```') {
            blocks.push(open);
            open = undefined;
        } else if (open) {
            open.code += `${line}\n`;
            if (line.startsWith(ANSWER)) {
                open.answers.push(answerPattern(line.slice(ANSWER.length)));
            }
        }
    }
    return blocks;
}

/** An announced answer as a pattern: the text as written, `…` for anything within one line. */
function answerPattern(text: string): RegExp {
    return new RegExp(
        text
            .split('…')
            .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^\\n]*?'),
    );
}

/** The announced answers the output does not show, in order: each is looked for after the one before. */
function missingAnswers(output: string, answers: Array<RegExp>): Array<string> {
    let from = 0;
    const missing: Array<string> = [];
    for (const answer of answers) {
        const found = answer.exec(output.slice(from));
        if (found) {
            from += found.index + found[0].length;
        } else {
            missing.push(answer.source);
        }
    }
    return missing;
}

async function freePort(): Promise<number> {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

test('the README\'s "Try it" walkthrough runs verbatim on a fresh npm start, and every step answers what the README says', async (t) => {
    const blocks = tryItBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    assert.ok(blocks.length >= 5, `only ${blocks.length} sh blocks under "${SECTION}"`);
    assert.match(blocks[0].code, /^source \.standin\.env\b/, 'the walkthrough starts with `source .standin.env`');

    const folder = mkdtempSync(join(tmpdir(), 'try-it-'));
    const child = spawn('npm', ['start', '--silent'], {
        cwd: ROOT,
        env: { ...process.env, PORT: String(await freePort()), STANDIN_ENV_FILE: join(folder, '.standin.env') },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let started = '';
    child.stdout!.on('data', (chunk) => (started += chunk));
    child.stderr!.on('data', (chunk) => (started += chunk));
    try {
        assert.ok(await eventually(() => started.includes(READY), 90_000), `npm start never got ready:\n${started}`);

        // One session for all blocks, as in one terminal; a marker before each block splits the output.
        const marker = (index: number) => `@@@ try-it block ${index} @@@`;
        const script = blocks.map((block, index) => `echo '${marker(index)}'\n${block.code}`).join('');
        const began = Date.now();
        const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: folder, encoding: 'utf8', timeout: 60_000 });
        const seconds = ((Date.now() - began) / 1000).toFixed(1);
        t.diagnostic(`the walkthrough ran in ${seconds} s`);
        const output = run.stdout ?? '';
        assert.equal(run.status, 0, `bash ended with ${run.status ?? run.signal} after ${seconds} s:\n${output}\n${run.stderr}`);

        for (const [index, block] of blocks.entries()) {
            const begin = output.indexOf(marker(index));
            assert.ok(begin >= 0, `block ${index} (README.md line ${block.line}) never ran:\n${output}`);
            const finish = index + 1 < blocks.length ? output.indexOf(marker(index + 1)) : output.length;
            const said = output.slice(begin + marker(index).length, finish);
            assert.deepEqual(
                missingAnswers(said, block.answers),
                [],
                `block ${index} (README.md line ${block.line}) did not answer as announced; it printed:\n${said}`,
            );
        }
    } finally {
        try {
            process.kill(-child.pid!, 'SIGTERM');
        } catch {
            // already ended
        }
        await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
        rmSync(folder, { recursive: true, force: true });
    }
});
