// Many REST calls of a suite (a flood it makes, the reads of its checks), a few at a time: one after
// another, 2,000 of them take most of a test's time; all at once, they would queue behind each
// other in the server anyway.
export async function mapInBatches<T, R>(items: ReadonlyArray<T>, size: number, read: (item: T) => Promise<R>): Promise<Array<R>> {
    const results: Array<R> = [];
    for (let i = 0; i < items.length; i += size) {
        results.push(...(await Promise.all(items.slice(i, i + size).map(read))));
    }
    return results;
}
