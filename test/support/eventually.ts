// Waits for something that happens a little later (a server reacting, a process ending), checking
// every `stepMs` until `timeoutMs` has passed; resolves to whether it happened.
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, stepMs = 50): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
        if (await check()) {
            return true;
        }
        await new Promise((resolve) => setTimeout(resolve, stepMs));
    }
    return check();
}
