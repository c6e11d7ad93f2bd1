/**
 * Runs tasks one after another, in the order they came. The history's index of groups is read,
 * changed and written back by a task: two at once would each write back what they read, and one
 * group would be lost from it.
 */
export class Serial {
    private tail: Promise<unknown> = Promise.resolve();

    public run<T>(task: () => Promise<T>): Promise<T> {
        const result = this.tail.then(task, task);
        this.tail = result.catch(() => undefined);
        return result;
    }
}
