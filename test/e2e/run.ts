// Which suites run where: all of them on a stand-in of each server generation; on a real server,
// all but those that need the stand-in's knobs (faults, lost events, a scheduled job due now).
import { appLogSuite } from './appLog';
import { authoritySuite } from './authority';
import { clusterSuite } from './cluster';
import { coverageSuite } from './coverage';
import { abuseSuite } from './hardening/abuse';
import { concurrencySuite } from './hardening/concurrency';
import { faultSuite } from './hardening/faults';
import { fidelitySuite } from './fidelity';
import { guardSuite } from './guard';
import { panelSuite } from './panel';
import { reconcileSuite } from './reconcile';
import { roleMatrixSuite } from './hardening/roleMatrix';
import { type Suite, onTarget } from './scenario';
import { serverRulesSuite } from './server-rules';
import { endToEndSuite } from './suite';
import { realServerTarget, standinTarget } from './target';
import { serverProfile } from '../standin/generations';

export const REAL_SERVER_SUITES: Array<Suite> = [
    endToEndSuite,
    fidelitySuite,
    serverRulesSuite,
    authoritySuite,
    guardSuite,
    panelSuite,
    roleMatrixSuite,
    abuseSuite,
    concurrencySuite,
    coverageSuite,
    appLogSuite,
];

/** Every suite on a stand-in started in this process as Rocket.Chat `version`. */
export function standinSuites(version: string): void {
    const { generation } = serverProfile(version);
    onTarget(
        `stand-in as Rocket.Chat ${version} (${generation.versions}: Apps-Engine ${generation.engineVersion}, ${generation.runtime})`,
        () => standinTarget(version),
        [...REAL_SERVER_SUITES, faultSuite, reconcileSuite],
    );
}

/**
 * On a cluster of `instances` stand-ins as Rocket.Chat `version` (own processes, one database, a
 * balancer in front): the suites whose guarantees rest on what instances share — the history, the
 * guard, the bulk job, the reconcile, the role matrix — and the cluster's own.
 */
export function clusterSuites(version: string, instances: number): void {
    const { generation } = serverProfile(version);
    onTarget(
        `a cluster of ${instances} stand-ins as Rocket.Chat ${version} (${generation.versions}: Apps-Engine ${generation.engineVersion}, ${generation.runtime})`,
        () => standinTarget(version, instances),
        [clusterSuite, guardSuite, roleMatrixSuite, coverageSuite, reconcileSuite],
    );
}

export function realServerSuites(): void {
    onTarget(`real Rocket.Chat at ${process.env.RC_URL}`, realServerTarget, REAL_SERVER_SUITES);
}
