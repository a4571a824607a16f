/** Runs a reader's async generator to the end: every batch flattened, and what it returned (its info). */
export async function drain<R, I>(gen: AsyncGenerator<R[], I>): Promise<{ items: R[]; info: I }> {
  const items: R[] = [];
  let step = await gen.next();
  while (!step.done) {
    items.push(...step.value);
    step = await gen.next();
  }
  return { items, info: step.value };
}
