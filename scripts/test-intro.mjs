// Printed before `npm test` runs: how long it takes, and what the one expected SKIP means.
const realServer = process.env.RC_URL
    ? `The real-server suite runs against ${process.env.RC_URL}.`
    : 'The real-server suite is skipped (one SKIP, expected) unless RC_URL, RC_ADMIN_USER and RC_ADMIN_PASSWORD are set (docs/tests.md: "Against a real server").';
console.log(
    [
        'npm test: unit and start-up tests, the README\'s "Try it" walkthrough run as written, then the end-to-end',
        'suites on the stand-in as Rocket.Chat 6.10, 7.2 and 8.0 and as a two-instance 8.0 cluster, each with the',
        'real Apps-Engine runtime, two suite files at a time: about 5 minutes on 2 cores; each part ends with its summary (tests, pass, fail).',
        realServer,
    ].join('\n'),
);
