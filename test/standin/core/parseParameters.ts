// How Rocket.Chat splits a slash command's text into the app's arguments
// (apps/meteor/lib/utils/parseParameters.ts, called by the apps command bridge): words split on
// white space, quoted parts kept whole without their quotes.

function split(parameters: string): Array<string> {
    return parameters
        .replace(/\n\r/gm, '\n')
        .split(/[ \n\r\t]/)
        .filter(Boolean);
}

export function parseParameters(parameters: string): Array<string> {
    if (!parameters.trim()) {
        return [];
    }
    const quoted = parameters.match(/((["'])(?:(?=(\\?))\3[\s\S])*?\2)/g);
    if (!quoted) {
        return split(parameters);
    }
    let line = parameters;
    for (const item of quoted) {
        // Quotes become markers and the white space inside them stand-ins, so the split keeps them whole.
        const marked = item
            .replace(/(^['"])/g, '\u0086')
            .replace(/['"]$/g, '\u0087')
            .replace(/ /g, '\u2008')
            .replace(/\n/gm, '\u008B')
            .replace(/\r/gm, '\u008C')
            .replace(/\t/g, '\u008A');
        line = line.replace(item, marked);
    }
    // Two quoted parameters with no space between them are two parameters.
    line = line.replace(/\u0087\u0086/g, '\u0087 \u0086');
    return split(line).map((item) =>
        item
            .replace(/\u2008/g, ' ')
            .replace(/\u008B/g, '\n')
            .replace(/\u008C/g, '\r')
            .replace(/\u008A/g, '\t')
            .replace(/[\u0086\u0087]/g, '')
            .replace(/\\"/g, '"'),
    );
}
