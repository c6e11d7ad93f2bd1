/**
 * What keeps a group encrypted besides its owners: nothing ('off-allowed'), the app refusing at
 * its own doors ('app-refuses'), or the guard and the reconcile switching back a change made by any route ('kept-on').
 */
export type GuardPolicy = 'off-allowed' | 'app-refuses' | 'kept-on';
