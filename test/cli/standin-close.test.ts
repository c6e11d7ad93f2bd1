// A stand-in closed while its app runtime works on a call lets the process that hosted it end at
// once. The engine answers such a call only at its 30 s request timeout, and that timer held every
// end-to-end file's process open for as long after its last test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

test('a stand-in closed while its app runtime works on a call: the process ends within seconds, not at the engine’s 30 s timeout', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'close-mid-call.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    let closedAt = 0;
    child.stdout.on('data', (chunk) => {
        stdout += chunk;
        output += chunk;
        closedAt ||= /^closed$/m.test(stdout) ? Date.now() : 0;
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('close', (exit) => (clearTimeout(timer), resolve(exit)));
    });
    assert.ok(closedAt > 0, `the stand-in never closed:\n${output}`);
    const after = Date.now() - closedAt;
    assert.equal(code, 0, output);
    assert.ok(after < 10_000, `the process ended ${after} ms after the stand-in closed`);
});
