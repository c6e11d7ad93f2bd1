// This process's direct children (the app runtime's Deno subprocess), read from /proc. Elsewhere
// than Linux the list is empty.
import { readFileSync, readdirSync } from 'node:fs';

export interface ChildProcessInfo {
    pid: number;
    rssKb: number;
}

export function childProcesses(parent = process.pid): Array<ChildProcessInfo> {
    let entries: Array<string>;
    try {
        entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
    } catch {
        return [];
    }
    const children: Array<ChildProcessInfo> = [];
    for (const pid of entries) {
        try {
            const status = readFileSync(`/proc/${pid}/status`, 'utf8');
            if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) === parent) {
                children.push({ pid: Number(pid), rssKb: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) });
            }
        } catch {
            // the process ended while we looked
        }
    }
    return children;
}
