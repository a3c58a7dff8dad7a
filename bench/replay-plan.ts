/**
 * How a floor replays the DynamoDB operations a route was recorded making: in the order they started, each
 * waiting for every operation that had ended before it started (it may have needed its answer: the champion
 * after their identity record), and issued together with those that were in flight when it started.
 */
export interface Timed { t0: number; t1: number }
export interface ReplayPlan<T extends Timed> { ops: T[]; after: number[][]; label: string }

export function replayPlan<T extends Timed>(recorded: readonly T[], name: (op: T) => string): ReplayPlan<T> {
  const ops = [...recorded].sort((a, b) => a.t0 - b.t0);
  const after = ops.map((op) => ops.flatMap((other, j) => (other.t1 <= op.t0 ? [j] : [])));
  // The label: steps of overlapping operations (→ between steps, ∥ within one); inside a step, an operation
  // that waited for another of the same step is chained to it in parentheses.
  const steps: number[][] = [];
  let end = -Infinity;
  ops.forEach((op, i) => {
    if (op.t0 < end && steps.length > 0) steps[steps.length - 1]!.push(i);
    else steps.push([i]);
    end = Math.max(end, op.t1);
  });
  const label = steps
    .map((step) => {
      const chains: number[][] = [];
      for (const i of step) {
        const chain = chains.find((c) => after[i]!.includes(c[c.length - 1]!));
        if (chain) chain.push(i);
        else chains.push([i]);
      }
      const names = (c: number[]) => c.map((i) => name(ops[i]!)).join(' → ');
      return chains.map((c) => (c.length > 1 && chains.length > 1 ? `(${names(c)})` : names(c))).join(' ∥ ');
    })
    .join(' → ');
  return { ops, after, label };
}

/** Issues a plan's operations, each as soon as those it waits for have answered; rejects with the first failure. */
export async function replay<T extends Timed>(plan: Pick<ReplayPlan<T>, 'ops' | 'after'>, send: (op: T) => Promise<void>): Promise<void> {
  const done: Promise<void>[] = [];
  plan.ops.forEach((op, i) => {
    done[i] = Promise.all(plan.after[i]!.map((j) => done[j])).then(() => send(op));
  });
  await Promise.all(done);
}
